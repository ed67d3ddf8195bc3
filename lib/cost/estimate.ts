// The arithmetic of Berth's cost estimates, kept pure so it is tested on its
// own: prices × quantities, scaled to a month, rounded for people.

export const GB = 1024 ** 3;

/** An average month: 365 days / 12, as AWS's GB-month is a month of storage. */
export const DAYS_PER_MONTH = 365 / 12;

/** The prices one estimate uses, and where they came from. */
export interface Prices {
  /** USD per GB-month by S3 storage class (STANDARD, STANDARD_IA…). */
  s3PerGb: Record<string, number>;
  ecrPerGb: number;
  /** CloudFront, per GB out to viewers and per HTTPS request. */
  cloudFrontPerGbOut: number;
  cloudFrontPerRequest: number;
  source: 'price-list' | 'table';
  /** The date of the prices: the Price List's publication date, or the table's. */
  asOf: string;
}

/** Storage held all month: bytes as GB × price per GB-month. */
export function storageMonthlyUsd(bytes: number, perGbMonth: number): number {
  return (Math.max(0, bytes) / GB) * perGbMonth;
}

/** A bucket's month by storage class; a class with no price counts as Standard. */
export function bucketMonthlyUsd(bytesByClass: Readonly<Record<string, number>>, prices: Pick<Prices, 's3PerGb'>): number {
  let usd = 0;
  for (const [cls, bytes] of Object.entries(bytesByClass)) usd += storageMonthlyUsd(bytes, prices.s3PerGb[cls] ?? prices.s3PerGb.STANDARD ?? 0);
  return usd;
}

/**
 * A distribution's month from what it served over `days` days, scaled to an
 * average month: requests × price per request + GB out × price per GB.
 * Zero days of data is an unknown, not a zero, so it answers null.
 */
export function distributionMonthlyUsd(
  traffic: { requests: number; bytesDownloaded: number; days: number },
  prices: Pick<Prices, 'cloudFrontPerGbOut' | 'cloudFrontPerRequest'>,
): number | null {
  if (traffic.days <= 0) return null;
  const scale = DAYS_PER_MONTH / traffic.days;
  return (traffic.requests * prices.cloudFrontPerRequest + (traffic.bytesDownloaded / GB) * prices.cloudFrontPerGbOut) * scale;
}

/** Dollars for a person: cents under $1,000, whole dollars with separators above; tiny non-zero sums say so. */
export function formatMonthly(usd: number): string {
  if (!Number.isFinite(usd) || usd <= 0) return '$0.00';
  // Half a cent and up shows as a cent; below that it is still not nothing.
  if (usd < 0.005) return 'under $0.01';
  // The small nudge keeps binary fractions such as 1.235 (1.23499…) rounding up as written.
  if (usd < 999.995) return `$${(Math.round(usd * 100 + 1e-9) / 100).toFixed(2)}`;
  return `$${Math.round(usd).toLocaleString('en-US')}`;
}

/** The line every delete and cleanup flow shows. */
export function savingSentence(usd: number | null): string {
  if (usd === null) return 'What this saves could not be estimated.';
  if (usd < 0.005) return 'Saves under $0.01 a month in storage (estimated).';
  return `Saves about ${formatMonthly(usd)} a month (estimated).`;
}

/** Adds up figures that may be unknown: the sum of the known ones and how many were not. */
export function total(values: readonly (number | null | undefined)[]): { usd: number; unknown: number } {
  let usd = 0;
  let unknown = 0;
  for (const v of values) {
    if (v === null || v === undefined) unknown++;
    else usd += v;
  }
  return { usd, unknown };
}
