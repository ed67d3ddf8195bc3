import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { Elapsed, LiveRefresh } from '@/components/cloudfront/live-refresh';
import { SiteBucketForm, SiteDistributionForm, TeardownRunner } from '@/components/cloudfront/site-forms';
import { DeployBadge } from '@/components/cloudfront/status-badge';
import { UploadPanel } from '@/components/s3/upload-panel';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Alert } from '@/components/ui/alert';
import { PageHeader } from '@/components/ui/page-header';
import { Skeleton } from '@/components/ui/skeleton';
import { requireRole } from '@/lib/auth/session';
import { attempt } from '@/lib/aws/errors';
import { resolveRegion } from '@/lib/aws/region';
import { siteState, teardownScope } from '@/lib/cloudfront/site';
import { unfinishedJob } from '@/lib/jobs/progress';
import { countBucketContents } from '@/lib/s3/empty';
import { distributionUrl } from '@/lib/cloudfront/urls';
import { listWebAcls } from '@/lib/cloudfront/waf';
import { env } from '@/lib/env';
import { BERTH_CREATED_TAG, createdByBerth, listBuckets } from '@/lib/s3/buckets';
import { cn } from '@/lib/ui/cn';
import { param } from '@/lib/ui/url';
import { bucketNameSchema } from '@/lib/validation/s3';

export const metadata: Metadata = { title: 'Static site' };

type StepState = 'done' | 'current' | 'waiting' | 'todo';

function Step({ n, title, state, children }: { n: number; title: string; state: StepState; children?: React.ReactNode }) {
  return (
    <li className="flex gap-4" data-testid={`site-step-${n}`} data-state={state}>
      <span
        className={cn(
          'flex size-7 shrink-0 items-center justify-center rounded-full text-sm font-semibold',
          state === 'done' && 'bg-emerald-500 text-white',
          state === 'current' && 'bg-brand-600 text-white',
          state === 'waiting' && 'bg-amber-500 text-white',
          state === 'todo' && 'bg-zinc-200 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400',
        )}
        aria-hidden
      >
        {state === 'done' ? '✓' : n}
      </span>
      <div className="min-w-0 flex-1 pb-6">
        <p className={cn('text-sm font-semibold', state === 'todo' && 'text-zinc-400 dark:text-zinc-500')}>
          {title}
          <span className="sr-only"> ({state})</span>
        </p>
        {children ? <div className="mt-2">{children}</div> : null}
      </div>
    </li>
  );
}

export default async function StaticSitePage({ searchParams }: PageProps<'/cloudfront/-/site'>) {
  await requireRole('admin');
  const sp = await searchParams;
  const raw = param(sp, 'bucket');
  const bucket = raw && bucketNameSchema.safeParse(raw).success ? raw : null;
  return (
    <>
      <PageHeader
        eyebrow="Amazon CloudFront"
        title="Static site"
        description="A private S3 bucket behind a CloudFront distribution that only CloudFront may read: each step reads its state from AWS, so you can leave and come back, or press again after a failure."
      />
      {bucket ? <SiteSteps bucket={bucket} /> : <ChooseBucket region={resolveRegion(sp)} />}
    </>
  );
}

async function ChooseBucket({ region }: { region: string }) {
  const buckets = await attempt(() => listBuckets(env().defaultRegion), { service: 'S3', action: 's3:ListAllMyBuckets' });
  return (
    <Card className="max-w-3xl">
      <CardHeader title="1. The bucket" description="New buckets get Block Public Access on; only the distribution will be allowed to read." />
      <CardBody className="py-5">
        {buckets.ok ? <SiteBucketForm buckets={buckets.value.map((b) => b.name)} region={region} /> : <AwsProblemAlert problem={buckets.problem} />}
      </CardBody>
    </Card>
  );
}

