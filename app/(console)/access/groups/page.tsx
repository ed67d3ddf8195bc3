import type { Metadata } from 'next';
import { AccessHeader, FilteredList, ListProblem } from '@/components/access/access-tabs';
import { GroupTable } from '@/components/access/entity-tables';
import { EmptyState } from '@/components/ui/empty-state';
import { Freshness } from '@/components/ui/freshness';
import { Pagination } from '@/components/ui/pagination';
import { TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { requireRole } from '@/lib/auth/session';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { iamRead, membersByGroup, readAuthorization } from '@/lib/iam/authorization';
import { accessPaths } from '@/lib/iam/paths';
import { filterByName, sortAndPage } from '@/lib/ui/list';
import { param, type SearchParams } from '@/lib/ui/url';

export const metadata: Metadata = { title: 'IAM groups' };

const PAGE_SIZE = 50;

export default async function GroupsPage({ searchParams }: PageProps<'/access/groups'>) {
  await requireRole('viewer');
  const sp = await searchParams;
  const regionParam = param(sp, 'region');
  return (
    <>
      <AccessHeader current="groups" title="Groups" description="IAM groups: the policies of a group apply to every user in it." regionParam={regionParam} />
      <FilteredList>
        {await suspenseIfSlow(Groups({ sp, regionParam }), <TableSkeleton columns={4} />, { key: `${param(sp, 'q')}|${param(sp, 'page')}` })}
      </FilteredList>
    </>
  );
}

async function Groups({ sp, regionParam }: { sp: SearchParams; regionParam: string | undefined }) {
  const r = await attempt(readAuthorization, iamRead('iam:GetAccountAuthorizationDetails'));
  if (!r.ok) return <ListProblem problem={r.problem} />;
  const { groups, users } = r.value.value;
  // Groups stay in the snapshot's order (by name); the list has no other sort.
  const { q, shown } = filterByName(groups, sp);
  const { page, pages, rows } = sortAndPage(shown, sp, null, PAGE_SIZE);
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
