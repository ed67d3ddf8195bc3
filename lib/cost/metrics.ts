import 'server-only';
import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { cloudwatchClient } from '@/lib/aws/clients';
import { describeAwsError, type AwsProblem } from '@/lib/aws/errors';

// The CloudWatch figures the Cost page needs, one function per figure, each a
// batched GetMetricData (up to 500 metrics a request) rather than a call per
// row. They are written here for the Cost page alone; lib/cloudwatch/ is
// meant to own CloudWatch reads, and at merge these two should call its
// `bucketStorageByClass` and `distributionTraffic` instead.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html

const DAY = 86_400_000;
const MAX_QUERIES = 500;
const KEEP_MS = 15 * 60_000;

/**
 * S3's daily storage metrics (AWS/S3 BucketSizeBytes, one StorageType per
 * class), sent once a day per bucket:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html#s3-cloudwatch-metrics
 */
export const STORAGE_TYPES: Record<string, string> = {
  StandardStorage: 'STANDARD',
  IntelligentTieringFAStorage: 'INTELLIGENT_TIERING',
  StandardIAStorage: 'STANDARD_IA',
  OneZoneIAStorage: 'ONEZONE_IA',
  GlacierInstantRetrievalStorage: 'GLACIER_IR',
  GlacierStorage: 'GLACIER',
  DeepArchiveStorage: 'DEEP_ARCHIVE',
  ReducedRedundancyStorage: 'REDUCED_REDUNDANCY',
};

/**
 * A sentence for a failed read. The error mapper knows no CloudWatch table, so
 * only a refusal naming the missing permission is passed on as it words it;
 * anything else is said plainly, without pinning it on another service.
 */
function cloudwatchProblem(err: unknown): AwsProblem {
  const p = describeAwsError(err, { service: 'S3', action: 'cloudwatch:GetMetricData' });
  if (p.missingAction || p.title === 'AWS could not be reached' || p.title === 'AWS is rate-limiting') return p;
  return {
    ...p,
    title: 'CloudWatch metrics unavailable',
    message: `CloudWatch did not answer GetMetricData${p.code ? ` (${p.code})` : ''}, so these figures are unknown. Against AWS, check that Berth may call cloudwatch:GetMetricData; an endpoint without CloudWatch (an emulator) has no metrics to give.`,
  };
}

export type MetricsRead<T> = { ok: true; value: T } | { ok: false; problem: AwsProblem };

const kept = new Map<string, { at: number; value: unknown }>();

async function remembered<T>(key: string, read: () => Promise<T>): Promise<T> {
  const hit = kept.get(key);
  if (hit && Date.now() - hit.at < KEEP_MS) return hit.value as T;
  const value = await read();
  kept.set(key, { at: Date.now(), value });
  if (kept.size > 200) kept.delete(kept.keys().next().value!);
  return value;
}

/** Runs queries in batches of 500 and returns each query id's values (newest first). */
async function metricData(region: string, queries: MetricDataQuery[], startMs: number, endMs: number): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < queries.length; i += MAX_QUERIES) {
    let token: string | undefined;
    do {
      const r = await cloudwatchClient(region).send(
        new GetMetricDataCommand({
          MetricDataQueries: queries.slice(i, i + MAX_QUERIES),
          StartTime: new Date(startMs),
          EndTime: new Date(endMs),
          ScanBy: 'TimestampDescending',
          NextToken: token,
        }),
      );
      for (const res of r.MetricDataResults ?? []) {
        if (!res.Id) continue;
        out.set(res.Id, [...(out.get(res.Id) ?? []), ...(res.Values ?? [])]);
      }
      token = r.NextToken;
    } while (token);
  }
  return out;
}

/**
 * Each bucket's latest daily size by storage class (bytes), from CloudWatch in
 * the buckets' region. A bucket with no datapoints in the last three days is
 * absent from the map: S3 had not reported it yet (a new bucket) or it is
 * empty, and the caller says so instead of showing zero.
 * Switch to lib/cloudwatch's bucketStorageByClass at merge.
 */
export async function bucketStorageByClass(buckets: readonly string[], region: string): Promise<MetricsRead<Map<string, Record<string, number>>>> {
  if (buckets.length === 0) return { ok: true, value: new Map() };
  try {
    const value = await remembered(`s3:${region}:${buckets.join(',')}`, async () => {
      const types = Object.keys(STORAGE_TYPES);
      const queries: MetricDataQuery[] = buckets.flatMap((bucket, b) =>
        types.map((type, t) => ({
          Id: `b${b}_${t}`,
          MetricStat: {
            Metric: { Namespace: 'AWS/S3', MetricName: 'BucketSizeBytes', Dimensions: [{ Name: 'BucketName', Value: bucket }, { Name: 'StorageType', Value: type }] },
            Period: 86_400,
            Stat: 'Average',
          },
          ReturnData: true,
        })),
      );
      const now = Date.now();
      const data = await metricData(region, queries, now - 3 * DAY, now);
      const sizes = new Map<string, Record<string, number>>();
      buckets.forEach((bucket, b) => {
        const byClass: Record<string, number> = {};
        types.forEach((type, t) => {
          const latest = data.get(`b${b}_${t}`)?.[0];
          if (latest !== undefined) byClass[STORAGE_TYPES[type]!] = latest;
        });
        if (Object.keys(byClass).length > 0) sizes.set(bucket, byClass);
      });
      return sizes;
    });
    return { ok: true, value };
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
 * Switch to lib/cloudwatch's distributionTraffic at merge.
 */
export async function distributionTraffic(ids: readonly string[], days: number): Promise<MetricsRead<Map<string, Traffic>>> {
  if (ids.length === 0) return { ok: true, value: new Map() };
  try {
    const value = await remembered(`cf:${days}:${ids.join(',')}`, async () => {
      const metric = (id: string, name: string) => ({
        Namespace: 'AWS/CloudFront',
        MetricName: name,
        Dimensions: [{ Name: 'DistributionId', Value: id }, { Name: 'Region', Value: 'Global' }],
      });
      const queries: MetricDataQuery[] = ids.flatMap((id, i) => [
        { Id: `r${i}`, MetricStat: { Metric: metric(id, 'Requests'), Period: 86_400, Stat: 'Sum' }, ReturnData: true },
        { Id: `d${i}`, MetricStat: { Metric: metric(id, 'BytesDownloaded'), Period: 86_400, Stat: 'Sum' }, ReturnData: true },
      ]);
      const now = Date.now();
      const data = await metricData('us-east-1', queries, now - days * DAY, now);
      const sum = (xs: number[] | undefined) => (xs ?? []).reduce((n, x) => n + x, 0);
      return new Map(ids.map((id, i) => [id, { requests: sum(data.get(`r${i}`)), bytesDownloaded: sum(data.get(`d${i}`)), days }]));
    });
    return { ok: true, value };
  } catch (err) {
    return { ok: false, problem: cloudwatchProblem(err) };
  }
}
