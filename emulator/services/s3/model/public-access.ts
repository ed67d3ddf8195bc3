import type Database from 'better-sqlite3';
import type { PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import { AwsError } from '../../../core/errors';
import type { ResourcePolicy } from '../../../core/authorize';
import { evaluateBucketPolicy, isPolicyPublic, type PolicyRequest } from './policy';
import { bucketOrThrow, getBucket, malformedXml } from './buckets';
import { policyOf } from './bucket-policy';

/**
 * Block Public Access of a bucket (s3_buckets.public_access_block, JSON), and
 * what it means for anonymous requests.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

const PAB_KEYS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/** What new buckets get, as on S3 since April 2023. */
export const ALL_BLOCKED: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export function publicAccessBlockOf(db: Database.Database, bucket: string): PublicAccessBlock | undefined {
  const row = db.prepare('SELECT public_access_block AS v FROM s3_buckets WHERE name = ?').get(bucket) as { v: string | null } | undefined;
  return row?.v ? (JSON.parse(row.v) as PublicAccessBlock) : undefined;
}

export function setPublicAccessBlock(db: Database.Database, bucket: string, pab: PublicAccessBlock | null): void {
  db.prepare('UPDATE s3_buckets SET public_access_block = ? WHERE name = ?').run(pab ? JSON.stringify(pab) : null, bucket);
}

/** PutPublicAccessBlock: a setting left out is false. */
export function putPublicAccessBlock(db: Database.Database, bucket: string | undefined, cfg: PublicAccessBlockConfiguration | undefined): void {
  const b = bucketOrThrow(db, bucket);
  if (!cfg) throw malformedXml();
  const pab = {} as PublicAccessBlock;
  for (const k of PAB_KEYS) pab[k] = cfg?.[k] === true;
  setPublicAccessBlock(db, b.name, pab);
}

export function getPublicAccessBlock(db: Database.Database, bucket: string | undefined): PublicAccessBlock {
  const b = bucketOrThrow(db, bucket);
  const pab = publicAccessBlockOf(db, b.name);
  if (!pab) {
    throw new AwsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, {
      fields: { BucketName: b.name },
    });
  }
  return pab;
}

export function deletePublicAccessBlock(db: Database.Database, bucket: string | undefined): void {
  const b = bucketOrThrow(db, bucket);
  setPublicAccessBlock(db, b.name, null);
}

/**
 * Whether an unsigned request may perform `action` on `resourceArn` in
 * `bucket`, for the paths outside the API's authorization (website
 * endpoints, CloudFront's anonymous origin reads): the bucket policy must
 * allow everyone (with no Deny), and RestrictPublicBuckets must not be on
 * while the policy is public.
 */
export function anonymousAllowed(
  db: Database.Database,
  bucket: string,
  action: string,
  resourceArn: string,
  context?: PolicyRequest['context'],
): boolean {
  if (!getBucket(db, bucket)) return false;
  const policy = policyOf(db, bucket);
  if (!policy) return false;
  if (publicAccessBlockOf(db, bucket)?.RestrictPublicBuckets && isPolicyPublic(policy)) return false;
  return evaluateBucketPolicy(policy, { principal: { type: 'anonymous' }, action, resourceArn, context }) === 'Allow';
}

/**
 * The bucket policy that governs a bucket or object ARN, for request
 * authorization, with the bucket's RestrictPublicBuckets setting. There is
 * no account-level Block Public Access here (S3 Control is not emulated), so
 * the bucket's own setting is the only one.
 * IgnorePublicAcls needs nothing yet: ACL grants are stored but not evaluated.
 */
export function resourcePolicyOf(db: Database.Database, resourceArn: string): ResourcePolicy | undefined {
  if (!resourceArn.startsWith('arn:aws:s3:::')) return undefined;
  const rest = resourceArn.slice('arn:aws:s3:::'.length);
  const slash = rest.indexOf('/');
  const bucket = slash >= 0 ? rest.slice(0, slash) : rest;
  const row = db.prepare('SELECT policy, public_access_block AS pab FROM s3_buckets WHERE name = ?').get(bucket) as
    | { policy: string | null; pab: string | null }
    | undefined;
  if (!row?.policy) return undefined;
  const pab = row.pab ? (JSON.parse(row.pab) as PublicAccessBlock) : undefined;
  return { document: row.policy, restrictPublic: pab?.RestrictPublicBuckets === true };
}
