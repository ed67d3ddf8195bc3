import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Table, Th, Tr } from '@/components/ui/table';
import type { AuditEvent } from '@/lib/audit/query';
import { formatDateTime } from '@/lib/ui/format';
import { withParams } from '@/lib/ui/url';

export const AUDIT_PATH = '/settings/audit';

function OutcomeBadge({ outcome }: { outcome: string }) {
  const tone = outcome === 'ok' ? 'green' : outcome.startsWith('error') || outcome === 'failed' ? 'red' : 'amber';
  return <Badge tone={tone}>{outcome}</Badge>;
}

/** The last part of an ARN, which is what a person recognises (repository, bucket/key, distribution id). */
function shortResource(arn: string): string {
  const parts = arn.split(':');
  return parts.length >= 6 ? parts.slice(5).join(':') : arn;
}

/** An entry's detail (a small JSON object) as "key: value · key: value". */
function detailInWords(detail: string): string {
  try {
    const d = JSON.parse(detail) as Record<string, unknown>;
    return Object.entries(d)
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' · ');
  } catch {
    return detail;
  }
}

/**
 * Entries as a table; each person, action and resource links to the Audit page
 * filtered on it. `compact` leaves out the columns a resource's own page does not need.
 */
export function AuditTable({ events, compact = false }: { events: AuditEvent[]; compact?: boolean }) {
  const filter = (k: string, v: string) => withParams(AUDIT_PATH, {}, { [k]: v });
  const link = 'text-brand-700 hover:underline dark:text-brand-300';
  return (
    <Table>
      <thead>
        <tr>
          <Th>Time</Th>
          <Th>Person</Th>
          <Th>Action</Th>
          {compact ? null : <Th>Resource</Th>}
          <Th>Outcome</Th>
          {compact ? null : <Th>Region</Th>}
          <Th>AWS request id</Th>
        </tr>
      </thead>
      <tbody data-testid="audit-rows">
        {events.map((e) => (
          <Tr key={e.id}>
            <td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400"><time dateTime={new Date(e.at).toISOString()} title={new Date(e.at).toISOString()}>{formatDateTime(new Date(e.at).toISOString())}</time></td>
            <td className="whitespace-nowrap">
              {e.actor ? <Link href={filter('person', e.actor)} className={link}>{e.actor}</Link> : <span className="text-zinc-400">unknown</span>}
              {e.role ? <span className="ml-1.5 text-xs text-zinc-400">{e.role}</span> : null}
              {compact || !e.clientAddress ? null : (
                <span className="block text-xs text-zinc-500 dark:text-zinc-400" title={e.instance ? `served by ${e.instance}` : undefined}>from {e.clientAddress}</span>
              )}
            </td>
            <td className="font-mono text-xs whitespace-nowrap">
              <Link href={filter('action', e.action)} className={link}>{e.action}</Link>
              {e.detail ? <span className="block max-w-xs truncate font-sans text-zinc-500 dark:text-zinc-400" title={e.detail}>{detailInWords(e.detail)}</span> : null}
            </td>
            {compact ? null : (
              <td className="max-w-xs truncate font-mono text-xs" title={e.target ?? undefined}>
                {e.target ? <Link href={filter('resource', e.target)} className={link}>{shortResource(e.target)}</Link> : <span className="text-zinc-400">—</span>}
              </td>
            )}
            <td><OutcomeBadge outcome={e.outcome} /></td>
            {compact ? null : <td className="font-mono text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">{e.region ?? '—'}</td>}
            <td className="max-w-[11rem] truncate font-mono text-xs text-zinc-600 dark:text-zinc-400" title={e.requestId ?? undefined}>{e.requestId ?? '—'}</td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}
