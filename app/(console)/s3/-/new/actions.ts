'use server';

import { revalidatePath } from 'next/cache';
import { ActionError, defineAction } from '@/lib/auth/action';
import { describeAwsError } from '@/lib/aws/errors';
import { PartialChange } from '@/lib/aws/steps';
import { BucketExistsRefused, createBucket } from '@/lib/s3/buckets';
import { createBucketSchema } from '@/lib/validation/s3';

export const createBucketAction = defineAction(
  { name: 's3.bucket.create', role: 'admin', schema: createBucketSchema, service: 'S3' },
  async (input) => {
    try {
      await createBucket(input);
    } catch (error) {
      if (error instanceof BucketExistsRefused) throw new ActionError(error.message);
      if (error instanceof PartialChange) {
        const why = describeAwsError(error.cause, { service: 'S3' }).message;
        throw new ActionError(`Berth ${error.done.join(' and ')}, but ${error.failedStep} failed: ${why} Open the bucket’s properties to finish the setup.`);
      }
      throw error;
    }
    revalidatePath('/s3');
    return { data: undefined, redirectTo: `/s3/${input.name}?region=${input.region}` };
  },
);
