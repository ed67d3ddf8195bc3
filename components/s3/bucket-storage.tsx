import Link from 'next/link';
import { LineChart } from '@/components/charts/line-chart';
import { ChartsSkeleton } from '@/components/monitoring/chart-skeleton';
import { RangeLinks } from '@/components/monitoring/range-links';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Alert } from '@/components/ui/alert';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Stat } from '@/components/ui/stat';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { endpointFor } from '@/lib/aws/clients';
import { attempt, type AwsProblem } from '@/lib/aws/errors';
import { bucketStorageByClass, bucketStorageSeries, type BucketStorageByClass, type MetricRange } from '@/lib/cloudwatch/metrics';
import { GB, priceBasis, pricePerGb } from '@/lib/s3/pricing';
import { MEASURE_CAP, measureBucket } from '@/lib/s3/storage';
import { formatBytes, formatDate, formatDateTime, formatUsd } from '@/lib/ui/format';
import { PRICE_TABLE } from '@/lib/cost/price-table';

const n = (v: number) => v.toLocaleString('en-US');

/**
 * Buckets with at least this many versions and delete markers (by
 * CloudWatch's NumberOfObjects) are not listed: their figures come from the
 * daily storage metrics. Smaller ones are counted exactly, as before.
 */
export const LARGE_BUCKET_OBJECTS = MEASURE_CAP;

export interface BucketStorageProps {
  bucket: string;
  region: string;
  /** `?recount=1`: count by listing now, whatever the bucket's size. */
  fresh: boolean;
  recountHref: string;
  range: MetricRange;
  rangeHref: (range: string) => string;
  /** How many versions make a bucket large (tests); LARGE_BUCKET_OBJECTS otherwise. */
  largeAt?: number;
}

/**
 * Size, object count and an estimated monthly bill, saying how they were
 * found, and daily storage charts from CloudWatch. The charts come with the
 * rest when they answer quickly, so a range link is not held back by a
 * skeleton (components/ui/suspense-if-slow.tsx); the figures, which may
 * list a whole bucket, keep a boundary of their own. Both start at once.
 */
export async function BucketStorage(props: BucketStorageProps) {
  const [figures, charts] = await Promise.all([
    suspenseIfSlow(Figures(props), <StorageSkeleton />, { keepState: true }),
    suspenseIfSlow(StorageCharts({ bucket: props.bucket, region: props.region, range: props.range }), <ChartsSkeleton count={2} />, { key: props.range }),
  ]);
  return (
    <div className="space-y-5">
      {figures}
      <div className="flex items-center justify-between gap-4">
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Daily storage</h2>
        <RangeLinks current={props.range} href={props.rangeHref} />
      </div>
      {charts}
    </div>
  );
}

const metricsCtx = (region: string) => ({ service: 'CLOUDWATCH' as const, endpoint: endpointFor('CLOUDWATCH', region), action: 'cloudwatch:GetMetricData' });

/** Picks the source: CloudWatch's daily metrics for a large bucket, an exact count by listing otherwise (or when asked). */
export async function Figures({ bucket, region, fresh, recountHref, largeAt = LARGE_BUCKET_OBJECTS }: BucketStorageProps) {
  const metrics = fresh ? undefined : await attempt(() => bucketStorageByClass(bucket, region), metricsCtx(region));
  if (metrics?.ok && (metrics.value.objects ?? 0) >= largeAt) {
    return <FromMetrics m={metrics.value} recountHref={recountHref} largeAt={largeAt} />;
  }
  return <Measured bucket={bucket} recountHref={recountHref} fresh={fresh} metricsProblem={metrics && !metrics.ok ? metrics.problem : undefined} />;
}

