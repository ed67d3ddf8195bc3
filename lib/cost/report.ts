import 'server-only';
import { cache } from 'react';
import { endpointFor } from '@/lib/aws/clients';
import { attempt, type AwsProblem } from '@/lib/aws/errors';
import { readDistributions, type DistributionSummary } from '@/lib/cloudfront/distributions';
import { getRepositoryStats, peekRepositoryStats } from '@/lib/ecr/stats';
import { readRepositories } from '@/lib/ecr/repositories';
import { readBuckets } from '@/lib/s3/buckets';
import { peekBucketMeasure } from '@/lib/s3/storage';
import { bucketMonthlyUsd, distributionMonthlyUsd, storageMonthlyUsd, total } from './estimate';
import { bucketStorageByClass, distributionTraffic, type Traffic } from './metrics';
import { regionPrices, type RegionPrices } from './prices';

// The Cost page's figures for one region. Every list comes from the shared,
// cached list reads the other pages use; the per-row figures come from
// batched reads (one GetMetricData for up to 62 buckets or 250
// distributions) or from figures other pages already keep. No AWS call is
// made per row. Each section pages on its own.

export const COST_PAGE_SIZE = 25;
/** Figures are gathered for at most this many buckets and distributions; the page says when there are more. */
export const COST_CAP = 250;
/** The CloudFront window the monthly figure is scaled from. */
export const TRAFFIC_DAYS = 30;

export interface Section<Row> {
  rows: Row[];
  /** Every row of the section (for paging). */
  count: number;
  /** The estimated month over every row with a figure, and how many rows had none. */
  totalUsd: number;
  unknown: number;
  /** True when the section has more rows than COST_CAP: the total covers the first COST_CAP. */
  capped: boolean;
  problem?: AwsProblem;
  /** A sentence about figures that could not be read, when some could not. */
  note?: string;
}

export interface RepositoryCost {
  name: string;
  bytes: number | null;
  /** True when the size covers only the first 1,000 images. */
  partial: boolean;
  monthlyUsd: number | null;
}

export interface BucketCost {
  name: string;
  bytesByClass: Record<string, number> | null;
  bytes: number | null;
  /** Where the size came from: CloudWatch's daily metric, or the bucket's Storage tab count. */
  from: 'cloudwatch' | 'counted' | null;
  monthlyUsd: number | null;
}

export interface DistributionCost {
  id: string;
  domainName: string;
  comment: string;
  enabled: boolean;
  traffic: Traffic | null;
  monthlyUsd: number | null;
}

/** One page of rows; a page past the end shows the last one (links can be edited by hand). */
function slice<T>(all: T[], page: number): T[] {
  const last = Math.max(1, Math.ceil(all.length / COST_PAGE_SIZE));
  const p = Math.min(Math.max(1, page), last);
  return all.slice((p - 1) * COST_PAGE_SIZE, p * COST_PAGE_SIZE);
}

/** A section whose list could not be read: no rows, and the problem to show in their place. */
function unlisted<Row>(problem: AwsProblem): Section<Row> {
  return { rows: [], count: 0, totalUsd: 0, unknown: 0, capped: false, problem };
}

/**
 * What every section does once its list and figures are in hand: the requested page's rows, and
 * the month's total over `measured` (the leading rows figures were gathered for; the section is
 * capped when that is fewer than all). `note` words what the total could not cover.
 */
function section<Item, Row extends { monthlyUsd: number | null }>(
  all: Item[],
  measured: Item[],
  page: number,
  figure: (item: Item) => Row,
  note: (t: { usd: number; unknown: number }) => string | undefined,
): Section<Row> {
  const t = total(measured.map((item) => figure(item).monthlyUsd));
  return {
    rows: slice(all, page).map(figure),
    count: all.length,
    totalUsd: t.usd,
    unknown: t.unknown,
    capped: all.length > measured.length,
    note: note(t),
  };
}

