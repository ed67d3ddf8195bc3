import 'server-only';
import {
  CreateDistributionWithTagsCommand,
  DeleteDistributionCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListTagsForResourceCommand,
  paginateListDistributions,
  UpdateDistributionCommand,
  type Distribution,
  type DistributionConfig,
  type Origin,
} from '@aws-sdk/client-cloudfront';
import { cloudfrontClient } from '@/lib/aws/clients';
import { sharedReads, writing, type Fresh } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import { Refusal } from '@/lib/aws/errors';
import './errors';

// Distributions as plain objects for the pages, and the few changes Berth
// makes to them. Every update reads the config and its ETag, changes only the
// fields the form owns, and sends it back with If-Match, so a change someone
// else made in between is refused (PreconditionFailed), never overwritten.
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDistribution.html

/** The tag on every distribution Berth creates, naming its origin bucket. */
export const BERTH_BUCKET_TAG = 'berth:bucket';

/** The managed cache policy CloudFront recommends for S3 origins (CachingOptimized). */
export const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

export type DeployStatus = 'InProgress' | 'Deployed';

export interface OriginSummary {
  id: string;
  domainName: string;
  /** The bucket, when the origin is an S3 REST endpoint. */
  bucket: string | null;
  /** True for an S3 *website* endpoint: OAC and OAI cannot work with it. */
  websiteEndpoint: boolean;
  originAccessControlId: string | null;
  /** The OAI id, without the "origin-access-identity/cloudfront/" prefix. */
  originAccessIdentityId: string | null;
}

export interface DistributionSummary {
  id: string;
  arn: string;
  domainName: string;
  status: DeployStatus;
  enabled: boolean;
  origins: OriginSummary[];
  comment: string;
  priceClass: string;
  webAclId: string | null;
  lastModified: string | null;
}

export interface BehaviorSummary {
  pathPattern: string;
  targetOriginId: string;
  viewerProtocolPolicy: string;
  cachePolicyId: string | null;
  allowedMethods: string[];
  compress: boolean;
}

export interface DistributionDetail extends DistributionSummary {
  etag: string;
  callerReference: string;
  defaultRootObject: string;
  viewerProtocolPolicy: string;
  behaviors: BehaviorSummary[];
  aliases: string[];
  httpVersion: string;
  ipv6: boolean;
  inProgressInvalidations: number;
}

const S3_REST = /^(.+?)\.s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com$/;
const S3_WEBSITE = /\.s3-website[.-]([a-z0-9-]+)\.amazonaws\.com$/;

export function originSummary(o: Origin): OriginSummary {
  const domainName = o.DomainName ?? '';
  const website = S3_WEBSITE.test(domainName);
  const rest = website ? null : S3_REST.exec(domainName);
  const oai = o.S3OriginConfig?.OriginAccessIdentity ?? '';
  return {
    id: o.Id ?? '',
    domainName,
    bucket: rest ? rest[1]! : website ? domainName.replace(S3_WEBSITE, '') : null,
    websiteEndpoint: website,
    originAccessControlId: o.OriginAccessControlId || null,
    originAccessIdentityId: oai ? oai.split('/').pop() || null : null,
  };
}

export function s3OriginDomain(bucket: string, region: string): string {
  return `${bucket}.s3.${region}.amazonaws.com`;
}

const status = (s: string | undefined): DeployStatus => (s === 'Deployed' ? 'Deployed' : 'InProgress');

// While a distribution deploys, the list's status is what a person watches
// (the page re-renders every few seconds): the list is then kept only briefly.
const DEPLOYING_MS = 2_000;

/**
 * The list page's distributions, shared by every viewer for the read cache's
 * time, with when they were read. Berth's changes forget it. Checks before a
 * change (teardown, cleanup) call listDistributions, which always asks.
 */
export function readDistributions(): Promise<Fresh<DistributionSummary[]>> {
  const reads = sharedReads();
  return reads.read(
    {
      key: 'cloudfront:distributions',
      region: 'global',
      tags: [readTags.distributions()],
      ttlMs: (list) => (list.some((d) => d.status === 'InProgress') ? Math.min(DEPLOYING_MS, reads.ttlMs) : reads.ttlMs),
      weight: (list) => list.length,
    },
    listDistributions,
  );
}

