import type Database from 'better-sqlite3';
import type { Tag } from '@aws-sdk/client-s3';
import { AwsError } from '../../../core/errors';
import { bucketOrThrow, malformedXml } from './buckets';

/**
 * Bucket tags (PutBucketTagging, and CreateBucketConfiguration's Tags), kept
 * as JSON in s3_buckets.tags.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html
 */

export interface BucketTag {
  Key: string;
  Value: string;
}

/** S3's rules for a bucket tag set, the same whether it comes with PutBucketTagging or CreateBucket. */
export function checkBucketTags(tags: readonly Tag[]): BucketTag[] {
  const out: BucketTag[] = [];
  for (const t of tags) {
    // A Tag without its Key does not validate against S3's schema.
    if (t.Key === undefined) throw malformedXml();
    const key = t.Key;
    const value = t.Value ?? '';
    if (key.length < 1 || key.length > 128 || value.length > 256 || key.startsWith('aws:')) {
      throw new AwsError('InvalidTag', 'The TagKey you have provided is invalid', 400, { fields: { TagKey: key } });
    }
    if (out.some((x) => x.Key === key)) {
      throw new AwsError('InvalidTag', 'Cannot provide multiple Tags with the same key', 400, { fields: { TagKey: key } });
    }
    out.push({ Key: key, Value: value });
  }
  if (out.length > 50) throw new AwsError('InvalidTag', 'Bucket tag count cannot be greater than 50', 400);
  return out;
}

/** Replaces the bucket's tags; a Tagging without a TagSet does not validate. */
export function putBucketTags(db: Database.Database, bucket: string | undefined, tagSet: readonly Tag[] | undefined): void {
  const b = bucketOrThrow(db, bucket);
  if (tagSet === undefined) throw malformedXml();
  const tags = checkBucketTags(tagSet);
  db.prepare('UPDATE s3_buckets SET tags = ? WHERE name = ?').run(JSON.stringify(tags), b.name);
}

/** The bucket's tags; NoSuchTagSet when it has none. */
export function getBucketTags(db: Database.Database, bucket: string | undefined): BucketTag[] {
  const b = bucketOrThrow(db, bucket);
  const row = db.prepare('SELECT tags FROM s3_buckets WHERE name = ?').get(b.name) as { tags: string | null };
  const tags = row.tags ? (JSON.parse(row.tags) as BucketTag[]) : [];
  if (tags.length === 0) {
    throw new AwsError('NoSuchTagSet', 'The TagSet does not exist', 404, { fields: { BucketName: b.name } });
  }
  return tags;
}

export function deleteBucketTags(db: Database.Database, bucket: string | undefined): void {
  const b = bucketOrThrow(db, bucket);
  db.prepare('UPDATE s3_buckets SET tags = NULL WHERE name = ?').run(b.name);
}
