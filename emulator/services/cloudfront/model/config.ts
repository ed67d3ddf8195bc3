import type Database from 'better-sqlite3';
import type { CacheBehavior, DefaultCacheBehavior, DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import { AwsError } from '../../../core/errors';
import { webAclByArn } from '../../wafv2/store';
import { s3BucketOfDomain } from '../origins';
import { invalidArgument } from './common';
import { findLiveFunctionByArn } from './functions';
import { findPolicy } from './policies';
import { allDistributions, configOf, getOac, getOai, oaiIdOf } from './store';

type BehaviorConfig = DefaultCacheBehavior | CacheBehavior;
type OriginConfig = Origin;

/**
 * Completes a decoded DistributionConfig with the values CloudFront fills in
 * (so GetDistributionConfig returns what AWS would) and refuses what
 * CloudFront refuses, with its error codes.
 */

const MAX_ORIGINS = 25;
const MAX_CACHE_BEHAVIORS = 25;
const MAX_ALIASES = 100;
const ERROR_CODES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504];
const RESPONSE_CODES = ['200', ...ERROR_CODES.map(String)];
const METHOD_SETS = [['GET', 'HEAD'], ['GET', 'HEAD', 'OPTIONS'], ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']];
const CACHED_SETS = [['GET', 'HEAD'], ['GET', 'HEAD', 'OPTIONS']];

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

function fillBehavior(b: BehaviorConfig): void {
  b.TrustedSigners ??= { Enabled: false, Quantity: 0 };
  b.TrustedKeyGroups ??= { Enabled: false, Quantity: 0 };
  b.AllowedMethods ??= { Quantity: 2, Items: ['HEAD', 'GET'] };
  b.AllowedMethods.CachedMethods ??= { Quantity: 2, Items: ['HEAD', 'GET'] };
  b.SmoothStreaming ??= false;
  b.Compress ??= false;
  b.LambdaFunctionAssociations ??= { Quantity: 0 };
  b.FunctionAssociations ??= { Quantity: 0 };
  b.FieldLevelEncryptionId ??= '';
  const fv = b.ForwardedValues as { Headers?: unknown; QueryStringCacheKeys?: unknown; Cookies?: { Forward: string; WhitelistedNames?: unknown } } | undefined;
  if (fv) {
    fv.Headers ??= { Quantity: 0 };
    fv.QueryStringCacheKeys ??= { Quantity: 0 };
  }
  if (!b.CachePolicyId) {
    // Legacy caching settings: TTLs default as CloudFront documents.
    b.MinTTL ??= 0;
    b.DefaultTTL ??= Math.max(86400, b.MinTTL);
    b.MaxTTL ??= Math.max(31536000, b.DefaultTTL);
  }
}

function fillOrigin(o: OriginConfig): void {
  o.OriginPath ??= '';
  o.CustomHeaders ??= { Quantity: 0 };
  o.ConnectionAttempts ??= 3;
  o.ConnectionTimeout ??= 10;
  o.OriginShield ??= { Enabled: false };
  o.OriginAccessControlId ??= '';
  const custom = o.CustomOriginConfig;
  if (custom) {
    custom.OriginSslProtocols ??= { Quantity: 1, Items: ['TLSv1.2'] };
    custom.OriginReadTimeout ??= 30;
    custom.OriginKeepaliveTimeout ??= 5;
  }
}

/** Fills in CloudFront's defaults, in place. */
export function applyDefaults(c: DistributionConfig): void {
  c.Aliases ??= { Quantity: 0 };
  c.DefaultRootObject ??= '';
  for (const o of c.Origins?.Items ?? []) fillOrigin(o);
  c.OriginGroups ??= { Quantity: 0 };
  if (c.DefaultCacheBehavior) fillBehavior(c.DefaultCacheBehavior);
  c.CacheBehaviors ??= { Quantity: 0 };
  for (const b of c.CacheBehaviors.Items ?? []) fillBehavior(b);
  c.CustomErrorResponses ??= { Quantity: 0 };
  for (const e of c.CustomErrorResponses.Items ?? []) {
    e.ResponsePagePath ??= '';
    e.ResponseCode ??= '';
    e.ErrorCachingMinTTL ??= 10;
  }
  c.Logging ??= { Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' };
  c.PriceClass ??= 'PriceClass_All';
  const cert = (c.ViewerCertificate ??= {});
  if (!cert.ACMCertificateArn && !cert.IAMCertificateId) {
    cert.CloudFrontDefaultCertificate = true;
    cert.SSLSupportMethod ??= 'vip';
    cert.MinimumProtocolVersion ??= 'TLSv1';
    cert.CertificateSource ??= 'cloudfront';
  } else if (cert.ACMCertificateArn) {
    cert.SSLSupportMethod ??= 'sni-only';
    cert.MinimumProtocolVersion ??= 'TLSv1.2_2021';
    cert.Certificate ??= cert.ACMCertificateArn;
    cert.CertificateSource ??= 'acm';
  } else {
    cert.SSLSupportMethod ??= 'sni-only';
    cert.MinimumProtocolVersion ??= 'TLSv1.2_2021';
    cert.Certificate ??= cert.IAMCertificateId;
    cert.CertificateSource ??= 'iam';
  }
  c.Restrictions ??= { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } };
  c.WebACLId ??= '';
  c.HttpVersion ??= 'http2';
  c.IsIPV6Enabled ??= false;
  c.ContinuousDeploymentPolicyId ??= '';
  c.Staging ??= false;
}

function checkBehavior(db: Database.Database, b: BehaviorConfig, targets: Set<string>, where: string): void {
  if (!targets.has(b.TargetOriginId ?? '')) {
    throw new AwsError('NoSuchOrigin', 'One or more of your origins or origin groups do not exist.', 404);
  }
  if (b.OriginRequestPolicyId && !findPolicy(db, 'origin-request', b.OriginRequestPolicyId)) {
    throw new AwsError('NoSuchOriginRequestPolicy', 'The origin request policy does not exist.', 404);
  }
  if (b.ResponseHeadersPolicyId && !findPolicy(db, 'response-headers', b.ResponseHeadersPolicyId)) {
    throw new AwsError('NoSuchResponseHeadersPolicy', 'The response headers policy does not exist.', 404);
  }
  for (const f of b.FunctionAssociations?.Items ?? []) {
    // Only a published (LIVE) function can be associated, and CloudFront Functions run at the viewer side only.
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/publish-function.html
    if (!findLiveFunctionByArn(db, f.FunctionARN ?? '')) {
      throw new AwsError('NoSuchFunctionExists', `The function ${f.FunctionARN ?? ''} does not exist or has not been published to the LIVE stage.`, 404);
    }
    if (f.EventType !== 'viewer-request' && f.EventType !== 'viewer-response') {
      throw new AwsError('InvalidFunctionAssociation', `A CloudFront function can be associated with viewer-request or viewer-response, not ${f.EventType ?? ''}.`, 400);
    }
  }
  if (b.CachePolicyId) {
    if (!findPolicy(db, 'cache', b.CachePolicyId)) throw new AwsError('NoSuchCachePolicy', 'The cache policy does not exist.', 404);
    if (b.ForwardedValues) throw invalidArgument('The parameter ForwardedValues cannot be used when a cache policy is associated to the cache behavior.');
    for (const k of ['MinTTL', 'DefaultTTL', 'MaxTTL'] as const) {
      if (b[k] !== undefined) throw invalidArgument(`The parameter ${k} cannot be used when a cache policy is associated to the cache behavior.`);
    }
  } else if (!b.ForwardedValues) {
    throw invalidArgument(`The parameter ForwardedValues is required (${where} has neither a CachePolicyId nor ForwardedValues).`);
  }
  const allowed = b.AllowedMethods;
  if (allowed) {
    const methods: string[] = allowed.Items ?? [];
    if (!METHOD_SETS.some((s) => sameSet(s, methods))) {
      throw invalidArgument('AllowedMethods must be GET and HEAD; GET, HEAD and OPTIONS; or all of GET, HEAD, OPTIONS, PUT, PATCH, POST and DELETE.');
    }
    const cached = allowed.CachedMethods?.Items;
    if (cached && (!CACHED_SETS.some((s) => sameSet(s, cached)) || cached.some((m) => !methods.includes(m)))) {
      throw invalidArgument('CachedMethods must be GET and HEAD, or GET, HEAD and OPTIONS, and a subset of AllowedMethods.');
    }
  }
  const { MinTTL: min, DefaultTTL: def, MaxTTL: max } = b;
  if (min !== undefined && def !== undefined && max !== undefined && (min > def || def > max || min < 0)) {
    throw new AwsError('InvalidTTLOrder', 'The TTL order specified is not valid.', 400);
  }
}

function checkOrigin(db: Database.Database, o: OriginConfig): void {
  const kinds = [o.S3OriginConfig, o.CustomOriginConfig, o.VpcOriginConfig].filter((x) => x !== undefined).length;
  if (kinds !== 1) throw invalidArgument('Exactly one of CustomOriginConfig, VpcOriginConfig and S3OriginConfig must be specified.');
  if (o.OriginPath && (!o.OriginPath.startsWith('/') || o.OriginPath.endsWith('/'))) {
    throw invalidArgument('The parameter origin path must begin with a slash and must not end with a slash.');
  }
  if (o.ConnectionAttempts !== undefined && (o.ConnectionAttempts < 1 || o.ConnectionAttempts > 3)) {
    throw invalidArgument('The parameter ConnectionAttempts must be between 1 and 3.');
  }
  if (o.ConnectionTimeout !== undefined && (o.ConnectionTimeout < 1 || o.ConnectionTimeout > 10)) {
    throw invalidArgument('The parameter ConnectionTimeout must be between 1 and 10.');
  }
  const bucket = s3BucketOfDomain(o.DomainName ?? '');
  if (o.S3OriginConfig && !bucket) {
    throw new AwsError('InvalidOrigin', 'The Amazon S3 origin server specified does not refer to a valid Amazon S3 bucket.', 400);
  }
  const oaiId = oaiIdOf(o.S3OriginConfig?.OriginAccessIdentity);
  if (oaiId && !getOai(db, oaiId)) {
    throw new AwsError('InvalidOriginAccessIdentity', 'The specified origin access identity does not exist or is not valid.', 400);
  }
  if (o.OriginAccessControlId) {
    if (oaiId) {
      throw new AwsError('IllegalOriginAccessConfiguration', 'An origin cannot contain both an origin access control (OAC) and an origin access identity (OAI).', 400);
    }
    const oac = getOac(db, o.OriginAccessControlId);
    if (!oac) throw new AwsError('InvalidOriginAccessControl', 'The specified origin access control does not exist or is not valid.', 400);
    const type = (JSON.parse(oac.config_json) as { OriginAccessControlOriginType: string }).OriginAccessControlOriginType;
    if (type === 's3' && !bucket) {
      throw new AwsError(
        'InvalidDomainNameForOriginAccessControl',
        'An origin access control of type s3 can only be used with an Amazon S3 bucket (REST API) origin, not a website endpoint or custom origin.',
        400,
      );
    }
  }
}

/**
 * Validates a complete config. `selfId` is the distribution being updated
 * (its own aliases do not conflict with themselves).
 */
export function validateConfig(db: Database.Database, c: DistributionConfig, selfId?: string): void {
  if (c.CallerReference === '') throw invalidArgument('The parameter CallerReference must not be empty.');
  if ((c.Comment ?? '').length > 128) throw invalidArgument('The parameter Comment is too long: it can be at most 128 characters.');
  const root = c.DefaultRootObject ?? '';
  if (root.startsWith('/') || root.length > 255 || /[\s\\]/.test(root)) {
    throw new AwsError('InvalidDefaultRootObject', 'The specified default root object is invalid: give an object name such as index.html, without a leading slash.', 400);
  }

  const origins = c.Origins?.Items ?? [];
  if (origins.length === 0) throw invalidArgument('The parameter Origins must contain at least one origin.');
  if (origins.length > MAX_ORIGINS) throw new AwsError('TooManyOrigins', 'You cannot create more origins for the distribution.', 400);
  const ids = new Set<string>();
  for (const o of origins) {
    const id = o.Id ?? '';
    if (ids.has(id)) throw invalidArgument(`The parameter origin Id must be unique: ${id} is used twice.`);
    ids.add(id);
    checkOrigin(db, o);
  }
  for (const g of c.OriginGroups?.Items ?? []) {
    for (const m of g.Members?.Items ?? []) {
      if (!ids.has(m.OriginId ?? '')) throw new AwsError('NoSuchOrigin', 'One or more of your origins or origin groups do not exist.', 404);
    }
    ids.add(g.Id ?? '');
  }

  checkBehavior(db, c.DefaultCacheBehavior!, ids, 'DefaultCacheBehavior');
  const behaviors = c.CacheBehaviors?.Items ?? [];
  if (behaviors.length > MAX_CACHE_BEHAVIORS) throw new AwsError('TooManyCacheBehaviors', 'You cannot create more cache behaviors for the distribution.', 400);
  behaviors.forEach((b, i) => checkBehavior(db, b, ids, `CacheBehavior ${i + 1} (${b.PathPattern ?? ''})`));

  for (const e of c.CustomErrorResponses?.Items ?? []) {
    if (!ERROR_CODES.includes(e.ErrorCode ?? 0)) throw new AwsError('InvalidErrorCode', `An invalid error code was specified: ${e.ErrorCode}.`, 400);
    if (e.ResponsePagePath && !e.ResponsePagePath.startsWith('/')) {
      throw new AwsError('InvalidRelativePath', 'The relative path is too big, is not URL-encoded, or does not begin with a slash (/).', 400);
    }
    if (e.ResponseCode && !RESPONSE_CODES.includes(e.ResponseCode)) {
      throw new AwsError('InvalidResponseCode', `A response code is not valid: ${e.ResponseCode}.`, 400);
    }
    if (!!e.ResponsePagePath !== !!e.ResponseCode) {
      throw invalidArgument('ResponsePagePath and ResponseCode must be given together in a custom error response.');
    }
  }

  const aliases = c.Aliases?.Items ?? [];
  if (aliases.length > MAX_ALIASES) throw new AwsError('TooManyDistributionCNAMEs', 'Your request contains more CNAMEs than are allowed per distribution.', 400);
  if (aliases.length > 0) {
    const cert = c.ViewerCertificate ?? {};
    if (!cert.ACMCertificateArn && !cert.IAMCertificateId) {
      throw new AwsError(
        'InvalidViewerCertificate',
        'To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name.',
        400,
      );
    }
    const taken = new Set<string>();
    for (const row of allDistributions(db)) {
      if (row.id === selfId) continue;
      for (const a of configOf(row).Aliases?.Items ?? []) taken.add(a.toLowerCase());
    }
    const clash = aliases.find((a) => taken.has(a.toLowerCase()));
    if (clash) throw new AwsError('CNAMEAlreadyExists', `One or more of the CNAMEs you provided are already associated with a different resource: ${clash}.`, 409);
  }

  const geo = c.Restrictions?.GeoRestriction;
  if (geo) {
    const codes = geo.Items ?? [];
    if (geo.RestrictionType === 'none' ? codes.length > 0 : codes.length === 0) {
      throw new AwsError('InvalidGeoRestrictionParameter', 'The specified geo restriction parameter is not valid.', 400);
    }
    const bad = codes.find((x) => !/^[A-Z]{2}$/.test(x));
    if (bad) throw new AwsError('InvalidLocationCode', `The location code specified is not valid: ${bad}.`, 400);
  }

  const acl = c.WebACLId ?? '';
  if (acl !== '') {
    const row = webAclByArn(db, acl);
    if (!row || row.scope !== 'CLOUDFRONT') {
      throw new AwsError(
        'InvalidWebACLId',
        `Web ACL is not accessible by the requester or does not exist: ${acl}. Use the ARN of an AWS WAF (WAFv2) web ACL with scope CLOUDFRONT, created in us-east-1.`,
        400,
      );
    }
  }
}
