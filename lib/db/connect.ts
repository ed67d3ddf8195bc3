import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

// Opening Berth's database, without reading the environment (lib/db/index.ts
// does that), so tests and scripts can open any number of them.

export type DialectName = 'sqlite' | 'postgres';

export type DatabaseConfig = { dialect: 'postgres'; url: string; maxConnections?: number } | { dialect: 'sqlite'; file: string };

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
}

/**
 * Marks Berth's SQLite adapter. Next.js bundles the proxy and the app apart,
 * each with its own copy of Kysely, while the one database per process is
 * shared through globalThis (lib/db/index.ts): so an instance made by one
 * copy is used by the other, and `instanceof SqliteAdapter` would answer for
 * the wrong copy. A registered symbol is the same in every copy.
 */
export const SQLITE_MARK = Symbol.for('berth.db.sqlite');

/** Which database a Kysely instance (or a transaction of one) talks to. */
export function dialectOf(db: Kysely<Database>): DialectName {
  const adapter = db.getExecutor().adapter;
  return SQLITE_MARK in adapter || adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

export function openDatabase(config: DatabaseConfig): OpenDatabase {
  const db = config.dialect === 'postgres' ? openPostgres(config.url, config.maxConnections) : openSqlite(config.file);
  return { db, dialect: config.dialect };
}

// PostgreSQL ----------------------------------------------------------------------

// int8 (bigint columns, count(*)) and numeric (sum() of bigints) come back from
// pg as strings by default, since they may exceed 2^53. Berth's are times in
// ms, ids and counts, all far below, so they are parsed to numbers, for this
// pool only (pg.types.setTypeParser would change every pool in the process).
// https://node-postgres.com/features/queries#types
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => (v === null ? null : Number(v));
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as typeof pg.types.getTypeParser,
};

function openPostgres(url: string, max = 10): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max, types: pgTypes, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 });
  // An idle connection that the server closes (a restart, a failover) emits
  // 'error' on the pool; without a listener that would end the process. The
  // pool drops that connection and opens a new one for the next query.
  pool.on('error', (error) => console.error('[db] an idle PostgreSQL connection failed:', error.message));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

// SQLite --------------------------------------------------------------------------

/**
 * Kysely's SQLite driver starts transactions with a plain BEGIN (deferred):
 * the write lock is only asked for at the first write, and a transaction that
 * read first and then finds another writer fails with SQLITE_BUSY instead of
 * waiting. BEGIN IMMEDIATE takes the write lock up front, so Berth's
 * read-check-write transactions (the last-admin guard, the migrations)
 * serialise across connections and processes sharing the file.
 * https://www.sqlite.org/lang_transaction.html
 *
 * Waiting for that lock: SQLite's busy_timeout would wait inside the
 * statement, and better-sqlite3 runs statements on the event loop, so the
 * whole server would stop while another process (npm run user:add, a second
 * instance on the same volume) holds the lock, and a second connection in the
 * same process (tests) could never get it. Instead a busy statement fails at
 * once (busy_timeout 0) and is tried again after a short timer. Retrying is
 * safe: a statement that got SQLITE_BUSY changed nothing, and inside a
 * BEGIN IMMEDIATE transaction writes no longer meet it.
 */
const BUSY_WAIT_MS = 15_000;

class RetryingConnection implements DatabaseConnection {
  constructor(private readonly inner: DatabaseConnection) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const until = Date.now() + BUSY_WAIT_MS;
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      try {
        return await this.inner.executeQuery<R>(query);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_BUSY_SNAPSHOT') || Date.now() > until) throw error;
        await new Promise((r) => setTimeout(r, pause + Math.random() * pause));
      }
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  private connection: RetryingConnection | undefined;

  override async acquireConnection(): Promise<DatabaseConnection> {
    // The driver has one connection (Kysely hands it to one user at a time).
    this.connection ??= new RetryingConnection(await super.acquireConnection());
    return this.connection;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * SQLite runs DDL inside transactions; Kysely's adapter says it does not, so
 * its migrator would run each migration bare and take no lock (it relies on
 * the one connection of one process). Saying it does makes the migrator run
 * them all in one BEGIN IMMEDIATE transaction, which is the lock across
 * processes too.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  readonly [SQLITE_MARK] = true;

  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class BerthSqliteDialect extends SqliteDialect {
  constructor(private readonly database: BetterSqlite3.Database) {
    super({ database });
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.database });
  }
  override createAdapter(): SqliteAdapter {
    return new TransactionalSqliteAdapter();
  }
}

function openSqlite(file: string): Kysely<Database> {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // The file holds password hashes: readable by Berth's user only, from its
  // first byte (SQLite gives its -wal and -shm files the same mode).
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  const database = new BetterSqlite3(file);
  // WAL lets readers (every request's session check) go on while a write
  // commits; NORMAL keeps every commit across a crash of the process.
  // https://www.sqlite.org/wal.html, https://www.sqlite.org/pragma.html#pragma_synchronous
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  // A busy database answers at once; RetryingConnection waits, off the event loop.
  database.pragma('busy_timeout = 0');
  return new Kysely<Database>({ dialect: new BerthSqliteDialect(database) });
}
