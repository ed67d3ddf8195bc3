import 'server-only';
import { GetProductsCommand, type Filter } from '@aws-sdk/client-pricing';
import { endpointFor, pricingClient } from '@/lib/aws/clients';
import { describeAwsError, type AwsProblem } from '@/lib/aws/errors';
import type { Prices } from './estimate';
import {
  CLOUDFRONT_HTTPS_PER_10K,
  CLOUDFRONT_TRANSFER_OUT_PER_GB,
  ECR_STORAGE_PER_GB,
  PRICE_TABLE,
  S3_CLASS_IN_US_EAST_1,
} from './price-table';
import { priceBasis, pricePerGb } from '@/lib/s3/pricing';

// Prices for the region: from the AWS Price List Query API when Berth may
// call it (pricing:GetProducts, free of charge), kept for a day because list
// prices change a few times a year; otherwise the shipped table with its date.
// Three GetProducts calls (S3 storage, ECR storage, CloudFront) of at most a
// few pages each.
// https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html

const KEEP_MS = 24 * 3_600_000;
/** A refusal is remembered for less long, so a newly granted permission shows within minutes. */
const KEEP_REFUSAL_MS = 10 * 60_000;
const MAX_PAGES = 3;

export interface RegionPrices extends Prices {
  /** Why the table is used instead of the Price List; absent when the Price List answered. */
  problem?: AwsProblem;
  /** Figures the Price List did not have, taken from the table. */
  fromTable: string[];
  readAt: number;
}

const kept = new Map<string, { at: number; keepMs: number; value: RegionPrices }>();

/** The shipped table's prices for a region. */
export function tablePrices(region: string): Prices {
  const basis = priceBasis(region);
  return {
    s3PerGb: Object.fromEntries(Object.keys(S3_CLASS_IN_US_EAST_1).map((c) => [c, pricePerGb(c, basis)])),
    ecrPerGb: ECR_STORAGE_PER_GB,
    cloudFrontPerGbOut: CLOUDFRONT_TRANSFER_OUT_PER_GB,
    cloudFrontPerRequest: CLOUDFRONT_HTTPS_PER_10K / 10_000,
    source: 'table',
    asOf: PRICE_TABLE.asOf,
  };
}

interface Item {
  product?: { attributes?: Record<string, string> };
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { unit?: string; beginRange?: string; pricePerUnit?: { USD?: string } }> }> };
  publicationDate?: string;
}

/** The first tier's USD price of a Price List item (beginRange 0), or undefined. */
export function firstTierUsd(item: Item): number | undefined {
  for (const term of Object.values(item.terms?.OnDemand ?? {})) {
    for (const d of Object.values(term.priceDimensions ?? {})) {
      if ((d.beginRange ?? '0') !== '0') continue;
      const usd = Number(d.pricePerUnit?.USD);
      if (Number.isFinite(usd)) return usd;
    }
  }
  return undefined;
}

/** S3's storage usage types (after the region prefix) and the storage classes they price. */
const S3_USAGE: Record<string, string> = {
  'TimedStorage-ByteHrs': 'STANDARD',
  'TimedStorage-SIA-ByteHrs': 'STANDARD_IA',
  'TimedStorage-ZIA-ByteHrs': 'ONEZONE_IA',
  'TimedStorage-GIR-ByteHrs': 'GLACIER_IR',
  'TimedStorage-INT-FA-ByteHrs': 'INTELLIGENT_TIERING',
  'TimedStorage-RRS-ByteHrs': 'REDUCED_REDUNDANCY',
  'TimedStorage-GlacierByteHrs': 'GLACIER',
  'TimedStorage-GDA-ByteHrs': 'DEEP_ARCHIVE',
};

function s3ClassOf(usagetype: string | undefined): string | undefined {
  if (!usagetype) return undefined;
  const m = /(TimedStorage-[A-Za-z-]*ByteHrs)$/.exec(usagetype);
  return m ? S3_USAGE[m[1]!] : undefined;
}

