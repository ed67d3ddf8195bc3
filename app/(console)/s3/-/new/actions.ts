'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/auth/action';
import { createBucket } from '@/lib/s3/buckets';
import { createBucketSchema } from '@/lib/validation/s3';

export const createBucketAction = defineAction(
  { name: 's3.bucket.create', role: 'admin', schema: createBucketSchema, service: 'S3', resume: 'Open the bucket’s properties to finish the setup.' },
  async (input) => {
    await createBucket(input);
    revalidatePath('/s3');
    return { data: undefined, redirectTo: `/s3/${input.name}?region=${input.region}` };
  },
);
