import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { ActivityTab } from '@/components/cloudtrail/activity-tab';
import { CatalogDataView } from '@/components/ecr-public/catalog-data';
import { PublicCommands } from '@/components/ecr-public/public-commands';
import { PublicImagesTable } from '@/components/ecr-public/public-images-table';
import { CatalogDataForm, DeletePublicRepositoryForm } from '@/components/ecr-public/public-repository-forms';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { EmptyState } from '@/components/ui/empty-state';
import { Freshness } from '@/components/ui/freshness';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { Tabs } from '@/components/ui/tabs';
import { roleAllows } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { ECR_PUBLIC_REGION, endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { publicPullCommand, publicPushCommands } from '@/lib/ecr-public/commands';
import { readPublicImages } from '@/lib/ecr-public/images';
import { ecrPublicPaths } from '@/lib/ecr-public/paths';
import { getCatalogData, getPublicRepository, getPublicRepositoryPolicy, type PublicRepositorySummary } from '@/lib/ecr-public/repositories';
import { formatDateTime } from '@/lib/ui/format';
import { pageNumber, param, withParams, type SearchParams } from '@/lib/ui/url';

const PAGE_SIZE = 100;
const ctx = { service: 'ECR_PUBLIC' as const, endpoint: endpointFor('ECR_PUBLIC', ECR_PUBLIC_REGION) };

export async function generateMetadata({ params }: PageProps<'/ecr/-/public/[...name]'>): Promise<Metadata> {
  return { title: `${(await params).name.join('/')} (public)` };
}

export default async function PublicRepositoryPage({ params, searchParams }: PageProps<'/ecr/-/public/[...name]'>) {
  const user = await requireRole('viewer');
  const sp = await searchParams;
  const name = (await params).name.join('/');
  const isAdmin = roleAllows(user.role, 'admin');

  const found = await attempt(() => getPublicRepository(name), { ...ctx, action: 'ecr-public:DescribeRepositories' });
  if (!found.ok) return <AwsProblemAlert problem={found.problem} />;
  if (!found.value) notFound();
  const repo = found.value;
  const tab = (['settings', 'activity'] as const).find((t) => t === param(sp, 'tab')) ?? 'overview';
  const base = ecrPublicPaths.repository(repo.name);

  return (
    <>
      <nav className="mb-2 text-sm text-zinc-500 dark:text-zinc-400">
        <Link href={ecrPublicPaths.list} className="hover:underline">Public repositories</Link> / <span>{repo.name}</span>
      </nav>
      <PageHeader
        eyebrow="Amazon ECR Public"
        title={repo.name}
        description={
          <span className="flex items-center gap-2">
            <span data-testid="visibility"><Badge tone="amber">Public</Badge></span>
            <span className="font-mono text-xs" data-testid="repository-uri">{repo.uri}</span>
            <CopyButton value={repo.uri} label="Copy repository URI" />
          </span>
        }
      />
      <Tabs
        current={tab}
        tabs={[
          { id: 'overview', label: 'Overview', href: base },
          { id: 'settings', label: isAdmin ? 'Catalog data and settings' : 'Permissions', href: withParams(base, {}, { tab: 'settings' }) },
          { id: 'activity', label: 'Activity', href: withParams(base, {}, { tab: 'activity' }) },
        ]}
      />
      {tab === 'activity' ? (
        <ActivityTab arn={repo.arn} isAdmin={isAdmin} subject={{ kind: 'public-repository', name: repo.name }} sp={sp} path={base} />
      ) : tab === 'settings' ? (
        <Suspense fallback={<TableSkeleton rows={4} columns={2} />}>
          <Settings repo={repo} isAdmin={isAdmin} />
        </Suspense>
      ) : (
        <div className="space-y-5">
          <Suspense fallback={<Skeleton className="h-40 w-full rounded-xl" />}>
            <Catalog repo={repo} />
          </Suspense>
          <Commands repo={repo} />
          {/* Paging is a click within this page: a quick answer comes with the header (components/ui/suspense-if-slow.tsx). */}
          {await suspenseIfSlow(Images({ repo, sp }), <Card><TableSkeleton columns={4} /></Card>, { key: param(sp, 'page') ?? '1' })}
        </div>
      )}
    </>
  );
}

async function Catalog({ repo }: { repo: PublicRepositorySummary }) {
  const r = await attempt(() => getCatalogData(repo.name), { ...ctx, action: 'ecr-public:GetRepositoryCatalogData' });
  return r.ok ? <CatalogDataView catalog={r.value} /> : <AwsProblemAlert problem={r.problem} />;
}

function Commands({ repo }: { repo: PublicRepositorySummary }) {
  // Every address comes from the repositoryUri ECR Public answered; the CLI
  // gets Berth's endpoint only when Berth itself uses a custom one.
  const endpoint = process.env.AWS_ENDPOINT_URL_ECR_PUBLIC ?? process.env.AWS_ENDPOINT_URL;
  return (
    <PublicCommands
      pull={publicPullCommand({ repositoryUri: repo.uri })}
      push={publicPushCommands({ repositoryUri: repo.uri, repository: repo.name, endpoint })}
    />
  );
}

async function Images({ repo, sp }: { repo: PublicRepositorySummary; sp: SearchParams }) {
  const r = await attempt(() => readPublicImages(repo.name), { ...ctx, action: 'ecr-public:DescribeImages' });
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const all = r.value.value;
  const pages = Math.ceil(all.length / PAGE_SIZE);
  const page = pageNumber(sp, pages);
  const rows = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return (
    <>
      <Card>
        <CardHeader title="Images" description="Newest push first." />
        {rows.length ? <PublicImagesTable images={rows} /> : <EmptyState title="No images yet">Open “View push commands” above to push the first one.</EmptyState>}
        {rows.length ? <Pagination path={ecrPublicPaths.repository(repo.name)} sp={sp} page={page} pages={pages} total={all.length} pageSize={PAGE_SIZE} noun="images" /> : null}
      </Card>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Created {formatDateTime(repo.createdAt)}</p>
        <Freshness readAt={r.value.readAt} tags={[readTags.publicImages(repo.name)]} />
      </div>
    </>
  );
}

/** Catalog data editing and deleting for admins; the repository policy, read-only, for everyone. */
async function Settings({ repo, isAdmin }: { repo: PublicRepositorySummary; isAdmin: boolean }) {
  const [policy, catalog, images] = await Promise.all([
    attempt(() => getPublicRepositoryPolicy(repo.name), { ...ctx, action: 'ecr-public:GetRepositoryPolicy' }),
    isAdmin ? attempt(() => getCatalogData(repo.name), { ...ctx, action: 'ecr-public:GetRepositoryCatalogData' }) : null,
    isAdmin ? attempt(() => readPublicImages(repo.name), { ...ctx, action: 'ecr-public:DescribeImages' }) : null,
  ]);
  return (
    <div className="space-y-5">
      {catalog ? (
        <Card>
          <CardHeader title="Catalog data" description="What the Amazon ECR Public Gallery shows about this repository." />
          <CardBody>{catalog.ok ? <CatalogDataForm name={repo.name} initial={catalog.value} /> : <AwsProblemAlert problem={catalog.problem} />}</CardBody>
        </Card>
      ) : null}
      <Card>
        <CardHeader title="Who may push" description="The repository policy grants other accounts, users and roles access to this public repository. Pulling needs no permission." />
        <CardBody>
          {!policy.ok ? (
            <AwsProblemAlert problem={policy.problem} />
          ) : policy.value ? (
            <pre data-testid="repository-policy" className="max-h-96 overflow-auto rounded-lg bg-zinc-50 p-4 font-mono text-xs dark:bg-zinc-950">{policy.value}</pre>
          ) : (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">No repository policy: only identity policies in this account grant push access.</p>
          )}
        </CardBody>
      </Card>
      {images ? (
        <Card className="border-red-200 dark:border-red-900/60">
          <CardHeader title="Delete public repository" />
          <CardBody>
            {images.ok ? (
              <DeletePublicRepositoryForm name={repo.name} imageCount={images.value.value.length} tagCount={images.value.value.reduce((n, i) => n + i.tags.length, 0)} />
            ) : (
              <AwsProblemAlert problem={images.problem} />
            )}
          </CardBody>
        </Card>
      ) : null}
    </div>
  );
}
