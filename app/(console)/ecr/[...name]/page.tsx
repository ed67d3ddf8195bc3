import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { WhoCanPanel } from '@/components/access/who-can';
import { CiPanel } from '@/components/ci/ci-panel';
import { ActivityTab } from '@/components/cloudtrail/activity-tab';
import { ImageDetailView } from '@/components/ecr/image-detail';
import { RepositorySettings } from '@/components/ecr/repository-settings';
import { ImagesTable } from '@/components/ecr/images-table';
import { PushCommands } from '@/components/ecr/push-commands';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { EmptyState } from '@/components/ui/empty-state';
import { Freshness } from '@/components/ui/freshness';
import { FilterInput } from '@/components/ui/filter-input';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';
import { Stat } from '@/components/ui/stat';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { Tabs } from '@/components/ui/tabs';
import { RepositoryMonitoring } from '@/components/monitoring/repository-monitoring';
import { parseRange } from '@/lib/cloudwatch/metrics';
import { roleAllows } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { resolveRegion } from '@/lib/aws/region';
import { pushCommands } from '@/lib/ecr/commands';
import { readImages, storageCost } from '@/lib/ecr/images';
import { ecrPaths, parseEcrPath } from '@/lib/ecr/paths';
import { getRegistry } from '@/lib/ecr/registry';
import { getRepository, type RepositorySummary } from '@/lib/ecr/repositories';
import { formatBytes, formatDateTime, formatUsd } from '@/lib/ui/format';
import { pageNumber, param, withParams, type SearchParams } from '@/lib/ui/url';
import Link from 'next/link';
import { ecrPricePerGb } from '@/lib/cost/savings';

const PAGE_SIZE = 100;

export async function generateMetadata({ params }: PageProps<'/ecr/[...name]'>): Promise<Metadata> {
  const { repository, digest } = parseEcrPath((await params).name);
  return { title: digest ? `${repository}@${digest.slice(7, 19)}` : repository };
}

export default async function RepositoryPage({ params, searchParams }: PageProps<'/ecr/[...name]'>) {
  const user = await requireRole('viewer');
  const sp = await searchParams;
  const region = resolveRegion(sp);
  const { repository, digest } = parseEcrPath((await params).name);
  const isAdmin = roleAllows(user.role, 'admin');
  const endpoint = endpointFor('ECR', region);

  // An image shows nothing of its repository but the name in the URL, so it
  // does not wait for DescribeRepositories: its own reads say when either is gone.
  if (digest) {
    return <ImageDetailView repository={repository} region={region} digest={digest} sp={sp} isAdmin={isAdmin} />;
  }

  const found = await attempt(() => getRepository(region, repository), { service: 'ECR', endpoint, action: 'ecr:DescribeRepositories' });
  if (!found.ok) return <AwsProblemAlert problem={found.problem} />;
  if (!found.value) notFound();
  const repo = found.value;
  const regionParam = param(sp, 'region');

  const tab = (['settings', 'ci', 'who', 'activity', 'monitoring'] as const).find((t) => t === param(sp, 'tab')) ?? 'images';
  const base = ecrPaths.repository(repo.name);
  return (
    <>
      <nav className="mb-2 text-sm text-zinc-500 dark:text-zinc-400">
        <Link href={withParams('/ecr', { region: regionParam }, {})} className="hover:underline">Repositories</Link> / <span>{repo.name}</span>
      </nav>
      <PageHeader
        title={repo.name}
        description={
          <span className="flex items-center gap-1">
            <span className="font-mono text-xs">{repo.uri}</span>
            <CopyButton value={repo.uri} label="Copy repository URI" />
          </span>
        }
        actions={
          <div className="flex items-center gap-2">
            <Badge tone={repo.tagMutability === 'IMMUTABLE' ? 'brand' : 'neutral'}>{repo.tagMutability === 'IMMUTABLE' ? 'Immutable tags' : 'Mutable tags'}</Badge>
            <Badge tone={repo.scanOnPush ? 'green' : 'neutral'}>Scan on push {repo.scanOnPush ? 'on' : 'off'}</Badge>
            <Badge>{repo.encryption === 'KMS' ? 'KMS' : 'AES-256'}</Badge>
          </div>
        }
      />
      <Tabs
        current={tab}
        tabs={[
          { id: 'images', label: 'Images', href: withParams(base, { region: regionParam }, {}) },
          { id: 'monitoring', label: 'Monitoring', href: withParams(base, { region: regionParam }, { tab: 'monitoring' }) },
          { id: 'settings', label: isAdmin ? 'Settings and permissions' : 'Permissions', href: withParams(base, { region: regionParam }, { tab: 'settings' }) },
          { id: 'ci', label: 'Push from CI', href: withParams(base, { region: regionParam }, { tab: 'ci' }) },
          { id: 'who', label: 'Who can', href: withParams(base, { region: regionParam }, { tab: 'who' }) },
          { id: 'activity', label: 'Activity', href: withParams(base, { region: regionParam }, { tab: 'activity' }) },
        ]}
      />
      {tab === 'monitoring' ? (
        <RepositoryMonitoring
          region={region}
          repository={repo.name}
          range={parseRange(param(sp, 'range'))}
          rangeHref={(range) => withParams(base, { region: regionParam }, { tab: 'monitoring', range })}
        />
      ) : tab === 'activity' ? (
        <ActivityTab arn={repo.arn} isAdmin={isAdmin} subject={{ kind: 'repository', region, name: repo.name }} sp={sp} path={base} />
      ) : tab === 'who' ? (
        // The verdicts cost one IAM simulation per principal shown: past QUICK_MS the header shows without waiting for them.
        await suspenseIfSlow(WhoCanPanel({ subject: { kind: 'ecr', region, repository: repo.name }, sp, path: base }), <Card><TableSkeleton columns={4} /></Card>, { key: JSON.stringify(sp) })
      ) : tab === 'ci' ? (
        <CiPanel target={{ kind: 'ecr', region, repository: repo.name, repositoryArn: repo.arn }} isAdmin={isAdmin} />
      ) : tab === 'settings' ? (
        await suspenseIfSlow(RepositorySettings({ repo, region, isAdmin }), <TableSkeleton rows={4} columns={2} />, { keepState: true })
      ) : (
        await ImagesTab({ repo, region, sp, isAdmin })
      )}
    </>
  );
}

