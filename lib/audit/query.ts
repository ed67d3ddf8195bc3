import 'server-only';
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '@/lib/db/schema';
import { isBucketArn } from './resources';

// Reading the audit trail: filters and keyset paging by id, newest first.
// Every filter has an index that leads with it and ends with id, (actor, id),
// (action, id), (target, id), (parent, id), so a page is an index range read backwards from
// the cursor, as fast on the millionth row as on the first. Offsets are never
// used: OFFSET n reads and drops n rows. query.test.ts checks the plans.

export interface AuditEvent {
  id: number;
  at: number;
  actor: string | null;
  role: string | null;
  action: string;
  target: string | null;
  region: string | null;
  outcome: string;
  requestId: string | null;
  clientAddress: string | null;
  instance: string | null;
  detail: string | null;
}

export interface AuditFilter {
  person?: string;
  action?: string;
  /** An ARN; a bucket's includes the objects in it (their entries' parent). */
  resource?: string;
  /** ms since the epoch, inclusive. */
  from?: number;
  /** ms since the epoch, exclusive. */
  to?: number;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Cursor for the next older page (`before`), or null at the oldest. */
  older: number | null;
  /** Cursor for the next newer page (`after`), or null at the newest. */
  newer: number | null;
}

export const PAGE_SIZE = 50;

// Ids follow insertion order and `at` is each instance's clock, so the two
// agree to within the clocks' skew: an entry written after another is never
// more than CLOCK_SLACK_MS older. A time range becomes an id range from two
// O(log n) lookups in the (at) index: an entry with at >= from comes after
// the latest one before from - slack, and an entry with at < to comes before
// the earliest one at or after to + slack. `at` is still checked exactly on
// each row, so the slack only widens what is read, never what is shown.
const CLOCK_SLACK_MS = 10 * 60 * 1000;

type Row = Database['audit_events'] extends infer T ? Record<keyof T, unknown> : never;

function toEvent(r: Row): AuditEvent {
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(r.id),
    at: Number(r.at),
    actor: s(r.actor),
    role: s(r.role),
    action: String(r.action),
    target: s(r.target),
    region: s(r.region),
    outcome: String(r.outcome),
    requestId: s(r.request_id),
    clientAddress: s(r.client_address),
    instance: s(r.instance),
    detail: s(r.detail),
  };
}

export interface IdRange {
  /** inclusive */
  min?: number;
  /** exclusive */
  max?: number;
}

/** The id range a time range lies in (see CLOCK_SLACK_MS). Exported for the plan tests. */
export async function auditIdRange(db: Kysely<Database>, f: AuditFilter): Promise<IdRange> {
  const range: IdRange = {};
  if (f.from !== undefined) {
    const before = await db.selectFrom('audit_events').select('id').where('at', '<', f.from - CLOCK_SLACK_MS).orderBy('at', 'desc').limit(1).executeTakeFirst();
    if (before) range.min = Number(before.id) + 1;
  }
  if (f.to !== undefined) {
    const after = await db.selectFrom('audit_events').select('id').where('at', '>=', f.to + CLOCK_SLACK_MS).orderBy('at', 'asc').limit(1).executeTakeFirst();
    if (after) range.max = Number(after.id);
  }
  return range;
}

/** The WHERE of every read: the filters, the id range, the cursor. Exported for the plan tests. */
export function filteredQuery(db: Kysely<Database>, f: AuditFilter, range: IdRange, cursor: { before?: number; after?: number }) {
  let q = db.selectFrom('audit_events') as SelectQueryBuilder<Database, 'audit_events', object>;
  // Actors are stored lowercased (lib/audit/writer.ts), whatever case an identity provider sent.
  if (f.person) q = q.where('actor', '=', f.person.toLowerCase());
  if (f.action) q = q.where('action', '=', f.action);
  if (f.resource) {
    const r = f.resource;
    // A bucket's history holds its objects too (arn:…:s3:::bucket/key): every
    // entry about the bucket or one of them has the bucket as its parent
    // (migration 0003), one equality on (parent, id) that pages without a sort.
    q = isBucketArn(r) ? q.where('parent', '=', r) : q.where('target', '=', r);
  }
  // "at + 0": the exact time check, written so that no planner walks the
  // (at) index for it and then sorts by id; the id range above does the narrowing.
  if (f.from !== undefined) q = q.where(sql<number>`at + 0`, '>=', f.from);
  if (f.to !== undefined) q = q.where(sql<number>`at + 0`, '<', f.to);
  if (range.min !== undefined) q = q.where('id', '>=', range.min);
  if (range.max !== undefined) q = q.where('id', '<', range.max);
  if (cursor.before !== undefined) q = q.where('id', '<', cursor.before);
  if (cursor.after !== undefined) q = q.where('id', '>', cursor.after);
  return q;
}

/** One page of entries, newest first, before or after a cursor. */
export async function listAuditEvents(db: Kysely<Database>, f: AuditFilter, page: { before?: number; after?: number; limit?: number } = {}): Promise<AuditPage> {
  const limit = page.limit ?? PAGE_SIZE;
  const range = await auditIdRange(db, f);
  if (page.after !== undefined) {
    const rows = await filteredQuery(db, f, range, { after: page.after }).selectAll().orderBy('id', 'asc').limit(limit + 1).execute();
    const more = rows.length > limit;
    const events = rows.slice(0, limit).map((r) => toEvent(r as Row)).reverse();
    return { events, newer: more && events.length ? events[0]!.id : null, older: events.length ? events.at(-1)!.id : page.after + 1 };
  }
  const rows = await filteredQuery(db, f, range, { before: page.before }).selectAll().orderBy('id', 'desc').limit(limit + 1).execute();
  const more = rows.length > limit;
  const events = rows.slice(0, limit).map((r) => toEvent(r as Row));
  return {
    events,
    older: more ? events.at(-1)!.id : null,
    newer: page.before !== undefined ? (events.length ? events[0]!.id : page.before - 1) : null,
  };
}

/** Every matching entry, newest first, in batches: for the exports, which stream. */
export async function* allAuditEvents(db: Kysely<Database>, f: AuditFilter, batch = 1000): AsyncGenerator<AuditEvent> {
  const range = await auditIdRange(db, f);
  let before: number | undefined;
  for (;;) {
    const rows = await filteredQuery(db, f, range, { before }).selectAll().orderBy('id', 'desc').limit(batch).execute();
    for (const r of rows) yield toEvent(r as Row);
    if (rows.length < batch) return;
    before = Number((rows.at(-1) as Row).id);
  }
}
