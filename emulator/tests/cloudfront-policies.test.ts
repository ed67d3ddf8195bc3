import {
  AssociateDistributionWebACLCommand,
  CreateCachePolicyCommand,
  CreateDistributionCommand,
  CreateOriginRequestPolicyCommand,
  CreateResponseHeadersPolicyCommand,
  DeleteCachePolicyCommand,
  DeleteDistributionCommand,
  DeleteOriginRequestPolicyCommand,
  DeleteResponseHeadersPolicyCommand,
  DisassociateDistributionWebACLCommand,
  GetCachePolicyCommand,
  GetCachePolicyConfigCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  GetOriginRequestPolicyCommand,
  GetOriginRequestPolicyConfigCommand,
  GetResponseHeadersPolicyCommand,
  GetResponseHeadersPolicyConfigCommand,
  ListCachePoliciesCommand,
  ListDistributionsByAnycastIpListIdCommand,
  ListDistributionsByCachePolicyIdCommand,
  ListDistributionsByConnectionModeCommand,
  ListDistributionsByKeyGroupCommand,
  ListDistributionsByOriginRequestPolicyIdCommand,
  ListDistributionsByOwnedResourceCommand,
  ListDistributionsByRealtimeLogConfigCommand,
  ListDistributionsByResponseHeadersPolicyIdCommand,
  ListDistributionsByVpcOriginIdCommand,
  ListDistributionsByWebACLIdCommand,
  ListOriginRequestPoliciesCommand,
  ListResponseHeadersPoliciesCommand,
  UpdateCachePolicyCommand,
  UpdateDistributionCommand,
  UpdateOriginRequestPolicyCommand,
  UpdateResponseHeadersPolicyCommand,
  type CachePolicyConfig,
  type CloudFrontClient,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, PutBucketPolicyCommand, PutObjectCommand, PutPublicAccessBlockCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateWebACLCommand, type WAFV2Client } from '@aws-sdk/client-wafv2';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHING_DISABLED, CACHING_OPTIMIZED, edgeGet, s3Config } from '../test-support/cloudfront';
import { cloudfrontClient, failure, s3Client, wafClient } from '../test-support/clients';
import { setClock } from '../test-support/ecr';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// Cache, origin request and response headers policies, and the
// ListDistributionsBy* lookups, through the unmodified SDK.

let emu: SpawnedEmulator;
let cf: CloudFrontClient;
let s3: S3Client;
let waf: WAFV2Client;
let offsetMs = 0;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet', '--deploy-delay-ms', '60000'] });
  cf = cloudfrontClient(emu.url);
  s3 = s3Client(emu.url);
  waf = wafClient(emu.url);
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

async function advance(ms: number): Promise<void> {
  offsetMs += ms;
  await setClock(emu.url, offsetMs);
}

const ALL_VIEWER = '216adef6-5c7f-47e4-b989-5492eafa07d3';
const SECURITY_HEADERS = '67f7725c-6f97-4210-82d7-5512b31e9d03';

function cachePolicyConfig(name: string, ttl = { min: 1, def: 60, max: 3600 }): CachePolicyConfig {
  return {
    Name: name,
    Comment: 'test policy',
    MinTTL: ttl.min,
    DefaultTTL: ttl.def,
    MaxTTL: ttl.max,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: false,
      HeadersConfig: { HeaderBehavior: 'whitelist', Headers: { Quantity: 1, Items: ['Accept-Language'] } },
      CookiesConfig: { CookieBehavior: 'none' },
      QueryStringsConfig: { QueryStringBehavior: 'all' },
    },
  };
}

async function createDistribution(config: DistributionConfig) {
  const out = await cf.send(new CreateDistributionCommand({ DistributionConfig: config }));
  return { id: out.Distribution!.Id!, domain: out.Distribution!.DomainName!, etag: out.ETag! };
}

