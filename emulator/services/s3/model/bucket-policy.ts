import type Database from 'better-sqlite3';
import { AwsError, accessDeniedMessage } from '../../../core/errors';
import { bucketArn, bucketOrThrow } from './buckets';
import { isPolicyPublic, validateBucketPolicy } from './policy';
import { effectivePublicAccessBlock } from './public-access';

/**
 * The bucket policy document (s3_buckets.policy, kept as sent) and its
 * public status. The rules for its contents are in policy.ts.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
 */

export function policyOf(db: Database.Database, bucket: string): string | null {
  const row = db.prepare('SELECT policy FROM s3_buckets WHERE name = ?').get(bucket) as { policy: string | null } | undefined;
  return row?.policy ?? null;
}

function noSuchPolicy(bucket: string): AwsError {
  return new AwsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { fields: { BucketName: bucket } });
}

/**
 * Stores a policy after checking it. With BlockPublicAccess's
 * BlockPublicPolicy on, a public policy is refused with AccessDenied naming
 * that setting. `callerArn` is who asked, for that message.
 */
export function putBucketPolicy(db: Database.Database, bucket: string | undefined, text: string | undefined, callerArn: string): void {
  const b = bucketOrThrow(db, bucket);
  const policy = text ?? '';
  validateBucketPolicy(policy, b.name);
  const pab = effectivePublicAccessBlock(db, b.name);
  if (pab.BlockPublicPolicy && isPolicyPublic(policy)) {
    throw new AwsError(
      'AccessDenied',
      accessDeniedMessage(callerArn, 's3:PutBucketPolicy', bucketArn(b.name)).replace(
        /because no identity-based policy allows the s3:PutBucketPolicy action$/,
        'because public policies are blocked by the BlockPublicPolicy block public access setting.',
      ),
      403,
    );
  }
  db.prepare('UPDATE s3_buckets SET policy = ? WHERE name = ?').run(policy, b.name);
}

/** The policy as it was put; NoSuchBucketPolicy when there is none. */
export function getBucketPolicy(db: Database.Database, bucket: string | undefined): string {
  const b = bucketOrThrow(db, bucket);
  const p = policyOf(db, b.name);
  if (p === null) throw noSuchPolicy(b.name);
  return p;
}

export function deleteBucketPolicy(db: Database.Database, bucket: string | undefined): void {
  const b = bucketOrThrow(db, bucket);
  db.prepare('UPDATE s3_buckets SET policy = NULL WHERE name = ?').run(b.name);
}

/** Whether the bucket's policy makes it public (GetBucketPolicyStatus). */
export function bucketPolicyIsPublic(db: Database.Database, bucket: string | undefined): boolean {
  return isPolicyPublic(getBucketPolicy(db, bucket));
}
