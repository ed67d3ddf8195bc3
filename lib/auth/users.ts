import 'server-only';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import { z } from 'zod';
import { env } from '@/lib/env';
import { checkPassword, hashPassword, isLegacyHash } from './password';
import { isRole, type Role } from './roles';

// Berth's own user store: a small JSON file in the data folder. A team console
// has tens of users, so one file read (cached per file version) beats a
// database here. Writes go to a temp file that is fsynced and renamed over the
// old one, so a crash leaves either the old or the new file, never half of one.
//
// Sessions are JWT cookies, so the store also holds what ends them early, for
// every Berth instance sharing the data folder to see: each account has a
// random id (a removed and re-added email is a new account, whose id no old
// cookie carries) and a session generation that sign-out, a role change and a
// password change increase. A cookie remembers both from its sign-in and is
// refused once either differs (lib/auth/config.ts).

const storedUser = z.object({
  email: z.string(),
  name: z.string().optional(),
  role: z.string().refine(isRole),
  passwordHash: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  // Absent in stores written before sessions could be ended; see accountId().
  id: z.string().optional(),
  sessionGeneration: z.number().int().nonnegative().optional(),
  /** Addresses this account last signed in from, newest last (lib/auth/limits.ts). */
  signInAddresses: z.array(z.string()).optional(),
});
const storeFile = z.object({
  version: z.literal(1),
  users: z.array(storedUser),
  /** Single sign-on users are not in `users`: when each last signed out (ms since epoch). */
  ssoSignOuts: z.record(z.string(), z.number()).optional(),
});

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
type StoredUser = z.infer<typeof storedUser> & { role: Role };
interface Store {
  users: StoredUser[];
  ssoSignOuts: Record<string, number>;
}

/** Berth keeps at least one admin in its store; the refusal says so. */
export class LastAdminError extends Error {
  constructor() {
    super('Berth needs at least one admin. Make someone else an admin first.');
  }
}

export function userStorePath(): string {
  return path.join(env().dataDir, 'users.json');
}

// A rename gives the file a new inode, so (inode, mtime, size) changes with
// every write, also one by another instance within the same millisecond.
let cache: { file: string; version: string; store: Store } | undefined;

async function readStore(): Promise<Store> {
  const file = userStorePath();
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    return { users: await bootstrapAdmin(), ssoSignOuts: {} };
  }
  const version = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  if (cache && cache.file === file && cache.version === version) return cache.store;
  const parsed = storeFile.parse(JSON.parse(await fs.readFile(file, 'utf8')));
  const store: Store = { users: parsed.users as StoredUser[], ssoSignOuts: parsed.ssoSignOuts ?? {} };
  cache = { file, version, store };
  return store;
}

/**
 * A container starts with an empty data volume and no shell to run user:add in,
 * so BERTH_BOOTSTRAP_ADMIN_EMAIL and _PASSWORD create the first admin, once,
 * when there is no user store yet. Later changes go through the Users page.
 */
async function bootstrapAdmin(): Promise<StoredUser[]> {
  const e = env();
  if (!e.BERTH_BOOTSTRAP_ADMIN_EMAIL || !e.BERTH_BOOTSTRAP_ADMIN_PASSWORD) return [];
  const now = new Date().toISOString();
  const admin: StoredUser = {
    id: randomUUID(),
    email: e.BERTH_BOOTSTRAP_ADMIN_EMAIL.toLowerCase(),
    role: 'admin',
    passwordHash: await hashPassword(e.BERTH_BOOTSTRAP_ADMIN_PASSWORD),
    sessionGeneration: 0,
    createdAt: now,
    updatedAt: now,
  };
  await writeStore({ users: [admin], ssoSignOuts: {} });
  return [admin];
}

