import type { Metadata } from 'next';
import Link from 'next/link';
import { RepositoryTable } from '@/components/ecr/repository-table';
import { PublicRegistrySummary, PublicRepositoryList } from '@/components/ecr-public/public-repository-list';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Freshness } from '@/components/ui/freshness';
import { FilterInput } from '@/components/ui/filter-input';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { Tabs } from '@/components/ui/tabs';
import { roleAllows } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { resolveRegion } from '@/lib/aws/region';
import { ecrPaths } from '@/lib/ecr/paths';
import { ecrPublicPaths } from '@/lib/ecr-public/paths';
import { readRepositories, type RepositorySummary } from '@/lib/ecr/repositories';
import { getRepositoryStats } from '@/lib/ecr/stats';
import { pageNumber, param, withParams, type SearchParams } from '@/lib/ui/url';
import { Suspense } from 'react';

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
  // Private and public repositories are two registries: private ones per
  // region (ECR), public ones once per account (ECR Public, us-east-1). The
  // switch is a search param, so either view is a shareable link.
  const isPublic = param(sp, 'registry') === 'public';
  const registryTabs = (
    <Tabs
      current={isPublic ? 'public' : 'private'}
      tabs={[
        { id: 'private', label: 'Private', href: withParams('/ecr', { region: param(sp, 'region') }, {}) },
        { id: 'public', label: 'Public', href: withParams('/ecr', { region: param(sp, 'region') }, { registry: 'public' }) },
      ]}
    />
  );
  if (isPublic) {
    return (
      <>
        <PageHeader
          eyebrow="Amazon ECR Public"
          title="Repositories"
          description="Public repositories anyone can pull from, without an AWS account. One registry for the account, served from us-east-1."
          actions={isAdmin ? <Link href={ecrPublicPaths.create} className={buttonClass('primary')}>Create public repository</Link> : null}
        />
        {registryTabs}
        <Card>
          <Suspense fallback={<Skeleton className="m-5 h-5 w-96" />}>
            <PublicRegistrySummary />
          </Suspense>
          <div className="flex items-center justify-between gap-4 border-y border-zinc-100 px-5 py-3 dark:border-zinc-800">
            <FilterInput placeholder="Filter by name" />
          </div>
          {await suspenseIfSlow(PublicRepositoryList({ sp, isAdmin }), <TableSkeleton columns={3} />, { key: `${param(sp, 'q')}|${param(sp, 'page')}` })}
        </Card>
      </>
    );
  }
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
      {registryTabs}
      <Card>
        <div className="flex items-center justify-between gap-4 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800">
          <FilterInput placeholder="Filter by name" />
        </div>
        {/* The table with its counts in place when they answer quickly (a warm cache), a skeleton
            only when they are slow (components/ui/suspense-if-slow.tsx says why). */}
        {await suspenseIfSlow(Repositories({ region, sp, isAdmin }), <TableSkeleton columns={7} />, { key: `${region}|${param(sp, 'q')}|${param(sp, 'sort')}|${param(sp, 'dir')}|${param(sp, 'page')}` })}
      </Card>
    </>
  );
}

async function Repositories({ region, sp, isAdmin }: { region: string; sp: SearchParams; isAdmin: boolean }) {
  const r = await attempt(() => readRepositories(region), { service: 'ECR', endpoint: endpointFor('ECR', region), action: 'ecr:DescribeRepositories' });
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
  const all = r.value.value;
  const filtered = q ? all.filter((x) => x.name.includes(q)) : all;
  const sorted = [...filtered].sort((a, b) => (dir === 'asc' ? 1 : -1) * SORTS[sort]!(a, b));
  const pages = Math.ceil(sorted.length / PAGE_SIZE);
  const page = pageNumber(sp, pages);
  const rows = sorted.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  if (all.length === 0) {
    return (
      <>
        <EmptyState
          title="No repositories in this region"
          action={isAdmin ? <Link href={withParams(ecrPaths.create, { region: param(sp, 'region') }, {})} className={buttonClass('primary')}>Create repository</Link> : null}
        >
          Repositories hold your container images. Try another region at the top right{isAdmin ? ', or create one' : ''}.
        </EmptyState>
        <Freshness className="justify-end px-5 py-2" readAt={r.value.readAt} tags={[readTags.repositories(region)]} />
      </>
    );
  }
  if (rows.length === 0) return <EmptyState title={`No repository matches “${q}”`}>Clear the filter to see all {all.length} repositories.</EmptyState>;

  // The figures for this page's rows come with the table, in the one boundary
  // above: they are kept for minutes and served stale while refreshed (see
  // lib/ecr/stats.ts), so only a cold start waits for them (one call per row).
  // A boundary per cell, or a fallback table, would send every row twice.
  const stats = await getRepositoryStats(region, rows.map((x) => x.name));
  const figuresReadAt = Math.min(...[...stats.values()].map((s) => s?.readAt ?? Infinity));
  return (
    <>
      <RepositoryTable rows={rows} stats={stats} sp={sp} sort={sort} dir={dir} regionParam={param(sp, 'region')} />
      <Freshness
        className="justify-end px-5 py-2"
        readAt={r.value.readAt}
        also={Number.isFinite(figuresReadAt) ? [{ label: 'image counts', readAt: figuresReadAt }] : []}
        tags={[readTags.repositories(region), readTags.repositoryStats(region)]}
      />
      <Pagination path="/ecr" sp={sp} page={page} pages={pages} total={sorted.length} pageSize={PAGE_SIZE} noun="repositories" />
    </>
  );
}
