import 'server-only';
import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { cloudwatchClient } from '@/lib/aws/clients';
import { sharedReads } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';

// Reads of CloudWatch metrics for the pages' charts and for cost estimates.
// Each chart set is one GetMetricData call (up to 500 metrics in one call,
// paged by NextToken), kept briefly in the shared read cache, so a page never
// asks per point or per line.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html

export type MetricRange = '24h' | '7d' | '30d';
export const METRIC_RANGES: readonly MetricRange[] = ['24h', '7d', '30d'];

export function parseRange(v: string | undefined): MetricRange {
  return v === '7d' || v === '30d' ? v : '24h';
}

const HOUR = 3_600_000;
const RANGE_MS: Record<MetricRange, number> = { '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR };
/** Periods that give 100-300 points a chart: 5 minutes, 1 hour, 6 hours. Multiples of 300 read data up to 63 days back. */
const RANGE_PERIOD: Record<MetricRange, number> = { '24h': 300, '7d': 3600, '30d': 21600 };

export interface MetricSpec {
  id: string;
  label: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: 'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'SampleCount';
}

export interface Point {
  /** ms since the epoch: the start of the period. */
  t: number;
  v: number;
}

export interface Series {
  id: string;
  label: string;
  points: Point[];
}

export interface SeriesSet {
  series: Series[];
  startMs: number;
  endMs: number;
  periodSec: number;
}

function window(range: MetricRange, periodSec: number): { startMs: number; endMs: number } {
  // Aligned to the period, so the same minute's views share one cached answer and the periods line up.
  const step = periodSec * 1000;
  const endMs = Math.ceil(Date.now() / step) * step;
  return { startMs: endMs - RANGE_MS[range], endMs };
}

/** The most queries one GetMetricData request takes. */
const MAX_QUERIES = 500;

/** One GetMetricData call (with its pages; one per 500 metrics) for several metrics over a window. */
export async function readSeries(region: string, specs: readonly MetricSpec[], startMs: number, endMs: number, periodSec: number): Promise<SeriesSet> {
  const key = `cloudwatch:${region}:${periodSec}:${startMs}:${endMs}:${JSON.stringify(specs)}`;
  const got = await sharedReads().read(
    { key, region, tags: [readTags.metrics()], weight: (s: SeriesSet) => 1 + s.series.reduce((n, x) => n + x.points.length, 0) / 100 },
    () => fetchSeries(region, specs, startMs, endMs, periodSec),
  );
  return got.value;
}

async function fetchSeries(region: string, specs: readonly MetricSpec[], startMs: number, endMs: number, periodSec: number): Promise<SeriesSet> {
  const queries: MetricDataQuery[] = specs.map((s) => ({
    Id: s.id,
    Label: s.label,
    MetricStat: {
      Metric: { Namespace: s.namespace, MetricName: s.metricName, Dimensions: Object.entries(s.dimensions).map(([Name, Value]) => ({ Name, Value })) },
      Period: periodSec,
      Stat: s.stat,
    },
  }));
  const byId = new Map<string, Point[]>(specs.map((s) => [s.id, []]));
  // GetMetricData takes at most 500 queries a request: larger sets (the Cost
  // page's buckets × storage classes) go in consecutive requests of 500.
  for (let i = 0; i < queries.length; i += MAX_QUERIES) {
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await cloudwatchClient(region).send(
        new GetMetricDataCommand({ StartTime: new Date(startMs), EndTime: new Date(endMs), MetricDataQueries: queries.slice(i, i + MAX_QUERIES), ScanBy: 'TimestampAscending', NextToken: token }),
      );
      for (const r of out.MetricDataResults ?? []) {
        const list = byId.get(r.Id ?? '');
        if (!list) continue;
        (r.Timestamps ?? []).forEach((t, j) => list.push({ t: t.getTime(), v: r.Values?.[j] ?? 0 }));
      }
      token = out.NextToken;
      pages++;
    } while (token && pages < 20);
  }
  return {
    series: specs.map((s) => ({ id: s.id, label: s.label, points: (byId.get(s.id) ?? []).sort((a, b) => a.t - b.t) })),
    startMs,
    endMs,
    periodSec,
  };
}

/** Charts over a range at the range's period. */
export function readRange(region: string, specs: readonly MetricSpec[], range: MetricRange, periodSec = RANGE_PERIOD[range]): Promise<SeriesSet> {
  const { startMs, endMs } = window(range, periodSec);
  return readSeries(region, specs, startMs, endMs, periodSec);
}

