import type Database from 'better-sqlite3';
import { AwsError, accessDeniedMessage } from '../../core/errors';
import type { Reply, RequestContext } from '../../core/types';
import { leaf, node, parseXml } from '../../core/xml';
import { S3_NS, getBucket, noSuchBucket, requireBucket } from './buckets';
import { checkTagSet } from './tags';
import { evaluateBucketPolicy, isPolicyPublic, validateBucketPolicy, type PolicyRequest } from './policy';

/** Bucket sub-resources: versioning, website, policy, public access block, tagging. */

export function malformedXml(): AwsError {
  return new AwsError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );
}

function xmlBody(ctx: RequestContext, root: string): Record<string, unknown> {
  const parsed = parseXml(ctx.body.toString('utf8'));
  const inner = parsed?.[root];
  if (inner === undefined) throw malformedXml();
  return inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : {};
}

function setColumn(db: Database.Database, bucket: string, column: string, value: string | null): void {
  db.prepare(`UPDATE s3_buckets SET ${column} = ? WHERE name = ?`).run(value, bucket);
}

function columnOf(db: Database.Database, bucket: string, column: string): string | null {
  const row = db.prepare(`SELECT ${column} AS v FROM s3_buckets WHERE name = ?`).get(bucket) as { v: string | null } | undefined;
  return row?.v ?? null;
}

// ---- versioning

export function getBucketVersioningHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const state = columnOf(ctx.env.db, b.name, 'versioning');
  return { xml: node('VersioningConfiguration', leaf('Status', state ?? undefined), { xmlns: S3_NS }) };
}

export function putBucketVersioningHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const cfg = xmlBody(ctx, 'VersioningConfiguration');
  const status = cfg.Status;
  if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
  if (status === 'Suspended' && b.object_lock_enabled) {
    throw new AwsError('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', 409);
  }
  setColumn(ctx.env.db, b.name, 'versioning', status);
  return { status: 200 };
}

// ---- website

export interface WebsiteConfig {
  indexSuffix?: string;
  errorKey?: string;
  redirectAll?: { hostName: string; protocol?: string };
}

export function websiteOf(db: Database.Database, bucket: string): WebsiteConfig | undefined {
  const raw = columnOf(db, bucket, 'website');
  return raw ? (JSON.parse(raw) as WebsiteConfig) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : v === '' ? {} : undefined;
}

export function parseWebsite(ctx: RequestContext): WebsiteConfig {
  const cfg = xmlBody(ctx, 'WebsiteConfiguration');
  const redirect = obj(cfg.RedirectAllRequestsTo);
  const index = obj(cfg.IndexDocument);
  const error = obj(cfg.ErrorDocument);
  if (redirect) {
    if (index || error || cfg.RoutingRules !== undefined) {
      throw new AwsError('InvalidArgument', 'RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', 400, {
        fields: { ArgumentName: 'RedirectAllRequestsTo', ArgumentValue: 'not null' },
      });
    }
    const hostName = str(redirect.HostName);
    if (!hostName) throw malformedXml();
    const protocol = str(redirect.Protocol);
    if (protocol !== undefined && protocol !== 'http' && protocol !== 'https') {
      throw new AwsError('InvalidArgument', 'Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.', 400, {
        fields: { ArgumentName: 'Protocol', ArgumentValue: protocol },
      });
    }
    return { redirectAll: { hostName, ...(protocol ? { protocol } : {}) } };
  }
  const suffix = index ? str(index.Suffix) : undefined;
  if (!suffix) {
    throw new AwsError('InvalidArgument', 'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 400, {
      fields: { ArgumentName: 'IndexDocument', ArgumentValue: 'null' },
    });
  }
  if (suffix.includes('/')) {
    throw new AwsError('InvalidArgument', 'The IndexDocument Suffix is not well formed', 400, {
      fields: { ArgumentName: 'IndexDocument', ArgumentValue: suffix },
    });
  }
  const errorKey = error ? str(error.Key) : undefined;
  if (error && !errorKey) {
    throw new AwsError('InvalidArgument', 'The ErrorDocument Key is not well formed', 400, {
      fields: { ArgumentName: 'ErrorDocument', ArgumentValue: 'null' },
    });
  }
  return { indexSuffix: suffix, ...(errorKey ? { errorKey } : {}) };
}

export function putBucketWebsiteHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const cfg = parseWebsite(ctx);
  setColumn(ctx.env.db, b.name, 'website', JSON.stringify(cfg));
  return { status: 200 };
}

export function getBucketWebsiteHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const cfg = websiteOf(ctx.env.db, b.name);
  if (!cfg) {
    throw new AwsError('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', 404, {
      fields: { BucketName: b.name },
    });
  }
  const inner = cfg.redirectAll
    ? node('RedirectAllRequestsTo', leaf('HostName', cfg.redirectAll.hostName) + leaf('Protocol', cfg.redirectAll.protocol))
    : node('IndexDocument', leaf('Suffix', cfg.indexSuffix)) +
      (cfg.errorKey ? node('ErrorDocument', leaf('Key', cfg.errorKey)) : '');
  return { xml: node('WebsiteConfiguration', inner, { xmlns: S3_NS }) };
}

