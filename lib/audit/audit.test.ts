import type { Kysely } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import type { Database } from '@/lib/db/schema';
import { describeEachDialect } from '@/lib/db/test-support/dialects';
import { csvRow, exportStream } from './export';
import { allAuditEvents, listAuditEvents, type AuditFilter } from './query';
import { auditParent } from './resources';
import { pruneAuditEvents } from './retention';

// The audit trail in both databases: the writer, the filters and keyset
// paging, the export's reads and the retention sweep.

const T0 = Date.UTC(2026, 10, 1);
const MIN = 60_000;

interface Seed {
  actor?: string | null;
  action?: string;
  target?: string | null;
  at?: number;
  outcome?: string;
}

async function insert(db: Kysely<Database>, rows: Seed[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('audit_events')
      .values(
        rows.slice(i, i + 200).map((r) => ({
          at: r.at ?? T0,
          actor: r.actor === undefined ? 'ann@example.com' : r.actor,
          role: 'admin',
          action: r.action ?? 's3.bucket.tags',
          target: r.target === undefined ? 'arn:aws:s3:::site' : r.target,
          parent: auditParent(r.target === undefined ? 'arn:aws:s3:::site' : r.target),
          region: 'eu-west-1',
          outcome: r.outcome ?? 'ok',
          request_id: null,
          client_address: '10.0.0.1',
          instance: 'test:1',
          detail: null,
        })),
      )
      .execute();
  }
}

/** Every id a filter selects, walking the pages older and older. */
async function walk(db: Kysely<Database>, f: AuditFilter, limit: number): Promise<number[]> {
  const ids: number[] = [];
  let before: number | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await listAuditEvents(db, f, { before, limit });
    ids.push(...page.events.map((e) => e.id));
    if (page.older === null) return ids;
    before = page.older;
  }
  throw new Error('paging did not end');
}

