import 'server-only';
import { describeAwsError, type AwsProblem } from '@/lib/aws/errors';
import { CLOUDFRONT_METRICS_REGION, readSeries, STORAGE_TYPES, type MetricSpec } from '@/lib/cloudwatch/metrics';

// The CloudWatch figures the Cost page needs, for many buckets or
// distributions at once: one readSeries (lib/cloudwatch) per figure, which is
// GetMetricData with up to 500 metrics a request, through the shared read
// cache (so views share it, Refresh forgets it, and it runs as Berth's own
// session), never a call per row. The windows end at the current day, so a
// day's views share one answer.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html

const DAY = 86_400_000;

/**
 * A sentence for a failed read. A refusal names the missing permission;
 * anything else is said plainly.
 */
function cloudwatchProblem(err: unknown): AwsProblem {
  const p = describeAwsError(err, { service: 'CLOUDWATCH', action: 'cloudwatch:GetMetricData' });
  if (p.missingAction || p.title === 'AWS could not be reached' || p.title === 'AWS is rate-limiting') return p;
  return {
    ...p,
    title: 'CloudWatch metrics unavailable',
    message: `CloudWatch did not answer GetMetricData${p.code ? ` (${p.code})` : ''}, so these figures are unknown. Against AWS, check that Berth may call cloudwatch:GetMetricData; an endpoint without CloudWatch has no metrics to give.`,
  };
}

export type MetricsRead<T> = { ok: true; value: T } | { ok: false; problem: AwsProblem };

function dayWindow(days: number): { startMs: number; endMs: number } {
  const endMs = Math.ceil(Date.now() / DAY) * DAY;
  return { startMs: endMs - days * DAY, endMs };
}

/**
 * Each bucket's latest daily size by storage class (bytes), from S3's daily
 * storage metrics in the buckets' region. A bucket with no datapoints in the
 * last three days is absent from the map: S3 had not reported it yet (a new
 * bucket) or it is empty, and the caller says so instead of showing zero.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html#s3-cloudwatch-metrics
 */
export async function bucketStorageByClass(buckets: readonly string[], region: string): Promise<MetricsRead<Map<string, Record<string, number>>>> {
  if (buckets.length === 0) return { ok: true, value: new Map() };
  const types = Object.keys(STORAGE_TYPES);
  const specs: MetricSpec[] = buckets.flatMap((bucket, b) =>
    types.map((type, t) => ({ id: `b${b}_${t}`, label: `${bucket} ${type}`, namespace: 'AWS/S3', metricName: 'BucketSizeBytes', dimensions: { BucketName: bucket, StorageType: type }, stat: 'Average' as const })),
  );
  try {
    const { startMs, endMs } = dayWindow(3);
    const set = await readSeries(region, specs, startMs, endMs, 86_400);
    const byId = new Map(set.series.map((x) => [x.id, x.points]));
    const sizes = new Map<string, Record<string, number>>();
    buckets.forEach((bucket, b) => {
      const byClass: Record<string, number> = {};
      types.forEach((type, t) => {
        const latest = byId.get(`b${b}_${t}`)?.at(-1)?.v;
        // Several storage types bill as one class (Intelligent-Tiering's tiers, Standard-IA's size overhead): they add up.
        if (latest !== undefined) byClass[STORAGE_TYPES[type]!] = (byClass[STORAGE_TYPES[type]!] ?? 0) + latest;
      });
      if (Object.keys(byClass).length > 0) sizes.set(bucket, byClass);
    });
    return { ok: true, value: sizes };
  } catch (err) {
    return { ok: false, problem: cloudwatchProblem(err) };
  }
}

export interface Traffic {
  requests: number;
  bytesDownloaded: number;
  days: number;
}

/**
 * Requests and bytes each distribution served over the last `days` days, from
 * CloudFront's metrics (AWS/CloudFront, Region=Global, always in us-east-1).
 * No datapoints means no traffic: CloudFront sends these metrics whenever it
 * serves. https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
 */
export async function distributionTraffic(ids: readonly string[], days: number): Promise<MetricsRead<Map<string, Traffic>>> {
  if (ids.length === 0) return { ok: true, value: new Map() };
  const metric = (id: string, i: number, kind: 'r' | 'd', name: string): MetricSpec => ({
    id: `${kind}${i}`,
    label: `${id} ${name}`,
    namespace: 'AWS/CloudFront',
    metricName: name,
    dimensions: { DistributionId: id, Region: 'Global' },
    stat: 'Sum',
  });
  const specs = ids.flatMap((id, i) => [metric(id, i, 'r', 'Requests'), metric(id, i, 'd', 'BytesDownloaded')]);
  try {
    const { startMs, endMs } = dayWindow(days);
    const set = await readSeries(CLOUDFRONT_METRICS_REGION, specs, startMs, endMs, 86_400);
    const sum = (id: string) => (set.series.find((x) => x.id === id)?.points ?? []).reduce((n, p) => n + p.v, 0);
    return { ok: true, value: new Map(ids.map((id, i) => [id, { requests: sum(`r${i}`), bytesDownloaded: sum(`d${i}`), days }])) };
  } catch (err) {
    return { ok: false, problem: cloudwatchProblem(err) };
  }
}
