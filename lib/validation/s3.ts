import { z } from 'zod';
import { checkbox, confirmField, jsonField, many, regionField } from './fields';
import { policyProblems } from './policy';
import { bucketNameProblems } from './s3-rules';
import './constraints/s3';
import { codePoints, enumSubset, memberShape, stringRule } from './aws-model';

export { bucketNameProblems } from './s3-rules';

export const bucketNameSchema = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    for (const message of bucketNameProblems(name)) ctx.addIssue({ code: 'custom', message });
  });

export const createBucketSchema = z.object({
  region: regionField,
  name: bucketNameSchema,
  versioning: checkbox,
  blockPublicAccess: checkbox,
});
export type CreateBucketInput = z.output<typeof createBucketSchema>;

// An object key: at least what the model's ObjectKey asks (1 character), at most
// 1,024 bytes of UTF-8, which the user guide states and the model does not.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
const OBJECT_KEY_MIN = stringRule('s3', memberShape('s3', 'PutObjectRequest', 'Key')).min ?? 0;
export const objectKeySchema = z
  .string()
  .refine((k) => codePoints(k) >= OBJECT_KEY_MIN, 'Give the object a name.')
  .refine((k) => Buffer.byteLength(k, 'utf8') <= 1024, 'An object key can be at most 1,024 bytes.');

// What the actions on one bucket post.

export const bucketRefSchema = z.object({ bucket: bucketNameSchema });

/** One selected row of the object table: its key, and its version when versions are shown. */
const objectItemSchema = z.object({ key: objectKeySchema, versionId: z.string().max(1024).optional() });

export const deleteObjectsSchema = bucketRefSchema.extend({
  // Each checkbox's value is the row as JSON text; DeleteObjects takes at most 1,000 keys per call, Berth batches up to 10,000.
  items: many(jsonField(objectItemSchema, { what: 'A selected row' }))
    .refine((items) => items.length >= 1, 'Select at least one object.')
    .refine((items) => items.length <= 10_000, 'Delete at most 10,000 objects at a time.'),
});

export const restoreVersionSchema = bucketRefSchema.extend({
  key: objectKeySchema,
  versionId: z.string().min(1, 'Pick a version.').max(1024),
});

export const versioningSchema = bucketRefSchema.extend({
  status: z.enum(enumSubset('s3', 'BucketVersioningStatus', ['Enabled', 'Suspended'])),
});

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/IndexDocumentSupport.html
export const websiteSchema = bucketRefSchema
  .extend({
    enabled: checkbox,
    indexDocument: z.string().trim().max(1024, 'Use at most 1,024 characters.').optional(),
    errorDocument: z.string().trim().max(1024, 'Use at most 1,024 characters.').optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.enabled) return;
    const index = v.indexDocument ?? '';
    const problem = !index
      ? 'Name the index document, e.g. index.html.'
      : index.startsWith('/')
        ? 'Leave out the leading slash.'
        : index.includes('/')
          ? 'The index document is a name, not a path (no slash).'
          : null;
    if (problem) ctx.addIssue({ code: 'custom', path: ['indexDocument'], message: problem });
  });

export const publicAccessBlockSchema = bucketRefSchema.extend({
  blockPublicAcls: checkbox,
  ignorePublicAcls: checkbox,
  blockPublicPolicy: checkbox,
  restrictPublicBuckets: checkbox,
});

/** A bucket policy: at most 20 KB (S3's limit), and a document S3 would take. */
export const bucketPolicySchema = bucketRefSchema.extend({
  policy: z
    .string()
    .max(20480, 'A bucket policy can be at most 20 KB.')
    .superRefine((text, ctx) => {
      if (text.length > 20480) return; // said once, above
      for (const message of policyProblems(text, 'resource')) ctx.addIssue({ code: 'custom', message });
    }),
});

/**
 * The document as the page showed it (empty for none): a save is refused when
 * the bucket's copy changed since, so an editor open for minutes cannot undo a
 * change made meanwhile (lib/aws/shared-document.ts).
 */
const policyBasis = z.string().max(40_000, 'The page is out of date; reload it.').transform((v) => v || null);
export const saveBucketPolicySchema = bucketPolicySchema.extend({ basis: policyBasis });
export const deleteBucketPolicySchema = bucketRefSchema.extend({ basis: policyBasis });

// S3's model leaves tag keys and values plain strings; the limits are the user guide's:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-managing.html: 50 tags, keys up to 128 characters, values up to 256.
export const tagSchema = z.object({
  key: z.string().trim().min(1, 'A tag needs a key.').max(128, 'A tag key can be at most 128 characters.'),
  value: z.string().trim().max(256, 'A tag value can be at most 256 characters.'),
});

export const bucketTagsSchema = bucketRefSchema.extend({
  tags: jsonField(z.array(tagSchema).max(50, 'A bucket can have at most 50 tags.'), { empty: [], what: 'The tag list' }),
  // The tag set as the page showed it; the save is refused if the bucket's changed since.
  basis: jsonField(z.array(tagSchema).max(50), { empty: [], what: 'The tag list the page started from' }),
});

export const emptyBucketSchema = z
  .object({ bucket: bucketNameSchema, confirm: confirmField })
  .refine((v) => v.confirm === v.bucket, { path: ['confirm'], message: 'Type the bucket’s name exactly to confirm.' });