// ECR -----------------------------------------------------------------------

/**
 * A repository's image pulls (AWS/ECR RepositoryPullCount, Sum), in the
 * repository's region.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-repository-metrics.html
 */
export function repositoryPulls(region: string, repository: string, range: MetricRange): Promise<SeriesSet> {
  return readRange(
    region,
    [{ id: 'pulls', label: 'Pulls', namespace: 'AWS/ECR', metricName: 'RepositoryPullCount', dimensions: { RepositoryName: repository }, stat: 'Sum' }],
    range,
  );
}

// CloudFront ----------------------------------------------------------------

/** CloudFront publishes its metrics in us-east-1 only, with Region=Global. */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';

const cf = (id: string, label: string, metricName: string, distributionId: string, stat: MetricSpec['stat']): MetricSpec => ({
  id,
  label,
  namespace: 'AWS/CloudFront',
  metricName,
  dimensions: { DistributionId: distributionId, Region: 'Global' },
  stat,
});

/**
 * A distribution's requests, bytes downloaded and error rates, as CloudFront
 * publishes them by default: counts summed, rates averaged (percent).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
 */
export function distributionMonitoring(distributionId: string, range: MetricRange): Promise<SeriesSet> {
  return readRange(
    CLOUDFRONT_METRICS_REGION,
    [
      cf('requests', 'Requests', 'Requests', distributionId, 'Sum'),
      cf('downloaded', 'Bytes downloaded', 'BytesDownloaded', distributionId, 'Sum'),
      cf('uploaded', 'Bytes uploaded', 'BytesUploaded', distributionId, 'Sum'),
      cf('e4xx', '4xx error rate', '4xxErrorRate', distributionId, 'Average'),
      cf('e5xx', '5xx error rate', '5xxErrorRate', distributionId, 'Average'),
      cf('total', 'Total error rate', 'TotalErrorRate', distributionId, 'Average'),
    ],
    range,
  );
}

export interface DistributionTraffic {
  distributionId: string;
  days: number;
  requests: number;
  bytesDownloaded: number;
  bytesUploaded: number;
}

/**
 * A distribution's totals over the last `days` days (at most 63, the reach of
 * one-hour data at full detail), for cost estimates: one GetMetricData call
 * at a one-day period.
 */
export async function distributionTraffic(distributionId: string, days: number): Promise<DistributionTraffic> {
  const d = Math.max(1, Math.min(63, Math.round(days)));
  const periodSec = 86_400;
  const endMs = Math.ceil(Date.now() / (periodSec * 1000)) * periodSec * 1000;
  const set = await readSeries(
    CLOUDFRONT_METRICS_REGION,
    [
      cf('requests', 'Requests', 'Requests', distributionId, 'Sum'),
      cf('downloaded', 'Bytes downloaded', 'BytesDownloaded', distributionId, 'Sum'),
      cf('uploaded', 'Bytes uploaded', 'BytesUploaded', distributionId, 'Sum'),
    ],
    endMs - d * 86_400_000,
    endMs,
    periodSec,
  );
  const total = (id: string) => set.series.find((s) => s.id === id)?.points.reduce((n, p) => n + p.v, 0) ?? 0;
  return { distributionId, days: d, requests: total('requests'), bytesDownloaded: total('downloaded'), bytesUploaded: total('uploaded') };
}

// S3 ------------------------------------------------------------------------

/**
 * The StorageType values of BucketSizeBytes and the storage class whose price
 * each is billed at. Overheads of archived objects: 8 KB per object billed as
 * Standard (the S3 overheads) and 32 KB at the archive's own rate.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html
 */
