'use server';

import { revalidatePath } from 'next/cache';
import { ActionError, defineAction } from '@/lib/auth/action';
import { deleteObjects, restoreVersion } from '@/lib/s3/objects';
import { trackedStep } from '@/lib/jobs/progress';
import { emptyBucketStep, emptyStepRecord } from '@/lib/s3/empty';
import { removeBucketPolicy, removeWebsite, setBucketPolicy, setBucketTags, setPublicAccessBlock, setVersioning, setWebsite } from '@/lib/s3/properties';
import {
  deleteBucketPolicySchema,
  bucketTagsSchema,
  deleteObjectsSchema,
  emptyBucketSchema,
  publicAccessBlockSchema,
  restoreVersionSchema,
  saveBucketPolicySchema,
  versioningSchema,
  websiteSchema,
} from '@/lib/validation/s3';

export const deleteObjectsAction = defineAction(
  { name: 's3.objects.delete', role: 'admin', schema: deleteObjectsSchema, service: 'S3' },
  async ({ bucket, items }) => {
    const out = await deleteObjects(bucket, items);
    revalidatePath(`/s3/${bucket}`);
    if (out.errors.length) {
      throw new ActionError(`Deleted ${out.deleted} of ${items.length}. S3 kept ${out.errors.length}: ${out.errors.slice(0, 3).map((e) => `${e.key} (${e.message})`).join(', ')}.`);
    }
    const versions = items.some((i) => i.versionId);
    return {
      data: undefined,
      message: versions ? `Deleted ${out.deleted} version${out.deleted === 1 ? '' : 's'} for good.` : `Deleted ${out.deleted} object${out.deleted === 1 ? '' : 's'}.`,
    };
  },
);

export const restoreVersionAction = defineAction(
  { name: 's3.object.restore', role: 'admin', schema: restoreVersionSchema, service: 'S3' },
  async ({ bucket, key, versionId }) => {
    await restoreVersion(bucket, key, versionId);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: `Restored ${key}: that version is now the newest. The versions in between are kept.` };
  },
);

export const setVersioningAction = defineAction(
  { name: 's3.bucket.versioning', role: 'admin', schema: versioningSchema, service: 'S3' },
  async ({ bucket, status }) => {
    await setVersioning(bucket, status);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: status === 'Enabled' ? 'Versioning is on.' : 'Versioning is suspended; existing versions are kept.' };
  },
);

export const setWebsiteAction = defineAction(
  { name: 's3.bucket.website', role: 'admin', schema: websiteSchema, service: 'S3' },
  async ({ bucket, enabled, indexDocument, errorDocument }) => {
    if (!enabled) {
      await removeWebsite(bucket);
      revalidatePath(`/s3/${bucket}`);
      return { data: undefined, message: 'Static website hosting is off.' };
    }
    // websiteSchema made sure an index document is named when hosting is on.
    await setWebsite(bucket, indexDocument!, errorDocument || undefined);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: 'Static website hosting is on.' };
  },
);

export const setPublicAccessBlockAction = defineAction(
  { name: 's3.bucket.public-access-block', role: 'admin', schema: publicAccessBlockSchema, service: 'S3' },
  async ({ bucket, ...c }) => {
    await setPublicAccessBlock(bucket, c);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: 'Block Public Access saved.' };
  },
);

export const saveBucketPolicyAction = defineAction(
  { name: 's3.bucket.policy.save', role: 'admin', schema: saveBucketPolicySchema, service: 'S3' },
  async ({ bucket, policy, basis }) => {
    await setBucketPolicy(bucket, policy, basis);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: 'Bucket policy saved.' };
  },
);

export const deleteBucketPolicyAction = defineAction(
  { name: 's3.bucket.policy.delete', role: 'admin', schema: deleteBucketPolicySchema, service: 'S3' },
  async ({ bucket, basis }) => {
    await removeBucketPolicy(bucket, basis);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: 'Bucket policy removed.' };
  },
);

export const setTagsAction = defineAction(
  { name: 's3.bucket.tags', role: 'admin', schema: bucketTagsSchema, service: 'S3' },
  async ({ bucket, tags, basis }) => {
    await setBucketTags(bucket, tags, basis);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: 'Tags saved.' };
  },
);

export const emptyBucketStepAction = defineAction(
  { name: 's3.bucket.empty-and-delete', role: 'admin', schema: emptyBucketSchema, service: 'S3' },
  async ({ bucket }, { user }) => {
    // No revalidation here, even once the bucket is gone: refreshing this
    // page would swap the runner's log for "no such bucket". The runner
    // moves on to the bucket list itself, which is always rendered fresh.
    // EmptyStopped is a Refusal: defineAction shows its sentence as it is.
    // Each step, or where it stopped, is kept in Berth's database (lib/jobs/progress.ts).
    const step = await trackedStep({ kind: 'bucket-empty', target: bucket, by: user.email, service: 'S3' }, () => emptyBucketStep(bucket), emptyStepRecord(bucket));
    return { data: step };
  },
);
