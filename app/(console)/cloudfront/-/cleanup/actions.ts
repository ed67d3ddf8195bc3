'use server';

import { revalidatePath } from 'next/cache';
import { ActionError, defineAction } from '@/lib/auth/action';
import { revokeBucketRead } from '@/lib/cloudfront/bucket-access';
import { distributionExists, listDistributions } from '@/lib/cloudfront/distributions';
import { deleteOriginAccessControl } from '@/lib/cloudfront/origin-access';
import { deleteOriginAccessControlSchema, revokeBucketReadSchema } from '@/lib/validation/cloudfront';

export const revokeBucketReadAction = defineAction(
  { name: 'cloudfront.cleanup.bucket-policy', role: 'admin', schema: revokeBucketReadSchema, service: 'S3' },
  async ({ bucket, distributionArn, oaiId }) => {
    // Only for a distribution that is really gone: a crafted link must not cut a live site off its bucket.
    if (distributionArn && (await distributionExists(distributionArn.split('/').pop()!))) {
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

export const deleteOriginAccessControlAction = defineAction(
  { name: 'cloudfront.cleanup.oac', role: 'admin', schema: deleteOriginAccessControlSchema, service: 'CLOUDFRONT' },
  async ({ oacId }) => {
    await deleteOriginAccessControl(oacId);
    revalidatePath('/cloudfront/-/cleanup');
    return { data: undefined, message: `Deleted the origin access control ${oacId}.` };
  },
);