async function products(serviceCode: string, filters: Filter[]): Promise<Item[]> {
  const out: Item[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await pricingClient().send(new GetProductsCommand({ ServiceCode: serviceCode, Filters: filters, FormatVersion: 'aws_v1', MaxResults: 100, NextToken: token }));
    for (const raw of r.PriceList ?? []) {
      // Each item is the JSON document AWS sent, as a string (the SDK may wrap
      // it in a String object, its lazy JSON type): parse the text either way.
      out.push(JSON.parse(String(raw)) as Item);
    }
    token = r.NextToken;
    if (!token) break;
  }
  return out;
}

async function fromPriceList(region: string): Promise<RegionPrices> {
  const table = tablePrices(region);
  const term = (Field: string, Value: string): Filter => ({ Type: 'TERM_MATCH', Field, Value });
  const [s3, ecr, cf] = await Promise.all([
    products('AmazonS3', [term('regionCode', region), term('productFamily', 'Storage')]),
    products('AmazonECR', [term('regionCode', region)]),
    products('AmazonCloudFront', [{ Type: 'ANY_OF', Field: 'usagetype', Value: 'US-DataTransfer-Out-Bytes,US-Requests-Tier2-HTTPS' }]),
  ]);
  const fromTable: string[] = [];
  const s3PerGb: Record<string, number> = { ...table.s3PerGb };
  const found = new Set<string>();
  for (const item of s3) {
    const cls = s3ClassOf(item.product?.attributes?.usagetype);
    const usd = firstTierUsd(item);
    if (cls && usd !== undefined && !found.has(cls)) {
      s3PerGb[cls] = usd;
      found.add(cls);
    }
  }
  for (const cls of Object.keys(table.s3PerGb)) if (!found.has(cls)) fromTable.push(`S3 ${cls}`);
  const ecrItem = ecr.find((i) => /TimedStorage-ByteHrs$/.test(i.product?.attributes?.usagetype ?? ''));
  const ecrPerGb = ecrItem ? firstTierUsd(ecrItem) : undefined;
  if (ecrPerGb === undefined) fromTable.push('ECR storage');
  const transferItem = cf.find((i) => i.product?.attributes?.usagetype === 'US-DataTransfer-Out-Bytes');
  const requestItem = cf.find((i) => i.product?.attributes?.usagetype === 'US-Requests-Tier2-HTTPS');
  const perGbOut = transferItem ? firstTierUsd(transferItem) : undefined;
  const perRequest = requestItem ? firstTierUsd(requestItem) : undefined;
  if (perGbOut === undefined) fromTable.push('CloudFront data transfer');
  if (perRequest === undefined) fromTable.push('CloudFront requests');
  const published = [...s3, ...ecr, ...cf].map((i) => i.publicationDate).find(Boolean);
  return {
    s3PerGb,
    ecrPerGb: ecrPerGb ?? table.ecrPerGb,
    cloudFrontPerGbOut: perGbOut ?? table.cloudFrontPerGbOut,
    cloudFrontPerRequest: perRequest ?? table.cloudFrontPerRequest,
    source: 'price-list',
    asOf: published ? published.slice(0, 10) : new Date().toISOString().slice(0, 10),
    fromTable,
    readAt: Date.now(),
  };
}

/** The region's prices, from the Price List (kept a day) or the shipped table. */
export async function regionPrices(region: string, opts: { fresh?: boolean } = {}): Promise<RegionPrices> {
  const hit = kept.get(region);
  if (!opts.fresh && hit && Date.now() - hit.at < hit.keepMs) return hit.value;
  let value: RegionPrices;
  let keepMs = KEEP_MS;
  try {
    value = await fromPriceList(region);
  } catch (err) {
    const problem = describeAwsError(err, { service: 'PRICING', endpoint: endpointFor('PRICING', region), action: 'pricing:GetProducts' });
    value = { ...tablePrices(region), problem, fromTable: [], readAt: Date.now() };
    keepMs = KEEP_REFUSAL_MS;
  }
  kept.set(region, { at: Date.now(), keepMs, value });
  return value;
}