export const repositoryCosts = cache(async (region: string, page: number, prices: RegionPrices): Promise<Section<RepositoryCost>> => {
  const list = await attempt(() => readRepositories(region), { service: 'ECR', endpoint: endpointFor('ECR', region), action: 'ecr:DescribeRepositories' });
  if (!list.ok) return unlisted(list.problem);
  const names = list.value.value.map((r) => r.name).sort((a, b) => a.localeCompare(b));
  // The visible page's figures are the repositories list's own (shared, kept
  // for minutes, refreshed in the background); the rest are only what is kept.
  // Kept figures cost no call, so the total covers every repository: no cap.
  const [pageStats, kept] = await Promise.all([getRepositoryStats(region, slice(names, page)), peekRepositoryStats(region, names)]);
  const figure = (name: string): RepositoryCost => {
    const s = pageStats.get(name) ?? kept.get(name) ?? null;
    return { name, bytes: s?.totalBytes ?? null, partial: s ? !s.complete : false, monthlyUsd: s ? storageMonthlyUsd(s.totalBytes, prices.ecrPerGb) : null };
  };
  return section(names, names, page, figure, (t) =>
    t.unknown ? `${t.unknown} of ${names.length} repositories have not been counted recently; their figures appear once their page of this list or of the ECR list is viewed.` : undefined,
  );
});

export const bucketCosts = cache(async (region: string, page: number, prices: RegionPrices): Promise<Section<BucketCost>> => {
  const list = await attempt(() => readBuckets(region), { service: 'S3', endpoint: endpointFor('S3', region), action: 's3:ListAllMyBuckets' });
  if (!list.ok) return unlisted(list.problem);
  const names = list.value.value.filter((b) => (b.region ?? 'us-east-1') === region).map((b) => b.name).sort((a, b) => a.localeCompare(b));
  const measured = names.slice(0, COST_CAP);
  const metrics = await bucketStorageByClass(measured, region);
  const figure = (name: string): BucketCost => {
    const fromMetrics = metrics.ok ? metrics.value.get(name) : undefined;
    const counted = fromMetrics ? undefined : peekBucketMeasure(name);
    const byClass = fromMetrics ?? (counted ? Object.fromEntries(counted.byClass.map((c) => [c.storageClass, c.bytes])) : null);
    if (!byClass) return { name, bytesByClass: null, bytes: null, from: null, monthlyUsd: null };
    return {
      name,
      bytesByClass: byClass,
      bytes: Object.values(byClass).reduce((n, b) => n + b, 0),
      from: fromMetrics ? 'cloudwatch' : 'counted',
      monthlyUsd: bucketMonthlyUsd(byClass, prices),
    };
  };
  return section(names, measured, page, figure, (t) =>
    !metrics.ok
      ? `CloudWatch's storage metrics could not be read: ${metrics.problem.message}`
      : t.unknown
        ? `${t.unknown} bucket${t.unknown === 1 ? ' has' : 's have'} no CloudWatch storage metric from the last three days (S3 sends them once a day; a new or empty bucket has none). A bucket's Storage tab counts it by listing.`
        : undefined,
  );
});

export const distributionCosts = cache(async (page: number, prices: RegionPrices): Promise<Section<DistributionCost>> => {
  const list = await attempt(() => readDistributions(), { service: 'CLOUDFRONT', endpoint: endpointFor('CLOUDFRONT', 'us-east-1'), action: 'cloudfront:ListDistributions' });
  if (!list.ok) return unlisted(list.problem);
  const all: DistributionSummary[] = [...list.value.value].sort((a, b) => a.id.localeCompare(b.id));
  const measured = all.slice(0, COST_CAP);
  const traffic = await distributionTraffic(measured.map((d) => d.id), TRAFFIC_DAYS);
  const figure = (d: DistributionSummary): DistributionCost => {
    const t = traffic.ok ? (traffic.value.get(d.id) ?? null) : null;
    return { id: d.id, domainName: d.domainName, comment: d.comment, enabled: d.enabled, traffic: t, monthlyUsd: t ? distributionMonthlyUsd(t, prices) : null };
  };
  return section(all, measured, page, figure, () =>
    traffic.ok ? undefined : `CloudFront's metrics could not be read from CloudWatch: ${traffic.problem.message}`,
  );
});

export { regionPrices };
