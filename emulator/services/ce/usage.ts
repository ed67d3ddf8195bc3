import type Database from 'better-sqlite3';
import { PRICE_FILE } from '../pricing/catalog';

/**
 * What the emulator would bill, worked out from what it stores: ECR image
 * bytes and S3 object bytes (every version, by storage class), priced from
 * the emulator's own price list (../pricing/price-list.json).
 *
 * Storage is billed in GB-months: bytes held for an hour cost
 * price × GB / hours-in-that-month. Each stored thing accrues from the time it
 * was written (an image's push, an object version's last modification) until
 * now; the emulator does not keep deleted things, so their past cost is gone
 * with them, and a noncurrent version counts as still stored until now.
 * https://aws.amazon.com/s3/pricing/ ("GB-month")
 *
 * CloudFront requests and transfer are not counted: the emulator keeps no
 * record of what its edge served yet (CloudWatch metrics are where that will
 * come from), so its cost is absent rather than guessed.
 */

export const SERVICE_NAMES = {
  ecr: 'Amazon EC2 Container Registry (ECR)',
  s3: 'Amazon Simple Storage Service',
} as const;

/** Bytes that started being stored within one hour, with their price. */
export interface StoredBytes {
  service: string;
  region: string;
  usageType: string;
  bytes: number;
  /** Start of the hour they were written in (epoch ms). */
  fromMs: number;
  usdPerGbMonth: number;
}

const HOUR = 3_600_000;
const GB = 1024 ** 3;

/** S3 storage classes as the price list names their usage types. */
const S3_USAGE: Record<string, string> = {
  STANDARD: 'TimedStorage-ByteHrs',
  STANDARD_IA: 'TimedStorage-SIA-ByteHrs',
  ONEZONE_IA: 'TimedStorage-ZIA-ByteHrs',
  GLACIER_IR: 'TimedStorage-GIR-ByteHrs',
  INTELLIGENT_TIERING: 'TimedStorage-INT-FA-ByteHrs',
  REDUCED_REDUNDANCY: 'TimedStorage-RRS-ByteHrs',
};

function regionInfo(region: string) {
  return PRICE_FILE.regions[region] ?? PRICE_FILE.regions['us-east-1']!;
}

function priceIn<T>(table: Record<string, T>, region: string): T {
  return table[region] ?? table['us-east-1']!;
}

function s3Price(storageClass: string, region: string): { usageType: string; usd: number } {
  const info = regionInfo(region);
  const archive = (PRICE_FILE as unknown as { s3ArchiveForCostExplorer: Record<string, { usage: string; prices: Record<string, number> }> })
    .s3ArchiveForCostExplorer[storageClass];
  if (archive) return { usageType: `${info.s3Prefix}${archive.usage}`, usd: priceIn(archive.prices, region) };
  const usage = S3_USAGE[storageClass] ?? S3_USAGE.STANDARD!;
  const row = PRICE_FILE.AmazonS3.storageClasses.find((c) => c.usage === usage)!;
  // The first tier: an emulator holds far less than 50 TB.
  return { usageType: `${info.s3Prefix}${usage}`, usd: priceIn(row.prices, region)[0]! };
}

/** Everything stored, grouped by the hour it was written in. */
export function storedBytes(db: Database.Database): StoredBytes[] {
  const out: StoredBytes[] = [];
  const images = db
    .prepare(`SELECT region, SUM(size_bytes) AS bytes, (pushed_at_ms / ${HOUR}) * ${HOUR} AS from_ms FROM ecr_images GROUP BY region, from_ms`)
    .all() as { region: string; bytes: number; from_ms: number }[];
  for (const r of images) {
    out.push({
      service: SERVICE_NAMES.ecr,
      region: r.region,
      usageType: `${regionInfo(r.region).prefix}${PRICE_FILE.AmazonECR.usage}`,
      bytes: r.bytes,
      fromMs: r.from_ms,
      usdPerGbMonth: priceIn(PRICE_FILE.AmazonECR.prices, r.region),
    });
  }
  const objects = db
    .prepare(
      `SELECT b.region AS region, o.storage_class AS storage_class, SUM(o.size) AS bytes, (o.last_modified_ms / ${HOUR}) * ${HOUR} AS from_ms
         FROM s3_objects o JOIN s3_buckets b ON b.name = o.bucket
        WHERE o.is_delete_marker = 0
        GROUP BY b.region, o.storage_class, from_ms`,
    )
    .all() as { region: string; storage_class: string; bytes: number; from_ms: number }[];
  for (const r of objects) {
    const p = s3Price(r.storage_class, r.region);
    out.push({ service: SERVICE_NAMES.s3, region: r.region, usageType: p.usageType, bytes: r.bytes, fromMs: r.from_ms, usdPerGbMonth: p.usd });
  }
  return out;
}

function hoursInMonthOf(ms: number): number {
  const d = new Date(ms);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return (end - start) / HOUR;
}

/**
 * Cost and GB-months of `s` within [fromMs, toMs), stopping at `nowMs`. The
 * window lies within one month (a day or a clipped month), so one
 * hours-in-month divides it.
 */
export function accrued(s: StoredBytes, fromMs: number, toMs: number, nowMs: number): { usd: number; gbMonths: number } {
  const a = Math.max(fromMs, s.fromMs);
  const b = Math.min(toMs, nowMs);
  if (b <= a) return { usd: 0, gbMonths: 0 };
  const gbMonths = ((s.bytes / GB) * ((b - a) / HOUR)) / hoursInMonthOf(fromMs);
  return { usd: gbMonths * s.usdPerGbMonth, gbMonths };
}
