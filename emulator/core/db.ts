import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export const DB_FILE = 'emulator.sqlite';

/**
 * Opens (creating if needed) the emulator's one database. WAL plus
 * synchronous=FULL means a committed transaction is on disk before the
 * response goes out, so a `kill -9` loses at most requests still in flight.
 */
export function openDatabase(dataDir: string): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DB_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Another process (a test inspecting the file) may hold a lock briefly.
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  return db;
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
