import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { BucketLocationConstraint, CreateBucketConfiguration } from '@aws-sdk/client-s3';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { checkBucketName } from '../names';
import { checkBucketTags } from './bucket-tags';
import { ALL_BLOCKED } from './public-access';

/** Buckets: the rows of s3_buckets, and CreateBucket, ListBuckets, HeadBucket, GetBucketLocation and DeleteBucket's rules. */

export interface BucketRow {
  name: string;
  region: string;
  created_at_ms: number;
  owner_account: string;
  object_ownership: string;
  object_lock_enabled: number;
}

export const bucketArn = (name: string): string => `arn:aws:s3:::${name}`;

/** S3 identifies owners by a 64-hex canonical id; derive a stable one from the account. */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`berth-emulator:${accountId}`).digest('hex');
}

/** The display name S3 gives the owner in listings. */
export const OWNER_DISPLAY_NAME = 'berth-emulator';

export function getBucket(db: Database.Database, name: string): BucketRow | undefined {
  return db.prepare('SELECT * FROM s3_buckets WHERE name = ?').get(name) as BucketRow | undefined;
}

export function noSuchBucket(name: string): AwsError {
  return new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { fields: { BucketName: name } });
}

/** The bucket a request names, or NoSuchBucket. */
export function bucketOrThrow(db: Database.Database, name: string | undefined): BucketRow {
  const row = getBucket(db, name ?? '');
  if (!row) throw noSuchBucket(name ?? '');
  return row;
}

/** S3's answer to a document that does not validate against its schema. */
export function malformedXml(): AwsError {
  return new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
}

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Adds a bucket row; a name already taken answers BucketAlreadyOwnedByYou. */
export function insertBucket(
  env: EmulatorEnv,
  b: { name: string; region: string; objectOwnership?: string; objectLock?: boolean },
): BucketRow {
  const row: BucketRow = {
    name: b.name,
    region: b.region,
    created_at_ms: env.now(),
    owner_account: env.accountId,
    object_ownership: b.objectOwnership ?? 'BucketOwnerEnforced',
    object_lock_enabled: b.objectLock ? 1 : 0,
  };
  const info = env.db
    .prepare(
      `INSERT INTO s3_buckets (name, region, created_at_ms, owner_account, object_ownership, object_lock_enabled)
       VALUES (@name, @region, @created_at_ms, @owner_account, @object_ownership, @object_lock_enabled)
       ON CONFLICT (name) DO NOTHING`,
    )
    .run(row);
  if (info.changes === 0) {
    // Every bucket here belongs to the one emulated account, so an existing
    // name is always "yours" (AWS answers BucketAlreadyExists for others').
    throw new AwsError(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      409,
      { fields: { BucketName: b.name } },
    );
  }
  return row;
}

/**
 * The region a CreateBucket request puts the bucket in. Outside us-east-1 the
 * constraint must name the endpoint's own region; in us-east-1 it may name
 * any region, but not us-east-1 itself (the default, refused when named).
 * `EU` is the legacy name of eu-west-1.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
 */