export const STORAGE_TYPES: Record<string, string> = {
  StandardStorage: 'STANDARD',
  IntelligentTieringFAStorage: 'INTELLIGENT_TIERING',
  IntelligentTieringIAStorage: 'INTELLIGENT_TIERING',
  IntelligentTieringAAStorage: 'INTELLIGENT_TIERING',
  IntelligentTieringAIAStorage: 'INTELLIGENT_TIERING',
  IntelligentTieringDAAStorage: 'INTELLIGENT_TIERING',
  StandardIAStorage: 'STANDARD_IA',
  StandardIASizeOverhead: 'STANDARD_IA',
  OneZoneIAStorage: 'ONEZONE_IA',
  OneZoneIASizeOverhead: 'ONEZONE_IA',
  ReducedRedundancyStorage: 'REDUCED_REDUNDANCY',
  GlacierInstantRetrievalStorage: 'GLACIER_IR',
  GlacierIRSizeOverhead: 'GLACIER_IR',
  GlacierStorage: 'GLACIER',
  GlacierStagingStorage: 'GLACIER',
  GlacierObjectOverhead: 'GLACIER',
  GlacierS3ObjectOverhead: 'STANDARD',
  DeepArchiveStorage: 'DEEP_ARCHIVE',
  DeepArchiveStagingStorage: 'DEEP_ARCHIVE',
  DeepArchiveObjectOverhead: 'DEEP_ARCHIVE',
  DeepArchiveS3ObjectOverhead: 'STANDARD',
  ExpressOneZone: 'EXPRESS_ONEZONE',
};

const s3Size = (bucket: string, type: string): MetricSpec => ({
  id: `b_${type}`,
  label: type,
  namespace: 'AWS/S3',
  metricName: 'BucketSizeBytes',
  dimensions: { BucketName: bucket, StorageType: type },
  stat: 'Average',
});
const s3Count = (bucket: string): MetricSpec => ({
  id: 'objects',
  label: 'Objects',
  namespace: 'AWS/S3',
  metricName: 'NumberOfObjects',
  dimensions: { BucketName: bucket, StorageType: 'AllStorageTypes' },
  stat: 'Average',
});

/**
 * A bucket's daily storage samples over a range (one point a day), every
 * storage type in one call; types with no data are left out.
 */
export async function bucketStorageSeries(bucket: string, region: string, range: MetricRange): Promise<SeriesSet> {
  const set = await readRange(region, [...Object.keys(STORAGE_TYPES).map((t) => s3Size(bucket, t)), s3Count(bucket)], range, 86_400);
  return { ...set, series: set.series.filter((s) => s.points.length > 0) };
}

export interface BucketStorageByClass {
  bucket: string;
  region: string;
  /** The day of the latest sample (ms since the epoch), or null when CloudWatch has none in the last three days. */
  sampledAt: number | null;
  /** Bytes by storage class (overheads added to the class they are billed as). */
  byClass: { storageClass: string; bytes: number }[];
  /** Bytes by StorageType, as CloudWatch reports them. */
  byStorageType: { storageType: string; bytes: number }[];
  /** NumberOfObjects: every version and delete marker. */
  objects: number | null;
}

/**
 * A bucket's latest daily storage sample from CloudWatch (BucketSizeBytes per
 * StorageType, NumberOfObjects), for cost estimates and the storage tab of
 * large buckets: one GetMetricData call, however many objects.
 */
export async function bucketStorageByClass(bucket: string, region: string): Promise<BucketStorageByClass> {
  const periodSec = 86_400;
  const endMs = Math.ceil(Date.now() / (periodSec * 1000)) * periodSec * 1000;
  const set = await readSeries(region, [...Object.keys(STORAGE_TYPES).map((t) => s3Size(bucket, t)), s3Count(bucket)], endMs - 3 * 86_400_000, endMs, periodSec);
  return latestStorage(bucket, region, set);
}

export function latestStorage(bucket: string, region: string, set: SeriesSet): BucketStorageByClass {
  let sampledAt: number | null = null;
  for (const s of set.series) for (const p of s.points) if (sampledAt === null || p.t > sampledAt) sampledAt = p.t;
  const at = (s: Series) => s.points.find((p) => p.t === sampledAt)?.v;
  const byStorageType: { storageType: string; bytes: number }[] = [];
  const classes = new Map<string, number>();
  let objects: number | null = null;
  for (const s of set.series) {
    const v = at(s);
    if (v === undefined) continue;
    if (s.id === 'objects') {
      objects = v;
      continue;
    }
    const type = s.label;
    byStorageType.push({ storageType: type, bytes: v });
    const cls = STORAGE_TYPES[type] ?? 'STANDARD';
    classes.set(cls, (classes.get(cls) ?? 0) + v);
  }
  return {
    bucket,
    region,
    sampledAt,
    byClass: [...classes.entries()].map(([storageClass, bytes]) => ({ storageClass, bytes })).sort((a, b) => b.bytes - a.bytes),
    byStorageType: byStorageType.sort((a, b) => b.bytes - a.bytes),
    objects,
  };
}
