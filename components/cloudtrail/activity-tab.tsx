import { ResourceHistory } from '@/components/audit/resource-history';
import { Card } from '@/components/ui/card';
import { TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import type { ActivitySubject } from '@/lib/cloudtrail/activity';
import type { SearchParams } from '@/lib/ui/url';
import { ActivityPanel } from './activity-panel';

/**
 * A resource page's Activity tab: Berth's own audit trail of the resource
 * first (one indexed read; admins only, others see a line saying so), then
 * CloudTrail's event history: with the rest of the tab when it answers
 * quickly, otherwise behind its skeleton (components/ui/suspense-if-slow.tsx),
 * so a filter or a page within the tab is not held back by React's throttle.
 */
export async function ActivityTab({ arn, isAdmin, subject, sp, path }: { arn: string; isAdmin: boolean; subject: ActivitySubject; sp: SearchParams; path: string }) {
  const events = await suspenseIfSlow(ActivityPanel({ subject, sp, path }), <Card><TableSkeleton columns={5} /></Card>, { key: JSON.stringify(sp) });
  return (
    <div className="space-y-5">
      <ResourceHistory arn={arn} isAdmin={isAdmin} />
      {events}
    </div>
  );
}
