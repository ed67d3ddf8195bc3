import type Database from 'better-sqlite3';
import type { AbacStatus } from '@aws-sdk/client-s3';
import { resourceTagContext, type ContextInput } from '../../../core/policy';
import { bucketOrThrow, malformedXml, readDocument, writeDocument } from './documents';

/**
 * Attribute-based access control of a general purpose bucket
 * (PutBucketAbac / GetBucketAbac). Off by default; while it is on, the
 * bucket's tags are `aws:ResourceTag/<key>` in the requests made on the
 * bucket. "S3 evaluates this condition key only after you enable ABAC on
 * your bucket."
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/buckets-tagging.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAbac.html
 */

export function getAbac(db: Database.Database, bucket: string | undefined): AbacStatus {
  const b = bucketOrThrow(db, bucket);
  return { Status: readDocument<AbacStatus>(db, b.name, 'abac')?.Status ?? 'Disabled' };
}

export function putAbac(db: Database.Database, bucket: string | undefined, status: AbacStatus | undefined): void {
  const b = bucketOrThrow(db, bucket);
  if (status?.Status !== 'Enabled' && status?.Status !== 'Disabled') throw malformedXml();
  writeDocument(db, b.name, 'abac', { Status: status.Status });
}

/**
 * The bucket's tags as condition keys for a request on the bucket's ARN,
 * while ABAC is enabled. Object ARNs get none: the documentation speaks of
 * access to buckets, and does not say that object requests see the bucket's
 * tags.
 */
export function bucketContextOf(db: Database.Database, resourceArn: string): ContextInput | undefined {
  if (!resourceArn.startsWith('arn:aws:s3:::')) return undefined;
  const bucket = resourceArn.slice('arn:aws:s3:::'.length);
  if (bucket === '' || bucket.includes('/')) return undefined;
  const row = db.prepare('SELECT tags FROM s3_buckets WHERE name = ?').get(bucket) as { tags: string | null } | undefined;
  if (!row || readDocument<AbacStatus>(db, bucket, 'abac')?.Status !== 'Enabled') return undefined;
  const tags: Record<string, string> = {};
  for (const t of row.tags ? (JSON.parse(row.tags) as { Key: string; Value: string }[]) : []) tags[t.Key] = t.Value;
  return resourceTagContext(tags);
}
