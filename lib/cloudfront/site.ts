import 'server-only';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3Client } from '@/lib/aws/clients';
import { Refusal } from '@/lib/aws/errors';
import { BERTH_CREATED_TAG, bucketExists, bucketRegion, createdByBerth } from '@/lib/s3/buckets';
import { emptyBucketStep } from '@/lib/s3/empty';
import { mapLimit } from '@/lib/aws/limit';
import { BERTH_BUCKET_TAG, deleteDistribution, distributionTags, listDistributions, setDistributionEnabled, type DistributionSummary } from './distributions';
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
  const client = s3Client(region);
  const [index, top] = await Promise.all([
    client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'index.html' })).then(
      () => true,
      (error: Error) => (error.name === 'NotFound' || error.name === 'NoSuchKey' ? false : Promise.reject(error)),
    ),
    client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 })),
  ]);
  return {
    bucket,
    bucketExists: true,
    region,
    hasIndex: index,
    objectCount: top.KeyCount ?? 0,
    distributions: await distributionsFor(bucket),
  };
}

/** The distributions whose origin is this bucket. */
export async function distributionsFor(bucket: string, all?: DistributionSummary[]): Promise<DistributionSummary[]> {
  return (all ?? (await listDistributions())).filter((d) => d.origins.some((o) => o.bucket === bucket));
}

export type TeardownStep =
  | { phase: 'disable' | 'wait' | 'delete-distribution' | 'oac' | 'waf' | 'versions' | 'uploads'; message: string; deleted?: number }
  | { phase: 'done'; message: string; /** The bucket stays: Berth did not create it. */ bucketKept?: boolean };

/**
 * One step of taking a site down, in the order that never leaves anything
 * running or reachable: distributions disabled, deployed, deleted; then the
 * origin access control and web ACL Berth made; then every object version,
 * every unfinished upload, and the bucket.
 */
export class TeardownRefused extends Refusal {}

/**
 * The distributions a teardown may touch: the ones Berth made for this bucket
 * (tagged berth:bucket) with this bucket as their only origin. Any other
 * distribution reading the bucket stops the teardown before anything changes.
 */
export async function teardownScope(bucket: string, all?: DistributionSummary[]): Promise<{ ours: DistributionSummary[]; others: DistributionSummary[] }> {
  const dists = await distributionsFor(bucket, all);
  const tagged = await mapLimit(dists, 4, (d) => distributionTags(d.arn));
  const ours: DistributionSummary[] = [];
  const others: DistributionSummary[] = [];
  dists.forEach((d, i) => (tagged[i]?.[BERTH_BUCKET_TAG] === bucket && d.origins.length === 1 ? ours : others).push(d));
  return { ours, others };
}

export async function teardownStep(bucket: string): Promise<TeardownStep> {
  // One listing per step, shared by the scope check and the OAC-in-use check.
  const all = await listDistributions();
  const { ours, others } = await teardownScope(bucket, all);
  if (others.length) {
    throw new TeardownRefused(
      `${others.map((d) => d.id).join(', ')} also read${others.length === 1 ? 's' : ''} this bucket and ${others.length === 1 ? 'was' : 'were'} not made by Berth for it. Berth stops here rather than take down something it did not make: delete or change ${others.length === 1 ? 'that distribution' : 'those'} first, then resume.`,
    );
  }
  for (const d of ours) {
    if (d.enabled) {
      await setDistributionEnabled(d.id, false);
      return { phase: 'disable', message: `Disabled ${d.id}; CloudFront is deploying that.` };
    }
  }
  const deploying = ours.find((d) => d.status === 'InProgress');
  if (deploying) return { phase: 'wait', message: `Waiting for ${deploying.id} to finish deploying.` };
  if (ours.length) {
    const d = ours[0]!;
    await deleteDistribution(d.id);
    return { phase: 'delete-distribution', message: `Deleted the distribution ${d.id}.` };
  }
  const oac = (await listOriginAccessControls()).find((o) => o.name === oacNameFor(bucket));
  const oacInUse = oac ? all.some((d) => d.origins.some((o) => o.originAccessControlId === oac.id)) : false;
  if (oac && !oacInUse) {
    await deleteOriginAccessControl(oac.id);
    return { phase: 'oac', message: `Deleted the origin access control ${oac.name}.` };
  }
  let aclKept = false;
  try {
    if (await deleteCoreWebAcl(bucket)) return { phase: 'waf', message: 'Deleted the web ACL Berth made for this site.' };
  } catch (error) {
    // Attached to another distribution: it stays, and the last step says so.
    if ((error as Error).name !== 'WAFAssociatedItemException') throw error;
    aclKept = true;
  }
  const kept = [oacInUse ? `the origin access control ${oac!.name}` : null, aclKept ? 'the web ACL Berth made' : null].filter(Boolean);
  const keptNote = kept.length ? ` Kept ${kept.join(' and ')}: another distribution still uses ${kept.length === 1 ? 'it' : 'them'}.` : '';
  if (!(await bucketExists(bucket))) return { phase: 'done', message: `Nothing of ${bucket} is left in S3 or CloudFront.${keptNote}` };
  // Asked before every emptying step: only a bucket carrying Berth's tag is
  // Berth's to empty and delete. One it was pointed at (an existing bucket, or
  // one made before Berth tagged what it creates) stays, with everything in it.
  if (!(await createdByBerth(bucket))) {
    return {
      phase: 'done',
      bucketKept: true,
      message: `Kept the bucket ${bucket} and everything in it: Berth did not create it (it has no ${BERTH_CREATED_TAG.key} tag), so a teardown does not empty or delete it. If you mean to, use “Empty and delete” on the bucket’s page.${keptNote}`,
    };
  }
  const step = await emptyBucketStep(bucket);
  if (step.phase === 'versions') return { phase: 'versions', deleted: step.deleted, message: `Deleted ${step.deleted.toLocaleString('en-US')} object versions and delete markers.` };
  if (step.phase === 'uploads') return { phase: 'uploads', message: `Aborted ${step.aborted} unfinished uploads.` };
  return { phase: 'done', message: `Deleted the bucket ${bucket}. Nothing of the site is left in S3 or CloudFront.${keptNote}` };
}
