import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { WhoCanPanel } from '@/components/access/who-can';
import { ActivityTab } from '@/components/cloudtrail/activity-tab';
import { BucketProperties } from '@/components/s3/bucket-properties';
import { BucketStorage } from '@/components/s3/bucket-storage';
import { EmptyAndDelete } from '@/components/s3/empty-and-delete';
import { ObjectTable, type Row } from '@/components/s3/object-table';
import { UploadPanel } from '@/components/s3/upload-panel';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { Tabs } from '@/components/ui/tabs';
import { roleAllows } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { s3Arn } from '@/lib/audit/resources';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { currentPartition } from '@/lib/aws/identity';
import { env } from '@/lib/env';
import { parseRange } from '@/lib/cloudwatch/metrics';
import { bucketRegion } from '@/lib/s3/buckets';
import { listObjectsPage, listVersionsPage } from '@/lib/s3/objects';
import { bucketNameSchema } from '@/lib/validation/s3';
import { param, withParams, type SearchParams } from '@/lib/ui/url';

export async function generateMetadata({ params }: PageProps<'/s3/[bucket]'>): Promise<Metadata> {
  return { title: (await params).bucket };
}

export default async function BucketPage({ params, searchParams }: PageProps<'/s3/[bucket]'>) {
  const user = await requireRole('viewer');
  const { bucket } = await params;
  if (!bucketNameSchema.safeParse(bucket).success) notFound();
  const sp = await searchParams;
  const isAdmin = roleAllows(user.role, 'admin');
  const region = await attempt(() => bucketRegion(bucket), { service: 'S3', endpoint: endpointFor('S3', env().defaultRegion), action: 's3:ListBucket' });
  if (!region.ok) {
    if (region.problem.code === 'NotFound' || region.problem.code === 'NoSuchBucket') notFound();
    return <AwsProblemAlert problem={region.problem} />;
  }
  const tab = ['properties', 'storage', 'who', 'activity', 'delete'].includes(param(sp, 'tab') ?? '') ? param(sp, 'tab')! : 'objects';
  const base = `/s3/${bucket}`;
  const keep = { region: param(sp, 'region') };
  // The folder, page, versions switch or tab shown: boundaries and tables keyed by it start afresh when it changes.
  const view = JSON.stringify(sp);

  return (
    <>
      <nav className="mb-2 text-sm text-zinc-500 dark:text-zinc-400">
        <Link href={withParams('/s3', keep, {})} className="hover:underline">Buckets</Link> / <span>{bucket}</span>
      </nav>
      <PageHeader title={bucket} description={<span className="font-mono text-xs">{region.value}</span>} />
      <Tabs
        current={tab}
        tabs={[
          { id: 'objects', label: 'Objects', href: withParams(base, keep, {}) },
          { id: 'properties', label: 'Properties', href: withParams(base, keep, { tab: 'properties' }) },
          { id: 'storage', label: 'Storage and cost', href: withParams(base, keep, { tab: 'storage' }) },
          { id: 'who', label: 'Who can', href: withParams(base, keep, { tab: 'who' }) },
          { id: 'activity', label: 'Activity', href: withParams(base, keep, { tab: 'activity' }) },
          ...(isAdmin ? [{ id: 'delete', label: 'Empty and delete', href: withParams(base, keep, { tab: 'delete' }) }] : []),
        ]}
      />
      {tab === 'activity' ? (
        <ActivityTab
          arn={s3Arn(bucket, undefined, await currentPartition().catch(() => 'aws'))}
          isAdmin={isAdmin}
          subject={{ kind: 'bucket', region: region.value, name: bucket }}
          sp={sp}
          path={base}
        />
      ) : tab === 'properties' ? (
        await suspenseIfSlow(BucketProperties({ bucket, region: region.value, isAdmin }), <Card><TableSkeleton rows={5} columns={2} /></Card>, { keepState: true })
      ) : tab === 'who' ? (
        // The verdicts cost IAM simulations per principal shown: past QUICK_MS the header shows without waiting for them.
        await suspenseIfSlow(WhoCanPanel({ subject: { kind: 's3', bucket }, sp, path: base }), <Card><TableSkeleton columns={4} /></Card>, { key: view })
      ) : tab === 'storage' ? (
        <BucketStorage
          bucket={bucket}
          region={region.value}
          fresh={param(sp, 'recount') === '1'}
          recountHref={withParams(base, keep, { tab: 'storage', recount: '1', range: param(sp, 'range') })}
          range={parseRange(param(sp, 'range'))}
          rangeHref={(range) => withParams(base, keep, { tab: 'storage', range })}
        />
      ) : tab === 'delete' && isAdmin ? (
        <EmptyAndDelete bucket={bucket} />
      ) : (
        <Card>
          <ObjectsBar bucket={bucket} sp={sp} />
          {isAdmin && param(sp, 'versions') !== '1' ? <UploadPanel bucket={bucket} prefix={param(sp, 'prefix') ?? ''} maxBytes={env().uploadMaxBytes} /> : null}
          {/* A folder, a page or the versions switch is a click within this page:
              a listing that answers quickly comes in the same payload as the
              header, so its skeleton is never shown and React's fallback
              throttle never holds it back (components/ui/suspense-if-slow.tsx). */}
          {await suspenseIfSlow(Objects({ bucket, sp, isAdmin, view }), <TableSkeleton columns={5} />, { key: view })}
        </Card>
      )}
    </>
  );
}

