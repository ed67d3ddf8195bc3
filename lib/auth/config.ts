import 'server-only';
import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import type { Provider } from 'next-auth/providers';
import { env } from '@/lib/env';
import { signInSchema } from '@/lib/validation/user';
import { clientIp, signInLimits } from './rate-limit';
import { roleFromClaims } from './oidc';
import { isRole } from './roles';
import { findUser, verifyPassword } from './users';

// Auth.js v5: https://authjs.dev/getting-started/installation?framework=Next.js
// Sessions are JWTs in an encrypted cookie, so any number of Berth instances can
// sit behind one load balancer with the same AUTH_SECRET and no shared store.

class WrongCredentials extends CredentialsSignin {
  code = 'wrong_credentials';
}
class TooManyAttempts extends CredentialsSignin {
  code = 'rate_limited';
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
        const ipKey = `ip:${clientIp(request.headers)}`;
        const accountKey = `account:${email}`;
        if (signInLimits.account.blocked(accountKey) || signInLimits.ip.blocked(ipKey)) {
          console.info(JSON.stringify({ at: new Date().toISOString(), action: 'auth.sign-in', user: email, outcome: 'rate-limited' }));
          throw new TooManyAttempts();
        }
        const user = await verifyPassword(email, password);
        if (!user) {
          console.info(JSON.stringify({ at: new Date().toISOString(), action: 'auth.sign-in', user: email, outcome: 'wrong-credentials' }));
          signInLimits.account.fail(accountKey);
          signInLimits.ip.fail(ipKey);
          throw new WrongCredentials();
        }
        signInLimits.account.reset(accountKey);
        return { id: user.email, email: user.email, name: user.name ?? null, role: user.role };
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
  session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
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
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider === 'oidc') return profile ? roleFromClaims(profile) !== null : false;
      return true;
    },
    async jwt({ token, user, account, profile }) {
      if (account) {
        // First call after a sign-in: remember where the role came from.
        token.provider = account.provider;
        token.role =
          account.provider === 'oidc' && profile ? (roleFromClaims(profile) ?? 'viewer') : (user?.role ?? 'viewer');
        return token;
      }
      if (token.provider === 'credentials' && token.email) {
        // A removed or demoted user loses access on their next request, not when
        // their cookie expires. The store read is cached by file mtime.
        const current = await findUser(token.email);
        if (!current) return null;
        token.role = current.role;
      }
      return token;
    },
    session({ session, token }) {
      session.user.role = isRole(token.role) ? token.role : 'viewer';
      return session;
    },
  },
} satisfies NextAuthConfig;

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