function FromMetrics({ m, recountHref, largeAt }: { m: BucketStorageByClass; recountHref: string; largeAt: number }) {
  const basis = priceBasis(m.region);
  const rows = m.byClass.map((c) => {
    const perGb = pricePerGb(c.storageClass, basis);
    return { ...c, perGb, monthlyUsd: (c.bytes / GB) * perGb };
  });
  const bytes = rows.reduce((a, c) => a + c.bytes, 0);
  const monthly = rows.reduce((a, c) => a + c.monthlyUsd, 0);
  return (
    <div className="space-y-5" data-testid="bucket-storage">
      <div className="grid grid-cols-3 gap-5">
        <Stat label="Objects" value={n(m.objects ?? 0)} note="every version and delete marker (NumberOfObjects)" testId="stat-objects" />
        <Stat label="Stored" value={formatBytes(bytes)} note="current and older versions (BucketSizeBytes)" testId="stat-bytes" />
        <Stat
          label="Estimated storage cost"
          value={`${formatUsd(monthly)} / month`}
          note={`${basis.exact ? m.region : `us-east-1 prices (none on file for ${m.region})`}; storage only`}
          testId="stat-monthly"
        />
      </div>
      <Card>
        <CardHeader title="By storage type" description="As S3 reports them to CloudWatch; overheads of archived objects are billed with the class shown." />
        <Table>
          <thead>
            <tr><Th>Storage type</Th><Th className="text-right">Size</Th></tr>
          </thead>
          <tbody>
            {m.byStorageType.map((t) => (
              <Tr key={t.storageType}>
                <Td className="font-mono text-xs">{t.storageType}</Td>
                <Td className="text-right tabular-nums">{formatBytes(t.bytes)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card>
        <CardHeader
          title="How these figures were found"
          action={<Link href={recountHref} className="text-sm whitespace-nowrap text-brand-700 hover:underline dark:text-brand-300">Count by listing instead</Link>}
        />
        <CardBody className="space-y-2 text-sm text-zinc-600 dark:text-zinc-300">
          <p data-testid="storage-method">
            From CloudWatch’s daily storage metrics (<span className="font-mono">AWS/S3 BucketSizeBytes</span> and{' '}
            <span className="font-mono">NumberOfObjects</span>) of {m.sampledAt ? formatDate(new Date(m.sampledAt).toISOString()) : 'the last day'}, one
            GetMetricData call. This bucket holds {n(largeAt)} or more versions, so Berth does not list them; S3 reports these
            figures once a day, so they may lag a day behind.
          </p>
          <p>
            The estimate multiplies each storage class’s size by S3’s list price for it (first 50 TB tier
            {basis.exact ? `, ${m.region}` : ', us-east-1'}). Requests, data transfer and minimum storage durations are not included.
          </p>
        </CardBody>
      </Card>
    </div>
  );
}

async function StorageCharts({ bucket, region, range }: { bucket: string; region: string; range: MetricRange }) {
  const r = await attempt(() => bucketStorageSeries(bucket, region, range), metricsCtx(region));
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const set = r.value;
  const sizes = set.series.filter((s) => s.id !== 'objects');
  const objects = set.series.filter((s) => s.id === 'objects');
  const common = { startMs: set.startMs, endMs: set.endMs };
  return (
    <div className="space-y-5" data-testid="storage-charts">
      <Card>
        <CardBody>
          <LineChart title="Size by storage type" series={sizes} {...common} format={(v) => formatBytes(v)} binary emptyText="No daily sample in this period yet." testId="chart-size" />
        </CardBody>
      </Card>
      <Card>
        <CardBody>
          <LineChart title="Objects (all versions and delete markers)" series={objects} {...common} emptyText="No daily sample in this period yet." testId="chart-objects" />
        </CardBody>
      </Card>
    </div>
  );
}

function StorageSkeleton() {
  return (
    <div className="space-y-5" role="status" aria-label="Loading">
      <div className="grid grid-cols-3 gap-5">
        {[0, 1, 2].map((i) => (
          <Card key={i} className="space-y-2 px-5 py-4"><Skeleton className="h-3 w-24" /><Skeleton className="h-6 w-32" /><Skeleton className="h-3 w-40" /></Card>
        ))}
      </div>
      <Card className="space-y-2 p-5"><Skeleton className="h-4 w-64" /><Skeleton className="h-4 w-80" /></Card>
    </div>
  );
}

async function Measured({ bucket, recountHref, fresh, metricsProblem }: { bucket: string; recountHref: string; fresh: boolean; metricsProblem?: AwsProblem }) {
  const r = await attempt(() => measureBucket(bucket, { fresh }), { service: 'S3', action: 's3:ListBucketVersions' });
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const m = r.value;
  const plus = m.capped ? '+' : '';
  const totalBytes = m.currentBytes + m.noncurrentBytes;
  return (
    <div className="space-y-5" data-testid="bucket-storage">
      <div className="grid grid-cols-3 gap-5">
        <Stat label="Objects" value={`${n(m.objects)}${plus}`} note={`${n(m.noncurrentVersions)}${plus} older versions · ${n(m.deleteMarkers)} delete markers`} testId="stat-objects" />
        <Stat label="Stored" value={`${formatBytes(totalBytes)}${plus}`} note={`${formatBytes(m.currentBytes)} current · ${formatBytes(m.noncurrentBytes)} in older versions`} testId="stat-bytes" />
        <Stat
          label="Estimated storage cost"
          value={`${formatUsd(m.monthlyUsd)}${plus} / month`}
          note={`${m.basis.exact ? m.region : `us-east-1 prices (none on file for ${m.region})`}; storage only`}
          testId="stat-monthly"
        />
      </div>
      {m.byClass.length ? (
        <Card>
          <CardHeader title="By storage class" description="Older versions are stored, and billed, like current objects." />
          <Table>
            <thead>
              <tr><Th>Storage class</Th><Th className="text-right">Versions</Th><Th className="text-right">Size</Th><Th className="text-right">Price per GB-month</Th><Th className="text-right">Per month</Th></tr>
            </thead>
            <tbody>
              {m.byClass.map((c) => (
                <Tr key={c.storageClass}>
                  <Td className="font-mono text-xs">{c.storageClass}</Td>
                  <Td className="text-right tabular-nums">{n(c.versions)}</Td>
                  <Td className="text-right tabular-nums">{formatBytes(c.bytes)}</Td>
                  <Td className="text-right text-zinc-500 tabular-nums dark:text-zinc-400">${c.perGb.toFixed(c.perGb < 0.01 ? 5 : 4)}</Td>
                  <Td className="text-right tabular-nums">{formatUsd(c.monthlyUsd)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </Card>
      ) : null}
      <Card>
        <CardHeader
          title="How these figures were found"
          action={<Link href={recountHref} className="text-sm whitespace-nowrap text-brand-700 hover:underline dark:text-brand-300">Count again</Link>}
        />
        <CardBody className="space-y-2 text-sm text-zinc-600 dark:text-zinc-300">
          <p data-testid="storage-method">
            Counted by listing every object version: {n(m.requests)} ListObjectVersions request{m.requests === 1 ? '' : 's'} at {formatDateTime(m.countedAt)}.
            {m.capped
              ? ` Berth stops after ${n(MEASURE_CAP)} entries, and this bucket has more, so every figure above is a lower bound. CloudWatch's daily BucketSizeBytes and NumberOfObjects metrics give the full totals for large buckets.`
              : ' Every version and delete marker was counted.'}{' '}
            Figures are kept for five minutes.
          </p>
          {metricsProblem ? (
            <Alert tone="warning" title="CloudWatch not readable">
              Buckets with {n(LARGE_BUCKET_OBJECTS)} or more versions take their figures from CloudWatch’s daily storage metrics, and the charts below
              come from there too. {metricsProblem.missingAction ? `Berth may not call ${metricsProblem.missingAction}: add it to Berth’s IAM policy (the optional CloudWatch statement).` : metricsProblem.message}
            </Alert>
          ) : null}
          <p>
            The estimate multiplies each storage class’s size by S3’s list price for it (first 50 TB tier
            {m.basis.exact ? `, ${m.region}` : ', us-east-1'}; Berth’s price table of {PRICE_TABLE.asOf}). Requests, data transfer, minimum storage durations and
            the parts of unfinished uploads are not included.
          </p>
          {m.uploads ? (
            <p className="text-amber-700 dark:text-amber-400" data-testid="storage-uploads">
              {n(m.uploads)}{m.uploadsCapped ? '+' : ''} unfinished multipart upload{m.uploads === 1 ? '' : 's'} hold parts that S3 bills but does not list here; a lifecycle rule that aborts incomplete uploads removes them.
            </p>
          ) : null}
        </CardBody>
      </Card>
    </div>
  );
}
