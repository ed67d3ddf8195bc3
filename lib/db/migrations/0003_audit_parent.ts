import { sql, type Kysely, SqliteAdapter } from 'kysely';

// A bucket's history (lib/audit/query.ts) was read as "the bucket's ARN, or a
// target between '<arn>/' and '<arn>0'": two ranges of the (target, id)
// index, which no index returns in id order together, so the page had to
// gather and sort every entry of the bucket and its objects first. On a
// bucket with hundreds of thousands of audited downloads, every Activity tab
// paid for that sort. `parent` names the resource page an entry belongs to
// (for an object, its bucket's ARN; for anything else, its own target), so a
// bucket's history is one equality, walked backwards on (parent, id) from the
// cursor like every other filter. The audit writer sets it from now on; the
// rows already there are filled in here, in the same transaction.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the database as it is then
type AnyDb = Kysely<any>;

function isSqlite(db: AnyDb): boolean {
  const adapter = db.getExecutor().adapter;
  return Symbol.for('berth.db.sqlite') in adapter || adapter instanceof SqliteAdapter;
}

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('parent', 'text').execute();
  // An S3 object's ARN is its bucket's, a slash, and the key; bucket names
  // and partitions have no slash, so the bucket's ARN ends at the first one.
  // (Kept in step with auditParent in lib/audit/resources.ts.)
  const bucketOfObject = isSqlite(db) ? sql`substr(target, 1, instr(target, '/') - 1)` : sql`substr(target, 1, strpos(target, '/') - 1)`;
  await sql`UPDATE audit_events
    SET parent = CASE WHEN target LIKE 'arn:%:s3:::%/%' THEN ${bucketOfObject} ELSE target END
    WHERE target IS NOT NULL`.execute(db);
  await db.schema.createIndex('audit_events_parent_id').on('audit_events').columns(['parent', 'id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('audit_events_parent_id').execute();
  await db.schema.alterTable('audit_events').dropColumn('parent').execute();
}
