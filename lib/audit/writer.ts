import 'server-only';
import { getDb, instanceId } from '@/lib/db';
import { auditParent } from './resources';
import { scheduleRetention } from './retention';

// The one writer of Berth's audit trail (the audit_events table, lib/db).
// Every entry also goes to stdout as one JSON line, as before there was a
// database, so log collectors keep working. Writing must never break what is
// being recorded: a failure is logged and the request goes on.

export interface AuditRecord {
  action: string;
  actor: string | null;
  role: string | null;
  outcome: string;
  target?: string | null;
  region?: string | null;
  requestId?: string | null;
  clientAddress?: string | null;
  detail?: Record<string, unknown> | null;
  /** ms since the epoch; now when left out. */
  at?: number;
}

const MAX_DETAIL = 2000;
const WAIT_MS = 3000;

function detailText(detail: Record<string, unknown> | null | undefined): string | null {
  if (!detail || Object.keys(detail).length === 0) return null;
  const text = JSON.stringify(detail);
  return text.length <= MAX_DETAIL ? text : JSON.stringify({ truncated: text.slice(0, MAX_DETAIL - 40) });
}

// Entries nobody signed in made (refused posts, failed sign-ins of unknown
// emails) cost nothing to send, so one client address may add at most
// ANONYMOUS_PER_MINUTE of them a minute to the table on each instance; the rest
// are counted, and one entry says how many were left out. Stdout keeps them all.
const ANONYMOUS_PER_MINUTE = 30;
const anonymous = new Map<string, { minute: number; count: number; dropped: number }>();

/** Whether an anonymous entry from this address goes in the table; writes the "left out" entry of a past minute. */
function admitAnonymous(address: string | null, at: number): boolean {
  const key = address ?? 'unknown';
  const minute = Math.floor(at / 60_000);
  let seen = anonymous.get(key);
  if (!seen || seen.minute !== minute) {
    if (seen && seen.dropped > 0) void recordAudit({ action: 'audit.suppressed', actor: null, role: null, outcome: 'ok', clientAddress: address, detail: { leftOut: seen.dropped, minute: new Date(seen.minute * 60_000).toISOString() } });
    seen = { minute, count: 0, dropped: 0 };
    anonymous.set(key, seen);
    if (anonymous.size > 10_000) for (const [k, v] of anonymous) if (v.minute !== minute && v.dropped === 0) anonymous.delete(k);
  }
  if (seen.count < ANONYMOUS_PER_MINUTE) {
    seen.count += 1;
    return true;
  }
  seen.dropped += 1;
  return false;
}

export async function recordAudit(r: AuditRecord): Promise<void> {
  const at = r.at ?? Date.now();
  const row = {
    at,
    // Emails compare without case (Berth's own store lowercases them; an OIDC provider may not).
    actor: r.actor?.toLowerCase() ?? null,
    role: r.role,
    action: r.action.slice(0, 200),
    target: r.target ?? null,
    parent: auditParent(r.target ?? null),
    region: r.region ?? null,
    outcome: r.outcome.slice(0, 200),
    request_id: r.requestId ?? null,
    client_address: r.clientAddress ?? null,
    instance: instanceId(),
    detail: detailText(r.detail),
  };
  console.info(
    JSON.stringify({
      at: new Date(at).toISOString(),
      action: row.action,
      user: row.actor,
      outcome: row.outcome,
      role: row.role,
      target: row.target,
      region: row.region,
      requestId: row.request_id,
      client: row.client_address,
    }),
  );
  if (row.actor === null && row.action !== 'audit.suppressed' && !admitAnonymous(row.client_address, at)) return;
  const write = (async () => {
    const db = await getDb();
    await db.insertInto('audit_events').values(row).execute();
    scheduleRetention();
  })().catch((error: unknown) => {
    console.error(`[audit] could not record ${row.action} (${row.outcome}) by ${row.actor ?? 'unknown'}:`, error);
  });
  // The person waits for the entry (so their next page shows it), but not for
  // a database that does not answer: after a few seconds the write goes on
  // alone and the request is answered.
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), WAIT_MS);
  });
  if ((await Promise.race([write, slow])) === 'slow') console.error(`[audit] recording ${row.action} is taking over ${WAIT_MS} ms; answering without waiting for it`);
  clearTimeout(timer);
}
