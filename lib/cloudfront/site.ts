import 'server-only';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3Client } from '@/lib/aws/clients';
import { bucketExists, bucketRegion } from '@/lib/s3/buckets';
import { emptyBucketStep } from '@/lib/s3/empty';
import { deleteDistribution, listDistributions, setDistributionEnabled, type DistributionSummary } from './distributions';
import { deleteOriginAccessControl, listOriginAccessControls, oacNameFor } from './origin-access';
import { deleteCoreWebAcl } from './waf';

// A static site is a bucket behind a distribution. Its state is read from AWS
// every time (no Berth-side bookkeeping), so the guided pages resume wherever
// the last attempt stopped, in this tab or another.

export interface SiteState {
  bucket: string;
  bucketExists: boolean;
  region: string | null;
  /** Objects at the top level, enough to know whether index.html is there. */
  hasIndex: boolean;
  objectCount: number;
  distributions: DistributionSummary[];
}

export async function siteState(bucket: string): Promise<SiteState> {
  const region = (await bucketExists(bucket)) ? await bucketRegion(bucket) : null;
  if (!region) return { bucket, bucketExists: false, region: null, hasIndex: false, objectCount: 0, distributions: await distributionsFor(bucket) };
  const top = await s3Client(region).send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
  return {
    bucket,
    bucketExists: true,
    region,
    hasIndex: (top.Contents ?? []).some((o) => o.Key === 'index.html'),
    objectCount: top.KeyCount ?? 0,
    distributions: await distributionsFor(bucket),
  };
}

/** The distributions whose origin is this bucket. */
export async function distributionsFor(bucket: string): Promise<DistributionSummary[]> {
  return (await listDistributions()).filter((d) => d.origins.some((o) => o.bucket === bucket));
}

export type TeardownStep =
  | { phase: 'disable' | 'wait' | 'delete-distribution' | 'oac' | 'waf' | 'versions' | 'uploads'; message: string; deleted?: number }
  | { phase: 'done'; message: string };

/**
 * One step of taking a site down, in the order that never leaves anything
 * running or reachable: distributions disabled, deployed, deleted; then the
 * origin access control and web ACL Berth made; then every object version,
 * every unfinished upload, and the bucket.
 */
export async function teardownStep(bucket: string): Promise<TeardownStep> {
  const dists = await distributionsFor(bucket);
  for (const d of dists) {
    if (d.enabled) {
      await setDistributionEnabled(d.id, false);
      return { phase: 'disable', message: `Disabled ${d.id}; CloudFront is deploying that.` };
    }
    if (d.status === 'InProgress') return { phase: 'wait', message: `Waiting for ${d.id} to finish deploying.` };
  }
  if (dists.length) {
    const d = dists[0]!;
    await deleteDistribution(d.id);
    return { phase: 'delete-distribution', message: `Deleted the distribution ${d.id}.` };
  }
  const oac = (await listOriginAccessControls()).find((o) => o.name === oacNameFor(bucket));
  if (oac) {
    const users = (await listDistributions()).filter((d) => d.origins.some((o) => o.originAccessControlId === oac.id));
    if (!users.length) {
      await deleteOriginAccessControl(oac.id);
      return { phase: 'oac', message: `Deleted the origin access control ${oac.name}.` };
    }
  }
  try {
    if (await deleteCoreWebAcl(bucket)) return { phase: 'waf', message: 'Deleted the web ACL Berth made for this site.' };
  } catch (error) {
    // Still attached elsewhere: leave it, and say so at the end.
    if ((error as Error).name !== 'WAFAssociatedItemException') throw error;
  }
  if (!(await bucketExists(bucket))) return { phase: 'done', message: `Nothing of ${bucket} is left in S3 or CloudFront.` };
  const step = await emptyBucketStep(bucket);
  if (step.phase === 'versions') return { phase: 'versions', deleted: step.deleted, message: `Deleted ${step.deleted.toLocaleString('en-US')} object versions and delete markers.` };
  if (step.phase === 'uploads') return { phase: 'uploads', message: `Aborted ${step.aborted} unfinished uploads.` };
  return { phase: 'done', message: `Deleted the bucket ${bucket}. Nothing of the site is left in S3 or CloudFront.` };
}
