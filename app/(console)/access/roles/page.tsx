import type { Metadata } from 'next';
import { AccessHeader, FilteredList, ListProblem } from '@/components/access/access-tabs';
import { RoleTable } from '@/components/access/entity-tables';
import { EmptyState } from '@/components/ui/empty-state';
import { Freshness } from '@/components/ui/freshness';
import { Pagination } from '@/components/ui/pagination';
import { TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { requireRole } from '@/lib/auth/session';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { iamRead, readAuthorization, type IamRole } from '@/lib/iam/authorization';
import { accessPaths } from '@/lib/iam/paths';
import { trustContext } from '@/lib/iam/roles';
import { describeTrust, trustedBy } from '@/lib/iam/trust';
import { filterByName, sortAndPage } from '@/lib/ui/list';
import { param, type SearchParams } from '@/lib/ui/url';

export const metadata: Metadata = { title: 'IAM roles' };

const PAGE_SIZE = 50;
const SORTS: Record<string, (a: IamRole, b: IamRole) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  created: (a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''),
  used: (a, b) => (a.lastUsed?.at ?? '').localeCompare(b.lastUsed?.at ?? ''),
};

export default async function RolesPage({ searchParams }: PageProps<'/access/roles'>) {
  await requireRole('viewer');
  const sp = await searchParams;
  const regionParam = param(sp, 'region');
  return (
    <>
      <AccessHeader
        current="roles"
        title="Roles"
        description="IAM roles: identities without long-term keys, assumed by whoever their trust policy names (people, services, CI runs)."
        regionParam={regionParam}
      />
      <FilteredList>
        {await suspenseIfSlow(Roles({ sp, regionParam }), <TableSkeleton columns={5} />, {
          key: `${param(sp, 'q')}|${param(sp, 'sort')}|${param(sp, 'dir')}|${param(sp, 'page')}`,
        })}
      </FilteredList>
    </>
  );
}

async function Roles({ sp, regionParam }: { sp: SearchParams; regionParam: string | undefined }) {
  const r = await attempt(readAuthorization, iamRead('iam:GetAccountAuthorizationDetails'));
  if (!r.ok) return <ListProblem problem={r.problem} />;
  const all = r.value.value.roles;
  const { q, shown } = filterByName(all, sp);
  const { sort, dir, sorted, page, pages, rows } = sortAndPage(shown, sp, SORTS, PAGE_SIZE);
  const freshness = <Freshness className="justify-end px-5 py-2" readAt={r.value.readAt} tags={[readTags.iamAuthorization()]} />;
  if (all.length === 0) return <><EmptyState title="No IAM roles in this account" />{freshness}</>;
  if (rows.length === 0) return <EmptyState title={`No role matches “${q}”`}>Clear the filter to see all {all.length} roles.</EmptyState>;

  const ctx = await trustContext();
  const trust = new Map(
    rows.map((role) => {
      const words = describeTrust(role.trust, ctx);
      return [role.name, { who: trustedBy(words), warnings: words.statements.reduce((n, s) => n + s.warnings.length, 0) }];
    }),
  );
  return (
    <>
      <RoleTable rows={rows} trust={trust} sp={sp} sort={sort} dir={dir} regionParam={regionParam} />
      {freshness}
      <Pagination path={accessPaths.roles} sp={sp} page={page} pages={pages} total={sorted.length} pageSize={PAGE_SIZE} noun="roles" />
    </>
  );
}