function regionFor(endpointRegion: string, asked: BucketLocationConstraint | string | undefined): string {
  let constraint = asked === '' ? undefined : asked;
  if (constraint === 'EU') constraint = 'eu-west-1';
  if (constraint !== undefined && (!REGION_RE.test(constraint) || constraint === 'us-east-1')) {
    throw new AwsError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, {
      fields: { LocationConstraint: constraint },
    });
  }
  if (endpointRegion === 'us-east-1') return constraint ?? 'us-east-1';
  if (constraint === undefined) {
    throw new AwsError(
      'IllegalLocationConstraintException',
      'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
    );
  }
  if (constraint !== endpointRegion) {
    throw new AwsError(
      'IllegalLocationConstraintException',
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  return constraint;
}

const OWNERSHIP = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

export interface CreateBucketRequest {
  name: string;
  /** The region of the endpoint the request was sent to (its credential scope). */
  endpointRegion: string;
  config?: CreateBucketConfiguration;
  /** x-amz-object-ownership, as sent (S3 checks it itself). */
  objectOwnership?: string;
  /** x-amz-acl, as sent. */
  acl?: string;
  objectLock?: boolean;
}

/**
 * Creates a bucket. New buckets block all public access, as S3 has done by
 * default since April 2023, and take CreateBucketConfiguration's tags in the
 * same transaction. Returns the bucket, new or (see below) already yours.
 */
export function createBucket(env: EmulatorEnv, req: CreateBucketRequest): BucketRow {
  const { name } = req;
  checkBucketName(name);
  const region = regionFor(req.endpointRegion, req.config?.LocationConstraint);
  const ownership = req.objectOwnership ?? 'BucketOwnerEnforced';
  if (!OWNERSHIP.includes(ownership)) {
    throw new AwsError('InvalidArgument', `Invalid x-amz-object-ownership header: ${ownership}`, 400, {
      fields: { ArgumentName: 'x-amz-object-ownership', ArgumentValue: ownership },
    });
  }
  if (req.acl !== undefined && req.acl !== 'private' && ownership === 'BucketOwnerEnforced') {
    throw new AwsError(
      'InvalidBucketAclWithObjectOwnership',
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    );
  }
  const existing = getBucket(env.db, name);
  if (existing && existing.owner_account === env.accountId && existing.region === 'us-east-1' && region === 'us-east-1') {
    // S3's legacy behaviour in N. Virginia: re-creating a bucket you already own
    // there answers 200 and only resets the bucket's ACLs (this emulator keeps
    // none: buckets are BucketOwnerEnforced). Nothing else about the bucket
    // changes: not its Block Public Access, tags or contents. Every other
    // region answers BucketAlreadyOwnedByYou (insertBucket, below).
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
    return existing;
  }
  const tags = req.config?.Tags === undefined ? [] : checkBucketTags(req.config.Tags);
  return env.db.transaction(() => {
    const row = insertBucket(env, { name, region, objectOwnership: ownership, objectLock: req.objectLock });
    env.db
      .prepare('UPDATE s3_buckets SET public_access_block = ?, tags = ? WHERE name = ?')
      .run(JSON.stringify(ALL_BLOCKED), tags.length ? JSON.stringify(tags) : null, name);
    return row;
  })();
}

export interface ListBucketsRequest {
  maxBuckets?: number;
  continuationToken?: string;
  prefix?: string;
  region?: string;
}

/**
 * One page of buckets in name order. The continuation token is the last
 * name of the page, base64url-encoded (opaque to callers, as S3's is).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
 */
export function listBuckets(db: Database.Database, req: ListBucketsRequest): { buckets: BucketRow[]; continuationToken?: string } {
  const max = req.maxBuckets;
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 10000)) {
    throw new AwsError('InvalidArgument', 'max-buckets must be an integer between 1 and 10000', 400, {
      fields: { ArgumentName: 'max-buckets', ArgumentValue: String(max) },
    });
  }
  let after = '';
  if (req.continuationToken !== undefined) {
    after = Buffer.from(req.continuationToken, 'base64url').toString('utf8');
    if (after === '') throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect');
  }
  const where: string[] = ['name > ?'];
  const args: (string | number)[] = [after];
  if (req.prefix) {
    // A substring comparison instead of LIKE so `_` and `%` in a prefix mean themselves.
    where.push('substr(name, 1, ?) = ?');
    args.push(req.prefix.length, req.prefix);
  }
  if (req.region) {
    where.push('region = ?');
    args.push(req.region);
  }
  const limit = max ?? 10000;
  const rows = db
    .prepare(`SELECT * FROM s3_buckets WHERE ${where.join(' AND ')} ORDER BY name LIMIT ?`)
    .all(...args, limit + 1) as BucketRow[];
  const buckets = rows.slice(0, limit);
  const last = buckets.at(-1);
  return { buckets, continuationToken: rows.length > limit && last ? Buffer.from(last.name).toString('base64url') : undefined };
}

/** Deletes an empty bucket (BucketNotEmpty while any object version or delete marker is left). */
export function deleteBucket(db: Database.Database, name: string): void {
  db.transaction(() => {
    bucketOrThrow(db, name);
    const objects = db.prepare('SELECT COUNT(*) AS n FROM s3_objects WHERE bucket = ?').get(name) as { n: number };
    if (objects.n > 0) {
      throw new AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, {
        fields: { BucketName: name },
      });
    }
    db.prepare('DELETE FROM s3_buckets WHERE name = ?').run(name);
  }).immediate();
}
