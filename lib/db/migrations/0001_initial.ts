import { type ColumnDefinitionBuilder, type Kysely, SqliteAdapter } from 'kysely';

// Berth's first schema: every table issue 12 needs, for SQLite and PostgreSQL.
// A migration, once released, never changes: later changes are new files.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the database as it is then, not as schema.ts says it is now
type AnyDb = Kysely<any>;

/** An auto-increment primary key: SQLite's rowid alias, PostgreSQL's identity column. */
function addId(db: AnyDb) {
  // Berth's adapter is marked (lib/db/connect.ts): the class may come from another bundle's copy of Kysely.
  const adapter = db.getExecutor().adapter;
  const sqlite = Symbol.for('berth.db.sqlite') in adapter || adapter instanceof SqliteAdapter;
  return [
    'id',
    sqlite ? 'integer' : 'bigint',
    // AUTOINCREMENT: SQLite never hands out an id again, even the newest one
    // after it was deleted, so "newest first" paging by id stays true.
    (col: ColumnDefinitionBuilder) => (sqlite ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity()),
  ] as const;
}

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('session_generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_sign_in_addresses')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_sign_in_addresses_pk', ['user_id', 'address'])
    .execute();

  await db.schema
    .createTable('sso_sign_outs')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sign_in_attempts')
    .addColumn(...addId(db))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_attempts_key_at').on('sign_in_attempts').columns(['scope', 'key', 'at']).execute();
  await db.schema.createIndex('sign_in_attempts_at').on('sign_in_attempts').column('at').execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('steps', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_message', 'text')
    .addColumn('last_error', 'text')
    .addColumn('instance', 'text')
    .execute();

  await db.schema
    .createTable('job_steps')
    .addColumn(...addId(db))
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('instance', 'text')
    .execute();
  await db.schema.createIndex('job_steps_job').on('job_steps').columns(['job_id', 'id']).execute();

  await db.schema
    .createTable('audit_events')
    .addColumn(...addId(db))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('role', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('region', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('client_address', 'text')
    .addColumn('instance', 'text')
    .addColumn('detail', 'text')
    .execute();
  // Each filter of the Audit page pages newest first by id within its filter.
  await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
  await db.schema.createIndex('audit_events_actor_id').on('audit_events').columns(['actor', 'id']).execute();
  await db.schema.createIndex('audit_events_action_id').on('audit_events').columns(['action', 'id']).execute();
  await db.schema.createIndex('audit_events_target_id').on('audit_events').columns(['target', 'id']).execute();

  await db.schema
    .createTable('berth_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['berth_meta', 'audit_events', 'job_steps', 'jobs', 'sign_in_attempts', 'sso_sign_outs', 'user_sign_in_addresses', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
