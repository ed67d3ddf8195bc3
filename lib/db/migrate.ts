import type { Kysely } from 'kysely';
import { Migrator, type MigrationResult } from 'kysely/migration';
import { migrations } from './migrations';
import type { Database } from './schema';

// Kysely's migrator, and what makes it safe when several Berth instances start
// at once against one database:
// - PostgreSQL: it takes a session advisory lock (pg_advisory_lock) on one
//   connection and runs the pending migrations in one transaction; a second
//   instance waits at the lock, then finds nothing left to do. Its own
//   bookkeeping tables are created before the lock, and a lost race there
//   (both creating) is caught and checked again.
// - SQLite: its lock is a no-op (one connection per process); lib/db/connect.ts
//   makes it run the migrations in one BEGIN IMMEDIATE transaction, which is
//   SQLite's write lock across processes.
// https://kysely.dev/docs/migrations

export class MigrationFailed extends Error {}

// Distinct names, so Berth's bookkeeping cannot collide with another
// application's Kysely migrations in a shared PostgreSQL schema.
export const MIGRATION_TABLE = 'berth_migrations';
export const MIGRATION_LOCK_TABLE = 'berth_migrations_lock';

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new MigrationFailed(
      `Berth could not bring its database up to date${failed ? ` (migration ${failed})` : ''}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return results ?? [];
}
