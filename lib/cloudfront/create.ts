import 'server-only';
import { Refusal } from '@/lib/aws/errors';
import { stepper } from '@/lib/aws/steps';
import { bucketRegion } from '@/lib/s3/buckets';
import type { CreateDistributionInput } from '@/lib/validation/cloudfront';
import { blockPublicAccess, grantBucketRead, type Reader } from './bucket-access';
import { BERTH_BUCKET_TAG, createS3Distribution, getDistribution } from './distributions';
import { createOriginAccessIdentity, ensureOriginAccessControl } from './origin-access';
import { ensureCoreWebAcl } from './waf';

export interface CreatedDistribution {
  id: string;
  /** False when the form had already been submitted and the distribution existed. */
  created: boolean;
  policyBefore: string;
  policyAfter: string;
}

/**
 * Puts a bucket behind a new distribution, in the order that never leaves the
 * bucket open: origin access (OAC, or an OAI), the web ACL when asked for,
 * the distribution, then the bucket policy that lets only it read, then Block
 * Public Access. Every step is safe to repeat, so running the same form again
 * after a failure finishes the job instead of doubling it.
 */
export async function createDistributionForBucket(input: CreateDistributionInput): Promise<CreatedDistribution> {
  const { step } = stepper();
  const region = await bucketRegion(input.bucket).catch((error: unknown) => {
    // HeadBucket answers a missing bucket with a bodiless 404, which the SDK
    // names NotFound: say so on the bucket field, before anything is made.
    const name = (error as Error).name;
    if (name === 'NotFound' || name === 'NoSuchBucket') {
      throw new Refusal('Some fields need attention.', { bucket: [`There is no bucket named “${input.bucket}” that Berth can see. Check the name, or create the bucket first.`] });
    }
    throw error;
  });
  let oacId: string | null = null;
  let oaiId: string | null = null;
  if (input.originAccess === 'oac') {
    oacId = (await step('set up origin access control', 'setting up origin access control', () => ensureOriginAccessControl(input.bucket))).id;
  } else {
    oaiId = (await step('created an origin access identity', 'creating an origin access identity', () => createOriginAccessIdentity(input.callerReference, input.bucket))).id;
  }
  let webAclArn: string | null = null;
  if (input.waf === 'existing') webAclArn = input.webAclArn;
  if (input.waf === 'create') {
    webAclArn = (await step('set up a web ACL with core protections', 'creating the web ACL', () => ensureCoreWebAcl(input.bucket))).arn;
  }
  const dist = await step('created the distribution', 'creating the distribution', () =>
    createS3Distribution({
      callerReference: input.callerReference,
      bucket: input.bucket,
      region,
      originAccessControlId: oacId,
      originAccessIdentityId: oaiId,
      defaultRootObject: input.defaultRootObject,
      viewerProtocolPolicy: input.viewerProtocolPolicy,
      priceClass: input.priceClass,
      webAclArn,
      comment: input.comment,
      // Marks what Berth made for this bucket; the site teardown touches nothing else.
      tags: [...input.tags.filter((t) => t.key !== BERTH_BUCKET_TAG), { key: BERTH_BUCKET_TAG, value: input.bucket }],
    }),
  );
  // A repeated form finds the distribution made the first time: grant what *it*
  // uses, whatever this submission chose.
  let reader: Reader = oacId ? { distributionArn: dist.arn } : { oaiId: oaiId! };
  if (!dist.created) {
    const origin = (await getDistribution(dist.id)).origins.find((o) => o.bucket === input.bucket);
    if (origin?.originAccessIdentityId) reader = { oaiId: origin.originAccessIdentityId };
    else if (origin?.originAccessControlId) reader = { distributionArn: dist.arn };
  }
  const policy = await step('wrote the bucket policy', 'writing the bucket policy', () => grantBucketRead(input.bucket, reader));
  await step('turned Block Public Access on', 'turning Block Public Access on', () => blockPublicAccess(input.bucket));
  return { id: dist.id, created: dist.created, policyBefore: policy.before, policyAfter: policy.after };
}
