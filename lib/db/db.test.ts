import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it, vi } from 'vitest';
import { dialectOf } from './connect';
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE, migrateToLatest } from './migrate';
import { migrations } from './migrations';
import type { Database } from './schema';
import { describeEachDialect } from './test-support/dialects';

const execFileAsync = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

const TABLES = ['audit_events', 'berth_meta', 'job_steps', 'jobs', 'sign_in_attempts', 'sso_sign_outs', 'user_sign_in_addresses', 'users'];

describeEachDialect('Berth database', (t) => {
  it('creates every table, and migrating again changes nothing', async () => {
    const db = await t.open();
    expect(dialectOf(db)).toBe(t.dialect);
    const tables = (await db.introspection.getTables()).map((x) => x.name).sort();
    // Kysely's migrator keeps its own two tables beside Berth's.
    expect(tables).toEqual([...TABLES, 'berth_migrations', 'berth_migrations_lock'].sort());
    expect(await migrateToLatest(db)).toEqual([]);
    const applied = await sql<{ name: string }>`select name from berth_migrations order by name`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
  });

  it('two instances migrating one fresh database at once both succeed, and it is migrated once', async () => {
    const config = await t.freshConfig();
    const a = t.connect(config);
    const b = t.connect(config);
    const results = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
    // Exactly one of them applied the migrations; the other found them done.
    expect(results.map((r) => r.length).sort()).toEqual([0, Object.keys(migrations).length]);
    const applied = await sql<{ n: number }>`select count(*) as n from berth_migrations`.execute(a);
    expect(Number(applied.rows[0]!.n)).toBe(Object.keys(migrations).length);
    // And both can use it.
    await a.insertInto('berth_meta').values({ key: 'k', value: 'v' }).execute();
    expect(await b.selectFrom('berth_meta').select('value').where('key', '=', 'k').executeTakeFirst()).toEqual({ value: 'v' });
  });

  it('npm run db:migrate run twice at once, as two processes, applies each migration once', async () => {
    const dataDir = t.tempDir();
    const config = await t.freshConfig(dataDir);
    const env = { ...process.env, BERTH_DATA_DIR: dataDir, DATABASE_URL: config.dialect === 'postgres' ? config.url : '' };
    const run = () => execFileAsync(process.execPath, [tsxCli, '--conditions=react-server', 'scripts/db-migrate.ts'], { env, cwd: root });
    const outputs = (await Promise.all([run(), run()])).map((r) => r.stdout.trim());
    // One applied the migration; the other waited for it and found nothing to do.
    expect(outputs.filter((o) => /^Applied 0001_initial to /.test(o))).toHaveLength(1);
    expect(outputs.filter((o) => / is up to date\.$/.test(o))).toHaveLength(1);
    const db = t.connect(config);
    const applied = await sql<{ n: number }>`select count(*) as n from berth_migrations`.execute(db);
    expect(Number(applied.rows[0]!.n)).toBe(Object.keys(migrations).length);
  });

  it('audit_events.target compares byte by byte, so a bucket\'s objects sort between "<arn>/" and "<arn>0" under any locale', async () => {
    const db = await t.open();
    if (t.dialect === 'postgres') {
      const c = await sql<{ collation_name: string | null }>`select collation_name from information_schema.columns where table_name = 'audit_events' and column_name = 'target'`.execute(db);
      expect(c.rows[0]?.collation_name).toBe('C');
    }
    // Either way, the comparison the bucket history relies on holds in the database itself.
    const r = await sql<{ inside: number | boolean }>`select ('arn:aws:s3:::b/a-b.txt' > 'arn:aws:s3:::b/' and 'arn:aws:s3:::b/~x' < 'arn:aws:s3:::b0') as inside`.execute(db);
    expect(Boolean(Number(r.rows[0]!.inside) || r.rows[0]!.inside === true)).toBe(true);
  });

  it('audit_events has the agreed columns, ids increase, and times come back as numbers', async () => {
    const db = await t.open();
    const at = Date.UTC(2026, 11, 1, 12, 0, 0, 123);
    const row = {
      at,
      actor: 'ada@example.com',
      role: 'admin',
      action: 'ecr.repository.delete',
      target: 'arn:aws:ecr:eu-west-1:123456789012:repository/web',
      parent: 'arn:aws:ecr:eu-west-1:123456789012:repository/web',
      region: 'eu-west-1',
      outcome: 'error:RepositoryNotEmptyException',
      request_id: '2c3b7f2e-0000-4000-8000-000000000000',
      client_address: '192.0.2.10',
      instance: 'host-a:123',
      detail: '{"force":false}',
    };
    await db.insertInto('audit_events').values(row).execute();
    await db.insertInto('audit_events').values({ ...row, at: at + 1, outcome: 'ok' }).execute();
    const got = await db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').execute();
    expect(got).toHaveLength(2);
    expect(got[0]!.id).toBeGreaterThan(got[1]!.id);
    expect(typeof got[0]!.id).toBe('number');
    expect(got[1]).toEqual({ id: got[1]!.id, ...row });
    const indexes = await indexNames(t.dialect, db, 'audit_events');
    expect(indexes).toEqual(expect.arrayContaining(['audit_events_at', 'audit_events_actor_id', 'audit_events_action_id', 'audit_events_target_id', 'audit_events_parent_id']));
  });

  it('migration 0003 fills in audit_events.parent for the entries already there: an object\'s bucket, else the target', async () => {
    const db = t.connect(await t.freshConfig());
    // The database as Berth left it before 0003, with entries in it.
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0003'));
    const old = new Migrator({ db, provider: { getMigrations: async () => before }, migrationTableName: MIGRATION_TABLE, migrationLockTableName: MIGRATION_LOCK_TABLE });
    expect((await old.migrateToLatest()).error).toBeUndefined();
    const targets = [
      'arn:aws:s3:::site',
      'arn:aws:s3:::site/index.html',
      'arn:aws:s3:::site/a/b/c.txt',
      'arn:aws-cn:s3:::logs/2026/12/01.gz',
      'arn:aws:s3:::site-x',
      'arn:aws:ecr:eu-west-1:123456789012:repository/team/web',
      'arn:aws:ecr-public::123456789012:repository/tool',
      'arn:aws:cloudfront::123456789012:distribution/E2ABCDEF',
      null,
    ];
    for (const target of targets) {
      await sql`INSERT INTO audit_events (at, actor, role, action, target, outcome) VALUES (${1}, ${'ann@example.com'}, ${'admin'}, ${'x'}, ${target}, ${'ok'})`.execute(db);
    }
    expect((await migrateToLatest(db)).map((r) => r.migrationName)).toEqual(['0003_audit_parent']);
    const rows = await db.selectFrom('audit_events').select(['target', 'parent']).orderBy('id').execute();
    expect(rows.map((r) => r.parent)).toEqual([
      'arn:aws:s3:::site',
      'arn:aws:s3:::site',
      'arn:aws:s3:::site',
      'arn:aws-cn:s3:::logs',
      'arn:aws:s3:::site-x',
      'arn:aws:ecr:eu-west-1:123456789012:repository/team/web',
      'arn:aws:ecr-public::123456789012:repository/tool',
      'arn:aws:cloudfront::123456789012:distribution/E2ABCDEF',
      null,
    ]);
    // The writer's rule gives the same answer for each.
    const { auditParent } = await import('@/lib/audit/resources');
    expect(rows.map((r) => auditParent(r.target))).toEqual(rows.map((r) => r.parent));
  });

  it('serialized() keeps every read-check-write of two instances', async () => {
    const { serialized } = await import('./index');
    const config = await t.freshConfig();
    const a = t.connect(config);
    const b = t.connect(config);
    await migrateToLatest(a);
    await a.insertInto('berth_meta').values({ key: 'counter', value: '0' }).execute();
    // Each increment reads, waits (so the other could slip in), then writes.
    const bump = (db: typeof a) =>
      serialized(db, 'counter', async (trx) => {
        const { value } = await trx.selectFrom('berth_meta').select('value').where('key', '=', 'counter').executeTakeFirstOrThrow();
        await new Promise((r) => setTimeout(r, 5));
        await trx.updateTable('berth_meta').set({ value: String(Number(value) + 1) }).where('key', '=', 'counter').execute();
      });
    await Promise.all(Array.from({ length: 10 }, (_, i) => bump(i % 2 ? a : b)));
    const { value } = await a.selectFrom('berth_meta').select('value').where('key', '=', 'counter').executeTakeFirstOrThrow();
    expect(value).toBe('10');
  });

  it('getDb() opens the configured database once per process and migrates it', async () => {
    const { config } = await t.useInEnv();
    vi.resetModules();
    const { getDb, describeDatabase, closeDb } = await import('./index');
    const [one, two] = await Promise.all([getDb(), getDb()]);
    expect(one).toBe(two);
    expect(dialectOf(one)).toBe(t.dialect);
    expect(await one.selectFrom('users').selectAll().execute()).toEqual([]);
    expect(describeDatabase()).toEqual(config.dialect === 'sqlite' ? config.file : expect.stringMatching(/^PostgreSQL 127\.0\.0\.1:\d+\/berth_test_/));
    await closeDb();
  });
});

async function indexNames(dialect: string, db: Kysely<Database>, table: string): Promise<string[]> {
  const q =
    dialect === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = ${table}`
      : sql<{ name: string }>`select indexname as name from pg_indexes where tablename = ${table}`;
  return (await q.execute(db)).rows.map((r) => r.name);
}