describe('cache policies', () => {
  it('lists the managed policies with their documented ids and settings, and reads each', async () => {
    const managed = await cf.send(new ListCachePoliciesCommand({ Type: 'managed' }));
    const byName = new Map((managed.CachePolicyList?.Items ?? []).map((s) => [s.CachePolicy?.CachePolicyConfig?.Name, s]));
    expect(managed.CachePolicyList?.Quantity).toBe(managed.CachePolicyList?.Items?.length);
    for (const name of ['Managed-CachingOptimized', 'Managed-CachingDisabled', 'Managed-CachingOptimizedForUncompressedObjects', 'Managed-Elemental-MediaPackage', 'Managed-Amplify']) {
      expect(byName.get(name)?.Type, name).toBe('managed');
    }
    const optimized = byName.get('Managed-CachingOptimized')!.CachePolicy!;
    expect(optimized.Id).toBe(CACHING_OPTIMIZED);
    expect(optimized.CachePolicyConfig).toMatchObject({ MinTTL: 1, DefaultTTL: 86400, MaxTTL: 31536000 });
    expect(optimized.CachePolicyConfig?.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
      HeadersConfig: { HeaderBehavior: 'none' },
      CookiesConfig: { CookieBehavior: 'none' },
      QueryStringsConfig: { QueryStringBehavior: 'none' },
    });
    expect(byName.get('Managed-CachingDisabled')!.CachePolicy!.Id).toBe(CACHING_DISABLED);
    expect(byName.get('Managed-Elemental-MediaPackage')!.CachePolicy!.CachePolicyConfig?.ParametersInCacheKeyAndForwardedToOrigin?.QueryStringsConfig).toEqual({
      QueryStringBehavior: 'whitelist',
      QueryStrings: { Quantity: 4, Items: ['aws.manifestfilter', 'start', 'end', 'm'] },
    });

    const got = await cf.send(new GetCachePolicyCommand({ Id: CACHING_DISABLED }));
    expect(got.CachePolicy?.CachePolicyConfig).toMatchObject({ Name: 'Managed-CachingDisabled', MinTTL: 0, DefaultTTL: 0, MaxTTL: 0 });
    expect(got.ETag).toBeTruthy();
    expect(got.CachePolicy?.LastModifiedTime).toBeInstanceOf(Date);
    const config = await cf.send(new GetCachePolicyConfigCommand({ Id: CACHING_OPTIMIZED }));
    expect(config.CachePolicyConfig?.Name).toBe('Managed-CachingOptimized');
    expect(config.ETag).toBe((await cf.send(new GetCachePolicyCommand({ Id: CACHING_OPTIMIZED }))).ETag);

    const missing = await failure(cf.send(new GetCachePolicyCommand({ Id: '00000000-0000-0000-0000-000000000000' })));
    expect(missing.name).toBe('NoSuchCachePolicy');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    // Managed policies are AWS's: they cannot be changed or deleted.
    const del = await failure(cf.send(new DeleteCachePolicyCommand({ Id: CACHING_OPTIMIZED, IfMatch: got.ETag })));
    expect(del.name).toBe('IllegalDelete');
  });

  it('creates, pages, updates with If-Match and deletes a custom policy, and refuses what CloudFront refuses', async () => {
    const name = `custom-${randomUUID().slice(0, 8)}`;
    const created = await cf.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig(name) }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    const id = created.CachePolicy!.Id!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/cache-policy/${id}`);
    expect(created.CachePolicy?.CachePolicyConfig?.ParametersInCacheKeyAndForwardedToOrigin?.HeadersConfig?.Headers?.Items).toEqual(['Accept-Language']);

    const custom = await cf.send(new ListCachePoliciesCommand({ Type: 'custom' }));
    expect(custom.CachePolicyList?.Items?.map((s) => [s.Type, s.CachePolicy?.Id])).toEqual([['custom', id]]);
    const all = await cf.send(new ListCachePoliciesCommand({}));
    expect(all.CachePolicyList?.Items?.some((s) => s.CachePolicy?.Id === id)).toBe(true);
    expect(all.CachePolicyList?.Items?.some((s) => s.Type === 'managed')).toBe(true);
    // Paging: MaxItems and NextMarker walk the whole list once.
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await cf.send(new ListCachePoliciesCommand({ MaxItems: 3, Marker: marker }));
      expect(page.CachePolicyList?.Items?.length ?? 0).toBeLessThanOrEqual(3);
      seen.push(...(page.CachePolicyList?.Items ?? []).map((s) => s.CachePolicy!.Id!));
      marker = page.CachePolicyList?.NextMarker;
    } while (marker);
    expect(seen).toEqual(all.CachePolicyList?.Items?.map((s) => s.CachePolicy!.Id!));

    const dup = await failure(cf.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig(name) })));
    expect(dup.name).toBe('CachePolicyAlreadyExists');
    expect(dup.$metadata?.httpStatusCode).toBe(409);
    const managedName = await failure(cf.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig('Managed-CachingOptimized') })));
    expect(managedName.name).toBe('CachePolicyAlreadyExists');
    const cases: [string, CachePolicyConfig, string][] = [
      ['TTLs out of order', cachePolicyConfig(`bad-${randomUUID().slice(0, 6)}`, { min: 100, def: 10, max: 1000 }), 'InvalidArgument'],
      [
        'whitelist without headers',
        {
          ...cachePolicyConfig(`bad-${randomUUID().slice(0, 6)}`),
          ParametersInCacheKeyAndForwardedToOrigin: {
            ...cachePolicyConfig('x').ParametersInCacheKeyAndForwardedToOrigin!,
            HeadersConfig: { HeaderBehavior: 'whitelist' },
          },
        },
        'InvalidArgument',
      ],
      [
        'eleven headers',
        {
          ...cachePolicyConfig(`bad-${randomUUID().slice(0, 6)}`),
          ParametersInCacheKeyAndForwardedToOrigin: {
            ...cachePolicyConfig('x').ParametersInCacheKeyAndForwardedToOrigin!,
            HeadersConfig: { HeaderBehavior: 'whitelist', Headers: { Quantity: 11, Items: Array.from({ length: 11 }, (_, i) => `X-H${i}`) } },
          },
        },
        'TooManyHeadersInCachePolicy',
      ],
      [
        'a cache key with caching disabled',
        { ...cachePolicyConfig(`bad-${randomUUID().slice(0, 6)}`, { min: 0, def: 0, max: 0 }) },
        'InvalidArgument',
      ],
      [
        'Quantity that does not match Items',
        {
          ...cachePolicyConfig(`bad-${randomUUID().slice(0, 6)}`),
          ParametersInCacheKeyAndForwardedToOrigin: {
            ...cachePolicyConfig('x').ParametersInCacheKeyAndForwardedToOrigin!,
            HeadersConfig: { HeaderBehavior: 'whitelist', Headers: { Quantity: 2, Items: ['A'] } },
          },
        },
        'InconsistentQuantities',
      ],
    ];
    for (const [what, config, code] of cases) {
      expect((await failure(cf.send(new CreateCachePolicyCommand({ CachePolicyConfig: config })))).name, what).toBe(code);
    }

    const noMatch = await failure(cf.send(new UpdateCachePolicyCommand({ Id: id, CachePolicyConfig: cachePolicyConfig(name) })));
    expect(noMatch.name).toBe('InvalidIfMatchVersion');
    const stale = await failure(cf.send(new UpdateCachePolicyCommand({ Id: id, IfMatch: 'E0000000000000', CachePolicyConfig: cachePolicyConfig(name) })));
    expect(stale.name).toBe('PreconditionFailed');
    expect(stale.$metadata?.httpStatusCode).toBe(412);
    const renamed = `${name}-v2`;
    const updated = await cf.send(new UpdateCachePolicyCommand({ Id: id, IfMatch: created.ETag, CachePolicyConfig: { ...cachePolicyConfig(renamed), DefaultTTL: 120 } }));
    expect(updated.ETag).not.toBe(created.ETag);
    expect(updated.CachePolicy?.CachePolicyConfig).toMatchObject({ Name: renamed, DefaultTTL: 120 });
    expect((await cf.send(new GetCachePolicyConfigCommand({ Id: id }))).CachePolicyConfig?.Name).toBe(renamed);

    const oldEtag = await failure(cf.send(new DeleteCachePolicyCommand({ Id: id, IfMatch: created.ETag })));
    expect(oldEtag.name).toBe('PreconditionFailed');
    const deleted = await cf.send(new DeleteCachePolicyCommand({ Id: id, IfMatch: updated.ETag }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect((await failure(cf.send(new GetCachePolicyCommand({ Id: id })))).name).toBe('NoSuchCachePolicy');
  });

  it('is what a distribution caches by: the edge keeps a response for the policy TTL, and an attached policy cannot go', async () => {
    const bucket = 'cf-policy-ttl';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      }),
    );
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] }),
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'index.html', Body: 'v1', ContentType: 'text/html' }));

    const policy = await cf.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig(`ttl-${randomUUID().slice(0, 8)}`, { min: 0, def: 120, max: 600 }) }));
    const policyId = policy.CachePolicy!.Id!;
    const d = await createDistribution(s3Config(bucket, { cachePolicyId: policyId }));

    expect((await edgeGet(emu.url, d.domain, '/index.html')).headers['x-cache']).toBe('Miss from cloudfront');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'index.html', Body: 'v2', ContentType: 'text/html' }));
    const hit = await edgeGet(emu.url, d.domain, '/index.html');
    expect(hit.headers['x-cache']).toBe('Hit from cloudfront');
    expect(hit.body).toBe('v1');
    // The policy's DefaultTTL is 120 s (not the legacy default of a day): past it, the edge asks the origin again.
    await advance(121_000);
    const fresh = await edgeGet(emu.url, d.domain, '/index.html');
    expect(fresh.body).toBe('v2');
    expect(fresh.headers['x-cache']).toBe('Miss from cloudfront');

    const inUse = await failure(cf.send(new DeleteCachePolicyCommand({ Id: policyId, IfMatch: policy.ETag })));
    expect(inUse.name).toBe('CachePolicyInUse');
    expect(inUse.$metadata?.httpStatusCode).toBe(409);
    expect(inUse.message).toContain(d.id);

    const byPolicy = await cf.send(new ListDistributionsByCachePolicyIdCommand({ CachePolicyId: policyId }));
    expect(byPolicy.DistributionIdList).toMatchObject({ Quantity: 1, Items: [d.id], IsTruncated: false });
    const unknown = await failure(cf.send(new ListDistributionsByCachePolicyIdCommand({ CachePolicyId: '00000000-0000-0000-0000-000000000000' })));
    expect(unknown.name).toBe('NoSuchCachePolicy');

    // Moving the behavior to a managed policy frees the custom one.
    const current = await cf.send(new GetDistributionConfigCommand({ Id: d.id }));
    const config = current.DistributionConfig!;
    config.DefaultCacheBehavior!.CachePolicyId = CACHING_OPTIMIZED;
    await cf.send(new UpdateDistributionCommand({ Id: d.id, IfMatch: current.ETag, DistributionConfig: config }));
    expect((await cf.send(new ListDistributionsByCachePolicyIdCommand({ CachePolicyId: policyId }))).DistributionIdList?.Quantity).toBe(0);
    await cf.send(new DeleteCachePolicyCommand({ Id: policyId, IfMatch: policy.ETag }));
  });
});

describe('origin request policies', () => {
  it('lists and reads the managed ones; custom ones are created, updated with If-Match, refused deletion in use, and deleted', async () => {
    const managed = await cf.send(new ListOriginRequestPoliciesCommand({ Type: 'managed' }));
    const names = (managed.OriginRequestPolicyList?.Items ?? []).map((s) => s.OriginRequestPolicy?.OriginRequestPolicyConfig?.Name);
    expect(names).toEqual(expect.arrayContaining(['Managed-AllViewer', 'Managed-CORS-S3Origin', 'Managed-UserAgentRefererHeaders', 'Managed-AllViewerExceptHostHeader']));
    const allViewer = await cf.send(new GetOriginRequestPolicyCommand({ Id: ALL_VIEWER }));
    expect(allViewer.OriginRequestPolicy?.OriginRequestPolicyConfig).toMatchObject({
      Name: 'Managed-AllViewer',
      HeadersConfig: { HeaderBehavior: 'allViewer' },
      CookiesConfig: { CookieBehavior: 'all' },
      QueryStringsConfig: { QueryStringBehavior: 'all' },
    });

    const name = `orp-${randomUUID().slice(0, 8)}`;
    const created = await cf.send(
      new CreateOriginRequestPolicyCommand({
        OriginRequestPolicyConfig: {
          Name: name,
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: { Quantity: 1, Items: ['X-Tenant'] } },
          CookiesConfig: { CookieBehavior: 'none' },
          QueryStringsConfig: { QueryStringBehavior: 'all' },
        },
      }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    const id = created.OriginRequestPolicy!.Id!;
    const dup = await failure(
      cf.send(
        new CreateOriginRequestPolicyCommand({
          OriginRequestPolicyConfig: { Name: name, HeadersConfig: { HeaderBehavior: 'none' }, CookiesConfig: { CookieBehavior: 'none' }, QueryStringsConfig: { QueryStringBehavior: 'none' } },
        }),
      ),
    );
    expect(dup.name).toBe('OriginRequestPolicyAlreadyExists');
    expect((await cf.send(new ListOriginRequestPoliciesCommand({ Type: 'custom' }))).OriginRequestPolicyList?.Items?.map((s) => s.OriginRequestPolicy?.Id)).toEqual([id]);

    const stale = await failure(
      cf.send(
        new UpdateOriginRequestPolicyCommand({
          Id: id,
          IfMatch: 'E0000000000000',
          OriginRequestPolicyConfig: { Name: name, HeadersConfig: { HeaderBehavior: 'none' }, CookiesConfig: { CookieBehavior: 'none' }, QueryStringsConfig: { QueryStringBehavior: 'none' } },
        }),
      ),
    );
    expect(stale.name).toBe('PreconditionFailed');
    const updated = await cf.send(
      new UpdateOriginRequestPolicyCommand({
        Id: id,
        IfMatch: created.ETag,
        OriginRequestPolicyConfig: { Name: name, Comment: 'v2', HeadersConfig: { HeaderBehavior: 'allViewer' }, CookiesConfig: { CookieBehavior: 'all' }, QueryStringsConfig: { QueryStringBehavior: 'none' } },
      }),
    );
    expect((await cf.send(new GetOriginRequestPolicyConfigCommand({ Id: id }))).OriginRequestPolicyConfig?.Comment).toBe('v2');

    const config = s3Config('orp-bucket');
    config.DefaultCacheBehavior!.OriginRequestPolicyId = id;
    const d = await createDistribution(config);
    expect((await cf.send(new ListDistributionsByOriginRequestPolicyIdCommand({ OriginRequestPolicyId: id }))).DistributionIdList?.Items).toEqual([d.id]);
    const inUse = await failure(cf.send(new DeleteOriginRequestPolicyCommand({ Id: id, IfMatch: updated.ETag })));
    expect(inUse.name).toBe('OriginRequestPolicyInUse');

    const unknown = s3Config('orp-bucket');
    unknown.DefaultCacheBehavior!.OriginRequestPolicyId = '00000000-0000-0000-0000-000000000000';
    expect((await failure(cf.send(new CreateDistributionCommand({ DistributionConfig: unknown })))).name).toBe('NoSuchOriginRequestPolicy');
  });
});

describe('response headers policies', () => {
  it('lists and reads the managed ones; custom ones are created, updated with If-Match, refused deletion in use, and deleted', async () => {
    const managed = await cf.send(new ListResponseHeadersPoliciesCommand({ Type: 'managed' }));
    expect((managed.ResponseHeadersPolicyList?.Items ?? []).map((s) => s.ResponseHeadersPolicy?.ResponseHeadersPolicyConfig?.Name)).toEqual(
      expect.arrayContaining(['Managed-SecurityHeadersPolicy', 'Managed-SimpleCORS', 'Managed-CORS-With-Preflight']),
    );
    const security = await cf.send(new GetResponseHeadersPolicyCommand({ Id: SECURITY_HEADERS }));
    expect(security.ResponseHeadersPolicy?.ResponseHeadersPolicyConfig?.SecurityHeadersConfig).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'SAMEORIGIN' },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000 },
    });

    const name = `rhp-${randomUUID().slice(0, 8)}`;
    const created = await cf.send(
      new CreateResponseHeadersPolicyCommand({
        ResponseHeadersPolicyConfig: {
          Name: name,
          CustomHeadersConfig: { Quantity: 1, Items: [{ Header: 'X-Served-By', Value: 'berth', Override: true }] },
        },
      }),
    );
    const id = created.ResponseHeadersPolicy!.Id!;
    expect(created.Location).toContain(`/response-headers-policy/${id}`);
    const dup = await failure(cf.send(new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: { Name: name } })));
    expect(dup.name).toBe('ResponseHeadersPolicyAlreadyExists');
    const tooMany = await failure(
      cf.send(
        new CreateResponseHeadersPolicyCommand({
          ResponseHeadersPolicyConfig: {
            Name: `${name}-many`,
            CustomHeadersConfig: { Quantity: 11, Items: Array.from({ length: 11 }, (_, i) => ({ Header: `X-H${i}`, Value: 'v', Override: false })) },
          },
        }),
      ),
    );
    expect(tooMany.name).toBe('TooManyCustomHeadersInResponseHeadersPolicy');

    const updated = await cf.send(
      new UpdateResponseHeadersPolicyCommand({ Id: id, IfMatch: created.ETag, ResponseHeadersPolicyConfig: { Name: name, Comment: 'no headers now' } }),
    );
    expect((await cf.send(new GetResponseHeadersPolicyConfigCommand({ Id: id }))).ResponseHeadersPolicyConfig).toMatchObject({ Name: name, Comment: 'no headers now' });

    const config = s3Config('rhp-bucket');
    config.DefaultCacheBehavior!.ResponseHeadersPolicyId = id;
    const d = await createDistribution(config);
    expect((await cf.send(new ListDistributionsByResponseHeadersPolicyIdCommand({ ResponseHeadersPolicyId: id }))).DistributionIdList?.Items).toEqual([d.id]);
    expect((await failure(cf.send(new DeleteResponseHeadersPolicyCommand({ Id: id, IfMatch: updated.ETag })))).name).toBe('ResponseHeadersPolicyInUse');

    // Disabled, deployed and deleted, the distribution no longer holds the policy.
    const current = await cf.send(new GetDistributionConfigCommand({ Id: d.id }));
    const off = await cf.send(new UpdateDistributionCommand({ Id: d.id, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, Enabled: false } }));
    await advance(61_000);
    await cf.send(new DeleteDistributionCommand({ Id: d.id, IfMatch: off.ETag }));
    await cf.send(new DeleteResponseHeadersPolicyCommand({ Id: id, IfMatch: updated.ETag }));
    expect((await failure(cf.send(new GetResponseHeadersPolicyCommand({ Id: id })))).name).toBe('NoSuchResponseHeadersPolicy');
  });
});

describe('ListDistributionsBy*', () => {
  it('finds distributions by web ACL (and "null" for none), and answers the lookups of resources the emulator does not keep', async () => {
    const acl = await waf.send(
      new CreateWebACLCommand({
        Name: `by-acl-${randomUUID().slice(0, 8)}`,
        Scope: 'CLOUDFRONT',
        DefaultAction: { Allow: {} },
        VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: 'byacl' },
      }),
    );
    const aclArn = acl.Summary!.ARN!;
    const withAcl = await createDistribution(s3Config('by-acl-bucket', { webAclArn: aclArn }));
    const without = await createDistribution(s3Config('by-acl-bucket'));

    const byAcl = await cf.send(new ListDistributionsByWebACLIdCommand({ WebACLId: aclArn }));
    expect(byAcl.DistributionList?.Items?.map((s) => s.Id)).toEqual([withAcl.id]);
    expect(byAcl.DistributionList?.Items?.[0]?.WebACLId).toBe(aclArn);
    const none = await cf.send(new ListDistributionsByWebACLIdCommand({ WebACLId: 'null' }));
    const noneIds = none.DistributionList?.Items?.map((s) => s.Id) ?? [];
    expect(noneIds).toContain(without.id);
    expect(noneIds).not.toContain(withAcl.id);

    const keyGroup = await cf.send(new ListDistributionsByKeyGroupCommand({ KeyGroupId: 'kg-does-not-exist' }));
    expect(keyGroup.DistributionIdList).toMatchObject({ Quantity: 0, IsTruncated: false });
    const realtime = await cf.send(new ListDistributionsByRealtimeLogConfigCommand({ RealtimeLogConfigName: 'logs' }));
    expect(realtime.DistributionList).toMatchObject({ Quantity: 0, IsTruncated: false });
    expect((await cf.send(new ListDistributionsByAnycastIpListIdCommand({ AnycastIpListId: 'aip-none' }))).DistributionList?.Quantity).toBe(0);
    expect((await cf.send(new ListDistributionsByVpcOriginIdCommand({ VpcOriginId: 'vo_none' }))).DistributionIdList?.Quantity).toBe(0);
    const direct = await cf.send(new ListDistributionsByConnectionModeCommand({ ConnectionMode: 'direct' }));
    expect(direct.DistributionList?.Items?.map((s) => s.Id)).toEqual(expect.arrayContaining([withAcl.id, without.id]));
    expect((await cf.send(new ListDistributionsByConnectionModeCommand({ ConnectionMode: 'tenant-only' }))).DistributionList?.Quantity).toBe(0);

    // Associating through CloudFront's own calls is an update of WebACLId: a new ETag, and the lookups follow.
    const stale = await failure(cf.send(new AssociateDistributionWebACLCommand({ Id: without.id, WebACLArn: aclArn, IfMatch: 'E0000000000000' })));
    expect(stale.name).toBe('PreconditionFailed');
    const bad = await failure(cf.send(new AssociateDistributionWebACLCommand({ Id: without.id, WebACLArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/none/0' })));
    expect(bad.name).toBe('InvalidWebACLId');
    const associated = await cf.send(new AssociateDistributionWebACLCommand({ Id: without.id, WebACLArn: aclArn, IfMatch: without.etag }));
    expect(associated).toMatchObject({ Id: without.id, WebACLArn: aclArn });
    expect(associated.ETag).not.toBe(without.etag);
    expect((await cf.send(new GetDistributionCommand({ Id: without.id }))).Distribution).toMatchObject({ Status: 'InProgress', DistributionConfig: { WebACLId: aclArn } });
    const both = await cf.send(new ListDistributionsByWebACLIdCommand({ WebACLId: aclArn }));
    expect(both.DistributionList?.Items?.map((s) => s.Id).sort()).toEqual([withAcl.id, without.id].sort());
    const freed = await cf.send(new DisassociateDistributionWebACLCommand({ Id: without.id, IfMatch: associated.ETag }));
    expect(freed.Id).toBe(without.id);
    expect((await cf.send(new GetDistributionConfigCommand({ Id: without.id }))).DistributionConfig?.WebACLId).toBe('');

    // A lookup by a kind of resource the emulator has no model for says so, by name.
    const owned = await failure(cf.send(new ListDistributionsByOwnedResourceCommand({ ResourceArn: 'arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-1' })));
    expect(owned.name).toBe('NotImplemented');
    expect(owned.message).toContain('ListDistributionsByOwnedResource');
  });
});
