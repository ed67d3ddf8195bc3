import type Database from 'better-sqlite3';
import { PRICE_FILE } from '../pricing/catalog';

/**
 * What the emulator would bill, worked out from what it stores, what it has
 * stored and what its CloudFront edge served, priced from the emulator's own
 * price list (../pricing/price-list.json):
 *
 * - ECR image bytes and S3 object bytes (every version, by storage class),
 *   billed in GB-months: bytes held for an hour cost price × GB /
 *   hours-in-that-month. What is stored now accrues from when it was written
 *   (an image's push, an object version's last modification) until now; a
 *   noncurrent version counts as stored.
 *   https://aws.amazon.com/s3/pricing/ ("GB-month")
 * - What was stored and is gone (a deleted or overwritten image or object
 *   version, an emptied bucket, a deleted repository) accrues for the time
 *   it was stored, from the ledger the deletions write (ledger.ts), so its
 *   past cost stays in past days.
 * - CloudFront requests and bytes sent to viewers, per hour, from the same
 *   ledger, under CloudFront's usage types and the "global" region, priced
 *   at the edge location's first tier. CloudFront's always-free allowance is
 *   not taken off, as the Price List does not take it off either.
 *   https://aws.amazon.com/cloudfront/pricing/
 *
 * Not counted: requests to ECR and S3, transfer out of a region, transfer
 * from the edge to an origin (DataTransfer-Out-OBytes).
 */

export const SERVICE_NAMES = {
  ecr: 'Amazon EC2 Container Registry (ECR)',
  s3: 'Amazon Simple Storage Service',
  cloudfront: 'Amazon CloudFront',
} as const;

/** Cost Explorer's REGION value for CloudFront's usage, which is billed per edge location, not per region. */
export const GLOBAL_REGION = 'global';

interface Usage {
  service: string;
  region: string;
  usageType: string;
}

/**
 * Bytes written within one hour and stored until now, or until within a
 * later hour, with their price. The hours are whole; how much of the first
 * and last hour the bytes were not stored is kept apart, in byte-ms.
 */
export interface StoredBytes extends Usage {
  kind: 'storage';
  bytes: number;
  /** Start of the hour they were written in (epoch ms). */
  fromMs: number;
  /** End of the hour they stopped being stored in; Infinity while still stored. */
  toMs: number;
  /** Sum of bytes × (written − fromMs). */
  headByteMs: number;
  /** Sum of bytes × (toMs − ended); 0 while still stored. */
  tailByteMs: number;
  usdPerGbMonth: number;
}

/** A quantity used within one hour (requests, GB sent), with its price per unit. */
export interface HourlyUsage extends Usage {
  kind: 'hourly';
  hourMs: number;
  quantity: number;
  usdPerUnit: number;
}

export type UsageItem = StoredBytes | HourlyUsage;

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

/** One row of stored bytes, as the queries below read it. */
interface StoredRow {
  region: string;
  bytes: number;
  from_ms: number;
  to_ms: number | null;
  head_byte_ms: number;
  tail_byte_ms: number;
}

function storage(service: string, usageType: string, usdPerGbMonth: number, r: StoredRow): StoredBytes {
  return {
    kind: 'storage',
    service,
    region: r.region,
    usageType,
    bytes: r.bytes,
    fromMs: r.from_ms,
    toMs: r.to_ms ?? Infinity,
    headByteMs: r.head_byte_ms,
    tailByteMs: r.tail_byte_ms,
    usdPerGbMonth,
  };
}

function ecrStorage(r: StoredRow): StoredBytes {
  return storage(SERVICE_NAMES.ecr, `${regionInfo(r.region).prefix}${PRICE_FILE.AmazonECR.usage}`, priceIn(PRICE_FILE.AmazonECR.prices, r.region), r);
}

function s3Storage(r: StoredRow & { storage_class: string }): StoredBytes {
  const p = s3Price(r.storage_class, r.region);
  return storage(SERVICE_NAMES.s3, p.usageType, p.usd, r);
}

/**
 * The price of one unit of a CloudFront usage type at an edge location, in
 * the unit Cost Explorer counts it in (GB sent, requests). Requests to the
 * -Proxy usage types (methods other than GET and HEAD) cost what HTTP or
 * HTTPS requests cost; transfer is priced at its first tier (10 TB a month),
 * which an emulator never passes.
 */
function edgePrice(location: string, usageType: string): { usdPerUnit: number; perByte: boolean } {
  const e = PRICE_FILE.AmazonCloudFront.edgeLocations[location] ?? PRICE_FILE.AmazonCloudFront.edgeLocations['United States']!;
  if (usageType.endsWith('DataTransfer-Out-Bytes')) return { usdPerUnit: e.transferFirst10Tb, perByte: true };
  const https = usageType.endsWith('HTTPS') || usageType.endsWith('HTTPS-Proxy');
  return { usdPerUnit: (https ? e.httpsPer10k : e.httpPer10k) / 10_000, perByte: false };
}

