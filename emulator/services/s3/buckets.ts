import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AwsError } from '../../core/errors';
import type { EmulatorEnv, Reply, RequestContext } from '../../core/types';
import { escapeXml, isoTime, leaf, node, parseXml } from '../../core/xml';
import { checkBucketName } from './names';
import { checkTagSet } from './tags';

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface BucketRow {
  name: string;
  region: string;
  created_at_ms: number;
  owner_account: string;
  object_ownership: string;
  object_lock_enabled: number;
}

/** S3 identifies owners by a 64-hex canonical id; derive a stable one from the account. */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`berth-emulator:${accountId}`).digest('hex');
}

export function getBucket(db: Database.Database, name: string): BucketRow | undefined {
  return db.prepare('SELECT * FROM s3_buckets WHERE name = ?').get(name) as BucketRow | undefined;
}

export function noSuchBucket(name: string): AwsError {
  return new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { fields: { BucketName: name } });
}

/** Looks up the bucket a request names, or answers NoSuchBucket. */
export function requireBucket(ctx: RequestContext): BucketRow {
  const name = ctx.params.Bucket ?? '';
  const row = getBucket(ctx.env.db, name);
  if (!row) throw noSuchBucket(name);
  return row;
}

export function bucketResource(ctx: RequestContext): string {
  return ctx.params.Bucket ? `arn:aws:s3:::${ctx.params.Bucket}` : '*';
}

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/;

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

function locationConstraintFrom(body: Buffer): string | undefined {
  const text = body.toString('utf8');
  const parsed = parseXml(text);
  if (parsed === null) {
    throw new AwsError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  }
  if (text.trim() === '') return undefined;
  const config = parsed.CreateBucketConfiguration;
  if (config === undefined) {
    throw new AwsError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  }
  if (!config || typeof config !== 'object') return undefined;
  const lc = (config as Record<string, unknown>).LocationConstraint;
  return typeof lc === 'string' && lc !== '' ? lc : undefined;
}

/** CreateBucketConfiguration's Tags (applied atomically with the create), already parsed once by locationConstraintFrom. */
function tagsFrom(body: Buffer): { Key: string; Value: string }[] {
  const config = parseXml(body.toString('utf8'))?.CreateBucketConfiguration;
  if (!config || typeof config !== 'object') return [];
  const tags = (config as Record<string, unknown>).Tags;
  if (tags === undefined || tags === '') return [];
  if (!tags || typeof tags !== 'object') throw malformedXml();
  return checkTagSet((tags as Record<string, unknown>).Tag, malformedXml);
}

function malformedXml(): AwsError {
  return new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
}

const OWNERSHIP = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

export function createBucketHandler(ctx: RequestContext): Reply {
  const name = ctx.params.Bucket ?? '';
  checkBucketName(name);
  let constraint = locationConstraintFrom(ctx.body);
  if (constraint === 'EU') constraint = 'eu-west-1';
  if (constraint !== undefined && (!REGION_RE.test(constraint) || constraint === 'us-east-1')) {
    // us-east-1 is the default and S3 refuses it when named explicitly.
    throw new AwsError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, {
      fields: { LocationConstraint: constraint },
    });
  }
  let region: string;
  if (ctx.region === 'us-east-1') {
    region = constraint ?? 'us-east-1';
  } else if (constraint === undefined) {
    throw new AwsError(
      'IllegalLocationConstraintException',
      'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
    );
  } else if (constraint !== ctx.region) {
    throw new AwsError(
      'IllegalLocationConstraintException',
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  } else {
    region = constraint;
  }

  const ownershipHeader = ctx.headers['x-amz-object-ownership'];
  const ownership = typeof ownershipHeader === 'string' ? ownershipHeader : 'BucketOwnerEnforced';
  if (!OWNERSHIP.includes(ownership)) {
    throw new AwsError('InvalidArgument', `Invalid x-amz-object-ownership header: ${ownership}`, 400, {
      fields: { ArgumentName: 'x-amz-object-ownership', ArgumentValue: ownership },
    });
  }
  const acl = ctx.headers['x-amz-acl'];
  if (typeof acl === 'string' && acl !== 'private' && ownership === 'BucketOwnerEnforced') {
    throw new AwsError(
      'InvalidBucketAclWithObjectOwnership',
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    );
  }
  const lock = String(ctx.headers['x-amz-bucket-object-lock-enabled'] ?? '').toLowerCase() === 'true';
  const existing = getBucket(ctx.env.db, name);
  if (existing && existing.owner_account === ctx.env.accountId && existing.region === 'us-east-1' && region === 'us-east-1') {
    // S3's legacy behaviour in N. Virginia: re-creating a bucket you already own
    // there answers 200 and only resets the bucket's ACLs (this emulator keeps
    // none: buckets are BucketOwnerEnforced). Nothing else about the bucket
    // changes: not its Block Public Access, tags or contents. Every other
    // region answers BucketAlreadyOwnedByYou (insertBucket, below).
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
    return { status: 200, headers: { Location: `/${name}`, 'x-amz-bucket-arn': `arn:aws:s3:::${name}` } };
  }
  const tags = tagsFrom(ctx.body);
  ctx.env.db.transaction(() => {
    insertBucket(ctx.env, { name, region, objectOwnership: ownership, objectLock: lock });
    // New buckets block all public access, as S3 has done by default since April 2023.
    ctx.env.db
      .prepare('UPDATE s3_buckets SET public_access_block = ?, tags = ? WHERE name = ?')
      .run(
        JSON.stringify({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }),
        tags.length ? JSON.stringify(tags) : null,
        name,
      );
  })();
  return {
    status: 200,
    headers: { Location: `/${name}`, 'x-amz-bucket-arn': `arn:aws:s3:::${name}` },
  };
}

