import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, vi } from 'vitest';
import { openDatabase, type DatabaseConfig, type DialectName } from '../connect';
import { migrateToLatest } from '../migrate';
import type { Database } from '../schema';
import { startPostgres, type PostgresServer } from './postgres';

// Runs one block of tests twice: against SQLite and against a real PostgreSQL.
//
//   describeEachDialect('user store', (t) => {
//     it('…', async () => {
//       const db = await t.open();            // a migrated database with no rows
//       await t.useInEnv();                   // or: point getDb() at one
//       await t.freshConfig();                // or: a new, empty (unmigrated) one
//     });
//   });
//
// The PostgreSQL server starts once per test file (about a second); open() and
// useInEnv() give each test the block's database emptied, freshConfig() a new
// database, so tests never see each other's rows.

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

let server: Promise<PostgresServer> | undefined;
let users = 0;

async function acquireServer(): Promise<PostgresServer> {
  users++;
  server ??= startPostgres();
  return server;
}

async function releaseServer(): Promise<void> {
  if (--users > 0 || !server) return;
  const s = server;
  server = undefined;
  await (await s).stop();
}

export class DialectTest {
  private readonly opened: Kysely<Database>[] = [];
  private readonly dirs: string[] = [];
  private pg: PostgresServer | undefined;

  constructor(readonly dialect: DialectName) {}

  /** Started by describeEachDialect before the block's tests. */
  async start(): Promise<void> {
    if (this.dialect === 'postgres') this.pg = await acquireServer();
  }

  /** The PostgreSQL server's maintenance URL (postgres only). */
  get serverUrl(): string {
    if (!this.pg) throw new Error('No PostgreSQL server in a SQLite test');
    return this.pg.url;
  }

  /** A temporary folder, removed after the test. */
  tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-db-test-'));
    this.dirs.push(dir);
    return dir;
  }

  /** Where a new empty database is: a file in a new folder, or a new PostgreSQL database. */
  async freshConfig(dataDir = this.tempDir()): Promise<DatabaseConfig> {
    if (this.dialect === 'sqlite') return { dialect: 'sqlite', file: path.join(dataDir, 'berth.db') };
    return { dialect: 'postgres', url: await this.pg!.createDatabase() };
  }

  /** Another connection (pool) to the same database, as a second Berth instance would have. */
  connect(config: DatabaseConfig): Kysely<Database> {
    const { db } = openDatabase(config);
    this.opened.push(db);
    return db;
  }

  /**
   * A migrated database with no rows; closed after the test. SQLite: a new
   * file. PostgreSQL: one database per block, emptied for each test (making a
   * database and migrating it takes a second or two on a busy machine;
   * emptying takes milliseconds).
   */
  async open(): Promise<Kysely<Database>> {
    return this.connect(await this.migratedConfig());
  }

  private shared: { config: DatabaseConfig; db: Kysely<Database> } | undefined;

  private async migratedConfig(dataDir?: string): Promise<DatabaseConfig> {
    if (this.dialect === 'sqlite') {
      const config = await this.freshConfig(dataDir);
      const { db } = openDatabase(config);
      await migrateToLatest(db);
      await db.destroy();
      return config;
    }
    if (!this.shared) {
      const config = await this.freshConfig();
      const { db } = openDatabase(config);
      await migrateToLatest(db);
      this.shared = { config, db };
    } else {
      // Every table but the migrator's own record of what it applied.
      const tables = (await this.shared.db.introspection.getTables()).filter((t) => !t.name.startsWith('berth_migrations')).map((t) => `"${t.name}"`);
      await sql.raw(`truncate table ${tables.join(', ')} restart identity cascade`).execute(this.shared.db);
    }
    return this.shared.config;
  }

  /**
   * Points Berth's environment (BERTH_DATA_DIR, DATABASE_URL) at a fresh data
   * folder and database, for code that calls getDb(). Reload the modules under
   * test afterwards (vi.resetModules) so env() reads it again.
   */
  async useInEnv(): Promise<{ dataDir: string; config: DatabaseConfig }> {
    const dataDir = this.tempDir();
    const config = await this.migratedConfig(dataDir);
    vi.stubEnv('BERTH_DATA_DIR', dataDir);
    vi.stubEnv('DATABASE_URL', config.dialect === 'postgres' ? config.url : '');
    return { dataDir, config };
  }

  /** Closes what the test opened and removes its folders. */
  async cleanUp(): Promise<void> {
    const g = globalThis as unknown as { berthDb?: { db: Kysely<Database> } };
    if (g.berthDb) {
      const held = g.berthDb;
      g.berthDb = undefined;
      await held.db.destroy().catch(() => undefined);
    }
    await Promise.all(this.opened.splice(0).map((db) => db.destroy().catch(() => undefined)));
    for (const dir of this.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    vi.unstubAllEnvs();
  }

  async finish(): Promise<void> {
    await this.shared?.db.destroy();
    this.shared = undefined;
    if (this.pg) {
      this.pg = undefined;
      await releaseServer();
    }
  }
}

/** Declares the block's tests once per dialect: `title (sqlite)` and `title (postgres)`. */
export function describeEachDialect(title: string, body: (t: DialectTest) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${title} (${dialect})`, () => {
      const t = new DialectTest(dialect);
      beforeAll(() => t.start());
      afterEach(() => t.cleanUp());
      afterAll(() => t.finish());
      body(t);
    });
  }
}
