import type Database from 'better-sqlite3';
import type { ServerSideEncryptionConfiguration } from '@aws-sdk/client-s3';
import { AwsError } from '../../../core/errors';
import { bucketOrThrow, malformedXml } from './buckets';

/**
 * Default bucket encryption and the server-side encryption each object
 * records. Since January 2023 S3 encrypts every new object with SSE-S3
 * (AES256) unless told otherwise, and GetBucketEncryption answers that
 * default for a bucket that never had a configuration:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html
 */

export const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'] as const;
export type SseAlgorithm = (typeof SSE_ALGORITHMS)[number];

export interface BucketEncryption {
  algorithm: SseAlgorithm;
  /** Stored as given (a key id, alias or ARN); only with aws:kms and aws:kms:dsse. */
  kmsKeyId?: string;
  bucketKeyEnabled: boolean;
}

export const DEFAULT_ENCRYPTION: BucketEncryption = { algorithm: 'AES256', bucketKeyEnabled: false };

const isKms = (a: string) => a === 'aws:kms' || a === 'aws:kms:dsse';

export function bucketEncryptionOf(db: Database.Database, bucket: string): BucketEncryption {
  const row = db.prepare('SELECT encryption FROM s3_buckets WHERE name = ?').get(bucket) as { encryption: string | null } | undefined;
  return row?.encryption ? (JSON.parse(row.encryption) as BucketEncryption) : DEFAULT_ENCRYPTION;
}

/** `null` returns the bucket to the SSE-S3 default (DeleteBucketEncryption). */
export function setBucketEncryption(db: Database.Database, bucket: string, enc: BucketEncryption | null): void {
  db.prepare('UPDATE s3_buckets SET encryption = ? WHERE name = ?').run(enc ? JSON.stringify(enc) : null, bucket);
}

/**
 * Checks a ServerSideEncryptionConfiguration (PutBucketEncryption's payload):
 * exactly one rule, which names an algorithm S3 has, and a KMS key only with
 * a KMS algorithm.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html
 */
export function checkEncryptionConfiguration(cfg: ServerSideEncryptionConfiguration | undefined): BucketEncryption {
  const rules = cfg?.Rules ?? [];
  if (rules.length !== 1) throw malformedXml();
  const rule = rules[0]!;
  const byDefault = rule.ApplyServerSideEncryptionByDefault;
  if (!byDefault) throw malformedXml();
  const algorithm = byDefault.SSEAlgorithm as string | undefined;
  if (algorithm === undefined || !(SSE_ALGORITHMS as readonly string[]).includes(algorithm)) throw malformedXml();
  const keyId = byDefault.KMSMasterKeyID ? byDefault.KMSMasterKeyID : undefined;
  if (keyId !== undefined && !isKms(algorithm)) {
    throw new AwsError('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 400, {
      fields: { ArgumentName: 'ApplyServerSideEncryptionByDefault' },
    });
  }
  return { algorithm: algorithm as SseAlgorithm, ...(keyId ? { kmsKeyId: keyId } : {}), bucketKeyEnabled: rule.BucketKeyEnabled === true };
}

export function putBucketEncryption(db: Database.Database, bucket: string | undefined, cfg: ServerSideEncryptionConfiguration | undefined): void {
  const b = bucketOrThrow(db, bucket);
  setBucketEncryption(db, b.name, checkEncryptionConfiguration(cfg));
}

/** The bucket's default encryption in the API's shape: SSE-S3 when none was configured. */
export function getBucketEncryption(db: Database.Database, bucket: string | undefined): ServerSideEncryptionConfiguration {
  const b = bucketOrThrow(db, bucket);
  const enc = bucketEncryptionOf(db, b.name);
  return {
    Rules: [
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: enc.algorithm, KMSMasterKeyID: enc.kmsKeyId },
        BucketKeyEnabled: enc.bucketKeyEnabled,
      },
    ],
  };
}

/** Returns the bucket to S3's default, SSE-S3. */
export function deleteBucketEncryption(db: Database.Database, bucket: string | undefined): void {
  const b = bucketOrThrow(db, bucket);
  setBucketEncryption(db, b.name, null);
}

// ---- per object

/** The response headers S3 sends about an object's encryption; kept with the object's stored headers. */
export const SSE_HEADERS = [
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id',
  'x-amz-server-side-encryption-bucket-key-enabled',
] as const;

/** The encryption members of PutObject's, CopyObject's and CreateMultipartUpload's input. */
export interface EncryptionRequest {
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
}

/**
 * The encryption a new object gets: what the request asks for in
 * `x-amz-server-side-encryption` (and its KMS key and bucket key headers),
 * otherwise the bucket's default. Returned as the headers to store and answer.
 */
export function objectEncryption(req: EncryptionRequest, bucketDefault: BucketEncryption): Record<string, string> {
  const asked = req.ServerSideEncryption === '' ? undefined : req.ServerSideEncryption;
  let enc: BucketEncryption;
  if (asked !== undefined) {
    if (!(SSE_ALGORITHMS as readonly string[]).includes(asked)) {
      throw new AwsError('InvalidArgument', 'The encryption method specified is not supported', 400, {
        fields: { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: asked },
      });
    }
    // Asked for aws:kms without a key, S3 uses the account's AWS managed key, not the bucket's default key.
    const keyId = req.SSEKMSKeyId;
    enc = {
      algorithm: asked as SseAlgorithm,
      ...(isKms(asked) && keyId ? { kmsKeyId: keyId } : {}),
      bucketKeyEnabled: isKms(asked) && req.BucketKeyEnabled === true,
    };
  } else {
    enc = bucketDefault;
  }
  return encryptionHeaders(enc);
}

export function encryptionHeaders(enc: BucketEncryption): Record<string, string> {
  const out: Record<string, string> = { 'x-amz-server-side-encryption': enc.algorithm };
  if (isKms(enc.algorithm)) {
    if (enc.kmsKeyId) out['x-amz-server-side-encryption-aws-kms-key-id'] = enc.kmsKeyId;
    if (enc.bucketKeyEnabled) out['x-amz-server-side-encryption-bucket-key-enabled'] = 'true';
  }
  return out;
}

/** The encryption headers among an object's stored headers; objects stored before this existed read as SSE-S3. */
export function storedEncryption(metadata: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of SSE_HEADERS) if (metadata[k] !== undefined) out[k] = metadata[k];
  return out['x-amz-server-side-encryption'] ? out : encryptionHeaders(DEFAULT_ENCRYPTION);
}

/** An object's stored headers without its encryption (a copy is encrypted as its destination says, not its source). */
export function withoutEncryption(metadata: Record<string, string>): Record<string, string> {
  const out = { ...metadata };
  for (const k of SSE_HEADERS) delete out[k];
  return out;
}