async function writeStore(store: Store): Promise<void> {
  const file = userStorePath();
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${Date.now()}.${randomUUID().slice(0, 8)}.tmp`;
  const handle = await fs.open(tmp, 'w', 0o600);
  try {
    const body = { version: 1, users: store.users, ...(Object.keys(store.ssoSignOuts).length ? { ssoSignOuts: store.ssoSignOuts } : {}) };
    await handle.writeFile(JSON.stringify(body, null, 2));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
  cache = undefined;
}

// Serialise writers inside one process; the rename keeps readers consistent.
let writeChain: Promise<unknown> = Promise.resolve();
function withWriteLock<T>(fn: () => Promise<T>): Promise<T> {
  const next = writeChain.then(fn, fn);
  writeChain = next.catch(() => undefined);
  return next;
}

/** Changes one user inside the write lock; `change` returns false to write nothing. */
async function updateUser(email: string, change: (u: StoredUser) => boolean): Promise<boolean> {
  return withWriteLock(async () => {
    const store = await readStore();
    const i = store.users.findIndex((u) => u.email === email.toLowerCase());
    if (i === -1) return false;
    const copy: StoredUser = { ...store.users[i]! };
    if (!change(copy)) return false;
    const users = [...store.users];
    users[i] = copy;
    await writeStore({ ...store, users });
    return true;
  });
}

/** Stores from before account ids: the creation time tells accounts of one email apart. */
function accountId(u: StoredUser): string {
  return u.id ?? `created:${u.createdAt}`;
}

function publicUser(stored: StoredUser): User {
  return {
    id: accountId(stored),
    email: stored.email,
    name: stored.name,
    role: stored.role,
    sessionGeneration: stored.sessionGeneration ?? 0,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

export async function listUsers(): Promise<User[]> {
  return (await readStore()).users.map(publicUser).sort((a, b) => a.email.localeCompare(b.email));
}

export async function findUser(email: string): Promise<User | undefined> {
  const u = (await readStore()).users.find((x) => x.email === email.toLowerCase());
  return u && publicUser(u);
}

// Compared against when the email is unknown, so a miss costs as long as a hit
// and response time does not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;

/** The user when email and password match, otherwise undefined. */
export async function verifyPassword(email: string, password: string): Promise<User | undefined> {
  const u = (await readStore()).users.find((x) => x.email === email.toLowerCase());
  dummyHash ??= hash('berth-timing-equaliser');
  const ok = await checkPassword(u?.passwordHash ?? (await dummyHash), password);
  if (!ok || !u) return undefined;
  if (isLegacyHash(u.passwordHash)) await upgradeHash(u.email, u.passwordHash, password);
  return publicUser(u);
}

/**
 * Replaces a bcrypt hash by an Argon2id one of the same password, which the
 * sign-in just proved. Not a password change: sessions stay as they are.
 */
async function upgradeHash(email: string, legacy: string, password: string): Promise<void> {
  const fresh = await hashPassword(password);
  await updateUser(email, (u) => {
    if (u.passwordHash !== legacy) return false; // changed meanwhile: keep the newer one
    u.passwordHash = fresh;
    return true;
  });
}

export interface UpsertUser {
  email: string;
  role: Role;
  name?: string;
  /** Required for a new user; when absent on an existing one the password is kept. */
  password?: string;
}

export async function upsertUser(input: UpsertUser): Promise<{ user: User; created: boolean }> {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return withWriteLock(async () => {
    const store = await readStore();
    const users = [...store.users];
    const email = input.email.toLowerCase();
    const now = new Date().toISOString();
    const i = users.findIndex((u) => u.email === email);
    if (i === -1) {
      if (!passwordHash) throw new Error('A new user needs a password.');
      const user: StoredUser = {
        id: randomUUID(),
        email,
        name: input.name,
        role: input.role,
        passwordHash,
        sessionGeneration: 0,
        createdAt: now,
        updatedAt: now,
      };
      users.push(user);
      await writeStore({ ...store, users });
      return { user: publicUser(user), created: true };
    }
    const prev = users[i]!;
    if (prev.role === 'admin' && input.role !== 'admin' && !users.some((u) => u !== prev && u.role === 'admin')) {
      throw new LastAdminError();
    }
    // A new role or password ends the sessions made under the old one.
    const endsSessions = input.role !== prev.role || passwordHash !== undefined;
    const user: StoredUser = {
      ...prev,
      name: input.name ?? prev.name,
      role: input.role,
      passwordHash: passwordHash ?? prev.passwordHash,
      sessionGeneration: (prev.sessionGeneration ?? 0) + (endsSessions ? 1 : 0),
      updatedAt: now,
    };
    users[i] = user;
    await writeStore({ ...store, users });
    return { user: publicUser(user), created: false };
  });
}

export async function removeUser(email: string): Promise<boolean> {
  return withWriteLock(async () => {
    const store = await readStore();
    const gone = store.users.find((u) => u.email === email.toLowerCase());
    if (!gone) return false;
    const rest = store.users.filter((u) => u !== gone);
    if (gone.role === 'admin' && !rest.some((u) => u.role === 'admin')) throw new LastAdminError();
    await writeStore({ ...store, users: rest });
    return true;
  });
}

/**
 * Ends every session of a password user (sign-out ends them on all devices).
 * Only a cookie of the current generation may do it, so a stale cookie cannot
 * be replayed to sign its owner out again and again.
 */
export async function endSessions(email: string, session: { id: string; generation: number }): Promise<void> {
  await updateUser(email, (u) => {
    if (accountId(u) !== session.id || (u.sessionGeneration ?? 0) !== session.generation) return false;
    u.sessionGeneration = session.generation + 1;
    return true;
  });
}

// Single sign-on sessions -------------------------------------------------------
// An OIDC user has no entry in `users`; their role comes from the IdP at each
// sign-in. Signing out records the time, per email, and any of their sessions
// that began before it is refused. Entries older than the longest session are
// dropped, since such sessions have expired anyway.

export async function endSsoSessions(email: string, at: number, maxAgeMs: number): Promise<void> {
  await withWriteLock(async () => {
    const store = await readStore();
    const ssoSignOuts: Record<string, number> = {};
    for (const [k, v] of Object.entries(store.ssoSignOuts)) if (v > at - maxAgeMs) ssoSignOuts[k] = v;
    ssoSignOuts[email.toLowerCase()] = at;
    await writeStore({ ...store, ssoSignOuts });
  });
}

export async function ssoSessionEnded(email: string, signedInAt: number): Promise<boolean> {
  const at = (await readStore()).ssoSignOuts[email.toLowerCase()];
  return at !== undefined && signedInAt <= at;
}

// Addresses an account signs in from ---------------------------------------------

const REMEMBERED_ADDRESSES = 10;

export async function signsInFrom(email: string, address: string): Promise<boolean> {
  const u = (await readStore()).users.find((x) => x.email === email.toLowerCase());
  return Boolean(u?.signInAddresses?.includes(address));
}

export async function rememberSignInAddress(email: string, address: string): Promise<void> {
  await updateUser(email, (u) => {
    const list = u.signInAddresses ?? [];
    if (list.at(-1) === address) return false;
    u.signInAddresses = [...list.filter((a) => a !== address), address].slice(-REMEMBERED_ADDRESSES);
    return true;
  });
}
