import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db/connect';
import { migrateToLatest } from '@/lib/db/migrate';
import type { Database } from '@/lib/db/schema';
import { DialectTest } from '@/lib/db/test-support/dialects';
import { auditIdRange, filteredQuery, listAuditEvents, PAGE_SIZE, type AuditFilter } from './query';
import { insertSynthetic, SYNTHETIC_T0, syntheticPerson, syntheticTarget } from './test-support/synthetic';

// The Audit page over a million entries: every page query walks an index
// from the cursor, with no sort of the matching rows and no scan of the table,
// so a page costs the same on the millionth entry as on the first. Checked by
// the query plans, not by timing (bench/audit.ts prints the times).

const MILLION = 1_000_000;

/** The page query for a filter and cursor, as listAuditEvents sends it. */
async function pageQuery(db: Kysely<Database>, f: AuditFilter, before?: number) {
  const range = await auditIdRange(db, f);
  return filteredQuery(db, f, range, { before }).selectAll().orderBy('id', 'desc').limit(PAGE_SIZE + 1).compile();
}

// What SQLite must do for each filter, without and with a cursor (`before`):
// search one index from the filter's value (and the cursor) downwards.
const CASES: { name: string; filter: AuditFilter; first: RegExp; deep: RegExp }[] = [
  { name: 'no filter', filter: {}, first: /^SCAN audit_events$/, deep: /^SEARCH audit_events USING INTEGER PRIMARY KEY \(rowid<\?\)$/ },
  { name: 'person', filter: { person: syntheticPerson(7) }, first: /^SEARCH audit_events USING INDEX audit_events_actor_id \(actor=\?\)$/, deep: /^SEARCH audit_events USING INDEX audit_events_actor_id \(actor=\? AND id<\?\)$/ },
  { name: 'action', filter: { action: 's3.bucket.tags' }, first: /^SEARCH audit_events USING INDEX audit_events_action_id \(action=\?\)$/, deep: /^SEARCH audit_events USING INDEX audit_events_action_id \(action=\? AND id<\?\)$/ },
  { name: 'resource', filter: { resource: syntheticTarget(777) }, first: /^SEARCH audit_events USING INDEX audit_events_target_id \(target=\?\)$/, deep: /^SEARCH audit_events USING INDEX audit_events_target_id \(target=\? AND id<\?\)$/ },
  // A bucket's history, itself and its objects (some 25,000 entries here): by the entries' parent.
  { name: 'bucket', filter: { resource: 'arn:aws:s3:::bucket-3' }, first: /^SEARCH audit_events USING INDEX audit_events_parent_id \(parent=\?\)$/, deep: /^SEARCH audit_events USING INDEX audit_events_parent_id \(parent=\? AND id<\?\)$/ },
  {
    name: 'time range',
    filter: { from: SYNTHETIC_T0 + 400_000_000, to: SYNTHETIC_T0 + 400_000_000 + 86_400_000 },
    first: /^SEARCH audit_events USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)$/,
    deep: /^SEARCH audit_events USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)$/,
  },
  {
    name: 'person and time',
    filter: { person: syntheticPerson(7), from: SYNTHETIC_T0 + 400_000_000, to: SYNTHETIC_T0 + 500_000_000 },
    first: /^SEARCH audit_events USING INDEX audit_events_actor_id \(actor=\? AND id>\? AND id<\?\)$/,
    deep: /^SEARCH audit_events USING INDEX audit_events_actor_id \(actor=\? AND id>\? AND id<\?\)$/,
  },
];

