import type { Metadata } from 'next';
import { AccessTabs } from '@/components/access/access-tabs';
import { GroupTable } from '@/components/access/entity-tables';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { FilterInput } from '@/components/ui/filter-input';
import { Freshness } from '@/components/ui/freshness';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { requireRole } from '@/lib/auth/session';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { iamRead, membersByGroup, readAuthorization } from '@/lib/iam/authorization';
import { accessPaths } from '@/lib/iam/paths';
import { pageNumber, param, type SearchParams } from '@/lib/ui/url';

export const metadata: Metadata = { title: 'IAM groups' };

const PAGE_SIZE = 50;

export default async function GroupsPage({ searchParams }: PageProps<'/access/groups'>) {
  await requireRole('viewer');
  const sp = await searchParams;
  const regionParam = param(sp, 'region');
  return (
    <>
      <PageHeader eyebrow="AWS IAM" title="Groups" description="IAM groups: the policies of a group apply to every user in it." />
      <AccessTabs current="groups" regionParam={regionParam} />
      <Card>
        <div className="flex items-center justify-between gap-4 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800">
          <FilterInput placeholder="Filter by name" />
        </div>
        {await suspenseIfSlow(Groups({ sp, regionParam }), <TableSkeleton columns={4} />, { key: `${param(sp, 'q')}|${param(sp, 'page')}` })}
      </Card>
    </>
  );
}

async function Groups({ sp, regionParam }: { sp: SearchParams; regionParam: string | undefined }) {
  const r = await attempt(readAuthorization, iamRead('iam:GetAccountAuthorizationDetails'));
  if (!r.ok) return <div className="p-5"><AwsProblemAlert problem={r.problem} /></div>;
  const { groups, users } = r.value.value;
  const q = (param(sp, 'q') ?? '').trim().toLowerCase();
  const shown = q ? groups.filter((g) => g.name.toLowerCase().includes(q)) : groups;
  const pages = Math.ceil(shown.length / PAGE_SIZE);
  const page = pageNumber(sp, pages);
  const rows = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const freshness = <Freshness className="justify-end px-5 py-2" readAt={r.value.readAt} tags={[readTags.iamAuthorization()]} />;
  if (groups.length === 0) return <><EmptyState title="No IAM groups in this account" />{freshness}</>;
  if (rows.length === 0) return <EmptyState title={`No group matches “${q}”`}>Clear the filter to see all {groups.length} groups.</EmptyState>;
  return (
    <>
      <GroupTable rows={rows} members={membersByGroup(users)} regionParam={regionParam} />
      {freshness}
      <Pagination path={accessPaths.groups} sp={sp} page={page} pages={pages} total={shown.length} pageSize={PAGE_SIZE} noun="groups" />
    </>
  );
}