/**
 * The images tab. Sorting and paging are clicks within this page: what answers
 * quickly comes with the header, so no skeleton is shown and no reveal is held
 * back (components/ui/suspense-if-slow.tsx). Both reads start at once.
 */
async function ImagesTab({ repo, region, sp, isAdmin }: { repo: RepositorySummary; region: string; sp: SearchParams; isAdmin: boolean }) {
  // The filter and page shown: the boundary and the table start afresh when it changes.
  const view = JSON.stringify(sp);
  const [push, images] = await Promise.all([
    suspenseIfSlow(PushPanel({ repo, region }), <Skeleton className="h-12 w-full rounded-xl" />),
    suspenseIfSlow(Images({ repo, region, sp, isAdmin, view }), <Card><TableSkeleton columns={6} /></Card>, { key: view }),
  ]);
  return (
    <div className="space-y-5">
      {push}
      {images}
    </div>
  );
}

async function PushPanel({ repo, region }: { repo: RepositorySummary; region: string }) {
  const r = await attempt(() => getRegistry(region), { service: 'ECR', endpoint: endpointFor('ECR', region), action: 'ecr:GetAuthorizationToken' });
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const custom = process.env.AWS_ENDPOINT_URL_ECR ?? process.env.AWS_ENDPOINT_URL;
  return <PushCommands commands={pushCommands({ region, registryHost: r.value.host, repository: repo.name, endpoint: custom })} insecureRegistry={!r.value.secure} />;
}

async function Images({ repo, region, sp, isAdmin, view }: { repo: RepositorySummary; region: string; sp: SearchParams; isAdmin: boolean; view: string }) {
  const r = await attempt(() => readImages(region, repo.name), { service: 'ECR', endpoint: endpointFor('ECR', region), action: 'ecr:DescribeImages' });
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const all = r.value.value;
  const tagFilter = (param(sp, 'tag') ?? '').trim();
  const hideUntagged = param(sp, 'untagged') === 'hide';
  const shown = all.filter((i) => (!hideUntagged || i.tags.length > 0) && (!tagFilter || i.tags.some((t) => t.includes(tagFilter))));
  const pages = Math.ceil(shown.length / PAGE_SIZE);
  const page = pageNumber(sp, pages);
  const rows = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const totalBytes = all.reduce((n, i) => n + i.sizeBytes, 0);
  const cost = storageCost(totalBytes);
  const untagged = all.filter((i) => i.tags.length === 0).length;
  const base = ecrPaths.repository(repo.name);
  const regionParam = param(sp, 'region');

  return (
    <>
      <div className="grid grid-cols-3 gap-5">
        <Stat label="Images" value={all.length.toLocaleString('en-US')} note={`${untagged.toLocaleString('en-US')} untagged`} testId="stat-images" />
        <Stat label="Total size" value={formatBytes(totalBytes)} note="as ECR reports it (compressed layers)" testId="stat-size" />
        <Stat label="Estimated storage cost" value={`${formatUsd(cost.monthlyUsd)} / month`} note="at $0.10 per GB-month; transfer not included" testId="stat-cost" />
      </div>
      <Card>
        <div className="flex items-center justify-between gap-4 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800">
          <FilterInput placeholder="Filter by tag" param="tag" />
          <Link
            href={withParams(base, sp, { untagged: hideUntagged ? null : 'hide', page: null })}
            className="text-sm text-brand-700 hover:underline dark:text-brand-300"
            scroll={false}
          >
            {hideUntagged ? 'Show untagged images' : 'Hide untagged images'}
          </Link>
        </div>
        {/* Always mounted, so the outcome of a delete stays on screen when it empties the list; a new
            table for each view (filter, page), so its answers and ticks belong to the view they were made in. */}
        <ImagesTable
          key={view}
          images={rows}
          repository={repo.name}
          region={region}
          isAdmin={isAdmin}
          ecrPerGb={isAdmin ? await ecrPricePerGb(region) : undefined}
          imageHref={Object.fromEntries(rows.map((i) => [i.digest, withParams(ecrPaths.image(repo.name, i.digest), { region: regionParam }, {})]))}
          empty={
            all.length === 0 ? (
              <EmptyState title="No images yet">Open “View push commands” above to push the first one.</EmptyState>
            ) : (
              <EmptyState title="No image matches">Clear the tag filter{hideUntagged ? ' or show untagged images' : ''}.</EmptyState>
            )
          }
        />
        {rows.length ? <Pagination path={base} sp={sp} page={page} pages={pages} total={shown.length} pageSize={PAGE_SIZE} noun="images" /> : null}
      </Card>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Created {formatDateTime(repo.createdAt)} · newest push first</p>
        <Freshness readAt={r.value.readAt} tags={[readTags.images(region, repo.name)]} />
      </div>
    </>
  );
}
