'use server';

import { revalidatePath } from 'next/cache';
import { ActionError, defineAction } from '@/lib/auth/action';
import { describeAwsError } from '@/lib/aws/errors';
import { PartialChange } from '@/lib/aws/steps';
import { createDistributionForBucket } from '@/lib/cloudfront/create';
import { createDistributionSchema } from '@/lib/validation/cloudfront';

export const createDistributionAction = defineAction(
  { name: 'cloudfront.distribution.create', role: 'admin', schema: createDistributionSchema, service: 'CLOUDFRONT' },
  async (input) => {
    let id: string;
    try {
      ({ id } = await createDistributionForBucket(input));
    } catch (error) {
      if (error instanceof PartialChange) {
        const why = describeAwsError(error.cause, { service: error.failedStep.includes('bucket') || error.failedStep.includes('Block') ? 'S3' : 'CLOUDFRONT' }).message;
        throw new ActionError(
          `Berth ${error.done.join(', ')}, but ${error.failedStep} failed: ${why} Submit the form again to finish: the steps already done are not repeated.`,
        );
      }
      throw error;
    }
    revalidatePath('/cloudfront');
    return { data: undefined, redirectTo: `/cloudfront/${id}?created=1` };
  },
);
