import type { Metadata } from 'next';
import { CostOverview, CostSkeleton } from '@/components/cost/cost-overview';
import { PageHeader } from '@/components/ui/page-header';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { requireRole } from '@/lib/auth/session';
import { resolveRegion } from '@/lib/aws/region';

export const metadata: Metadata = { title: 'Cost' };

export default async function CostPage({ searchParams }: PageProps<'/cost'>) {
  await requireRole('viewer');
  const sp = await searchParams;
  const region = resolveRegion(sp);
  return (
    <>
      <PageHeader
        eyebrow="Cost"
        title={`Cost in ${region}`}
        description="What this region’s repositories and buckets, and the account’s distributions, would cost for a month at list prices, and what the account has spent so far this month."
      />
      {await suspenseIfSlow(CostOverview({ region, sp }), <CostSkeleton />, { key: JSON.stringify(sp) })}
    </>
  );
}
