import 'server-only';
import { ListMultipartUploadsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { s3Client } from '@/lib/aws/clients';
import { bucketRegion } from './buckets';
import { GB, priceBasis, pricePerGb, type PriceBasis } from './pricing';
import './errors';

// Size and object count of a bucket. S3 has no cheap "how big is this bucket"
// call: CloudWatch's daily BucketSizeBytes metric lags a day and needs another
// permission, so Berth counts by listing every version, 1,000 per request, up
// to a cap, and keeps the answer for a few minutes. The page says all of this.

export const MEASURE_CAP = 100_000;
const KEEP_MS = 5 * 60_000;

export interface ClassTotal {
  storageClass: string;
  bytes: number;
  versions: number;
  perGb: number;
  monthlyUsd: number;
}

export interface BucketMeasure {
  bucket: string;
  region: string;
  /** Current (latest, not deleted) objects and their bytes. */
  objects: number;
  currentBytes: number;
  /** Older versions, which S3 stores and bills as well. */
  noncurrentVersions: number;
  noncurrentBytes: number;
  deleteMarkers: number;
  /** Unfinished multipart uploads (their parts are billed but not listed here). */
  uploads: number;
  uploadsCapped: boolean;
  byClass: ClassTotal[];
  monthlyUsd: number;
  basis: PriceBasis;
  /** ListObjectVersions requests the count took. */
  requests: number;
  /** True when the cap was reached: every figure is then a lower bound. */
  capped: boolean;
  countedAt: string;
}

const kept = new Map<string, { at: number; value: BucketMeasure }>();

export async function measureBucket(bucket: string, opts: { fresh?: boolean; cap?: number } = {}): Promise<BucketMeasure> {
  const hit = kept.get(bucket);
  if (!opts.fresh && hit && Date.now() - hit.at < KEEP_MS) return hit.value;
  const value = await count(bucket, opts.cap ?? MEASURE_CAP);
  kept.set(bucket, { at: Date.now(), value });
  if (kept.size > 500) kept.delete(kept.keys().next().value!);
  return value;
}

/** The last count of this bucket (its Storage tab), if still kept; never lists. */
export function peekBucketMeasure(bucket: string): BucketMeasure | undefined {
  const hit = kept.get(bucket);
  return hit && Date.now() - hit.at < KEEP_MS ? hit.value : undefined;
}

async function count(bucket: string, cap: number): Promise<BucketMeasure> {
  const region = await bucketRegion(bucket);
  const client = s3Client(region);
  const basis = priceBasis(region);
  const m: BucketMeasure = {
    bucket,
    region,
    objects: 0,
    currentBytes: 0,
    noncurrentVersions: 0,
    noncurrentBytes: 0,
    deleteMarkers: 0,
    uploads: 0,
    uploadsCapped: false,
    byClass: [],
    monthlyUsd: 0,
    basis,
    requests: 0,
    capped: false,
    countedAt: '',
  };
  const classes = new Map<string, { bytes: number; versions: number }>();
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker, MaxKeys: 1000 }));
    m.requests++;
    for (const v of page.Versions ?? []) {
      const size = v.Size ?? 0;
      if (v.IsLatest) {
        m.objects++;
        m.currentBytes += size;
      } else {
        m.noncurrentVersions++;
        m.noncurrentBytes += size;
      }
      const cls = v.StorageClass ?? 'STANDARD';
      const c = classes.get(cls) ?? { bytes: 0, versions: 0 };
      c.bytes += size;
      c.versions++;
      classes.set(cls, c);
    }
    m.deleteMarkers += page.DeleteMarkers?.length ?? 0;
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    if (keyMarker && m.objects + m.noncurrentVersions + m.deleteMarkers >= cap) {
      m.capped = true;
      break;
    }
  } while (keyMarker);

  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: 1000 }));
  m.uploads = uploads.Uploads?.length ?? 0;
  m.uploadsCapped = Boolean(uploads.IsTruncated);

  m.byClass = [...classes.entries()]
    .map(([storageClass, c]) => {
      const perGb = pricePerGb(storageClass, basis);
      return { storageClass, ...c, perGb, monthlyUsd: (c.bytes / GB) * perGb };
    })
    .sort((a, b) => b.bytes - a.bytes);
  m.monthlyUsd = m.byClass.reduce((sum, c) => sum + c.monthlyUsd, 0);
  m.countedAt = new Date().toISOString();
  return m;
}
