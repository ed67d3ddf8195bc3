import type Database from 'better-sqlite3';
import type { PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import { AwsError } from '../../../core/errors';
import { bucketOrThrow, malformedXml } from './buckets';

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

/** The bucket's own setting, as GetPublicAccessBlock answers it (the account's is apart, see below). */
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


// ---- the account's setting (S3 Control) and the one that applies

/** The account-level setting (S3 Control's PutPublicAccessBlock), if one is set. */
export function accountPublicAccessBlockOf(db: Database.Database, accountId: string): PublicAccessBlock | undefined {
  const row = db.prepare('SELECT public_access_block AS v FROM s3_account_settings WHERE account_id = ?').get(accountId) as { v: string | null } | undefined;
  return row?.v ? (JSON.parse(row.v) as PublicAccessBlock) : undefined;
}

export function setAccountPublicAccessBlock(db: Database.Database, accountId: string, pab: PublicAccessBlock | null): void {
  db.prepare(
    `INSERT INTO s3_account_settings (account_id, public_access_block) VALUES (?, ?)
     ON CONFLICT (account_id) DO UPDATE SET public_access_block = excluded.public_access_block`,
  ).run(accountId, pab ? JSON.stringify(pab) : null);
}

/**
 * What S3 enforces for a bucket: each of the four settings on when it is on
 * for the bucket or for the bucket owner's account ("Amazon S3 applies the
 * most restrictive combination of the bucket-level and account-level
 * settings").
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
export function effectivePublicAccessBlock(db: Database.Database, bucket: string): PublicAccessBlock {
  const row = db.prepare('SELECT public_access_block AS v, owner_account AS owner FROM s3_buckets WHERE name = ?').get(bucket) as
    | { v: string | null; owner: string }
    | undefined;
  const own = row?.v ? (JSON.parse(row.v) as PublicAccessBlock) : undefined;
  const account = row ? accountPublicAccessBlockOf(db, row.owner) : undefined;
  const out = {} as PublicAccessBlock;
  for (const k of PAB_KEYS) out[k] = own?.[k] === true || account?.[k] === true;
  return out;
}

/** PAB_KEYS for S3 Control's own reading of a configuration. */
export const PUBLIC_ACCESS_BLOCK_KEYS = PAB_KEYS;