/** Every distribution, read now. */
export async function listDistributions(): Promise<DistributionSummary[]> {
  const out: DistributionSummary[] = [];
  for await (const page of paginateListDistributions({ client: cloudfrontClient(), pageSize: 100 }, {})) {
    for (const d of page.DistributionList?.Items ?? []) out.push(summarize(d, d));
  }
  return out;
}

/** The list's fields, from a list item (which carries its config inline) or from a distribution and its config. */
function summarize(
  d: Pick<Distribution, 'Id' | 'ARN' | 'DomainName' | 'Status' | 'LastModifiedTime'>,
  c: Pick<DistributionConfig, 'Enabled' | 'Origins' | 'Comment' | 'PriceClass' | 'WebACLId'>,
): DistributionSummary {
  return {
    id: d.Id ?? '',
    arn: d.ARN ?? '',
    domainName: d.DomainName ?? '',
    status: status(d.Status),
    enabled: Boolean(c.Enabled),
    origins: (c.Origins?.Items ?? []).map(originSummary),
    comment: c.Comment ?? '',
    priceClass: c.PriceClass ?? 'PriceClass_All',
    webAclId: c.WebACLId || null,
    lastModified: d.LastModifiedTime?.toISOString() ?? null,
  };
}

function detail(d: Distribution, etag: string): DistributionDetail {
  const c = d.DistributionConfig!;
  const def = c.DefaultCacheBehavior;
  const behavior = (b: NonNullable<typeof def>, pathPattern: string): BehaviorSummary => ({
    pathPattern,
    targetOriginId: b.TargetOriginId ?? '',
    viewerProtocolPolicy: b.ViewerProtocolPolicy ?? '',
    cachePolicyId: b.CachePolicyId || null,
    allowedMethods: b.AllowedMethods?.Items ?? ['GET', 'HEAD'],
    compress: Boolean(b.Compress),
  });
  return {
    ...summarize(d, c),
    etag,
    callerReference: c.CallerReference ?? '',
    defaultRootObject: c.DefaultRootObject ?? '',
    viewerProtocolPolicy: def?.ViewerProtocolPolicy ?? '',
    behaviors: [
      ...(def ? [behavior(def, 'Default (*)')] : []),
      ...(c.CacheBehaviors?.Items ?? []).map((b) => ({ ...behavior(b as NonNullable<typeof def>, b.PathPattern ?? '') })),
    ],
    aliases: c.Aliases?.Items ?? [],
    httpVersion: c.HttpVersion ?? '',
    ipv6: Boolean(c.IsIPV6Enabled),
    inProgressInvalidations: d.InProgressInvalidationBatches ?? 0,
  };
}

export async function distributionTags(arn: string): Promise<Record<string, string>> {
  const out = await cloudfrontClient().send(new ListTagsForResourceCommand({ Resource: arn }));
  return Object.fromEntries((out.Tags?.Items ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

export async function distributionExists(id: string): Promise<boolean> {
  try {
    await cloudfrontClient().send(new GetDistributionCommand({ Id: id }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'NoSuchDistribution') return false;
    throw error;
  }
}

export async function getDistribution(id: string): Promise<DistributionDetail> {
  const out = await cloudfrontClient().send(new GetDistributionCommand({ Id: id }));
  return detail(out.Distribution!, out.ETag ?? '');
}

export interface NewS3Distribution {
  callerReference: string;
  bucket: string;
  region: string;
  originAccessControlId: string | null;
  originAccessIdentityId: string | null;
  defaultRootObject: string;
  viewerProtocolPolicy: 'redirect-to-https' | 'https-only' | 'allow-all';
  priceClass: 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';
  webAclArn: string | null;
  comment: string;
  tags: { key: string; value: string }[];
}

/** The DistributionConfig for one S3 bucket behind CloudFront, with AWS's recommended defaults. */
export function s3DistributionConfig(input: NewS3Distribution): DistributionConfig {
  const originId = `s3-${input.bucket}`;
  return {
    CallerReference: input.callerReference,
    Comment: input.comment,
    Enabled: true,
    DefaultRootObject: input.defaultRootObject,
    PriceClass: input.priceClass,
    HttpVersion: 'http2and3',
    IsIPV6Enabled: true,
    WebACLId: input.webAclArn ?? '',
    Aliases: { Quantity: 0 },
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: originId,
          DomainName: s3OriginDomain(input.bucket, input.region),
          OriginPath: '',
          CustomHeaders: { Quantity: 0 },
          // With OAC the OAI field is present and empty, as CloudFront requires.
          S3OriginConfig: { OriginAccessIdentity: input.originAccessIdentityId ? `origin-access-identity/cloudfront/${input.originAccessIdentityId}` : '' },
          OriginAccessControlId: input.originAccessControlId ?? '',
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: originId,
      ViewerProtocolPolicy: input.viewerProtocolPolicy,
      CachePolicyId: CACHING_OPTIMIZED,
      Compress: true,
      AllowedMethods: { Quantity: 2, Items: ['GET', 'HEAD'], CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] } },
    },
    ViewerCertificate: { CloudFrontDefaultCertificate: true },
    Restrictions: { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } },
  };
}

