import { sql, type Kysely, SqliteAdapter } from 'kysely';

// A bucket's history is read as the bucket's ARN plus every target between
// "<arn>/" and "<arn>0" (its objects; lib/audit/query.ts), which needs targets
// compared byte by byte. SQLite compares text that way already. PostgreSQL
// uses the database's collation, and under a locale such as en_US.UTF-8 some
// (glibc before 2.28) ignore punctuation, so object entries would fall out
// of the range. The "C" collation compares bytes; the column's indexes are
// rebuilt with it, so the range still walks the (target, id) index.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the database as it is then
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const adapter = db.getExecutor().adapter;
  if (Symbol.for('berth.db.sqlite') in adapter || adapter instanceof SqliteAdapter) return;
  await sql`ALTER TABLE audit_events ALTER COLUMN target TYPE text COLLATE "C"`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  const adapter = db.getExecutor().adapter;
  if (Symbol.for('berth.db.sqlite') in adapter || adapter instanceof SqliteAdapter) return;
  await sql`ALTER TABLE audit_events ALTER COLUMN target TYPE text COLLATE "default"`.execute(db);
}
