import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { cache } from 'react';
import { ROLE_SESSION_NAME, satisfies, SOURCE_IDENTITY } from '@/lib/validation/sts';

// On whose behalf an AWS call is made. It matters only when Berth calls AWS
// through a role (BERTH_ASSUME_ROLE_ARN): then each person's calls go through a
// role session of their own, whose SourceIdentity names them, so CloudTrail says
// who did it rather than "Berth" (lib/aws/clients.ts, lib/aws/role-sessions.ts).
//
// - Server actions and route handlers run their handler inside asPerson()
//   (lib/auth/action.ts, lib/auth/route.ts): everything they cause, including
//   work they start and leave running, is the person's.
// - Pages have no such wrapper; currentUser() notes the person for the rest of
//   the request (React's per-request cache), so a page's own reads after its
//   role check are the person's too.
// - Reads that feed the cache shared by every viewer (lib/aws/read-cache.ts)
//   run inside asBerth(): an answer one person's session fetched is served to
//   others, so it is fetched as Berth, not as whoever happened to ask first.
// - Anything else (no request, or before the session is read) is Berth's own.

interface Scope {
  /** The signed-in person's email, or null for Berth itself. */
  person: string | null;
}

// One store per process, even when Next.js bundles this module into several
// server chunks: an action's chunk and the clients' chunk must see one scope.
const KEY = Symbol.for('berth.awsCaller');
type WithScope = typeof globalThis & { [KEY]?: AsyncLocalStorage<Scope> };
const scopes = ((globalThis as WithScope)[KEY] ??= new AsyncLocalStorage<Scope>());

/** Runs `fn` (and everything it starts) as this person's AWS calls. */
export function asPerson<T>(email: string, fn: () => T): T {
  return scopes.run({ person: email }, fn);
}

/** Runs `fn` as Berth's own calls, whoever the request is for. */
export function asBerth<T>(fn: () => T): T {
  return scopes.run({ person: null }, fn);
}

// Outside React's rendering (route handlers, tests) `cache` does not cache:
// every call makes a new box, so nothing noted here outlives its request.
const requestPerson = cache((): { email?: string } => ({}));

/** Notes the person a page request is for (called by currentUser()). */
export function notePerson(email: string): void {
  requestPerson().email = email;
}

/** The person the current AWS call is for, or null when it is Berth's own. */
export function currentPerson(): string | null {
  const scope = scopes.getStore();
  if (scope) return scope.person;
  return requestPerson().email ?? null;
}

/** SourceIdentity and RoleSessionName of Berth's own role session (no person behind it). */
export const BERTH_SOURCE_IDENTITY = 'berth';

/**
 * A person's email as a SourceIdentity or RoleSessionName: both take 2 to 64
 * characters out of letters, digits and `_+=,.@-`
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
 * An address that fits is used as it is, so CloudTrail shows the address
 * itself. Any other value keeps its allowed characters (each other character
 * becomes `_`), is cut to 55 characters, and ends in `=` and eight hex digits of
 * the SHA-256 of the whole value: the same person always gets the same name,
 * and two people do not share one (nor does anyone share Berth's `berth`).
 */
export function awsNameFor(value: string, rule = SOURCE_IDENTITY): string {
  // "berth" is Berth's own session: a person so named (an email has an @, so this is rare) is told apart.
  if (value !== BERTH_SOURCE_IDENTITY && satisfies(rule, value)) return value;
  const max = rule.max ?? 64;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
  const kept = Array.from(value, (c) => (/^[\w+=,.@-]$/.test(c) ? c : '_')).join('');
  return `${kept.slice(0, max - hash.length - 1)}=${hash}`;
}

/** What AssumeRole is told about the caller: SourceIdentity and RoleSessionName. */
export function sessionNamesFor(person: string | null): { sourceIdentity: string; roleSessionName: string } {
  if (person === null) return { sourceIdentity: BERTH_SOURCE_IDENTITY, roleSessionName: BERTH_SOURCE_IDENTITY };
  return { sourceIdentity: awsNameFor(person, SOURCE_IDENTITY), roleSessionName: awsNameFor(person, ROLE_SESSION_NAME) };
}
