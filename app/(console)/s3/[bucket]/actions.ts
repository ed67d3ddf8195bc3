'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { ActionError, defineAction } from '@/lib/auth/action';
import { deleteObjects, restoreVersion } from '@/lib/s3/objects';
import { emptyBucketStep, EmptyStopped } from '@/lib/s3/empty';
import { removeBucketPolicy, removeWebsite, setBucketPolicy, setBucketTags, setPublicAccessBlock, setVersioning, setWebsite } from '@/lib/s3/properties';
import { bucketNameSchema, objectKeySchema } from '@/lib/validation/s3';
import { policyProblems } from '@/lib/validation/policy';

const checkbox = z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean());
const many = <T extends z.ZodType>(item: T) => z.preprocess((v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]), z.array(item));
const bucketOnly = z.object({ bucket: bucketNameSchema });
/** The document as the page showed it: a save is refused if the bucket's copy changed since. */
const basis = z.string().max(40_000).transform((v) => v || null);
const tagList = z.array(z.object({ key: z.string().trim().min(1).max(128), value: z.string().trim().max(256) }));
const tagBasis = z.string().max(40_000).transform((v, ctx) => {
  try {
    return tagList.parse(JSON.parse(v || '[]'));
  } catch {
    ctx.addIssue({ code: 'custom', message: 'Reload the page and edit the tags again.' });
    return z.NEVER;
  }
});

const itemSchema = z.preprocess(
  (v) => (typeof v === 'string' ? JSON.parse(v) : v),
  z.object({ key: objectKeySchema, versionId: z.string().max(1024).optional() }),
);

export const deleteObjectsAction = defineAction(
  { name: 's3.objects.delete', role: 'admin', schema: z.object({ bucket: bucketNameSchema, items: many(itemSchema).pipe(z.array(z.any()).min(1, 'Select at least one object.').max(10_000)) }), service: 'S3' },
  async ({ bucket, items }) => {
    const out = await deleteObjects(bucket, items);
    revalidatePath(`/s3/${bucket}`);
    if (out.errors.length) {
      throw new ActionError(`Deleted ${out.deleted} of ${items.length}. S3 kept ${out.errors.length}: ${out.errors.slice(0, 3).map((e) => `${e.key} (${e.message})`).join(', ')}.`);
    }
    const versions = items.some((i: { versionId?: string }) => i.versionId);
    return {
      data: undefined,
      message: versions ? `Deleted ${out.deleted} version${out.deleted === 1 ? '' : 's'} for good.` : `Deleted ${out.deleted} object${out.deleted === 1 ? '' : 's'}.`,
    };
  },
);

export const restoreVersionAction = defineAction(
  { name: 's3.object.restore', role: 'admin', schema: z.object({ bucket: bucketNameSchema, key: objectKeySchema, versionId: z.string().min(1).max(1024) }), service: 'S3' },
  async ({ bucket, key, versionId }) => {
    await restoreVersion(bucket, key, versionId);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: `Restored ${key}: that version is now the newest. The versions in between are kept.` };
  },
);

export const setVersioningAction = defineAction(
  { name: 's3.bucket.versioning', role: 'admin', schema: bucketOnly.extend({ status: z.enum(['Enabled', 'Suspended']) }), service: 'S3' },
  async ({ bucket, status }) => {
    await setVersioning(bucket, status);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: status === 'Enabled' ? 'Versioning is on.' : 'Versioning is suspended; existing versions are kept.' };
  },
);

const documentName = z
  .string()
  .trim()
  .min(1, 'Name the document, e.g. index.html.')
  .max(1024)
  .refine((v) => !v.startsWith('/'), 'Leave out the leading slash.');

export const setWebsiteAction = defineAction(
  {
    name: 's3.bucket.website',
    role: 'admin',
    schema: bucketOnly.extend({ enabled: checkbox, indexDocument: documentName.optional(), errorDocument: z.string().trim().max(1024).optional() }),
    service: 'S3',
  },
  async ({ bucket, enabled, indexDocument, errorDocument }) => {
    if (!enabled) {
      await removeWebsite(bucket);
      revalidatePath(`/s3/${bucket}`);
      return { data: undefined, message: 'Static website hosting is off.' };
    }
    if (!indexDocument) throw new ActionError('Some fields need attention.', { indexDocument: ['Name the index document, e.g. index.html.'] });
    if (indexDocument.includes('/')) throw new ActionError('Some fields need attention.', { indexDocument: ['The index document is a name, not a path (no slash).'] });
    await setWebsite(bucket, indexDocument, errorDocument || undefined);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: 'Static website hosting is on.' };
  },
);

export const setPublicAccessBlockAction = defineAction(
  {
    name: 's3.bucket.public-access-block',
    role: 'admin',
    schema: bucketOnly.extend({ blockPublicAcls: checkbox, ignorePublicAcls: checkbox, blockPublicPolicy: checkbox, restrictPublicBuckets: checkbox }),
    service: 'S3',
  },
  async ({ bucket, ...c }) => {
    await setPublicAccessBlock(bucket, c);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: 'Block Public Access saved.' };
  },
);

export const saveBucketPolicyAction = defineAction(
  { name: 's3.bucket.policy.save', role: 'admin', schema: bucketOnly.extend({ policy: z.string().max(20480, 'A bucket policy can be at most 20 KB.'), basis }), service: 'S3' },
  async ({ bucket, policy, basis }) => {
    const problems = policyProblems(policy, 'resource');
    if (problems.length) throw new ActionError('The policy was not saved.', { policy: problems });
    await setBucketPolicy(bucket, policy, basis);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: 'Bucket policy saved.' };
  },
);

export const deleteBucketPolicyAction = defineAction(
  { name: 's3.bucket.policy.delete', role: 'admin', schema: bucketOnly.extend({ basis }), service: 'S3' },
  async ({ bucket, basis }) => {
    await removeBucketPolicy(bucket, basis);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: 'Bucket policy removed.' };
  },
);

const tagSchema = z.object({ key: z.string().trim().min(1).max(128), value: z.string().trim().max(256) });
export const setTagsAction = defineAction(
  {
    name: 's3.bucket.tags',
    role: 'admin',
    schema: bucketOnly.extend({ tags: z.preprocess((v) => (typeof v === 'string' ? JSON.parse(v) : v), z.array(tagSchema).max(50, 'A bucket can have at most 50 tags.')), basis: tagBasis }),
    service: 'S3',
  },
  async ({ bucket, tags, basis }) => {
    await setBucketTags(bucket, tags, basis);
    revalidatePath(`/s3/${bucket}`);
    return { data: undefined, message: 'Tags saved.' };
  },
);

export const emptyBucketStepAction = defineAction(
  {
    name: 's3.bucket.empty-and-delete',
    role: 'admin',
    schema: z.object({ bucket: bucketNameSchema, confirm: z.string() }).refine((v) => v.confirm === v.bucket, { path: ['confirm'], message: 'Type the bucket’s name exactly to confirm.' }),
    service: 'S3',
  },
  async ({ bucket }) => {
    try {
      // No revalidation here, even once the bucket is gone: refreshing this
      // page would swap the runner's log for "no such bucket". The runner
      // moves on to the bucket list itself, which is always rendered fresh.
      return { data: await emptyBucketStep(bucket) };
    } catch (error) {
      if (error instanceof EmptyStopped) throw new ActionError(`Stopped: ${error.message}. Nothing else was changed; run it again to carry on.`);
      throw error;
    }
  },
);
