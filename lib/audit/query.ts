import 'server-only';
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { AuditEventRow, Database } from '@/lib/db/schema';
import { isBucketArn } from './resources';

// Reading the audit trail: filters and keyset paging by id, newest first.
// Every filter has an index that leads with it and ends with id, (actor, id),
// (action, id), (target, id), (parent, id), so a page is an index range read backwards from
// the cursor, as fast on the millionth row as on the first. Offsets are never
// used: OFFSET n reads and drops n rows. query.test.ts checks the plans.

/**
 * An entry as the console shows and exports it: the row's columns (lib/db/schema.ts), camel-cased,
 * less `parent`, which only keys a bucket's history in its index and says nothing the target does not.
 */
export type AuditEvent = Omit<AuditEventRow, 'parent' | 'request_id' | 'client_address'> & {
  requestId: AuditEventRow['request_id'];
  clientAddress: AuditEventRow['client_address'];
};

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

function toEvent(r: AuditEventRow): AuditEvent {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    role: r.role,
    action: r.action,
    target: r.target,
    region: r.region,
    outcome: r.outcome,
    requestId: r.request_id,
    clientAddress: r.client_address,
    instance: r.instance,
    detail: r.detail,
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
    const events = rows.slice(0, limit).map((r) => toEvent(r)).reverse();
    return { events, newer: more && events.length ? events[0]!.id : null, older: events.length ? events.at(-1)!.id : page.after + 1 };
  }
  const rows = await filteredQuery(db, f, range, { before: page.before }).selectAll().orderBy('id', 'desc').limit(limit + 1).execute();
  const more = rows.length > limit;
  const events = rows.slice(0, limit).map((r) => toEvent(r));
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
    for (const r of rows) yield toEvent(r);
    if (rows.length < batch) return;
    before = rows.at(-1)!.id;
  }
}
