import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { RepositoryStatsCell } from '@/components/ecr/repository-stats-cell';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { EmptyState } from '@/components/ui/empty-state';
import { FilterInput } from '@/components/ui/filter-input';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';
import { SortHeader } from '@/components/ui/sort-header';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { roleAllows } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { resolveRegion } from '@/lib/aws/region';
import { ecrPaths } from '@/lib/ecr/paths';
import { listRepositories, type RepositorySummary } from '@/lib/ecr/repositories';
import { formatDate, formatDateTime } from '@/lib/ui/format';
import { pageNumber, param, withParams, type SearchParams } from '@/lib/ui/url';

export const metadata: Metadata = { title: 'ECR repositories' };

const PAGE_SIZE = 50;
const SORTS: Record<string, (a: RepositorySummary, b: RepositorySummary) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  created: (a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''),
};

export default async function EcrPage({ searchParams }: PageProps<'/ecr'>) {
  const user = await requireRole('viewer');
  const sp = await searchParams;
  const region = resolveRegion(sp);
  const isAdmin = roleAllows(user.role, 'admin');
  return (
    <>
      <PageHeader
        eyebrow="Amazon ECR"
        title="Repositories"
        description={`Private container image repositories in ${region}.`}
        actions={
          <>
            <Link href={withParams(ecrPaths.iamPolicy, { region: param(sp, 'region') }, {})} className={buttonClass('secondary')}>
              IAM policy for a person
            </Link>
            {isAdmin ? (
              <Link href={withParams(ecrPaths.create, { region: param(sp, 'region') }, {})} className={buttonClass('primary')}>
                Create repository
              </Link>
            ) : null}
          </>
        }
      />
      <Card>
        <div className="flex items-center justify-between gap-4 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800">
          <FilterInput placeholder="Filter by name" />
        </div>
        <Suspense key={`${region}|${param(sp, 'q')}|${param(sp, 'sort')}|${param(sp, 'dir')}|${param(sp, 'page')}`} fallback={<TableSkeleton columns={7} />}>
          <Repositories region={region} sp={sp} isAdmin={isAdmin} />
        </Suspense>
      </Card>
    </>
  );
}

async function Repositories({ region, sp, isAdmin }: { region: string; sp: SearchParams; isAdmin: boolean }) {
  const r = await attempt(() => listRepositories(region), { service: 'ECR', endpoint: endpointFor('ECR', region), action: 'ecr:DescribeRepositories' });
  if (!r.ok) {
    return (
      <div className="p-5">
        <AwsProblemAlert problem={r.problem} />
      </div>
    );
  }
  const q = (param(sp, 'q') ?? '').trim().toLowerCase();
  const sort = param(sp, 'sort') && SORTS[param(sp, 'sort')!] ? param(sp, 'sort')! : 'name';
  const dir = param(sp, 'dir') === 'desc' ? 'desc' : 'asc';
  const filtered = q ? r.value.filter((x) => x.name.includes(q)) : r.value;
  const sorted = [...filtered].sort((a, b) => (dir === 'asc' ? 1 : -1) * SORTS[sort]!(a, b));
  const pages = Math.ceil(sorted.length / PAGE_SIZE);
  const page = pageNumber(sp, pages);
  const rows = sorted.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const names = rows.map((x) => x.name);

  if (r.value.length === 0) {
    return (
      <EmptyState
        title="No repositories in this region"
        action={isAdmin ? <Link href={withParams(ecrPaths.create, { region: param(sp, 'region') }, {})} className={buttonClass('primary')}>Create repository</Link> : null}
      >
        Repositories hold your container images. Try another region at the top right{isAdmin ? ', or create one' : ''}.
      </EmptyState>
    );
  }
  if (rows.length === 0) return <EmptyState title={`No repository matches “${q}”`}>Clear the filter to see all {r.value.length} repositories.</EmptyState>;

  const regionParam = param(sp, 'region');
  return (
    <>
      <Table>
        <thead>
          <tr>
            <SortHeader path="/ecr" sp={sp} sortKey="name" current={sort} dir={dir}>Name and URI</SortHeader>
            <SortHeader path="/ecr" sp={sp} sortKey="created" current={sort} dir={dir}>Created</SortHeader>
            <Th>Tags</Th>
            <Th>Scan</Th>
            <Th>Encryption</Th>
            <Th className="text-right">Images</Th>
            <Th className="text-right">Size</Th>
          </tr>
        </thead>
        <tbody data-testid="repositories">
          {rows.map((repo) => (
            <Tr key={repo.arn}>
              <Td>
                <Link href={withParams(ecrPaths.repository(repo.name), { region: regionParam }, {})} className="font-medium text-brand-700 hover:underline dark:text-brand-300">
                  {repo.name}
                </Link>
                <span className="mt-0.5 flex items-center gap-1">
                  <span className="max-w-[14rem] truncate font-mono text-xs text-zinc-500 2xl:max-w-[26rem] dark:text-zinc-400" title={repo.uri}>{repo.uri}</span>
                  <CopyButton value={repo.uri} label={`Copy URI of ${repo.name}`} className="size-6" />
                </span>
              </Td>
              <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400"><span title={formatDateTime(repo.createdAt)}>{formatDate(repo.createdAt)}</span></Td>
              <Td>
                <Badge tone={repo.tagMutability === 'IMMUTABLE' ? 'brand' : 'neutral'}>{repo.tagMutability === 'IMMUTABLE' ? 'Immutable' : 'Mutable'}</Badge>
              </Td>
              <Td>{repo.scanOnPush ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}</Td>
              <Td className="text-zinc-600 dark:text-zinc-400">{repo.encryption === 'KMS' ? 'KMS' : 'AES-256'}</Td>
              <Td className="text-right tabular-nums">
                <Suspense fallback={<Skeleton className="ml-auto h-4 w-8" />}>
                  <RepositoryStatsCell region={region} names={names} name={repo.name} field="count" />
                </Suspense>
              </Td>
              <Td className="text-right whitespace-nowrap tabular-nums">
                <Suspense fallback={<Skeleton className="ml-auto h-4 w-14" />}>
                  <RepositoryStatsCell region={region} names={names} name={repo.name} field="size" />
                </Suspense>
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
      <Pagination path="/ecr" sp={sp} page={page} pages={pages} total={sorted.length} pageSize={PAGE_SIZE} noun="repositories" />
    </>
  );
}