/**
 * Every usage that may fall within [startMs, endMs): what is stored now
 * (grouped by the hour it was written in), what was stored and is gone (from
 * the ledger) and what the edge served in those hours.
 */
export function usageItems(db: Database.Database, startMs: number, endMs: number): UsageItem[] {
  const out: UsageItem[] = [];
  // What is stored now, per hour written in; the products are REAL so a large sum cannot overflow SQLite's integers.
  const images = db
    .prepare(
      `SELECT region, SUM(size_bytes) AS bytes, (pushed_at_ms / ${HOUR}) * ${HOUR} AS from_ms, NULL AS to_ms,
              SUM(CAST(size_bytes AS REAL) * (pushed_at_ms % ${HOUR})) AS head_byte_ms, 0 AS tail_byte_ms
         FROM ecr_images GROUP BY region, from_ms`,
    )
    .all() as StoredRow[];
  for (const r of images) out.push(ecrStorage(r));
  const objects = db
    .prepare(
      `SELECT b.region AS region, o.storage_class AS storage_class, SUM(o.size) AS bytes, (o.last_modified_ms / ${HOUR}) * ${HOUR} AS from_ms,
              NULL AS to_ms, SUM(CAST(o.size AS REAL) * (o.last_modified_ms % ${HOUR})) AS head_byte_ms, 0 AS tail_byte_ms
         FROM s3_objects o JOIN s3_buckets b ON b.name = o.bucket
        WHERE o.is_delete_marker = 0
        GROUP BY b.region, o.storage_class, from_ms`,
    )
    .all() as (StoredRow & { storage_class: string })[];
  for (const r of objects) out.push(s3Storage(r));

  // What was stored and is gone, where its time overlaps the window.
  const ended = db
    .prepare('SELECT service, region, storage_class, from_ms, to_ms, bytes, head_byte_ms, tail_byte_ms FROM ce_ended_storage WHERE to_ms > ? AND from_ms < ?')
    .all(startMs, endMs) as (StoredRow & { service: string; storage_class: string })[];
  for (const r of ended) out.push(r.service === 'ecr' ? ecrStorage(r) : s3Storage(r));

  const edge = db
    .prepare('SELECT hour_ms, location, usage_type, quantity FROM ce_edge_usage WHERE hour_ms >= ? AND hour_ms < ?')
    .all(startMs, endMs) as { hour_ms: number; location: string; usage_type: string; quantity: number }[];
  for (const r of edge) {
    const p = edgePrice(r.location, r.usage_type);
    out.push({
      kind: 'hourly',
      service: SERVICE_NAMES.cloudfront,
      region: GLOBAL_REGION,
      usageType: r.usage_type,
      hourMs: r.hour_ms,
      quantity: p.perByte ? r.quantity / GB : r.quantity,
      usdPerUnit: p.usdPerUnit,
    });
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
 * Cost and usage quantity of `u` within [fromMs, toMs), stopping at `nowMs`:
 * GB-months for storage, the counted unit (requests, GB) for hourly usage.
 * The window lies within one month (a day or a clipped month), so one
 * hours-in-month divides it, and its ends are whole hours, so an hour of
 * storage is either inside it or not.
 */
export function accrued(u: UsageItem, fromMs: number, toMs: number, nowMs: number): { usd: number; quantity: number } {
  if (u.kind === 'hourly') {
    if (u.hourMs < fromMs || u.hourMs >= toMs) return { usd: 0, quantity: 0 };
    return { usd: u.quantity * u.usdPerUnit, quantity: u.quantity };
  }
  const ended = Number.isFinite(u.toMs);
  // Ended storage runs to the end of its last hour less the tail, which lies
  // before now; what is stored runs until now.
  const a = Math.max(fromMs, u.fromMs);
  const b = Math.min(toMs, ended ? u.toMs : nowMs);
  if (b <= a) return { usd: 0, quantity: 0 };
  let byteMs = u.bytes * (b - a);
  if (u.fromMs >= fromMs) byteMs -= u.headByteMs;
  if (ended && u.toMs <= toMs) byteMs -= u.tailByteMs;
  if (byteMs <= 0) return { usd: 0, quantity: 0 };
  const gbMonths = byteMs / GB / HOUR / hoursInMonthOf(fromMs);
  return { usd: gbMonths * u.usdPerGbMonth, quantity: gbMonths };
}
