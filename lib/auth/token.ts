import 'server-only';
import { decode, type JWT } from 'next-auth/jwt';
import { isRole, type Role } from './roles';
import { findUserForSession, ssoSessionEnded } from './users';

// Reading the session on the request path. Auth.js's auth() answers a page's
// question "who is this?" by running a whole Auth.js request: it builds a
// Request, initialises its configuration, makes a CSRF token (a SHA-256
// digest), decrypts the cookie, runs the callbacks, encrypts a fresh cookie
// (which a page cannot even set) and reads the answer back from a JSON
// Response. Measured here: 3.4 ms of CPU against 0.5 ms for the decryption
// alone, and it ran twice per page view (proxy and page). A page needs only
// the decryption and the same store check as the jwt callback below; the
// cookie's expiry is still renewed by Auth.js, in the proxy (proxy.ts).
// https://authjs.dev/reference/nextjs/jwt#decode

/** How long a session lasts without a request (Auth.js re-issues the cookie as it is used). */
export const SESSION_MAX_AGE_S = 8 * 60 * 60;

// Auth.js's cookie names: the __Secure- one when Berth is served over HTTPS.
// Each name is also the salt of its cookie's key.
// https://authjs.dev/reference/core#cookies
const SESSION_COOKIES = ['__Secure-authjs.session-token', 'authjs.session-token'];

interface Cookie {
  name: string;
  value: string;
}

/**
 * A cookie's value, put back together when Auth.js split it into `name.0`,
 * `name.1`… because it was too long for one cookie.
 */
function cookieValue(all: readonly Cookie[], name: string): string | undefined {
  const whole = all.find((c) => c.name === name)?.value;
  if (whole) return whole;
  const chunks = all
    .map((c) => ({ index: c.name.startsWith(`${name}.`) ? Number(c.name.slice(name.length + 1)) : NaN, value: c.value }))
    .filter((c) => Number.isInteger(c.index))
    .sort((a, b) => a.index - b.index);
  return chunks.length ? chunks.map((c) => c.value).join('') : undefined;
}

// The same cookie comes with every request of a person's page views, and its
// decryption (a key derivation, a SHA-256 thumbprint, AES and HMAC) gives the
// same payload each time; so each one is decrypted once per process, and only
// its expiry is looked at again. A ciphertext that does not decrypt is not
// kept, and the store check (sessionRole) is made on every request regardless.
const DECODED_MAX = 1_000;
const CLOCK_TOLERANCE_S = 15; // as Auth.js's decode allows
const decoded = new Map<string, JWT>();

function stillValid(payload: JWT): boolean {
  return typeof payload.exp !== 'number' || payload.exp + CLOCK_TOLERANCE_S > Date.now() / 1000;
}

function remember(key: string, payload: JWT) {
  if (decoded.size >= DECODED_MAX) decoded.delete(decoded.keys().next().value!);
  decoded.set(key, Object.freeze(payload));
}

/**
 * The session token in the request's cookies, decrypted and checked for
 * expiry by Auth.js's own decoder; null when there is none or it does not
 * decrypt. Says nothing yet about whether the session has since been ended:
 * that is sessionRole().
 */
export async function readSessionToken(all: readonly Cookie[]): Promise<JWT | null> {
  const secret = process.env.AUTH_SECRET ?? process.env.NEXTAUTH_SECRET;
  if (!secret) return null;
  for (const name of SESSION_COOKIES) {
    const token = cookieValue(all, name);
    if (!token) continue;
    const key = `${name}=${token}`;
    const known = decoded.get(key);
    if (known) return stillValid(known) ? known : null;
    let payload: JWT | null;
    try {
      payload = await decode({ token, secret, salt: name });
    } catch {
      return null;
    }
    if (payload) remember(key, payload);
    return payload;
  }
  return null;
}

/**
 * The role a session holds now, or null when it has ended: its person signed
 * out (anywhere), was removed, or got a new role or password. Checked on every
 * request, by the jwt callback and by the page's own check, against Berth's
 * database (lib/auth/users.ts), so a sign-out on one instance ends the session
 * on all of them at once.
 */
export async function sessionRole(token: JWT): Promise<Role | null> {
  if (token.provider === 'credentials' && token.email) {
    const current = await findUserForSession(token.email);
    if (!current || current.id !== token.uid || current.sessionGeneration !== token.gen) return null;
    return current.role;
  }
  if (token.provider === 'oidc' && token.email) {
    if (await ssoSessionEnded(token.email, typeof token.signedInAt === 'number' ? token.signedInAt : 0)) return null;
  }
  return isRole(token.role) ? token.role : 'viewer';
}