describe('the Audit page at a million entries (sqlite)', () => {
  let dir: string;
  let db: Kysely<Database>;
  let raw: BetterSqlite3.Database;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-audit-scale-'));
    const file = path.join(dir, 'berth.db');
    db = openDatabase({ dialect: 'sqlite', file }).db;
    await migrateToLatest(db);
    raw = new BetterSqlite3(file);
    insertSynthetic(raw, MILLION);
  });

  afterAll(async () => {
    raw?.close();
    await db?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function plan(q: CompiledQuery): string[] {
    return (raw.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail);
  }

  it('holds a million entries', () => {
    expect((raw.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n).toBe(MILLION);
  });

  for (const c of CASES) {
    it(`pages by an index, with no sort: ${c.name}`, async () => {
      expect(plan(await pageQuery(db, c.filter))).toEqual([expect.stringMatching(c.first)]);
      expect(plan(await pageQuery(db, c.filter, 500_000))).toEqual([expect.stringMatching(c.deep)]);
    });
  }

  it('finds a time range’s id range in the (at) index', async () => {
    const lookup = db.selectFrom('audit_events').select('id').where('at', '<', SYNTHETIC_T0).orderBy('at', 'desc').limit(1).compile();
    expect(plan(lookup).join(' | ')).toMatch(/USING COVERING INDEX audit_events_at \(at<\?\)/);
  });

  it('gives a bucket’s history whole: the bucket and every object in it, newest first', async () => {
    const bucket = 'arn:aws:s3:::bucket-3';
    const page = await listAuditEvents(db, { resource: bucket }, { before: 500_000 });
    expect(page.events).toHaveLength(PAGE_SIZE);
    // Entry i is about bucket-3 or one of its objects when i % 1000 < 600 and i % 40 == 3 (synthetic.ts).
    const expected: number[] = [];
    for (let i = 500_000 - 2; expected.length < PAGE_SIZE; i--) if (i % 1000 < 600 && i % 40 === 3) expected.push(i + 1);
    expect(page.events.map((e) => e.id)).toEqual(expected);
    expect(new Set(page.events.map((e) => (e.target === bucket ? 'bucket' : 'object')))).toEqual(new Set(['bucket', 'object']));
  });

  it('gives the right pages, first, deep and last', async () => {
    const first = await listAuditEvents(db, {});
    expect(first.events.map((e) => e.id)).toEqual(Array.from({ length: PAGE_SIZE }, (_, i) => MILLION - i));
    const deep = await listAuditEvents(db, {}, { before: 500_001 });
    expect(deep.events[0]).toMatchObject({ id: 500_000, at: SYNTHETIC_T0 + 499_999 * 1000, actor: syntheticPerson(499_999) });
    const last = await listAuditEvents(db, {}, { before: 3 });
    expect(last.events.map((e) => e.id)).toEqual([2, 1]);
    expect(last.older).toBeNull();
    const person = await listAuditEvents(db, { person: syntheticPerson(7) }, { before: 500_000 });
    expect(person.events).toHaveLength(PAGE_SIZE);
    expect(person.events.every((e) => e.actor === syntheticPerson(7) && e.id < 500_000)).toBe(true);
    const day = await listAuditEvents(db, { from: SYNTHETIC_T0 + 86_400_000, to: SYNTHETIC_T0 + 2 * 86_400_000 });
    expect(day.events[0]!.at).toBe(SYNTHETIC_T0 + 2 * 86_400_000 - 1000);
  });
});

// SQLite's plans are checked at a million entries above; PostgreSQL's on a
// smaller table, with the planner told to use what a large one would need.
describe('the Audit page’s plans (postgres)', () => {
  const t = new DialectTest('postgres');
  beforeAll(() => t.start());
  afterEach(() => t.cleanUp());
  afterAll(() => t.finish());

  it('uses the indexes (sequential and bitmap scans off, as on a large table)', async () => {
    const db = await t.open();
    const N = 20_000;
    await sql`INSERT INTO audit_events (at, actor, role, action, target, parent, region, outcome)
      SELECT ${SYNTHETIC_T0}::bigint + g * 1000, 'person-' || (g % 50) || '@example.com', 'admin',
             's3.action-' || (g % 20), 'arn:aws:s3:::bucket-' || (g % 40) || '/k' || (g % 1000), 'arn:aws:s3:::bucket-' || (g % 40), 'eu-west-1', 'ok'
      FROM generate_series(0, ${N - 1}) AS g`.execute(db);
    // A person, an action and a resource seldom seen: where walking the whole
    // table by id would be slowest, PostgreSQL must take their own index.
    await sql`INSERT INTO audit_events (at, actor, role, action, target, parent, region, outcome)
      SELECT ${SYNTHETIC_T0}::bigint + g * 997, 'rare@example.com', 'admin', 'rare.action', 'arn:aws:s3:::rare/key', 'arn:aws:s3:::rare', 'eu-west-1', 'ok'
      FROM generate_series(0, 59) AS g`.execute(db);
    await sql`ANALYZE audit_events`.execute(db);
    const cases: [AuditFilter, RegExp][] = [
      [{}, /Index Scan Backward using audit_events_pkey/],
      [{ person: 'rare@example.com' }, /Index Scan Backward using audit_events_actor_id/],
      [{ action: 'rare.action' }, /Index Scan Backward using audit_events_action_id/],
      [{ resource: 'arn:aws:s3:::rare/key' }, /Index Scan Backward using audit_events_target_id/],
      // A bucket's history: itself and its objects, by their parent.
      [{ resource: 'arn:aws:s3:::rare' }, /Index Scan Backward using audit_events_parent_id/],
      [{ from: SYNTHETIC_T0 + 5_000_000, to: SYNTHETIC_T0 + 6_000_000 }, /Index Scan Backward using audit_events_pkey/],
    ];
    await db.connection().execute(async (c) => {
      // On a table this small PostgreSQL may rightly prefer reading it all, or
      // a bitmap of a few rows then a sort; with both off it shows whether an
      // index can serve the page in order, which is what it needs at scale.
      await sql`SET enable_seqscan = off`.execute(c);
      await sql`SET enable_bitmapscan = off`.execute(c);
      for (const [f, index] of cases) {
        for (const before of [undefined, N / 2]) {
          const q = await pageQuery(c, f, before);
          const rows = await c.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${q.sql}`, [...q.parameters]));
          const text = rows.rows.map((r) => r['QUERY PLAN']).join('\n');
          expect(text, JSON.stringify(f)).toMatch(index);
          expect(text, JSON.stringify(f)).not.toMatch(/Sort|Seq Scan/);
        }
      }
    });
  });
});
