'use server';

import { revalidatePath } from 'next/cache';
import { ActionError, defineAction } from '@/lib/auth/action';
import { revokeBucketRead } from '@/lib/cloudfront/bucket-access';
import { deleteLeftover } from '@/lib/cloudfront/cleanup';
import { distributionExists, listDistributions } from '@/lib/cloudfront/distributions';
import { distributionIdOf } from '@/lib/validation/aws-ids';
import {
  deleteOriginAccessControlSchema,
  deleteOriginAccessIdentitySchema,
  deleteWebAclSchema,
  revokeBucketReadSchema,
} from '@/lib/validation/cloudfront';

export const revokeBucketReadAction = defineAction(
  { name: 'cloudfront.cleanup.bucket-policy', role: 'admin', schema: revokeBucketReadSchema, service: 'S3' },
  async ({ bucket, distributionArn, oaiId }) => {
    // Only for a distribution that is really gone: a crafted link must not cut a live site off its bucket.
    if (distributionArn && (await distributionExists(distributionIdOf(distributionArn)!))) {
      throw new ActionError('That distribution still exists, so its access to the bucket stays. Delete it first.');
    }
    if (oaiId && (await listDistributions()).some((d) => d.origins.some((o) => o.originAccessIdentityId === oaiId))) {
      throw new ActionError('A distribution still reads the bucket through that origin access identity, so its access stays.');
    }
    const removed = await revokeBucketRead(bucket, { distributionArn, oaiId });
    revalidatePath('/cloudfront/-/cleanup');
    return { data: undefined, message: removed ? `Removed ${removed} statement${removed === 1 ? '' : 's'} from ${bucket}’s policy.` : `${bucket}’s policy had nothing for this distribution.` };
  },
);

/** One delete of a leftover Berth made; lib checks again that it is Berth's and unused (a refusal is a CleanupRefused). */
async function removeLeftover(kind: 'oac' | 'oai' | 'webAcl', target: Parameters<typeof deleteLeftover>[1]) {
  const message = await deleteLeftover(kind, target);
  revalidatePath('/cloudfront/-/cleanup');
  return { data: undefined, message };
}

export const deleteOriginAccessControlAction = defineAction(
  { name: 'cloudfront.cleanup.oac', role: 'admin', schema: deleteOriginAccessControlSchema, service: 'CLOUDFRONT' },
  ({ bucket, oacId }) => removeLeftover('oac', { bucket, oacId }),
);

export const deleteOriginAccessIdentityAction = defineAction(
  { name: 'cloudfront.cleanup.oai', role: 'admin', schema: deleteOriginAccessIdentitySchema, service: 'CLOUDFRONT' },
  ({ bucket, oaiId }) => removeLeftover('oai', { bucket, oaiId }),
);

export const deleteWebAclAction = defineAction(
  { name: 'cloudfront.cleanup.web-acl', role: 'admin', schema: deleteWebAclSchema, service: 'WAFV2' },
  ({ bucket, webAclArn }) => removeLeftover('webAcl', { bucket, webAclArn }),
);
