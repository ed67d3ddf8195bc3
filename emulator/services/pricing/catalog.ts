import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The emulator's price list, built once from price-list.json into products
 * shaped as the Price List API's `aws_v1` documents: a product with its
 * attributes and SKU, and OnDemand terms whose price dimensions carry the
 * price per unit in USD.
 * https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html
 *
 * The file is the emulator's own data, written for it; the console has a
 * separate table of its own.
 */

interface RegionInfo {
  location: string;
  s3Prefix: string;
  prefix: string;
}

interface PriceFile {
  publicationDate: string;
  version: string;
  effectiveDate: string;
  regions: Record<string, RegionInfo>;
  AmazonS3: {
    serviceName: string;
    storageClasses: {
      volumeType: string;
      storageClass: string;
      usage: string;
      tiers?: [number, number | null, string][];
      prices: Record<string, number[]>;
    }[];
  };
  AmazonECR: { serviceName: string; productFamily: string; usage: string; description: string; prices: Record<string, number> };
  AmazonCloudFront: {
    serviceName: string;
    edgeLocations: Record<string, { prefix: string; transferFirst10Tb: number; httpsPer10k: number; httpPer10k: number }>;
  };
}

export interface PriceDimension {
  unit: string;
  beginRange: string;
  endRange: string;
  description: string;
  pricePerUnit: { USD: string };
}

export interface Product {
  serviceCode: string;
  sku: string;
  productFamily: string;
  attributes: Record<string, string>;
  dimensions: PriceDimension[];
}

const FILE = path.join(__dirname, 'price-list.json');
export const PRICE_FILE = JSON.parse(readFileSync(FILE, 'utf8')) as PriceFile;

/** AWS's On-Demand offer term code, the same for every product. */
const ON_DEMAND = 'JRTCKXETXF';

/** A stable SKU: 16 characters of A-Z and 2-9 (the alphabet AWS's SKUs use), from what the product is. */
function skuOf(...parts: string[]): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const digest = createHash('sha256').update(parts.join('|')).digest();
  return [...digest.subarray(0, 16)].map((b) => alphabet[b % alphabet.length]).join('');
}

function rateCodeOf(sku: string, i: number): string {
  return `${sku}.${ON_DEMAND}.${skuOf(sku, String(i)).slice(0, 10)}`;
}

/** A price as AWS writes it: ten decimals. */
function usd(n: number): string {
  return n.toFixed(10);
}