async function SiteSteps({ bucket }: { bucket: string }) {
  // A teardown someone left part-way, kept in Berth's database (lib/jobs/progress.ts).
  const [r, savedTeardown] = await Promise.all([attempt(() => siteState(bucket), { service: 'CLOUDFRONT' }), unfinishedJob('site-teardown', bucket)]);
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const s = r.value;
  const dist = s.distributions[0] ?? null;
  const acls = !dist ? await attempt(() => listWebAcls(), { service: 'WAFV2' }) : null;
  const deployed = dist?.status === 'Deployed' && dist.enabled;
  const url = dist ? await distributionUrl(dist.domainName) : null;
  return (
    <div className="grid grid-cols-[1fr_22rem] items-start gap-6">
      <Card>
        <CardBody className="py-6">
          <LiveRefresh active={dist?.status === 'InProgress'} />
          <ol data-testid="site-steps">
            <Step n={1} title={s.bucketExists ? `Bucket ${bucket}` : `Bucket ${bucket} does not exist`} state={s.bucketExists ? 'done' : 'current'}>
              {s.bucketExists ? (
                <p className="text-sm text-zinc-600 dark:text-zinc-400">
                  In {s.region}. <Link href={`/s3/${bucket}`} className="text-brand-700 hover:underline dark:text-brand-300">Open the bucket</Link>
                </p>
              ) : (
                <Link href="/cloudfront/-/site" className="text-sm text-brand-700 hover:underline dark:text-brand-300">Choose or create a bucket</Link>
              )}
            </Step>
            <Step n={2} title="Content" state={!s.bucketExists ? 'todo' : s.hasIndex ? 'done' : 'current'}>
              {s.bucketExists ? (
                <>
                  <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
                    {s.hasIndex ? `index.html is there, with ${s.objectCount.toLocaleString('en-US')}${s.objectCount >= 1000 ? '+' : ''} object${s.objectCount === 1 ? '' : 's'} in the bucket. Upload again to replace files.` : 'Upload an index.html, or your build folder (its contents go to the top of the bucket).'}
                  </p>
                  <div className="rounded-lg border border-zinc-200 dark:border-zinc-800">
                    <UploadPanel bucket={bucket} prefix="" maxBytes={env().uploadMaxBytes} folderContents />
                  </div>
                </>
              ) : null}
            </Step>
            <Step n={3} title={dist ? `Distribution ${dist.id}` : 'Distribution with Origin Access Control'} state={dist ? 'done' : s.hasIndex ? 'current' : 'todo'}>
              {dist ? (
                <p className="text-sm text-zinc-600 dark:text-zinc-400">
                  <Link href={`/cloudfront/${dist.id}`} className="font-mono text-brand-700 hover:underline dark:text-brand-300">{dist.id}</Link>
                  {dist.webAclId ? ' · WAF on' : ' · WAF off'} · the bucket policy lets only it read
                </p>
              ) : s.hasIndex ? (
                <SiteDistributionForm bucket={bucket} callerReference={randomUUID()} webAcls={acls?.ok ? acls.value.map((a) => ({ arn: a.arn, name: a.name })) : null} />
              ) : null}
            </Step>
            <Step n={4} title="Deployed to the edge" state={!dist ? 'todo' : deployed ? 'done' : 'waiting'}>
              {dist && !deployed ? (
                <p className="flex items-center gap-2 text-sm" data-testid="site-deploying">
                  <DeployBadge status={dist.status} />
                  {dist.lastModified ? <Elapsed since={dist.lastModified} /> : null}
                  {!dist.enabled ? ' (disabled)' : null}
                </p>
              ) : null}
            </Step>
            <Step n={5} title="Open the site" state={deployed ? 'done' : 'todo'}>
              {deployed && url ? (
                <a href={url} target="_blank" rel="noreferrer" className="font-mono text-sm font-medium text-brand-700 hover:underline dark:text-brand-300" data-testid="site-url">{url} ↗</a>
              ) : null}
            </Step>
          </ol>
        </CardBody>
      </Card>
      <Card className="border-red-200 dark:border-red-900/60">
        <CardHeader title="Tear down the site" description="Disables and deletes the distribution, removes the origin access control and web ACL Berth made, and, when Berth created the bucket, empties every version from it and deletes it." />
        <CardBody className="space-y-4">
          <Suspense fallback={<div className="space-y-2" role="status" aria-label="Loading"><Skeleton className="h-4 w-48" /><Skeleton className="h-4 w-40" /></div>}>
            <WhatWillGo bucket={bucket} exists={s.bucketExists} />
          </Suspense>
          <TeardownRunner bucket={bucket} saved={savedTeardown} />
        </CardBody>
      </Card>
    </div>
  );
}

/** What a teardown would remove, counted before anyone confirms. */
async function WhatWillGo({ bucket, exists }: { bucket: string; exists: boolean }) {
  const r = await attempt(async () => {
    // Capped so a refresh while the distribution deploys stays a few calls.
    const [scope, ours] = await Promise.all([teardownScope(bucket), exists ? createdByBerth(bucket) : Promise.resolve(false)]);
    // A bucket Berth did not create is never emptied by a teardown, so there is nothing of it to count.
    const census = ours ? await countBucketContents(bucket, 5_000) : null;
    return { scope, census, keptBucket: exists && !ours };
  }, { service: 'CLOUDFRONT' });
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const { scope, census, keptBucket } = r.value;
  if (!exists && scope.ours.length === 0 && scope.others.length === 0) {
    return <p className="text-sm text-zinc-500 dark:text-zinc-400" data-testid="teardown-census">Nothing of this site is left to remove.</p>;
  }
  const n = (v: number, capped?: boolean) => `${v.toLocaleString('en-US')}${capped ? '+' : ''}`;
  return (
    <div className="space-y-2 text-sm" data-testid="teardown-census">
      <ul className="list-disc space-y-0.5 pl-5 text-zinc-700 dark:text-zinc-300">
        {scope.ours.map((d) => <li key={d.id}>distribution <span className="font-mono">{d.id}</span></li>)}
        {census ? (
          <li>
            {n(census.objects, census.capped)} objects, {n(census.versions + census.deleteMarkers, census.capped)} versions and markers in all, and the bucket
          </li>
        ) : null}
        <li>the origin access control and web ACL Berth made for it, unless something else uses them</li>
      </ul>
      {keptBucket ? (
        <Alert tone="info">
          The bucket <span className="font-mono">{bucket}</span> stays, with everything in it: Berth did not create it (it has no <span className="font-mono">{BERTH_CREATED_TAG.key}</span> tag), so a teardown never empties or deletes it.
        </Alert>
      ) : null}
      {scope.others.length ? (
        <Alert tone="warning">
          {scope.others.map((d) => d.id).join(', ')} also {scope.others.length === 1 ? 'reads' : 'read'} this bucket and {scope.others.length === 1 ? 'was' : 'were'} not made here; the teardown will stop before changing anything until {scope.others.length === 1 ? 'it is' : 'they are'} gone.
        </Alert>
      ) : null}
    </div>
  );
}
