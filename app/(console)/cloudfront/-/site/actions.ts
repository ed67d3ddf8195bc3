'use server';

import { revalidatePath } from 'next/cache';
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { ActionError, defineAction } from '@/lib/auth/action';
import { s3Client } from '@/lib/aws/clients';
import { describeAwsError } from '@/lib/aws/errors';
import { PartialChange } from '@/lib/aws/steps';
import { createDistributionForBucket } from '@/lib/cloudfront/create';
import { TeardownRefused, teardownStep } from '@/lib/cloudfront/site';
import { EmptyStopped } from '@/lib/s3/empty';
import { BucketExistsRefused, bucketRegion, createBucket } from '@/lib/s3/buckets';
import { regionField } from '@/lib/validation/ecr';
import { bucketNameSchema } from '@/lib/validation/s3';
import { webAclArnSchema } from '@/lib/validation/cloudfront';

const checkbox = z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean());

export const siteBucketAction = defineAction(
  {
    name: 'cloudfront.site.bucket',
    role: 'admin',
    schema: z.discriminatedUnion('source', [
      z.object({ source: z.literal('new'), name: bucketNameSchema, region: regionField, versioning: checkbox }),
      z.object({ source: z.literal('existing'), existing: bucketNameSchema, versioning: checkbox }),
    ]),
    service: 'S3',
  },
  async (input) => {
    let bucket: string;
    if (input.source === 'new') {
      try {
        await createBucket({ name: input.name, region: input.region, versioning: input.versioning, blockPublicAccess: true });
      } catch (error) {
        if (error instanceof BucketExistsRefused) throw new ActionError(error.message);
        if (error instanceof PartialChange) {
          throw new ActionError(`Berth ${error.done.join(' and ')}, but ${error.failedStep} failed: ${describeAwsError(error.cause, { service: 'S3' }).message}`);
        }
        throw error;
      }
      bucket = input.name;
    } else {
      bucket = input.existing;
      if (input.versioning) {
        await s3Client(await bucketRegion(bucket)).send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      }
    }
    revalidatePath('/s3');
    return { data: undefined, redirectTo: `/cloudfront/-/site?bucket=${encodeURIComponent(bucket)}` };
  },
);

export const siteDistributionAction = defineAction(
  {
    name: 'cloudfront.site.distribution',
    role: 'admin',
    schema: z
      .object({ bucket: bucketNameSchema, callerReference: z.uuid() })
      .and(z.discriminatedUnion('waf', [z.object({ waf: z.literal('off') }), z.object({ waf: z.literal('create') }), z.object({ waf: z.literal('existing'), webAclArn: webAclArnSchema })])),
    service: 'CLOUDFRONT',
  },
  async (input) => {
    try {
      await createDistributionForBucket({
        ...input,
        originAccess: 'oac',
        defaultRootObject: 'index.html',
        viewerProtocolPolicy: 'redirect-to-https',
        priceClass: 'PriceClass_100',
        comment: `Static site: ${input.bucket}`.slice(0, 128),
        tags: [{ key: 'berth:site', value: input.bucket }],
      });
    } catch (error) {
      if (error instanceof PartialChange) {
        throw new ActionError(`Berth ${error.done.join(', ')}, but ${error.failedStep} failed: ${describeAwsError(error.cause, { service: 'CLOUDFRONT' }).message} Press the button again to finish.`);
      }
      throw error;
    }
    revalidatePath('/cloudfront');
    return { data: undefined, redirectTo: `/cloudfront/-/site?bucket=${encodeURIComponent(input.bucket)}` };
  },
);

export const teardownStepAction = defineAction(
  {
    name: 'cloudfront.site.teardown',
    role: 'admin',
    schema: z.object({ bucket: bucketNameSchema, confirm: z.string() }).refine((v) => v.confirm === v.bucket, { path: ['confirm'], message: 'Type the bucket’s name exactly to confirm.' }),
    service: 'CLOUDFRONT',
  },
  async ({ bucket }) => {
    try {
      const step = await teardownStep(bucket);
      if (step.phase === 'done') revalidatePath('/cloudfront');
      return { data: step };
    } catch (error) {
      if (error instanceof TeardownRefused) throw new ActionError(error.message);
      if (error instanceof EmptyStopped) throw new ActionError(`Emptying the bucket stopped: ${error.message}.`);
      throw error;
    }
  },
);