describeEachDialect('the audit writer', (t) => {
  it('records an entry, with this instance’s name, and keeps writing the stdout line', async () => {
    await t.useInEnv();
    vi.stubEnv('BERTH_INSTANCE_ID', 'berth-a');
    vi.resetModules();
    const { recordAudit } = await import('./writer');
    const { getDb } = await import('@/lib/db');
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      await recordAudit({ action: 'ecr.repository.delete', actor: 'ann@example.com', role: 'admin', outcome: 'error:RepositoryNotEmptyException', target: 'arn:aws:ecr:eu-west-1:123456789012:repository/api', region: 'eu-west-1', requestId: 'req-1', clientAddress: '203.0.113.9', detail: { force: false } });
      expect(info.mock.calls.map((c) => JSON.parse(String(c[0])))).toContainEqual(expect.objectContaining({ action: 'ecr.repository.delete', user: 'ann@example.com', outcome: 'error:RepositoryNotEmptyException', requestId: 'req-1' }));
    } finally {
      info.mockRestore();
    }
    const rows = await (await getDb()).selectFrom('audit_events').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: 'ann@example.com',
      role: 'admin',
      action: 'ecr.repository.delete',
      target: 'arn:aws:ecr:eu-west-1:123456789012:repository/api',
      parent: 'arn:aws:ecr:eu-west-1:123456789012:repository/api',
      region: 'eu-west-1',
      outcome: 'error:RepositoryNotEmptyException',
      request_id: 'req-1',
      client_address: '203.0.113.9',
      instance: 'berth-a',
      detail: '{"force":false}',
    });
    expect(Math.abs(Number(rows[0]!.at) - Date.now())).toBeLessThan(60_000);
  });

  it("files an object's entry under its bucket, which the bucket's history reads", async () => {
    await t.useInEnv();
    vi.resetModules();
    const { recordAudit } = await import('./writer');
    const { getDb } = await import('@/lib/db');
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      await recordAudit({ action: 's3.bucket.tags', actor: 'ann@example.com', role: 'admin', outcome: 'ok', target: 'arn:aws:s3:::site' });
      await recordAudit({ action: 's3.object.download', actor: 'ann@example.com', role: 'admin', outcome: 'ok', target: 'arn:aws:s3:::site/docs/a b.pdf' });
      await recordAudit({ action: 's3.object.download', actor: 'ann@example.com', role: 'admin', outcome: 'ok', target: 'arn:aws:s3:::site-2/x' });
      await recordAudit({ action: 'sign-in', actor: 'ann@example.com', role: 'admin', outcome: 'ok' });
    } finally {
      info.mockRestore();
    }
    const db = await getDb();
    const rows = await db.selectFrom('audit_events').select(['target', 'parent']).orderBy('id').execute();
    expect(rows.map((r) => r.parent)).toEqual(['arn:aws:s3:::site', 'arn:aws:s3:::site', 'arn:aws:s3:::site-2', null]);
    const history = await listAuditEvents(db, { resource: 'arn:aws:s3:::site' });
    expect(history.events.map((e) => e.target)).toEqual(['arn:aws:s3:::site/docs/a b.pdf', 'arn:aws:s3:::site']);
  });

  it('keeps at most 30 entries a minute from one address that nobody signed in made, then says how many it left out', async () => {
    await t.useInEnv();
    vi.resetModules();
    const { recordAudit } = await import('./writer');
    const { getDb } = await import('@/lib/db');
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    try {
      for (let i = 0; i < 40; i++) await recordAudit({ action: 'sign-in', actor: null, role: null, outcome: 'failed', clientAddress: '198.51.100.7', at: minute + i });
      // Another address, and a signed-in person, are not held back by it.
      await recordAudit({ action: 'sign-in', actor: null, role: null, outcome: 'failed', clientAddress: '198.51.100.8', at: minute + 50 });
      await recordAudit({ action: 's3.bucket.tags', actor: 'ann@example.com', role: 'admin', outcome: 'ok', clientAddress: '198.51.100.7', at: minute + 60 });
      // The next minute's first entry from that address writes the count of the last.
      await recordAudit({ action: 'sign-in', actor: null, role: null, outcome: 'failed', clientAddress: '198.51.100.7', at: minute + 60_000 });
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      info.mockRestore();
    }
    const rows = await (await getDb()).selectFrom('audit_events').selectAll().execute();
    expect(rows.filter((r) => r.client_address === '198.51.100.7' && r.action === 'sign-in')).toHaveLength(31);
    expect(rows.filter((r) => r.client_address === '198.51.100.8')).toHaveLength(1);
    expect(rows.filter((r) => r.actor === 'ann@example.com')).toHaveLength(1);
    const note = rows.find((r) => r.action === 'audit.suppressed');
    expect(JSON.parse(note!.detail!)).toMatchObject({ leftOut: 10 });
  });

  it('never throws when the write fails: it logs and goes on', async () => {
    await t.useInEnv();
    vi.resetModules();
    const { recordAudit } = await import('./writer');
    const { getDb } = await import('@/lib/db');
    await (await getDb()).schema.dropTable('audit_events').execute();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      await expect(recordAudit({ action: 's3.bucket.tags', actor: 'ann@example.com', role: 'admin', outcome: 'ok' })).resolves.toBeUndefined();
      expect(error.mock.calls.some((c) => String(c[0]).includes('[audit] could not record s3.bucket.tags'))).toBe(true);
    } finally {
      error.mockRestore();
      info.mockRestore();
    }
  });
});

