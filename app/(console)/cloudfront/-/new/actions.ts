'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/auth/action';
import { createDistributionForBucket } from '@/lib/cloudfront/create';
import { createDistributionSchema } from '@/lib/validation/cloudfront';

export const createDistributionAction = defineAction(
  {
    name: 'cloudfront.distribution.create',
    role: 'admin',
    schema: createDistributionSchema,
    service: 'CLOUDFRONT',
    resume: 'Submit the form again to finish: the steps already done are not repeated.',
  },
  async (input) => {
    const { id } = await createDistributionForBucket(input);
    revalidatePath('/cloudfront');
    return { data: undefined, redirectTo: `/cloudfront/${id}?created=1` };
  },
);