export class DistributionExists extends Refusal {
  constructor(readonly id: string) {
    super(`This form was already submitted: it made distribution ${id}. Open it from the list.`);
  }
}

/**
 * Creates the distribution. A CallerReference CloudFront has seen before means
 * this form was already submitted: the existing distribution is looked up and
 * reported instead of a second one being made.
 */
export async function createS3Distribution(input: NewS3Distribution): Promise<{ id: string; arn: string; domainName: string; created: boolean }> {
  return writing([readTags.distributions()], () => createOrFind(input));
}

async function createOrFind(input: NewS3Distribution): Promise<{ id: string; arn: string; domainName: string; created: boolean }> {
  try {
    const out = await cloudfrontClient().send(
      new CreateDistributionWithTagsCommand({
        DistributionConfigWithTags: {
          DistributionConfig: s3DistributionConfig(input),
          Tags: { Items: input.tags.map((t) => ({ Key: t.key, Value: t.value })) },
        },
      }),
    );
    return { id: out.Distribution!.Id!, arn: out.Distribution!.ARN!, domainName: out.Distribution!.DomainName!, created: true };
  } catch (error) {
    if ((error as Error).name !== 'DistributionAlreadyExists') throw error;
    const existing = await findByCallerReference(input.callerReference, (error as Error).message);
    if (!existing) throw error;
    return { id: existing.id, arn: existing.arn, domainName: existing.domainName, created: false };
  }
}

/**
 * The distribution made with a CallerReference. CloudFront's message may name
 * it, but neither the message's wording nor the id's shape is part of the API,
 * so the message only puts the ids it mentions first; the answer is always the
 * config whose CallerReference matches.
 */
async function findByCallerReference(ref: string, message: string): Promise<DistributionSummary | null> {
  const all = await listDistributions();
  const newest = all.slice().sort((a, b) => (b.lastModified ?? '').localeCompare(a.lastModified ?? ''));
  const mentioned = newest.filter((d) => message.includes(d.id));
  const candidates = [...mentioned, ...newest.filter((d) => !mentioned.includes(d)).slice(0, 25)];
  for (const d of candidates) {
    const cfg = await cloudfrontClient().send(new GetDistributionConfigCommand({ Id: d.id }));
    if (cfg.DistributionConfig?.CallerReference === ref) return d;
  }
  return null;
}

/**
 * Reads the config, lets `change` edit it, and writes it back with If-Match.
 * `expectedEtag` is the ETag the person saw; if the distribution changed since,
 * CloudFront answers PreconditionFailed and nothing is written.
 */
export async function updateDistributionConfig(id: string, expectedEtag: string | null, change: (c: DistributionConfig) => void): Promise<string> {
  const cf = cloudfrontClient();
  const current = await cf.send(new GetDistributionConfigCommand({ Id: id }));
  const config = current.DistributionConfig!;
  change(config);
  const out = await writing([readTags.distributions()], () =>
    cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: expectedEtag ?? current.ETag, DistributionConfig: config })),
  );
  return out.ETag ?? '';
}

export async function setDistributionEnabled(id: string, enabled: boolean): Promise<void> {
  await updateDistributionConfig(id, null, (c) => {
    c.Enabled = enabled;
  });
}

/** Deletes a disabled, deployed distribution with its latest ETag. */
export async function deleteDistribution(id: string): Promise<void> {
  const cf = cloudfrontClient();
  const current = await cf.send(new GetDistributionCommand({ Id: id }));
  await writing([readTags.distributions()], () => cf.send(new DeleteDistributionCommand({ Id: id, IfMatch: current.ETag })));
}
