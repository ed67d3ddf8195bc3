import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { BucketTable, BucketTableWithFlags } from '@/components/s3/bucket-table';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Freshness } from '@/components/ui/freshness';
import { FilterInput } from '@/components/ui/filter-input';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow, within } from '@/components/ui/suspense-if-slow';
import { roleAllows } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { resolveRegion } from '@/lib/aws/region';
import { knownBucketFlags, readBucketFlags, readBuckets, type BucketSummary } from '@/lib/s3/buckets';
import { pageNumber, param, withParams, type SearchParams } from '@/lib/ui/url';

export const metadata: Metadata = { title: 'S3 buckets' };

const PAGE_SIZE = 50;
const SORTS: Record<string, (a: BucketSummary, b: BucketSummary) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  region: (a, b) => (a.region ?? '').localeCompare(b.region ?? '') || a.name.localeCompare(b.name),
  created: (a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''),
};

export default async function S3Page({ searchParams }: PageProps<'/s3'>) {
  const user = await requireRole('viewer');
  const sp = await searchParams;
  const region = resolveRegion(sp);
  const isAdmin = roleAllows(user.role, 'admin');
  return (
    <>
      <PageHeader
        eyebrow="Amazon S3"
        title="Buckets"
        description="Every bucket in the account, whatever its region."
        actions={isAdmin ? <Link href={withParams('/s3/-/new', { region: param(sp, 'region') }, {})} className={buttonClass('primary')}>Create bucket</Link> : null}
      />
      <Card>
        <div className="flex items-center justify-between gap-4 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800">
          <FilterInput placeholder="Filter by name" />
        </div>
        {await suspenseIfSlow(Buckets({ region, sp }), <TableSkeleton columns={6} />, { key: JSON.stringify(sp) })}
      </Card>
    </>
  );
}

async function Buckets({ region, sp }: { region: string; sp: SearchParams }) {
  const r = await attempt(() => readBuckets(region), { service: 'S3', endpoint: endpointFor('S3', region), action: 's3:ListAllMyBuckets' });
  if (!r.ok) return <div className="p-5"><AwsProblemAlert problem={r.problem} /></div>;
  const all = r.value.value;
  const line = (flagsReadAt: number | null) => <BucketsFreshness listReadAt={r.value.readAt} flagsReadAt={flagsReadAt} />;
  if (all.length === 0) return <><EmptyState title="No buckets yet">Buckets hold objects, versions and static websites.</EmptyState>{line(null)}</>;
  const q = (param(sp, 'q') ?? '').trim().toLowerCase();
  const sort = SORTS[param(sp, 'sort') ?? ''] ? param(sp, 'sort')! : 'name';
  const dir: 'asc' | 'desc' = param(sp, 'dir') === 'desc' ? 'desc' : 'asc';
  const shown = (q ? all.filter((b) => b.name.includes(q)) : [...all]).sort((a, b) => (dir === 'asc' ? 1 : -1) * SORTS[sort]!(a, b));
  const pages = Math.ceil(shown.length / PAGE_SIZE);
  const page = pageNumber(sp, pages);
  const rows = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  if (rows.length === 0) return <EmptyState title={`No bucket matches “${q}”`}>Clear the filter to see all {all.length} buckets.</EmptyState>;
  const table = { rows, sp, sort, dir, regionParam: param(sp, 'region') };
  // Flags kept in the shared cache, or read now within the page's short wait
  // (components/ui/suspense-if-slow.tsx), render with the rows; otherwise the
  // rows show and the flag columns stream in, in one boundary for the whole
  // page. The freshness line stays outside it (one line, whichever way the
  // page renders) and says how old the oldest flags shown are.
  const known = await knownBucketFlags(rows);
  const flags = known.flags ?? (await within(readBucketFlags(rows)))?.value.flags;
  return (
    <>
      {flags ? (
        <BucketTable {...table} flags={flags} />
      ) : (
        <Suspense fallback={<BucketTable {...table} flags={null} />}>
          <BucketTableWithFlags {...table} />
        </Suspense>
      )}
      {line(known.readAt)}
      <Pagination path="/s3" sp={sp} page={page} pages={pages} total={shown.length} pageSize={PAGE_SIZE} noun="buckets" />
    </>
  );
}

/**
 * How old the list is, and the oldest of its rows' settings when rows are
 * shown (they are kept apart, so may be older or newer than the list); Refresh
 * reads both again.
 */
function BucketsFreshness({ listReadAt, flagsReadAt }: { listReadAt: number; flagsReadAt: number | null }) {
  return (
    <Freshness
      className="justify-end px-5 py-2"
      readAt={listReadAt}
      also={flagsReadAt === null ? [] : [{ label: 'bucket settings', readAt: flagsReadAt }]}
      tags={[readTags.buckets(), readTags.bucketFlags()]}
    />
  );
}
