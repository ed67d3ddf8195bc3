import 'server-only';
import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import type { Provider } from 'next-auth/providers';
import { env } from '@/lib/env';
import { signInSchema } from '@/lib/validation/user';
import { clientAddress } from './client-address';
import { isPasswordChecksBusy } from './password';
import { signInLimits } from './rate-limit';
import { roleFromClaims } from './oidc';
import { isRole } from './roles';
import { SESSION_MAX_AGE_S, sessionRole } from './token';
import { endSessions, endSsoSessions, rememberSignInAddress, signsInFrom, verifyPassword } from './users';

// Auth.js v5: https://authjs.dev/getting-started/installation?framework=Next.js
// Sessions are JWTs in an encrypted cookie, so any number of Berth instances can
// sit behind one load balancer with the same AUTH_SECRET. What ends a session
// before its cookie expires lives in Berth's database, shared by the instances
// (lib/auth/users.ts), and every request checks it in the jwt callback below.

class WrongCredentials extends CredentialsSignin {
  code = 'wrong_credentials';
}
class TooManyAttempts extends CredentialsSignin {
  code = 'rate_limited';
}
class ServerBusy extends CredentialsSignin {
  code = 'busy';
}

function audit(email: string, outcome: string) {
  console.info(JSON.stringify({ at: new Date().toISOString(), action: 'auth.sign-in', user: email, outcome }));
}

function providers(): Provider[] {
  const list: Provider[] = [
    Credentials({
      id: 'credentials',
      name: 'Email and password',
      credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw, request) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) throw new WrongCredentials();
        const { email, password } = parsed.data;
        const address = clientAddress(request.headers, env().BERTH_TRUSTED_PROXY_HOPS);
        const known = await signsInFrom(email, address);
        // Counted before the check: see lib/auth/rate-limit.ts.
        const attempt = await signInLimits.begin(email, address, known);
        if (!attempt) {
          audit(email, 'rate-limited');
          throw new TooManyAttempts();
        }
        let user;
        try {
          user = await verifyPassword(email, password);
        } catch (error) {
          await attempt.cancelled();
          if (isPasswordChecksBusy(error)) {
            audit(email, 'busy');
            throw new ServerBusy();
          }
          throw error;
        }
        if (!user) {
          audit(email, 'wrong-credentials');
          throw new WrongCredentials();
        }
        await attempt.succeeded();
        await rememberSignInAddress(email, address);
        return { id: user.id, email: user.email, name: user.name ?? null, role: user.role, sessionGeneration: user.sessionGeneration };
      },
    }),
  ];
  const e = env();
  if (e.oidcEnabled) {
    list.push({
      id: 'oidc',
      name: e.AUTH_OIDC_NAME,
      type: 'oidc',
      issuer: e.AUTH_OIDC_ISSUER,
      clientId: e.AUTH_OIDC_CLIENT_ID,
      clientSecret: e.AUTH_OIDC_CLIENT_SECRET,
      checks: ['pkce', 'state', 'nonce'],
    });
  }
  return list;
}

export const authConfig = {
  // Berth is self-hosted; the host header is the deployment's own (set AUTH_URL behind odd proxies).
  trustHost: true,
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: '/sign-in', error: '/sign-in' },
  logger: {
    // A wrong password is an expected outcome, already counted and audited in
    // authorize(); Auth.js would otherwise print a stack trace for each one.
    error(error) {
      if (error.name === 'CredentialsSignin' || (error as { type?: string }).type === 'CredentialsSignin') return;
      console.error('[auth]', error);
    },
  },
  providers: providers(),
  events: {
    // Signing out ends all of that person's sessions, not only this cookie:
    // a copy of it (another tab's request in flight re-issuing it, a copied
    // cookie) would otherwise stay valid until it expires.
    async signOut(message) {
      const token = 'token' in message ? message.token : null;
      if (!token?.email) return;
      if (token.provider === 'credentials' && typeof token.uid === 'string' && typeof token.gen === 'number') {
        await endSessions(token.email, { id: token.uid, generation: token.gen });
      } else if (token.provider === 'oidc') {
        await endSsoSessions(token.email, Date.now(), SESSION_MAX_AGE_S * 1000);
      }
    },
  },
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider === 'oidc') return profile ? roleFromClaims(profile) !== null : false;
      return true;
    },
    async jwt({ token, user, account, profile }) {
      if (account) {
        // First call after a sign-in: remember where the role came from, and
        // what this session must still match on later requests.
        token.provider = account.provider;
        token.signedInAt = Date.now();
        if (account.provider === 'oidc') {
          token.role = profile ? (roleFromClaims(profile) ?? 'viewer') : 'viewer';
        } else {
          token.role = user?.role ?? 'viewer';
          token.uid = user?.id;
          token.gen = user?.sessionGeneration;
        }
        return token;
      }
      // Every later request: a session ends on the next request after its
      // person signs out (anywhere), is removed, or gets a new role or password;
      // not when its cookie expires. Returning null clears the cookie. Pages
      // make the same check without Auth.js (lib/auth/token.ts).
      const role = await sessionRole(token);
      if (!role) return null;
      token.role = role;
      return token;
    },
    session({ session, token }) {
      session.user.role = isRole(token.role) ? token.role : 'viewer';
      return session;
    },
  },
} satisfies NextAuthConfig;

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
