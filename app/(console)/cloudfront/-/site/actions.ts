'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/auth/action';
import { createDistributionForBucket } from '@/lib/cloudfront/create';
import { teardownStep } from '@/lib/cloudfront/site';
import { trackedStep } from '@/lib/jobs/progress';
import { createBucket } from '@/lib/s3/buckets';
import { setVersioning } from '@/lib/s3/properties';
import { siteBucketSchema, siteDistributionSchema, teardownSchema } from '@/lib/validation/cloudfront';

export const siteBucketAction = defineAction(
  { name: 'cloudfront.site.bucket', role: 'admin', schema: siteBucketSchema, service: 'S3', resume: 'Open the bucket’s properties to finish the setup.' },
  async (input) => {
    let bucket: string;
    if (input.source === 'new') {
      await createBucket({ name: input.name, region: input.region, versioning: input.versioning, blockPublicAccess: true });
      bucket = input.name;
    } else {
      bucket = input.existing;
      if (input.versioning) {
        await setVersioning(bucket, 'Enabled');
      }
    }
    revalidatePath('/s3');
    return { data: undefined, redirectTo: `/cloudfront/-/site?bucket=${encodeURIComponent(bucket)}` };
  },
);

export const siteDistributionAction = defineAction(
  { name: 'cloudfront.site.distribution', role: 'admin', schema: siteDistributionSchema, service: 'CLOUDFRONT', resume: 'Press the button again to finish.' },
  async (input) => {
    await createDistributionForBucket({
      ...input,
      originAccess: 'oac',
      defaultRootObject: 'index.html',
      viewerProtocolPolicy: 'redirect-to-https',
      priceClass: 'PriceClass_100',
      comment: `Static site: ${input.bucket}`.slice(0, 128),
      tags: [{ key: 'berth:site', value: input.bucket }],
    });
    revalidatePath('/cloudfront');
    return { data: undefined, redirectTo: `/cloudfront/-/site?bucket=${encodeURIComponent(input.bucket)}` };
  },
);

export const teardownStepAction = defineAction(
  { name: 'cloudfront.site.teardown', role: 'admin', schema: teardownSchema, service: 'CLOUDFRONT' },
  async ({ bucket }, { user }) => {
    // TeardownRefused and EmptyStopped are Refusals: defineAction shows their sentence as it is.
    // Each step, or where it stopped, is kept in Berth's database, so the page
    // shows the teardown's progress after a reload, a restart or on another instance.
    const step = await trackedStep({ kind: 'site-teardown', target: bucket, by: user.email, service: 'CLOUDFRONT' }, () => teardownStep(bucket), (s) => ({
      message: s.message,
      deleted: s.phase === 'versions' ? s.deleted : 0,
      done: s.phase === 'done',
      listed: s.phase !== 'wait',
    }));
    if (step.phase === 'done') revalidatePath('/cloudfront');
    return { data: step };
  },
);
