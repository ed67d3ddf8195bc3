import 'server-only';
import { getDb, instanceId } from '@/lib/db';
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

export async function recordAudit(r: AuditRecord): Promise<void> {
  const at = r.at ?? Date.now();
  const row = {
    at,
    // Emails compare without case (Berth's own store lowercases them; an OIDC provider may not).
    actor: r.actor?.toLowerCase() ?? null,
    role: r.role,
    action: r.action.slice(0, 200),
    target: r.target ?? null,
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
