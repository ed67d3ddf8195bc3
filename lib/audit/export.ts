import 'server-only';
import type { AuditEvent } from './query';

// The exports: CSV for spreadsheets, JSON for scripts. Both stream, a batch of
// entries at a time, so exporting a million entries holds one batch in memory.

export const CSV_COLUMNS = ['id', 'time', 'person', 'role', 'action', 'resource', 'region', 'outcome', 'request_id', 'client_address', 'instance', 'detail'] as const;

/**
 * One CSV cell (RFC 4180: quoted when it holds a comma, quote or line break,
 * quotes doubled). A cell a spreadsheet would run as a formula, one starting
 * with = + - @ (or a tab or carriage return, which some strip first), gets a
 * leading apostrophe: an audit entry holds what people typed (a failed
 * sign-in's email, a key), and opening the export must not run it.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(e: AuditEvent): string {
  const cells: (string | number | null)[] = [e.id, new Date(e.at).toISOString(), e.actor, e.role, e.action, e.target, e.region, e.outcome, e.requestId, e.clientAddress, e.instance, e.detail];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function jsonEntry(e: AuditEvent): Record<string, unknown> {
  let detail: unknown = null;
  if (e.detail) {
    try {
      detail = JSON.parse(e.detail);
    } catch {
      detail = e.detail;
    }
  }
  return {
    id: e.id,
    time: new Date(e.at).toISOString(),
    person: e.actor,
    role: e.role,
    action: e.action,
    resource: e.target,
    region: e.region,
    outcome: e.outcome,
    requestId: e.requestId,
    clientAddress: e.clientAddress,
    instance: e.instance,
    detail,
  };
}

/** A byte stream pulled from the entries as the client reads, so a slow reader slows the reads. */
export function exportStream(events: AsyncGenerator<AuditEvent>, format: 'csv' | 'json'): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let first = true;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(format === 'csv' ? `${CSV_COLUMNS.join(',')}\r\n` : '['));
    },
    async pull(controller) {
      // A few hundred entries per pull keeps the chunks a useful size.
      let chunk = '';
      for (let i = 0; i < 200; i++) {
        const next = await events.next();
        if (next.done) {
          if (format === 'json') chunk += first ? ']\n' : '\n]\n';
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        if (format === 'csv') chunk += csvRow(next.value);
        else {
          chunk += `${first ? '\n' : ',\n'}${JSON.stringify(jsonEntry(next.value))}`;
          first = false;
        }
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await events.return(undefined);
    },
  });
}
