import 'server-only';
import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import { env } from '@/lib/env';
import { getDb, serialized, type Database } from '@/lib/db';
import type { UserRow } from '@/lib/db/schema';
import { checkPassword, hashPassword, isLegacyHash } from './password';
import { isRole, type Role } from './roles';
import { importUsersJson } from './users-json';

// Berth's own users, in Berth's database (lib/db): SQLite in the data folder,
// or the PostgreSQL that several instances share. Stores from before the
// database (users.json) are moved in on first use (./users-json.ts).
//
// Sessions are JWT cookies, so the store also holds what ends them early, for
// every instance to see on the next request: each account has a random id (a
// removed and re-added email is a new account, whose id no old cookie carries)
// and a session generation that sign-out, a role change and a password change
// increase. A cookie remembers both from its sign-in and is refused once
// either differs (lib/auth/token.ts).
//
// Changes that check other users first (the last-admin guard) run under one
// lock for the whole store (lib/db serialized()), so two admins editing at
// once, on one instance or two, never both pass a check the other's change
// breaks. Changes to one row only (sign-out, a hash upgrade) are conditional
// updates instead, which need no lock.

export interface User {
  /** Stable for the life of the account; a new one when the email is removed and added again. */
  id: string;
  email: string;
  name?: string;
  role: Role;
  sessionGeneration: number;
  createdAt: string;
  updatedAt: string;
}

/** Berth keeps at least one admin in its store; the refusal says so. */
export class LastAdminError extends Error {
  constructor() {
    super('Berth needs at least one admin. Make someone else an admin first.');
  }
}

const USERS_LOCK = 'users';

// Once per database per process: bring users.json in, then the bootstrap admin.
const prepared = new WeakMap<Kysely<Database>, Promise<void>>();

async function store(): Promise<Kysely<Database>> {
  const db = await getDb();
  let ready = prepared.get(db);
  if (!ready) {
    ready = (async () => {
      await importUsersJson(db, env().dataDir);
      await bootstrapAdmin(db);
    })();
    prepared.set(db, ready);
    ready.catch(() => prepared.delete(db));
  }
  await ready;
  return db;
}

/**
 * Brings the database up to date and the users in (users.json, the bootstrap
 * admin): at server start (instrumentation.ts), and otherwise at first use.
 */
export async function prepareUserStore(): Promise<void> {
  await store();
}

/**
 * A container starts with an empty database and no shell to run user:add in,
 * so BERTH_BOOTSTRAP_ADMIN_EMAIL and _PASSWORD create the first admin, once,
 * when there are no users yet. Later changes go through the Users page.
 */
async function bootstrapAdmin(db: Kysely<Database>): Promise<void> {
  const e = env();
  if (!e.BERTH_BOOTSTRAP_ADMIN_EMAIL || !e.BERTH_BOOTSTRAP_ADMIN_PASSWORD) return;
  if (await anyUsers(db)) return;
  const passwordHash = await hashPassword(e.BERTH_BOOTSTRAP_ADMIN_PASSWORD);
  await serialized(db, USERS_LOCK, async (trx) => {
    if (await anyUsers(trx)) return; // another instance was first
    const now = new Date().toISOString();
    await trx
      .insertInto('users')
      .values({ id: randomUUID(), email: e.BERTH_BOOTSTRAP_ADMIN_EMAIL!.toLowerCase(), name: null, role: 'admin', password_hash: passwordHash, session_generation: 0, created_at: now, updated_at: now })
      .execute();
  });
}

async function anyUsers(db: Kysely<Database>): Promise<boolean> {
  return Boolean(await db.selectFrom('users').select('id').limit(1).executeTakeFirst());
}

function publicUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name ?? undefined,
    role: isRole(row.role) ? row.role : 'viewer',
    sessionGeneration: row.session_generation,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function userRow(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function listUsers(): Promise<User[]> {
  const rows = await (await store()).selectFrom('users').selectAll().execute();
  return rows.map(publicUser).sort((a, b) => a.email.localeCompare(b.email));
}

export async function findUser(email: string): Promise<User | undefined> {
  const row = await userRow(await store(), email);
  return row && publicUser(row);
}

// The session check (lib/auth/token.ts) reads a person's row on every request,
// twice per page view (the proxy, then the page), and a burst of prefetches
// makes more: with PostgreSQL each is a network round trip. It shares one
// read per person for at most SESSION_READ_MS (concurrent callers wait on the
// same promise). This instance's own changes forget the entry at once; a change
// made on another instance (a sign-out, a new role) counts here within that
// time at most.
const SESSION_READ_MS = 1000;
// On globalThis: Next builds the proxy and the app as two bundles with a copy
// of this module each, and a change made through one must be forgotten by both.
const sessionReads: Map<string, { at: number; user: Promise<User | undefined> }> = ((globalThis as { __berthSessionReads?: Map<string, { at: number; user: Promise<User | undefined> }> }).__berthSessionReads ??= new Map());

export function findUserForSession(email: string): Promise<User | undefined> {
  const key = email.toLowerCase();
  const now = Date.now();
  const kept = sessionReads.get(key);
  if (kept && now - kept.at < SESSION_READ_MS) return kept.user;
  const user = findUser(key);
  sessionReads.set(key, { at: now, user });
  // A failed read is not kept: the next request asks the database again.
  user.catch(() => sessionReads.delete(key));
  if (sessionReads.size > 10_000) for (const [k, v] of sessionReads) if (now - v.at >= SESSION_READ_MS) sessionReads.delete(k);
  return user;
}

function forgetSessionRead(email: string): void {
  sessionReads.delete(email.toLowerCase());
}

// Compared against when the email is unknown, so a miss costs as long as a hit
// and response time does not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;

/** The user when email and password match, otherwise undefined. */
export async function verifyPassword(email: string, password: string): Promise<User | undefined> {
  const db = await store();
  const row = await userRow(db, email);
  dummyHash ??= hash('berth-timing-equaliser');
  const ok = await checkPassword(row?.password_hash ?? (await dummyHash), password);
  if (!ok || !row) return undefined;
  if (isLegacyHash(row.password_hash)) await upgradeHash(db, row, password);
  return publicUser(row);
}

/**
 * Replaces a bcrypt hash by an Argon2id one of the same password, which the
 * sign-in just proved. Not a password change: sessions stay as they are. Only
 * if the hash is still the one checked: a password changed meanwhile stays.
 */
async function upgradeHash(db: Kysely<Database>, row: UserRow, password: string): Promise<void> {
  const fresh = await hashPassword(password);
  await db.updateTable('users').set({ password_hash: fresh }).where('id', '=', row.id).where('password_hash', '=', row.password_hash).execute();
}

export interface UpsertUser {
  email: string;
  role: Role;
  name?: string;
  /** Required for a new user; when absent on an existing one the password is kept. */
  password?: string;
}

export async function upsertUser(input: UpsertUser): Promise<{ user: User; created: boolean }> {
  const db = await store();
  // Hashed before the lock: it takes tens of milliseconds of a thread-pool thread.
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const email = input.email.toLowerCase();
  forgetSessionRead(email);
  const done = await serialized(db, USERS_LOCK, async (trx) => {
    const now = new Date().toISOString();
    const prev = await userRow(trx, email);
    if (!prev) {
      if (!passwordHash) throw new Error('A new user needs a password.');
      const row: UserRow = {
        id: randomUUID(),
        email,
        name: input.name ?? null,
        role: input.role,
        password_hash: passwordHash,
        session_generation: 0,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('users').values(row).execute();
      return { user: publicUser(row), created: true };
    }
    if (prev.role === 'admin' && input.role !== 'admin' && !(await otherAdmin(trx, prev.id))) throw new LastAdminError();
    // A new role or password ends the sessions made under the old one.
    const endsSessions = input.role !== prev.role || passwordHash !== undefined;
    const row: UserRow = {
      ...prev,
      name: input.name ?? prev.name,
      role: input.role,
      password_hash: passwordHash ?? prev.password_hash,
      session_generation: prev.session_generation + (endsSessions ? 1 : 0),
      updated_at: now,
    };
    // The generation goes up in SQL, not from the value read above: endSessions
    // (a sign-out) bumps it without this lock, and neither bump may be lost.
    await trx
      .updateTable('users')
      .set((eb) => ({
        name: row.name,
        role: row.role,
        password_hash: row.password_hash,
        session_generation: eb('session_generation', '+', endsSessions ? 1 : 0),
        updated_at: now,
      }))
      .where('id', '=', prev.id)
      .execute();
    const written = await userRow(trx, email);
    return { user: publicUser(written ?? row), created: false };
  });
  // Again after the write: a session check between the two may have kept the old row.
  forgetSessionRead(email);
  return done;
}

async function otherAdmin(db: Kysely<Database>, exceptId: string): Promise<boolean> {
  return Boolean(await db.selectFrom('users').select('id').where('role', '=', 'admin').where('id', '!=', exceptId).limit(1).executeTakeFirst());
}

export async function removeUser(email: string): Promise<boolean> {
  const db = await store();
  forgetSessionRead(email);
  const removed = await serialized(db, USERS_LOCK, async (trx) => {
    const gone = await userRow(trx, email);
    if (!gone) return false;
    if (gone.role === 'admin' && !(await otherAdmin(trx, gone.id))) throw new LastAdminError();
    await trx.deleteFrom('users').where('id', '=', gone.id).execute();
    return true;
  });
  forgetSessionRead(email);
  return removed;
}

/**
 * Ends every session of a password user (sign-out ends them on all devices).
 * Only a cookie of the current generation may do it, so a stale cookie cannot
 * be replayed to sign its owner out again and again.
 */
export async function endSessions(email: string, session: { id: string; generation: number }): Promise<void> {
  forgetSessionRead(email);
  await (await store())
    .updateTable('users')
    .set({ session_generation: session.generation + 1 })
    .where('email', '=', email.toLowerCase())
    .where('id', '=', session.id)
    .where('session_generation', '=', session.generation)
    .execute();
  forgetSessionRead(email);
}

// Single sign-on sessions -------------------------------------------------------
// An OIDC user has no row in `users`; their role comes from the IdP at each
// sign-in. Signing out records the time, per email, and any of their sessions
// that began before it is refused. Entries older than the longest session are
// dropped, since such sessions have expired anyway.

export async function endSsoSessions(email: string, at: number, maxAgeMs: number): Promise<void> {
  const db = await store();
  await db
    .insertInto('sso_sign_outs')
    .values({ email: email.toLowerCase(), at })
    .onConflict((oc) => oc.column('email').doUpdateSet((eb) => ({ at: eb.ref('excluded.at') })))
    .execute();
  await db.deleteFrom('sso_sign_outs').where('at', '<=', at - maxAgeMs).execute();
}

export async function ssoSessionEnded(email: string, signedInAt: number): Promise<boolean> {
  const row = await (await store()).selectFrom('sso_sign_outs').select('at').where('email', '=', email.toLowerCase()).executeTakeFirst();
  return row !== undefined && signedInAt <= row.at;
}

// Addresses an account signs in from ---------------------------------------------

const REMEMBERED_ADDRESSES = 10;

export async function signsInFrom(email: string, address: string): Promise<boolean> {
  const row = await (await store())
    .selectFrom('user_sign_in_addresses')
    .innerJoin('users', 'users.id', 'user_sign_in_addresses.user_id')
    .select('user_sign_in_addresses.address')
    .where('users.email', '=', email.toLowerCase())
    .where('user_sign_in_addresses.address', '=', address)
    .executeTakeFirst();
  return Boolean(row);
}

export async function rememberSignInAddress(email: string, address: string): Promise<void> {
  const db = await store();
  await db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst();
    if (!user) return;
    // Newest last by `at`; never equal to another's, so "the last ten" is one set.
    const newest = await trx.selectFrom('user_sign_in_addresses').select((eb) => eb.fn.max('at').as('at')).where('user_id', '=', user.id).executeTakeFirst();
    const at = Math.max(Date.now(), Number(newest?.at ?? 0) + 1);
    await trx
      .insertInto('user_sign_in_addresses')
      .values({ user_id: user.id, address, at })
      .onConflict((oc) => oc.columns(['user_id', 'address']).doUpdateSet({ at }))
      .execute();
    const keep = trx.selectFrom('user_sign_in_addresses').select('address').where('user_id', '=', user.id).orderBy('at', 'desc').limit(REMEMBERED_ADDRESSES);
    await trx.deleteFrom('user_sign_in_addresses').where('user_id', '=', user.id).where('address', 'not in', keep).execute();
  });
}