export function deleteBucketWebsiteHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  setColumn(ctx.env.db, b.name, 'website', null);
  return { status: 204 };
}

// ---- public access block

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

const PAB_KEYS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

export const ALL_BLOCKED: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export function publicAccessBlockOf(db: Database.Database, bucket: string): PublicAccessBlock | undefined {
  const raw = columnOf(db, bucket, 'public_access_block');
  return raw ? (JSON.parse(raw) as PublicAccessBlock) : undefined;
}

export function setPublicAccessBlock(db: Database.Database, bucket: string, pab: PublicAccessBlock | null): void {
  setColumn(db, bucket, 'public_access_block', pab ? JSON.stringify(pab) : null);
}

export function putPublicAccessBlockHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const cfg = xmlBody(ctx, 'PublicAccessBlockConfiguration');
  const pab = {} as PublicAccessBlock;
  for (const k of PAB_KEYS) {
    const v = cfg[k];
    if (v !== undefined && v !== 'true' && v !== 'false') throw malformedXml();
    pab[k] = v === 'true';
  }
  setPublicAccessBlock(ctx.env.db, b.name, pab);
  return { status: 200 };
}

export function getPublicAccessBlockHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const pab = publicAccessBlockOf(ctx.env.db, b.name);
  if (!pab) {
    throw new AwsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, {
      fields: { BucketName: b.name },
    });
  }
  return {
    xml: node('PublicAccessBlockConfiguration', PAB_KEYS.map((k) => leaf(k, pab[k])).join(''), { xmlns: S3_NS }),
  };
}

export function deletePublicAccessBlockHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  setPublicAccessBlock(ctx.env.db, b.name, null);
  return { status: 204 };
}

// ---- policy

export function policyOf(db: Database.Database, bucket: string): string | null {
  return columnOf(db, bucket, 'policy');
}

function noSuchPolicy(bucket: string): AwsError {
  return new AwsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { fields: { BucketName: bucket } });
}

export function putBucketPolicyHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const text = ctx.body.toString('utf8');
  validateBucketPolicy(text, b.name);
  const pab = publicAccessBlockOf(ctx.env.db, b.name);
  if (pab?.BlockPublicPolicy && isPolicyPublic(text)) {
    const who = ctx.principal?.arn ?? 'anonymous';
    throw new AwsError(
      'AccessDenied',
      accessDeniedMessage(who, 's3:PutBucketPolicy', `arn:aws:s3:::${b.name}`).replace(
        /because no identity-based policy allows the s3:PutBucketPolicy action$/,
        'because public policies are blocked by the BlockPublicPolicy block public access setting.',
      ),
      403,
    );
  }
  setColumn(ctx.env.db, b.name, 'policy', text);
  return { status: 204 };
}

export function getBucketPolicyHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const p = policyOf(ctx.env.db, b.name);
  if (p === null) throw noSuchPolicy(b.name);
  return { body: p, headers: { 'Content-Type': 'application/json' } };
}

export function deleteBucketPolicyHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  setColumn(ctx.env.db, b.name, 'policy', null);
  return { status: 204 };
}

export function getBucketPolicyStatusHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const p = policyOf(ctx.env.db, b.name);
  if (p === null) throw noSuchPolicy(b.name);
  return { xml: node('PolicyStatus', leaf('IsPublic', isPolicyPublic(p)), { xmlns: S3_NS }) };
}

/**
 * Whether an unsigned request may perform `action` on `resourceArn` in
 * `bucket`: Block Public Access must not restrict public buckets, and the
 * bucket policy must allow everyone (with no Deny).
 */
export function anonymousAllowed(db: Database.Database, bucket: string, action: string, resourceArn: string, context?: PolicyRequest['context']): boolean {
  if (!getBucket(db, bucket)) return false;
  const pab = publicAccessBlockOf(db, bucket);
  if (pab?.RestrictPublicBuckets) return false;
  return evaluateBucketPolicy(policyOf(db, bucket), { principal: { type: 'anonymous' }, action, resourceArn, context }) === 'Allow';
}

// ---- tagging

export function putBucketTaggingHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const cfg = xmlBody(ctx, 'Tagging');
  const set = obj(cfg.TagSet);
  if (!set) throw malformedXml();
  const tags = checkTagSet(set.Tag, malformedXml);
  setColumn(ctx.env.db, b.name, 'tags', JSON.stringify(tags));
  return { status: 204 };
}

export function getBucketTaggingHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const raw = columnOf(ctx.env.db, b.name, 'tags');
  const tags = raw ? (JSON.parse(raw) as { Key: string; Value: string }[]) : [];
  if (tags.length === 0) {
    throw new AwsError('NoSuchTagSet', 'The TagSet does not exist', 404, { fields: { BucketName: b.name } });
  }
  const inner = tags.map((t) => node('Tag', leaf('Key', t.Key) + leaf('Value', t.Value))).join('');
  return { xml: node('Tagging', node('TagSet', inner), { xmlns: S3_NS }) };
}

export function deleteBucketTaggingHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  setColumn(ctx.env.db, b.name, 'tags', null);
  return { status: 204 };
}

export { noSuchBucket };
