import { Suspense } from 'react';
import { ResourceHistory } from '@/components/audit/resource-history';
import { Card } from '@/components/ui/card';
import { TableSkeleton } from '@/components/ui/skeleton';
import type { ActivitySubject } from '@/lib/cloudtrail/activity';
import type { SearchParams } from '@/lib/ui/url';
import { ActivityPanel } from './activity-panel';

/**
 * A resource page's Activity tab: Berth's own audit trail of the resource
 * first (one indexed read; admins only, others see a line saying so), then
 * CloudTrail's event history, which streams in behind its own boundary.
 */
export function ActivityTab({ arn, isAdmin, subject, sp, path }: { arn: string; isAdmin: boolean; subject: ActivitySubject; sp: SearchParams; path: string }) {
  return (
    <div className="space-y-5">
      <ResourceHistory arn={arn} isAdmin={isAdmin} />
      <Suspense key={JSON.stringify(sp)} fallback={<Card><TableSkeleton columns={5} /></Card>}>
        <ActivityPanel subject={subject} sp={sp} path={path} />
      </Suspense>
    </div>
  );
}