function intParam(ctx: RequestContext, key: string, min: number, max: number): number | undefined {
  const raw = ctx.query.get(key);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw new AwsError('InvalidArgument', `${key} must be an integer between ${min} and ${max}`, 400, {
      fields: { ArgumentName: key, ArgumentValue: raw },
    });
  }
  return n;
}

export function listBucketsHandler(ctx: RequestContext): Reply {
  const max = intParam(ctx, 'max-buckets', 1, 10000);
  const token = ctx.query.get('continuation-token');
  const prefix = ctx.query.get('prefix');
  const regionFilter = ctx.query.get('bucket-region');
  let after = '';
  if (token !== null) {
    after = Buffer.from(token, 'base64url').toString('utf8');
    if (after === '') throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect');
  }
  const where: string[] = ['name > ?'];
  const args: (string | number)[] = [after];
  if (prefix !== null && prefix !== '') {
    // Range instead of LIKE so `_` and `%` in a prefix mean themselves.
    where.push('substr(name, 1, ?) = ?');
    args.push(prefix.length, prefix);
  }
  if (regionFilter !== null && regionFilter !== '') {
    where.push('region = ?');
    args.push(regionFilter);
  }
  const limit = max ?? 10000;
  const rows = ctx.env.db
    .prepare(`SELECT * FROM s3_buckets WHERE ${where.join(' AND ')} ORDER BY name LIMIT ?`)
    .all(...args, limit + 1) as BucketRow[];
  const page = rows.slice(0, limit);
  const buckets = page
    .map((b) =>
      node(
        'Bucket',
        leaf('Name', b.name) +
          leaf('CreationDate', isoTime(b.created_at_ms)) +
          leaf('BucketRegion', b.region) +
          leaf('BucketArn', `arn:aws:s3:::${b.name}`),
      ),
    )
    .join('');
  const last = page.at(-1);
  const next = rows.length > limit && last ? Buffer.from(last.name).toString('base64url') : undefined;
  const xml = node(
    'ListAllMyBucketsResult',
    node('Buckets', buckets) +
      node('Owner', leaf('ID', canonicalUserId(ctx.env.accountId)) + leaf('DisplayName', 'berth-emulator')) +
      leaf('ContinuationToken', next) +
      leaf('Prefix', prefix ?? undefined),
    { xmlns: S3_NS },
  );
  return { xml };
}

export function headBucketHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  return {
    status: 200,
    headers: {
      'x-amz-bucket-region': b.region,
      'x-amz-access-point-alias': 'false',
      'x-amz-bucket-arn': `arn:aws:s3:::${b.name}`,
    },
  };
}

export function getBucketLocationHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  // us-east-1 is reported as an empty constraint, for historical reasons.
  const value = b.region === 'us-east-1' ? '' : b.region;
  return { xml: node('LocationConstraint', escapeXml(value), { xmlns: S3_NS }) };
}

export function deleteBucketHandler(ctx: RequestContext): Reply {
  const db = ctx.env.db;
  const name = ctx.params.Bucket ?? '';
  const remove = db.transaction(() => {
    if (!getBucket(db, name)) throw noSuchBucket(name);
    const objects = db.prepare('SELECT COUNT(*) AS n FROM s3_objects WHERE bucket = ?').get(name) as { n: number };
    if (objects.n > 0) {
      throw new AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, {
        fields: { BucketName: name },
      });
    }
    db.prepare('DELETE FROM s3_buckets WHERE name = ?').run(name);
  });
  remove.immediate();
  return { status: 204 };
}
