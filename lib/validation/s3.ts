import { z } from 'zod';
import { regionField } from './ecr';

// S3's bucket naming rules (general purpose buckets):
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html

/** Every rule a bucket name breaks, as sentences; empty when it is valid. */
export function bucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3) problems.push('Use at least 3 characters.');
  if (name.length > 63) problems.push('Use at most 63 characters.');
  if (/[A-Z]/.test(name)) problems.push('Use lowercase letters only.');
  if (/[^a-zA-Z0-9.-]/.test(name)) problems.push('Use only lowercase letters, digits, dots and hyphens.');
  if (/^[^a-z0-9]|[^a-z0-9]$/.test(name)) problems.push('Start and end with a letter or digit.');
  if (name.includes('..')) problems.push('Do not put two dots next to each other.');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push('A bucket name cannot look like an IP address.');
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) problems.push('Names starting with xn--, sthree- or amzn-s3-demo- are reserved.');
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) problems.push('This ending is reserved by S3.');
  return problems;
}

export const bucketNameSchema = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    for (const message of bucketNameProblems(name)) ctx.addIssue({ code: 'custom', message });
  });

const checkbox = z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean());

export const createBucketSchema = z.object({
  region: regionField,
  name: bucketNameSchema,
  versioning: checkbox,
  blockPublicAccess: checkbox,
});
export type CreateBucketInput = z.output<typeof createBucketSchema>;

/** An object key: 1–1024 bytes of UTF-8 (S3's limit). */
export const objectKeySchema = z
  .string()
  .min(1, 'Give the object a name.')
  .refine((k) => Buffer.byteLength(k, 'utf8') <= 1024, 'An object key can be at most 1,024 bytes.');
