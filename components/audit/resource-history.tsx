import 'server-only';
import Link from 'next/link';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { listAuditEvents } from '@/lib/audit/query';
import { getDb } from '@/lib/db';
import { withParams } from '@/lib/ui/url';
import { AUDIT_PATH, AuditTable } from './audit-table';

/**
 * What people did to one resource through Berth, newest first: the last few
 * entries of the audit trail for it (a bucket's include its objects), and a
 * link to the Audit page filtered on it. Read by admins only, like the page.
 */
export async function ResourceHistory({ arn, isAdmin, limit = 10 }: { arn: string; isAdmin: boolean; limit?: number }) {
  const title = 'Changes made in Berth';
  if (!isAdmin) {
    return (
      <Card>
        <CardHeader title={title} description="Berth’s audit trail of who changed this, and when, is for admins." />
      </Card>
    );
  }
  let events;
  try {
    events = (await listAuditEvents(await getDb(), { resource: arn }, { limit })).events;
  } catch (error) {
    console.error('[audit] could not read the history of', arn, error);
    return (
      <Card>
        <CardHeader title={title} description="Berth could not read its audit trail just now; try again in a moment." />
      </Card>
    );
  }
  return (
    <Card data-testid="resource-history">
      <CardHeader
        title={title}
        description="Who did what to this through Berth, from its audit trail."
        action={
          <Link href={withParams(AUDIT_PATH, {}, { resource: arn })} className="text-sm whitespace-nowrap text-brand-700 hover:underline dark:text-brand-300">
            All of it in Audit ›
          </Link>
        }
      />
      {events.length ? <AuditTable events={events} compact /> : <EmptyState title="Nothing yet">No one has changed this through Berth within the audit trail’s retention.</EmptyState>}
    </Card>
  );
}
