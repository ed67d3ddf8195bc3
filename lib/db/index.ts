import 'server-only';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import { env } from '@/lib/env';
import { dialectOf, openDatabase, type DatabaseConfig } from './connect';
import { migrateToLatest } from './migrate';
import type { Database } from './schema';

// Berth's own state (users, session revocation, sign-in limits, guided jobs,
// the audit trail) in one database: SQLite in the data folder by default,
// PostgreSQL when DATABASE_URL is set, which is what several instances behind
// one load balancer share.

export type { Database } from './schema';
export { dialectOf, type DialectName } from './connect';

export const SQLITE_FILE = 'berth.db';

/** Where Berth's database is, from the environment. */
export function databaseConfig(): DatabaseConfig {
  const e = env();
  return e.DATABASE_URL ? { dialect: 'postgres', url: e.DATABASE_URL } : { dialect: 'sqlite', file: path.join(e.dataDir, SQLITE_FILE) };
}

/** Where the database is, for people: the SQLite file, or the PostgreSQL server and database without the password. */
export function describeDatabase(config = databaseConfig()): string {
  if (config.dialect === 'sqlite') return config.file;
  const u = new URL(config.url);
  return `PostgreSQL ${u.hostname || u.searchParams.get('host') || 'localhost'}${u.port ? `:${u.port}` : ''}${u.pathname !== '/' ? u.pathname : ''}`;
}

// One pool (PostgreSQL) or connection (SQLite) per process. Kept on globalThis
// so the modules Next.js reloads in development reuse it; keyed by the
// configuration, so a test that points the environment elsewhere gets a new one.
interface Holder {
  key: string;
  ready: Promise<Kysely<Database>>;
  db: Kysely<Database>;
}
const g = globalThis as unknown as { berthDb?: Holder };

/**
 * Berth's database, migrated to the latest schema on first use in this
 * process. A failed migration (the database unreachable) is tried again by the
 * next call.
 */
export function getDb(): Promise<Kysely<Database>> {
  const config = databaseConfig();
  const key = JSON.stringify(config);
  const held = g.berthDb;
  if (held?.key === key) return held.ready;
  if (held) void held.db.destroy().catch(() => undefined);
  const { db } = openDatabase(config);
  const holder: Holder = {
    key,
    db,
    ready: migrateToLatest(db).then(
      () => db,
      async (error: unknown) => {
        if (g.berthDb === holder) g.berthDb = undefined;
        await db.destroy().catch(() => undefined);
        throw error;
      },
    ),
  };
  g.berthDb = holder;
  return holder.ready;
}

/** Closes this process's database (scripts before they exit, tests after each). */
export async function closeDb(): Promise<void> {
  const held = g.berthDb;
  g.berthDb = undefined;
  if (held) await held.db.destroy();
}

/** This instance's name in shared records: BERTH_INSTANCE_ID, or hostname:pid. */
export function instanceId(): string {
  return env().BERTH_INSTANCE_ID ?? `${os.hostname()}:${process.pid}`;
}

/**
 * Runs `fn` in a transaction that no other writer of the same `lock` (in any
 * instance) runs alongside: read-check-write steps such as "is there another
 * admin?" then see a state nobody changes before they commit.
 * PostgreSQL: a transaction-level advisory lock on the name's hash, released
 * at commit or rollback (https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS).
 * SQLite: the transaction itself starts with BEGIN IMMEDIATE (lib/db/connect.ts),
 * which already holds the one write lock.
 */
export async function serialized<T>(db: Kysely<Database>, lock: string, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (dialectOf(db) === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended(${`berth:${lock}`}, 0))`.execute(trx);
    return fn(trx);
  });
}
