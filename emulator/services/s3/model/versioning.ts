import type Database from 'better-sqlite3';
import type { VersioningConfiguration } from '@aws-sdk/client-s3';
import { AwsError } from '../../../core/errors';
import { bucketOrThrow, malformedXml } from './buckets';

/**
 * A bucket's versioning state (s3_buckets.versioning): never set (NULL),
 * Enabled or Suspended. Once enabled it can only be suspended.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
 */

export type VersioningStatus = 'Enabled' | 'Suspended';

/** The bucket's state; undefined when versioning was never configured (GetBucketVersioning answers no Status). */
export function getVersioning(db: Database.Database, bucket: string | undefined): VersioningStatus | undefined {
  const b = bucketOrThrow(db, bucket);
  const row = db.prepare('SELECT versioning FROM s3_buckets WHERE name = ?').get(b.name) as { versioning: string | null };
  return row.versioning === 'Enabled' || row.versioning === 'Suspended' ? row.versioning : undefined;
}

export function putVersioning(db: Database.Database, bucket: string | undefined, cfg: VersioningConfiguration | undefined): void {
  const b = bucketOrThrow(db, bucket);
  const status = cfg?.Status as string | undefined;
  if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
  // Object Lock needs versioning on for good.
  if (status === 'Suspended' && b.object_lock_enabled) {
    throw new AwsError(
      'InvalidBucketState',
      'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.',
      409,
    );
  }
  db.prepare('UPDATE s3_buckets SET versioning = ? WHERE name = ?').run(status, b.name);
}