describeEachDialect('audit filters and paging', (t) => {
  it('pages newest first by id, both ways, with each entry once', async () => {
    const db = await t.open();
    await insert(db, Array.from({ length: 123 }, (_, i) => ({ at: T0 + i * MIN })));
    const ids = await walk(db, {}, 10);
    expect(ids).toHaveLength(123);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const first = await listAuditEvents(db, {}, { limit: 10 });
    expect(first.newer).toBeNull();
    const second = await listAuditEvents(db, {}, { before: first.older!, limit: 10 });
    expect(second.events[0]!.id).toBe(first.events.at(-1)!.id - 1);
    // Back from the second page: the first page again.
    const back = await listAuditEvents(db, {}, { after: second.newer!, limit: 10 });
    expect(back.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(back.newer).toBeNull();
    const last = await listAuditEvents(db, {}, { before: ids.at(-1)! + 1, limit: 10 });
    expect(last.older).toBeNull();
  });

  it('filters by person, action, resource and time, alone and together', async () => {
    const db = await t.open();
    await insert(db, [
      { actor: 'ann@example.com', action: 's3.bucket.tags', target: 'arn:aws:s3:::site', at: T0 },
      { actor: 'bob@example.com', action: 's3.bucket.tags', target: 'arn:aws:s3:::site/index.html', at: T0 + 10 * MIN },
      { actor: 'bob@example.com', action: 's3.object.download', target: 'arn:aws:s3:::site2', at: T0 + 20 * MIN },
      { actor: 'ann@example.com', action: 'ecr.repository.delete', target: 'arn:aws:ecr:eu-west-1:123456789012:repository/site', at: T0 + 30 * MIN },
      { actor: null, action: 'sign-in', target: null, outcome: 'failed', at: T0 + 40 * MIN },
      { actor: 'ann@example.com', action: 's3.bucket.tags', target: 'arn:aws:s3:::site-x', at: T0 + 50 * MIN },
    ]);
    const actions = async (f: AuditFilter) => (await walk(db, f, 2)).length;
    const targets = async (f: AuditFilter) => (await listAuditEvents(db, f)).events.map((e) => e.target);
    expect(await actions({ person: 'ann@example.com' })).toBe(3);
    expect(await actions({ person: 'bob@example.com', action: 's3.bucket.tags' })).toBe(1);
    expect(await actions({ action: 'sign-in' })).toBe(1);
    // A bucket's history includes its objects, not a bucket whose name starts the same.
    expect(await targets({ resource: 'arn:aws:s3:::site' })).toEqual(['arn:aws:s3:::site/index.html', 'arn:aws:s3:::site']);
    expect(await targets({ resource: 'arn:aws:s3:::site/index.html' })).toEqual(['arn:aws:s3:::site/index.html']);
    expect(await targets({ resource: 'arn:aws:ecr:eu-west-1:123456789012:repository/site' })).toHaveLength(1);
    // Time: from inclusive, to exclusive.
    expect(await targets({ from: T0 + 10 * MIN, to: T0 + 30 * MIN })).toEqual(['arn:aws:s3:::site2', 'arn:aws:s3:::site/index.html']);
    expect(await targets({ from: T0 + 60 * MIN })).toEqual([]);
    expect(await targets({ to: T0 })).toEqual([]);
    expect(await targets({ person: 'ann@example.com', from: T0 + 1, resource: 'arn:aws:s3:::site-x' })).toEqual(['arn:aws:s3:::site-x']);
  });

  it('keeps an entry whose clock ran behind its id (another instance’s skewed clock)', async () => {
    const db = await t.open();
    await insert(db, [{ at: T0 + 10 * MIN }, { at: T0 + 5 * MIN }, { at: T0 + 20 * MIN }]);
    const page = await listAuditEvents(db, { from: T0 + 4 * MIN, to: T0 + 11 * MIN });
    expect(page.events.map((e) => e.at)).toEqual([T0 + 5 * MIN, T0 + 10 * MIN]);
    // Over a longer trail (to T0+179 min), entries written late, within the
    // slack, by an instance whose clock is behind, count on both edges.
    await insert(db, Array.from({ length: 120 }, (_, i) => ({ at: T0 + 60 * MIN + i * MIN })));
    await insert(db, [{ at: T0 + 172 * MIN }, { at: T0 + 175 * MIN }]);
    const ats = async (from: number, to: number) => (await walk(db, { from: T0 + from * MIN, to: T0 + to * MIN }, 3)).length;
    expect(await ats(173, 180)).toBe(7 + 1);
    expect(await ats(170, 173)).toBe(3 + 1);
    expect(await ats(100, 110)).toBe(10);
    expect(await ats(60, 180)).toBe(120 + 2);
  });

  it('reads every matching entry for an export, in batches, newest first', async () => {
    const db = await t.open();
    await insert(db, Array.from({ length: 57 }, (_, i) => ({ actor: i % 3 === 0 ? 'ann@example.com' : 'bob@example.com', at: T0 + i })));
    const seen: number[] = [];
    for await (const e of allAuditEvents(db, { person: 'ann@example.com' }, 5)) seen.push(e.id);
    expect(seen).toHaveLength(19);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    const csv = await new Response(exportStream(allAuditEvents(db, { person: 'bob@example.com' }, 7), 'csv')).text();
    expect(csv.trim().split('\r\n')).toHaveLength(1 + 38);
    const [newest] = (await listAuditEvents(db, { person: 'bob@example.com' }, { limit: 1 })).events;
    expect(csv.split('\r\n')[1]).toBe(csvRow(newest!).trimEnd());
  });
});

describeEachDialect('audit retention', (t) => {
  it('deletes only entries older than the retention, in batches', async () => {
    const db = await t.open();
    const now = T0 + 400 * 24 * 60 * MIN;
    await insert(db, [...Array.from({ length: 25 }, (_, i) => ({ at: T0 + i })), ...Array.from({ length: 5 }, () => ({ at: now - MIN }))]);
    expect(await pruneAuditEvents(db, { now, days: 365, batchSize: 10, maxBatches: 2 })).toBe(20);
    expect(await pruneAuditEvents(db, { now, days: 365, batchSize: 10 })).toBe(5);
    expect(await pruneAuditEvents(db, { now, days: 365, batchSize: 10 })).toBe(0);
    const left = await db.selectFrom('audit_events').select('at').execute();
    expect(left.map((r) => Number(r.at))).toEqual(Array(5).fill(now - MIN));
  });

  it('two instances sweeping at once delete each old entry once, and nothing else', async () => {
    const config = await t.freshConfig();
    const a = t.connect(config);
    const { migrateToLatest } = await import('@/lib/db/migrate');
    await migrateToLatest(a);
    const b = t.connect(config);
    const now = T0 + 400 * 24 * 60 * MIN;
    await insert(a, [...Array.from({ length: 300 }, (_, i) => ({ at: T0 + i })), ...Array.from({ length: 7 }, () => ({ at: now }))]);
    const [x, y] = await Promise.all([pruneAuditEvents(a, { now, days: 30, batchSize: 20 }), pruneAuditEvents(b, { now, days: 30, batchSize: 20 })]);
    expect(x + y).toBe(300);
    expect((await b.selectFrom('audit_events').select('id').execute()).length).toBe(7);
  });
});

describe('retention setting', () => {
  async function envWith(days: string | undefined) {
    vi.resetModules();
    vi.stubEnv('BERTH_AUDIT_RETENTION_DAYS', days);
    return (await import('@/lib/env')).env;
  }

  it('defaults to 365 days and refuses nonsense at start', async () => {
    try {
      expect((await envWith(undefined))().BERTH_AUDIT_RETENTION_DAYS).toBe(365);
      expect((await envWith('30'))().BERTH_AUDIT_RETENTION_DAYS).toBe(30);
      expect(await envWith('0')).toThrow(/BERTH_AUDIT_RETENTION_DAYS must be at least 1 day/);
      expect(await envWith('a year')).toThrow(/BERTH_AUDIT_RETENTION_DAYS must be a whole number of days/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
