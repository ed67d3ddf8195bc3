import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { z } from 'zod';
import { env } from '@/lib/env';
import { isRole, type Role } from './roles';

// Berth's own user store: a small JSON file in the data folder. A team console
// has tens of users, so one file read (cached by mtime) beats a database here.
// Writes go to a temp file that is fsynced and renamed over the old one, so a
// crash leaves either the old or the new file, never half of one.

const BCRYPT_COST = 12;

const storedUser = z.object({
  email: z.string(),
  name: z.string().optional(),
  role: z.string().refine(isRole),
  passwordHash: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const storeFile = z.object({ version: z.literal(1), users: z.array(storedUser) });

export interface User {
  email: string;
  name?: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
}
type StoredUser = User & { passwordHash: string };

export function userStorePath(): string {
  return path.join(env().dataDir, 'users.json');
}

let cache: { file: string; mtimeMs: number; users: StoredUser[] } | undefined;

async function readAll(): Promise<StoredUser[]> {
  const file = userStorePath();
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    return bootstrapAdmin();
  }
  if (cache && cache.file === file && cache.mtimeMs === stat.mtimeMs) return cache.users;
  const parsed = storeFile.parse(JSON.parse(await fs.readFile(file, 'utf8')));
  const users = parsed.users as StoredUser[];
  cache = { file, mtimeMs: stat.mtimeMs, users };
  return users;
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
    email: e.BERTH_BOOTSTRAP_ADMIN_EMAIL.toLowerCase(),
    role: 'admin',
    passwordHash: await bcrypt.hash(e.BERTH_BOOTSTRAP_ADMIN_PASSWORD, BCRYPT_COST),
    createdAt: now,
    updatedAt: now,
  };
  await writeAll([admin]);
  return [admin];
}

async function writeAll(users: StoredUser[]): Promise<void> {
  const file = userStorePath();
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const handle = await fs.open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify({ version: 1, users }, null, 2));
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

function publicUser(stored: StoredUser): User {
  const { passwordHash, ...u } = stored;
  void passwordHash;
  return u;
}

export async function listUsers(): Promise<User[]> {
  return (await readAll()).map(publicUser).sort((a, b) => a.email.localeCompare(b.email));
}

export async function findUser(email: string): Promise<User | undefined> {
  const u = (await readAll()).find((x) => x.email === email.toLowerCase());
  return u && publicUser(u);
}

// Compared against when the email is unknown, so a miss costs as long as a hit
// and response time does not reveal which emails have accounts.
const DUMMY_HASH = bcrypt.hashSync('berth-timing-equaliser', BCRYPT_COST);

/** The user when email and password match, otherwise undefined. */
export async function verifyPassword(email: string, password: string): Promise<User | undefined> {
  const u = (await readAll()).find((x) => x.email === email.toLowerCase());
  const ok = await bcrypt.compare(password, u?.passwordHash ?? DUMMY_HASH);
  return ok && u ? publicUser(u) : undefined;
}

export interface UpsertUser {
  email: string;
  role: Role;
  name?: string;
  /** Required for a new user; when absent on an existing one the password is kept. */
  password?: string;
}

export async function upsertUser(input: UpsertUser): Promise<{ user: User; created: boolean }> {
  const passwordHash = input.password ? await bcrypt.hash(input.password, BCRYPT_COST) : undefined;
  return withWriteLock(async () => {
    const users = [...(await readAll())];
    const email = input.email.toLowerCase();
    const now = new Date().toISOString();
    const i = users.findIndex((u) => u.email === email);
    if (i === -1) {
      if (!passwordHash) throw new Error('A new user needs a password.');
      const user: StoredUser = { email, name: input.name, role: input.role, passwordHash, createdAt: now, updatedAt: now };
      users.push(user);
      await writeAll(users);
      return { user: publicUser(user), created: true };
    }
    const prev = users[i]!;
    const user: StoredUser = {
      ...prev,
      name: input.name ?? prev.name,
      role: input.role,
      passwordHash: passwordHash ?? prev.passwordHash,
      updatedAt: now,
    };
    users[i] = user;
    await writeAll(users);
    return { user: publicUser(user), created: false };
  });
}

export async function removeUser(email: string): Promise<boolean> {
  return withWriteLock(async () => {
    const users = await readAll();
    const rest = users.filter((u) => u.email !== email.toLowerCase());
    if (rest.length === users.length) return false;
    await writeAll(rest);
    return true;
  });
}
