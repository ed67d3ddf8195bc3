import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export const DB_FILE = 'emulator.sqlite';

/**
 * Opens (creating if needed) the emulator's one database, in WAL mode with
 * synchronous=NORMAL.
 *
 * NORMAL keeps every acknowledged write across the process dying (kill -9, a
 * crash), which is what the emulator promises: a commit appends its frames to
 * the -wal file with write() before the statement returns, so by the time a
 * response goes out the commit sits in the kernel's page cache, which outlives
 * the process, and the next open replays it. What NORMAL leaves out is the
 * fsync of the WAL at each commit; that only matters if the machine itself
 * loses power or the kernel crashes, and taken on the event loop it was most
 * of a PutObject's time. SQLite's documentation says the same: WAL with NORMAL
 * stays consistent always and durable across application crashes, and may
 * roll back the last commits only after a power loss or OS crash
 * (https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
export function openDatabase(dataDir: string): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DB_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Another process (a test inspecting the file) may hold a lock briefly.
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  reusePreparedStatements(db);
  return db;
}

/** More distinct SQL texts than this (queries built with varying IN lists) start the cache afresh. */
const MAX_CACHED_STATEMENTS = 1000;

/**
 * Makes `db.prepare(sql)` hand back the statement it compiled for the same
 * text before. Handlers call prepare inside each request, and compiling was a
 * measurable share of a request (a fifth of a millisecond for S3's bucket
 * lookup, twice per PutObject). A cached statement is reused only when it is
 * not in the middle of an iterate() (better-sqlite3 refuses to run a busy
 * statement; a nested use of the same text gets a fresh one), and its output
 * modes are reset, so a caller that asked for pluck() or raw() does not change
 * what the next caller gets. Parameters are bound per call, never kept.
 */
function reusePreparedStatements(db: Database.Database): void {
  const compile = db.prepare.bind(db);
  const statements = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    const known = statements.get(sql);
    if (known && !known.busy) {
      if (known.reader) known.raw(false).pluck(false).expand(false);
      return known;
    }
    const fresh = compile(sql);
    if (!known) {
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      statements.set(sql, fresh);
    }
    return fresh;
  }) as typeof db.prepare;
}

export function getMeta(db: Database.Database, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Database.Database, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}

/**
 * Applies a service's schema steps that this database has not seen yet.
 * Steps are append-only: later work adds a step, never edits an old one, so
 * an existing data folder upgrades in place. The version lives in `meta`.
 */
export function applyMigrations(db: Database.Database, scope: string, steps: readonly string[]): void {
  const key = `schema:${scope}`;
  const run = db.transaction(() => {
    const current = Number(getMeta(db, key) ?? '0');
    for (let i = current; i < steps.length; i++) {
      db.exec(steps[i] ?? '');
    }
    if (steps.length > current) setMeta(db, key, String(steps.length));
  });
  run.immediate();
}