function Breadcrumbs({ bucket, prefix, sp }: { bucket: string; prefix: string; sp: SearchParams }) {
  const parts = prefix.split('/').filter(Boolean);
  const base = `/s3/${bucket}`;
  return (
    <nav aria-label="Folder" className="flex flex-wrap items-center gap-1 font-mono text-sm">
      <Link href={withParams(base, sp, { prefix: null, token: null, km: null, vm: null })} className="text-brand-700 hover:underline dark:text-brand-300">{bucket}</Link>
      {parts.map((p, i) => (
        <span key={i} className="flex items-center gap-1">
          <span className="text-zinc-400">/</span>
          <Link href={withParams(base, sp, { prefix: `${parts.slice(0, i + 1).join('/')}/`, token: null, km: null, vm: null })} className="text-brand-700 hover:underline dark:text-brand-300">{p}</Link>
        </span>
      ))}
    </nav>
  );
}

/** `view` names the folder, page and versions switch shown: the boundary and the table start afresh when it changes. */
async function Objects({ bucket, sp, isAdmin, view }: { bucket: string; sp: SearchParams; isAdmin: boolean; view: string }) {
  const prefix = param(sp, 'prefix') ?? '';
  const versions = param(sp, 'versions') === '1';
  const base = `/s3/${bucket}`;
  const folderHref = (p: string) => withParams(base, sp, { prefix: p, token: null, km: null, vm: null });
  const ctx = { service: 'S3' as const, endpoint: endpointFor('S3', env().defaultRegion) };

  let rows: Row[];
  let nextHref: string | null = null;
  if (versions) {
    const km = param(sp, 'km');
    const r = await attempt(() => listVersionsPage(bucket, prefix, km ? { keyMarker: km, versionIdMarker: param(sp, 'vm') ?? '' } : null), { ...ctx, action: 's3:ListBucketVersions' });
    if (!r.ok) return <div className="p-5"><AwsProblemAlert problem={r.problem} /></div>;
    rows = [
      ...r.value.folders.map((f) => ({ kind: 'folder' as const, key: f.prefix, href: folderHref(f.prefix) })),
      ...r.value.versions.map((v) => ({
        kind: 'version' as const,
        key: v.key,
        versionId: v.versionId,
        isLatest: v.isLatest,
        deleteMarker: v.deleteMarker,
        size: v.size,
        lastModified: v.lastModified,
        storageClass: v.storageClass,
      })),
    ];
    if (r.value.next) nextHref = withParams(base, sp, { km: r.value.next.keyMarker, vm: r.value.next.versionIdMarker });
  } else {
    const r = await attempt(() => listObjectsPage(bucket, prefix, param(sp, 'token') ?? null), { ...ctx, action: 's3:ListBucket' });
    if (!r.ok) return <div className="p-5"><AwsProblemAlert problem={r.problem} /></div>;
    rows = r.value.entries.map((e) =>
      e.kind === 'folder'
        ? { kind: 'folder' as const, key: e.prefix, href: folderHref(e.prefix) }
        : { kind: 'object' as const, key: e.key, size: e.size, lastModified: e.lastModified, storageClass: e.storageClass },
    );
    if (r.value.nextToken) nextHref = withParams(base, sp, { token: r.value.nextToken });
  }
  const paged = Boolean(param(sp, 'token') || param(sp, 'km'));

  return (
    <>
      {/* A new table for each view (folder, page, versions): its answers and ticks belong to the view
          they were made in. A refresh of the same view keeps it. */}
      <ObjectTable
        key={view}
        bucket={bucket}
        prefix={prefix}
        rows={rows}
        isAdmin={isAdmin}
        versions={versions}
        empty={<EmptyState title={prefix ? 'This folder is empty' : 'This bucket is empty'}>{isAdmin ? 'Upload files above.' : 'Nothing has been stored here yet.'}</EmptyState>}
      />
      {nextHref || paged ? (
        <nav aria-label="Pages" className="flex items-center justify-between border-t border-zinc-100 px-5 py-3 text-sm dark:border-zinc-800">
          <span className="text-zinc-500 dark:text-zinc-400">{rows.length} on this page</span>
          <span className="flex gap-3">
            {paged ? <Link href={withParams(base, sp, { token: null, km: null, vm: null })} className="text-brand-700 hover:underline dark:text-brand-300">« First page</Link> : null}
            {nextHref ? <Link href={nextHref} className="text-brand-700 hover:underline dark:text-brand-300">Next page ›</Link> : null}
          </span>
        </nav>
      ) : null}
    </>
  );
}

/** The folder's breadcrumbs and the versions switch: from the URL alone, so they do not wait for the listing. */
function ObjectsBar({ bucket, sp }: { bucket: string; sp: SearchParams }) {
  const prefix = param(sp, 'prefix') ?? '';
  const versions = param(sp, 'versions') === '1';
  const base = `/s3/${bucket}`;
  return (
    <div className="flex items-center justify-between gap-4 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800">
      <Breadcrumbs bucket={bucket} prefix={prefix} sp={sp} />
      <Link
        href={withParams(base, sp, { versions: versions ? null : '1', token: null, km: null, vm: null })}
        className="flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300"
        role="switch"
        aria-checked={versions}
        data-testid="versions-toggle"
      >
        <span className={`relative inline-block h-5 w-9 rounded-full transition-colors ${versions ? 'bg-brand-600' : 'bg-zinc-300 dark:bg-zinc-700'}`}>
          <span className={`absolute top-0.5 size-4 rounded-full bg-white shadow transition-all ${versions ? 'left-4.5' : 'left-0.5'}`} />
        </span>
        Show versions
      </Link>
    </div>
  );
}
