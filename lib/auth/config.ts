import 'server-only';
import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import type { Provider } from 'next-auth/providers';
import { requestClientAddress } from '@/lib/audit/record';
import { recordAudit } from '@/lib/audit/writer';
import { env } from '@/lib/env';
import { signInSchema } from '@/lib/validation/user';
import { clientAddress } from './client-address';
import { isPasswordChecksBusy } from './password';
import { signInLimits } from './rate-limit';
import { roleFromClaims } from './oidc';
import { isRole } from './roles';
import { SESSION_MAX_AGE_S, sessionRole } from './token';
import { endSessions, endSsoSessions, findUser, rememberSignInAddress, signsInFrom, verifyPassword } from './users';

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

/**
 * What an unknown sign-in typed as its email, for the audit trail: only when
 * it has an email's shape. People type their password into the email field
 * by mistake, and the trail is read by every admin and exported.
 */
function typedEmail(value: string): string {
  const v = value.slice(0, 254);
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? v : '(not an email address)';
}

/**
 * One sign-in attempt in the audit trail. An email no account has is not a
 * person: it goes in the detail, and the actor stays unknown, so the Audit
 * page's people are real ones. Never throws (recordAudit does not).
 */
async function audit(email: string, outcome: 'ok' | 'failed' | 'refused' | 'invalid', address: string | null, detail: Record<string, unknown> = {}) {
  const user = outcome === 'ok' ? null : await findUser(email).catch(() => undefined);
  const known = outcome === 'ok' || Boolean(user);
  await recordAudit({
    action: 'sign-in',
    actor: known ? email : null,
    role: user?.role ?? null,
    outcome,
    clientAddress: address,
    detail: { provider: 'credentials', ...(known ? {} : { email: typedEmail(email) }), ...detail },
  });
}

function providers(): Provider[] {
  const list: Provider[] = [
    Credentials({
      id: 'credentials',
      name: 'Email and password',
      credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw, request) {
        const address = clientAddress(request.headers, env().BERTH_TRUSTED_PROXY_HOPS);
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) {
          await audit(typeof raw?.email === 'string' ? raw.email : '', 'invalid', address);
          throw new WrongCredentials();
        }
        const { email, password } = parsed.data;
        const known = await signsInFrom(email, address);
        // Counted before the check: see lib/auth/rate-limit.ts.
        const attempt = await signInLimits.begin(email, address, known);
        if (!attempt) {
          await audit(email, 'refused', address, { reason: 'too many failed sign-ins' });
          throw new TooManyAttempts();
        }
        let user;
        try {
          user = await verifyPassword(email, password);
        } catch (error) {
          await attempt.cancelled();
          if (isPasswordChecksBusy(error)) {
            await audit(email, 'refused', address, { reason: 'busy' });
            throw new ServerBusy();
          }
          throw error;
        }
        if (!user) {
          await audit(email, 'failed', address);
          throw new WrongCredentials();
        }
        await attempt.succeeded();
        await rememberSignInAddress(email, address);
        await recordAudit({ action: 'sign-in', actor: user.email, role: user.role, outcome: 'ok', clientAddress: address, detail: { provider: 'credentials' } });
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
      await recordAudit({
        action: 'sign-out',
        actor: token.email,
        role: isRole(token.role) ? token.role : null,
        outcome: 'ok',
        clientAddress: await requestClientAddress(),
        detail: { provider: token.provider ?? null },
      });
      if (token.provider === 'credentials' && typeof token.uid === 'string' && typeof token.gen === 'number') {
        await endSessions(token.email, { id: token.uid, generation: token.gen });
      } else if (token.provider === 'oidc') {
        await endSsoSessions(token.email, Date.now(), SESSION_MAX_AGE_S * 1000);
      }
    },
  },
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider === 'oidc') {
        // Credentials sign-ins are recorded in authorize(), which has the request.
        const role = profile ? roleFromClaims(profile) : null;
        const email = typeof profile?.email === 'string' ? profile.email : null;
        await recordAudit({
          action: 'sign-in',
          actor: email,
          role,
          outcome: role ? 'ok' : 'refused',
          clientAddress: await requestClientAddress(),
          detail: { provider: 'oidc', ...(role ? {} : { reason: 'no Berth role in the provider’s claims' }) },
        });
        return role !== null;
      }
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
      let role;
      try {
        role = await sessionRole(token);
      } catch (error) {
        // The database did not answer (a restart, a failover). Returning
        // null, or throwing, would make Auth.js clear the cookie and sign the
        // person out; the cookie is kept as it is instead, and the page's own
        // check (lib/auth/session.ts) still refuses to show anything it cannot
        // confirm.
        console.error('[auth] could not check the session against the database:', error);
        return token;
      }
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