function build(): Product[] {
  const f = PRICE_FILE;
  const out: Product[] = [];
  for (const [regionCode, r] of Object.entries(f.regions)) {
    for (const c of f.AmazonS3.storageClasses) {
      const prices = c.prices[regionCode];
      if (!prices) continue;
      const usagetype = `${r.s3Prefix}${c.usage}`;
      const tiers = c.tiers ?? [[0, null, '']];
      const sku = skuOf('AmazonS3', usagetype, regionCode);
      out.push({
        serviceCode: 'AmazonS3',
        sku,
        productFamily: 'Storage',
        attributes: {
          availability: '99.99%',
          durability: '99.999999999%',
          location: r.location,
          locationType: 'AWS Region',
          operation: '',
          regionCode,
          servicecode: 'AmazonS3',
          servicename: f.AmazonS3.serviceName,
          storageClass: c.storageClass,
          usagetype,
          volumeType: c.volumeType,
        },
        dimensions: tiers.map(([begin, end, words], i) => ({
          unit: 'GB-Mo',
          beginRange: String(begin),
          endRange: end === null ? 'Inf' : String(end),
          description: `$${prices[i] ?? prices[0]} per GB-Month of storage used${words ? ` (${words})` : ''} in ${c.volumeType}`,
          pricePerUnit: { USD: usd(prices[i] ?? prices[0]!) },
        })),
      });
    }
    const ecr = f.AmazonECR.prices[regionCode];
    if (ecr !== undefined) {
      const usagetype = `${r.prefix}${f.AmazonECR.usage}`;
      out.push({
        serviceCode: 'AmazonECR',
        sku: skuOf('AmazonECR', usagetype, regionCode),
        productFamily: f.AmazonECR.productFamily,
        attributes: {
          location: r.location,
          locationType: 'AWS Region',
          operation: '',
          regionCode,
          servicecode: 'AmazonECR',
          servicename: f.AmazonECR.serviceName,
          usagetype,
        },
        dimensions: [{ unit: 'GB-Mo', beginRange: '0', endRange: 'Inf', description: `$${ecr} ${f.AmazonECR.description}`, pricePerUnit: { USD: usd(ecr) } }],
      });
    }
  }
  for (const [location, e] of Object.entries(f.AmazonCloudFront.edgeLocations)) {
    const common = { location, locationType: 'AWS Edge Location', servicecode: 'AmazonCloudFront', servicename: f.AmazonCloudFront.serviceName };
    const transfer = `${e.prefix}DataTransfer-Out-Bytes`;
    out.push({
      serviceCode: 'AmazonCloudFront',
      sku: skuOf('AmazonCloudFront', transfer),
      productFamily: 'Data Transfer',
      attributes: { ...common, fromLocation: location, fromLocationType: 'AWS Edge Location', toLocation: 'External', toLocationType: 'Other', transferType: 'CloudFront Outbound', usagetype: transfer, operation: '' },
      dimensions: [{ unit: 'GB', beginRange: '0', endRange: '10240', description: `$${e.transferFirst10Tb} per GB - first 10 TB / month data transfer out (${location})`, pricePerUnit: { USD: usd(e.transferFirst10Tb) } }],
    });
    for (const [kind, per10k, usage] of [['HTTPS', e.httpsPer10k, 'Requests-Tier2-HTTPS'], ['HTTP', e.httpPer10k, 'Requests-Tier1']] as const) {
      const usagetype = `${e.prefix}${usage}`;
      out.push({
        serviceCode: 'AmazonCloudFront',
        sku: skuOf('AmazonCloudFront', usagetype),
        productFamily: 'Request',
        attributes: { ...common, requestDescription: `${kind} requests`, requestType: `CloudFront-Request-${kind}-Proxy`, usagetype, operation: '' },
        dimensions: [
          { unit: 'Requests', beginRange: '0', endRange: 'Inf', description: `$${per10k} per 10,000 ${kind} Requests (${location})`, pricePerUnit: { USD: usd(per10k / 10_000) } },
        ],
      });
    }
  }
  return out;
}

export const PRODUCTS: readonly Product[] = build();

export const SERVICE_CODES = [...new Set(PRODUCTS.map((p) => p.serviceCode))].sort();

/** Every attribute name a service's products carry, as DescribeServices lists them. */
export function attributeNames(serviceCode: string): string[] {
  const names = new Set<string>();
  for (const p of PRODUCTS) if (p.serviceCode === serviceCode) for (const k of Object.keys(p.attributes)) names.add(k);
  if (names.size > 0) names.add('productFamily');
  return [...names].sort();
}

/** The product as GetProducts returns it: one JSON document, as a string. */
export function priceListItem(p: Product): string {
  const offer = `${p.sku}.${ON_DEMAND}`;
  return JSON.stringify({
    product: { productFamily: p.productFamily, attributes: p.attributes, sku: p.sku },
    serviceCode: p.serviceCode,
    terms: {
      OnDemand: {
        [offer]: {
          priceDimensions: Object.fromEntries(
            p.dimensions.map((d, i) => [rateCodeOf(p.sku, i), { ...d, appliesTo: [], rateCode: rateCodeOf(p.sku, i) }]),
          ),
          sku: p.sku,
          effectiveDate: PRICE_FILE.effectiveDate,
          offerTermCode: ON_DEMAND,
          termAttributes: {},
        },
      },
    },
    version: PRICE_FILE.version,
    publicationDate: PRICE_FILE.publicationDate,
  });
}

/** The value of a product's attribute for filtering; `productFamily` and `sku` count as attributes, as in AWS. */
export function attributeOf(p: Product, field: string): string | undefined {
  if (field === 'productFamily') return p.productFamily;
  if (field === 'sku') return p.sku;
  return Object.hasOwn(p.attributes, field) ? p.attributes[field] : undefined;
}
