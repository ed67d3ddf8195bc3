import {
  CreateCloudFrontOriginAccessIdentityCommand,
  CreateDistributionCommand,
  CreateDistributionWithTagsCommand,
  CreateInvalidationCommand,
  CreateOriginAccessControlCommand,
  DeleteCloudFrontOriginAccessIdentityCommand,
  DeleteDistributionCommand,
  DeleteOriginAccessControlCommand,
  GetCloudFrontOriginAccessIdentityCommand,
  GetCloudFrontOriginAccessIdentityConfigCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  GetInvalidationCommand,
  GetOriginAccessControlCommand,
  GetOriginAccessControlConfigCommand,
  ListCloudFrontOriginAccessIdentitiesCommand,
  ListDistributionsCommand,
  ListInvalidationsCommand,
  ListOriginAccessControlsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateCloudFrontOriginAccessIdentityCommand,
  UpdateDistributionCommand,
  UpdateOriginAccessControlCommand,
  paginateListDistributions,
  type CloudFrontClient,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, PutBucketPolicyCommand, PutObjectCommand, PutPublicAccessBlockCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHING_DISABLED, edgeGet, s3Config } from '../test-support/cloudfront';
import { cloudfrontClient, failure, s3Client } from '../test-support/clients';
import { setClock } from '../test-support/ecr';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, tempDir, type SpawnedEmulator } from '../test-support/spawn';

// A change stays InProgress for a minute of emulator time; tests move the
// emulator's clock forward instead of waiting, so slow machines do not matter.
const DEPLOY_DELAY_MS = 60_000;

let emu: SpawnedEmulator;
let cf: CloudFrontClient;
let s3: S3Client;
let offsetMs = 0;

async function advance(ms: number): Promise<void> {
  offsetMs += ms;
  await setClock(emu.url, offsetMs);
}

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet', '--deploy-delay-ms', String(DEPLOY_DELAY_MS)] });
  cf = cloudfrontClient(emu.url);
  s3 = s3Client(emu.url);
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

const ID = /^E[A-Z0-9]{13}$/;

async function createOac(name = `oac-${randomUUID().slice(0, 8)}`) {
  const out = await cf.send(
    new CreateOriginAccessControlCommand({
      OriginAccessControlConfig: { Name: name, OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    }),
  );
  return { id: out.OriginAccessControl!.Id!, etag: out.ETag! };
}

async function createDistribution(config: DistributionConfig) {
  const out = await cf.send(new CreateDistributionCommand({ DistributionConfig: config }));
  const d = out.Distribution!;
  return { id: d.Id!, arn: d.ARN!, domain: d.DomainName!, etag: out.ETag!, out };
}

async function bucketWith(name: string, files: Record<string, string>) {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  for (const [Key, Body] of Object.entries(files)) {
    await s3.send(new PutObjectCommand({ Bucket: name, Key, Body, ContentType: Key.endsWith('.html') ? 'text/html' : 'text/plain' }));
  }
}

function policy(bucket: string, statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s) => ({ Effect: 'Allow', Resource: `arn:aws:s3:::${bucket}/*`, Action: 's3:GetObject', ...s })) });
}

const oacStatement = (distributionArn: string) => ({
  Principal: { Service: 'cloudfront.amazonaws.com' },
  Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
});

describe('origin access control', () => {
  it('creates, reads, lists, updates with If-Match and deletes', async () => {
    const created = await cf.send(
      new CreateOriginAccessControlCommand({
        OriginAccessControlConfig: { Name: 'oac-life', Description: 'first', OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
      }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    const id = created.OriginAccessControl!.Id!;
    expect(id).toMatch(ID);
    expect(created.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/origin-access-control/${id}`);
    expect(created.ETag).toMatch(ID);

    const got = await cf.send(new GetOriginAccessControlCommand({ Id: id }));
    expect(got.OriginAccessControl?.OriginAccessControlConfig).toEqual({
      Name: 'oac-life',
      Description: 'first',
      SigningProtocol: 'sigv4',
      SigningBehavior: 'always',
      OriginAccessControlOriginType: 's3',
    });
    expect(got.ETag).toBe(created.ETag);
    const cfg = await cf.send(new GetOriginAccessControlConfigCommand({ Id: id }));
    expect(cfg.OriginAccessControlConfig?.Name).toBe('oac-life');

    const list = await cf.send(new ListOriginAccessControlsCommand({}));
    const names = list.OriginAccessControlList?.Items?.map((o) => o.Name);
    expect(names).toContain('oac-life');
    expect(names).toContain('berth-demo-oac');

    const dup = await failure(
      cf.send(new CreateOriginAccessControlCommand({ OriginAccessControlConfig: { Name: 'oac-life', OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } })),
    );
    expect(dup.name).toBe('OriginAccessControlAlreadyExists');
    expect(dup.$metadata?.httpStatusCode).toBe(409);

    const config = { Name: 'oac-life', Description: 'second', OriginAccessControlOriginType: 's3' as const, SigningBehavior: 'no-override' as const, SigningProtocol: 'sigv4' as const };
    const noMatch = await failure(cf.send(new UpdateOriginAccessControlCommand({ Id: id, OriginAccessControlConfig: config })));
    expect(noMatch.name).toBe('InvalidIfMatchVersion');
    expect(noMatch.$metadata?.httpStatusCode).toBe(400);
    const stale = await failure(cf.send(new UpdateOriginAccessControlCommand({ Id: id, IfMatch: 'E0000000000000', OriginAccessControlConfig: config })));
    expect(stale.name).toBe('PreconditionFailed');
    expect(stale.$metadata?.httpStatusCode).toBe(412);
    const updated = await cf.send(new UpdateOriginAccessControlCommand({ Id: id, IfMatch: created.ETag, OriginAccessControlConfig: config }));
    expect(updated.ETag).not.toBe(created.ETag);
    expect(updated.OriginAccessControl?.OriginAccessControlConfig?.SigningBehavior).toBe('no-override');

    const old = await failure(cf.send(new DeleteOriginAccessControlCommand({ Id: id, IfMatch: created.ETag })));
    expect(old.name).toBe('PreconditionFailed');
    await cf.send(new DeleteOriginAccessControlCommand({ Id: id, IfMatch: updated.ETag }));
    const gone = await failure(cf.send(new GetOriginAccessControlCommand({ Id: id })));
    expect(gone.name).toBe('NoSuchOriginAccessControl');
    expect(gone.$metadata?.httpStatusCode).toBe(404);
  });

  it('refuses to delete an OAC a distribution uses', async () => {
    const oac = await createOac();
    const d = await createDistribution(s3Config('oac-in-use-bucket', { oacId: oac.id }));
    const err = await failure(cf.send(new DeleteOriginAccessControlCommand({ Id: oac.id, IfMatch: oac.etag })));
    expect(err.name).toBe('OriginAccessControlInUse');
    expect(err.$metadata?.httpStatusCode).toBe(409);
    expect(err.message).toContain(d.id);
  });
});

describe('origin access identity (legacy)', () => {
  it('creates idempotently by CallerReference, updates and deletes', async () => {
    const ref = randomUUID();
    const a = await cf.send(new CreateCloudFrontOriginAccessIdentityCommand({ CloudFrontOriginAccessIdentityConfig: { CallerReference: ref, Comment: 'site' } }));
    expect(a.$metadata.httpStatusCode).toBe(201);
    const id = a.CloudFrontOriginAccessIdentity!.Id!;
    expect(id).toMatch(ID);
    expect(a.CloudFrontOriginAccessIdentity?.S3CanonicalUserId).toMatch(/^[0-9a-f]{96}$/);
    expect(a.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/origin-access-identity/cloudfront/${id}`);

    const again = await cf.send(new CreateCloudFrontOriginAccessIdentityCommand({ CloudFrontOriginAccessIdentityConfig: { CallerReference: ref, Comment: 'site' } }));
    expect(again.CloudFrontOriginAccessIdentity?.Id).toBe(id);
    const other = await failure(
      cf.send(new CreateCloudFrontOriginAccessIdentityCommand({ CloudFrontOriginAccessIdentityConfig: { CallerReference: ref, Comment: 'different' } })),
    );
    expect(other.name).toBe('CloudFrontOriginAccessIdentityAlreadyExists');
    expect(other.$metadata?.httpStatusCode).toBe(409);

    const got = await cf.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: id }));
    expect(got.ETag).toBe(a.ETag);
    const cfg = await cf.send(new GetCloudFrontOriginAccessIdentityConfigCommand({ Id: id }));
    expect(cfg.CloudFrontOriginAccessIdentityConfig).toEqual({ CallerReference: ref, Comment: 'site' });
    const list = await cf.send(new ListCloudFrontOriginAccessIdentitiesCommand({}));
    expect(list.CloudFrontOriginAccessIdentityList?.Items?.some((o) => o.Id === id && o.Comment === 'site')).toBe(true);

    const illegal = await failure(
      cf.send(new UpdateCloudFrontOriginAccessIdentityCommand({ Id: id, IfMatch: a.ETag, CloudFrontOriginAccessIdentityConfig: { CallerReference: 'other', Comment: 'x' } })),
    );
    expect(illegal.name).toBe('IllegalUpdate');
    const up = await cf.send(
      new UpdateCloudFrontOriginAccessIdentityCommand({ Id: id, IfMatch: a.ETag, CloudFrontOriginAccessIdentityConfig: { CallerReference: ref, Comment: 'renamed' } }),
    );
    expect(up.CloudFrontOriginAccessIdentity?.CloudFrontOriginAccessIdentityConfig?.Comment).toBe('renamed');

    const d = await createDistribution(s3Config('oai-in-use-bucket', { oaiId: id }));
    const inUse = await failure(cf.send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: id, IfMatch: up.ETag })));
    expect(inUse.name).toBe('CloudFrontOriginAccessIdentityInUse');
    expect(inUse.message).toContain(d.id);

    const lone = await cf.send(new CreateCloudFrontOriginAccessIdentityCommand({ CloudFrontOriginAccessIdentityConfig: { CallerReference: randomUUID(), Comment: '' } }));
    const noMatch = await failure(cf.send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: lone.CloudFrontOriginAccessIdentity!.Id! })));
    expect(noMatch.name).toBe('InvalidIfMatchVersion');
    await cf.send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: lone.CloudFrontOriginAccessIdentity!.Id!, IfMatch: lone.ETag }));
    const gone = await failure(cf.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: lone.CloudFrontOriginAccessIdentity!.Id! })));
    expect(gone.name).toBe('NoSuchCloudFrontOriginAccessIdentity');
  });
});

describe('distributions', () => {
  it('goes through create, InProgress → Deployed, update with If-Match, disable and delete', async () => {
    const config = s3Config('lifecycle-bucket', { comment: 'lifecycle' });
    const d = await createDistribution(config);
    expect(d.out.$metadata.httpStatusCode).toBe(201);
    expect(d.id).toMatch(ID);
    expect(d.domain).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
    expect(d.arn).toBe(`arn:aws:cloudfront::123456789012:distribution/${d.id}`);
    expect(d.out.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/distribution/${d.id}`);
    expect(d.out.Distribution?.Status).toBe('InProgress');
    expect(d.out.Distribution?.InProgressInvalidationBatches).toBe(0);
    expect(d.out.Distribution?.ActiveTrustedSigners).toEqual({ Enabled: false, Quantity: 0 });

    // What was sent comes back, with the values CloudFront fills in.
    const got = await cf.send(new GetDistributionConfigCommand({ Id: d.id }));
    expect(got.ETag).toBe(d.etag);
    const c = got.DistributionConfig!;
    expect(c.CallerReference).toBe(config.CallerReference);
    expect(c.Comment).toBe('lifecycle');
    expect(c.DefaultRootObject).toBe('index.html');
    expect(c.Origins?.Items?.[0]).toMatchObject({ Id: 's3-lifecycle-bucket', DomainName: 'lifecycle-bucket.s3.us-east-1.amazonaws.com', OriginPath: '', ConnectionAttempts: 3, ConnectionTimeout: 10 });
    expect(c.DefaultCacheBehavior).toMatchObject({
      CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: { Quantity: 2, Items: ['HEAD', 'GET'] },
      Compress: false,
    });
    expect(c.DefaultCacheBehavior?.MinTTL).toBeUndefined();
    expect(c).toMatchObject({ PriceClass: 'PriceClass_All', HttpVersion: 'http2', IsIPV6Enabled: false, Staging: false, WebACLId: '', Aliases: { Quantity: 0 } });
    expect(c.ViewerCertificate).toMatchObject({ CloudFrontDefaultCertificate: true });
    expect(c.Restrictions?.GeoRestriction).toEqual({ RestrictionType: 'none', Quantity: 0 });

    const retry = await failure(cf.send(new CreateDistributionCommand({ DistributionConfig: config })));
    expect(retry.name).toBe('DistributionAlreadyExists');
    expect(retry.$metadata?.httpStatusCode).toBe(409);
    expect(retry.message).toContain(d.id);

    const listed = [];
    for await (const page of paginateListDistributions({ client: cf, pageSize: 1 }, {})) listed.push(...(page.DistributionList?.Items ?? []));
    const summary = listed.find((s) => s.Id === d.id)!;
    expect(summary).toMatchObject({ ARN: d.arn, DomainName: d.domain, Status: 'InProgress', Comment: 'lifecycle', Enabled: true, PriceClass: 'PriceClass_All', Staging: false, ETag: d.etag });
    expect(summary.Origins?.Items?.[0]?.DomainName).toBe('lifecycle-bucket.s3.us-east-1.amazonaws.com');
    expect(summary.DefaultCacheBehavior?.TargetOriginId).toBe('s3-lifecycle-bucket');

    const enabledDelete = await failure(cf.send(new DeleteDistributionCommand({ Id: d.id, IfMatch: d.etag })));
    expect(enabledDelete.name).toBe('DistributionNotDisabled');

    await advance(DEPLOY_DELAY_MS + 1000);
    expect((await cf.send(new GetDistributionCommand({ Id: d.id }))).Distribution?.Status).toBe('Deployed');

    const disabled = { ...c, Enabled: false };
    const noMatch = await failure(cf.send(new UpdateDistributionCommand({ Id: d.id, DistributionConfig: disabled })));
    expect(noMatch.name).toBe('InvalidIfMatchVersion');
    expect(noMatch.$metadata?.httpStatusCode).toBe(400);
    const stale = await failure(cf.send(new UpdateDistributionCommand({ Id: d.id, IfMatch: 'E0000000000000', DistributionConfig: disabled })));
    expect(stale.name).toBe('PreconditionFailed');
    expect(stale.$metadata?.httpStatusCode).toBe(412);
    const illegal = await failure(cf.send(new UpdateDistributionCommand({ Id: d.id, IfMatch: d.etag, DistributionConfig: { ...disabled, CallerReference: 'changed' } })));
    expect(illegal.name).toBe('IllegalUpdate');

    const updated = await cf.send(new UpdateDistributionCommand({ Id: d.id, IfMatch: d.etag, DistributionConfig: disabled }));
    expect(updated.ETag).not.toBe(d.etag);
    expect(updated.Distribution?.Status).toBe('InProgress');
    expect(updated.Distribution?.DistributionConfig?.Enabled).toBe(false);

    // Disabled but still InProgress: not yet.
    const early = await failure(cf.send(new DeleteDistributionCommand({ Id: d.id, IfMatch: updated.ETag })));
    expect(early.name).toBe('DistributionNotDisabled');
    expect(early.$metadata?.httpStatusCode).toBe(409);
    await advance(DEPLOY_DELAY_MS + 1000);
    const oldTag = await failure(cf.send(new DeleteDistributionCommand({ Id: d.id, IfMatch: d.etag })));
    expect(oldTag.name).toBe('PreconditionFailed');
    const noTag = await failure(cf.send(new DeleteDistributionCommand({ Id: d.id })));
    expect(noTag.name).toBe('InvalidIfMatchVersion');
    const del = await cf.send(new DeleteDistributionCommand({ Id: d.id, IfMatch: updated.ETag }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    const gone = await failure(cf.send(new GetDistributionCommand({ Id: d.id })));
    expect(gone.name).toBe('NoSuchDistribution');
    expect(gone.$metadata?.httpStatusCode).toBe(404);
  });

  it('replaces the whole config on update: members left out go back to defaults', async () => {
    const config = s3Config('replace-bucket');
    config.PriceClass = 'PriceClass_100';
    const d = await createDistribution(config);
    const got = await cf.send(new GetDistributionConfigCommand({ Id: d.id }));
    expect(got.DistributionConfig?.PriceClass).toBe('PriceClass_100');
    const rest = { ...config };
    delete rest.PriceClass;
    const up = await cf.send(new UpdateDistributionCommand({ Id: d.id, IfMatch: got.ETag, DistributionConfig: { ...rest, Comment: 'replaced' } }));
    expect(up.Distribution?.DistributionConfig).toMatchObject({ Comment: 'replaced', PriceClass: 'PriceClass_All' });
  });

  it('refuses what CloudFront refuses, with its error codes', async () => {
    const cases: [string, (c: DistributionConfig) => void, string, number][] = [
      ['root object with a slash', (c) => (c.DefaultRootObject = '/index.html'), 'InvalidDefaultRootObject', 400],
      ['unknown OAC', (c) => (c.Origins!.Items![0]!.OriginAccessControlId = 'E1NOSUCHOAC000'), 'InvalidOriginAccessControl', 400],
      ['unknown OAI', (c) => (c.Origins!.Items![0]!.S3OriginConfig!.OriginAccessIdentity = 'origin-access-identity/cloudfront/E1NOSUCHOAI000'), 'InvalidOriginAccessIdentity', 400],
      ['unknown target origin', (c) => (c.DefaultCacheBehavior!.TargetOriginId = 'elsewhere'), 'NoSuchOrigin', 404],
      ['web ACL that is not a WAFv2 ARN', (c) => (c.WebACLId = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/none/00000000-0000-0000-0000-000000000000'), 'InvalidWebACLId', 400],
      ['unknown cache policy', (c) => (c.DefaultCacheBehavior!.CachePolicyId = '00000000-0000-0000-0000-000000000000'), 'NoSuchCachePolicy', 404],
      ['no cache policy and no ForwardedValues', (c) => delete c.DefaultCacheBehavior!.CachePolicyId, 'InvalidArgument', 400],
      ['Quantity that does not match Items', (c) => (c.Origins!.Quantity = 2), 'InconsistentQuantities', 400],
      ['empty Items beside Quantity 0', (c) => (c.Aliases = { Quantity: 0, Items: [] }), 'MalformedInput', 400],
      ['missing Comment', (c) => delete (c as { Comment?: string }).Comment, 'MalformedInput', 400],
      ['S3 origin config on a non-S3 domain', (c) => (c.Origins!.Items![0]!.DomainName = 'example.com'), 'InvalidOrigin', 400],
      ['alias without a certificate', (c) => (c.Aliases = { Quantity: 1, Items: ['www.example.com'] }), 'InvalidViewerCertificate', 400],
    ];
    for (const [what, change, code, status] of cases) {
      const config = s3Config('refused-bucket');
      change(config);
      const err = await failure(cf.send(new CreateDistributionCommand({ DistributionConfig: config })));
      expect(err.name, what).toBe(code);
      expect(err.$metadata?.httpStatusCode, what).toBe(status);
    }
    const oac = await createOac();
    const oai = await cf.send(new CreateCloudFrontOriginAccessIdentityCommand({ CloudFrontOriginAccessIdentityConfig: { CallerReference: randomUUID(), Comment: '' } }));
    const both = await failure(
      cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('refused-bucket', { oacId: oac.id, oaiId: oai.CloudFrontOriginAccessIdentity!.Id! }) })),
    );
    expect(both.name).toBe('IllegalOriginAccessConfiguration');
    const list = await cf.send(new ListDistributionsCommand({}));
    expect(list.DistributionList?.Items?.some((s) => s.Origins?.Items?.[0]?.DomainName?.startsWith('refused-bucket'))).toBe(false);
  });

  it('creates with tags, and tags, untags and lists by ARN', async () => {
    const out = await cf.send(
      new CreateDistributionWithTagsCommand({
        DistributionConfigWithTags: { DistributionConfig: s3Config('tagged-bucket'), Tags: { Items: [{ Key: 'team', Value: 'web' }] } },
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(201);
    const arn = out.Distribution!.ARN!;
    expect((await cf.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items).toEqual([{ Key: 'team', Value: 'web' }]);
    await cf.send(new TagResourceCommand({ Resource: arn, Tags: { Items: [{ Key: 'env', Value: 'demo' }, { Key: 'team', Value: 'platform' }] } }));
    const tags = (await cf.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items ?? [];
    expect(tags).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'platform' }, { Key: 'env', Value: 'demo' }]));
    await cf.send(new UntagResourceCommand({ Resource: arn, TagKeys: { Items: ['team'] } }));
    expect((await cf.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items).toEqual([{ Key: 'env', Value: 'demo' }]);

    const missing = await failure(cf.send(new ListTagsForResourceCommand({ Resource: 'arn:aws:cloudfront::123456789012:distribution/E0000000000000' })));
    expect(missing.name).toBe('NoSuchResource');
    const badTag = await failure(cf.send(new TagResourceCommand({ Resource: arn, Tags: { Items: [{ Key: 'aws:reserved', Value: 'x' }] } })));
    expect(badTag.name).toBe('InvalidTagging');
  });

  it('refuses every write to the readonly key, naming the IAM action', async () => {
    const ro = cloudfrontClient(emu.url, { key: 'readonly' });
    const create = await failure(ro.send(new CreateDistributionCommand({ DistributionConfig: s3Config('ro-bucket') })));
    expect(create.name).toBe('AccessDenied');
    expect(create.$metadata?.httpStatusCode).toBe(403);
    expect(create.message).toContain('cloudfront:CreateDistribution');
    const oac = await failure(
      ro.send(new CreateOriginAccessControlCommand({ OriginAccessControlConfig: { Name: 'ro', OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } })),
    );
    expect(oac.name).toBe('AccessDenied');
    const d = await createDistribution(s3Config('ro-bucket'));
    const inv = await failure(ro.send(new CreateInvalidationCommand({ DistributionId: d.id, InvalidationBatch: { CallerReference: 'x', Paths: { Quantity: 1, Items: ['/a'] } } })));
    expect(inv.name).toBe('AccessDenied');
    expect(inv.message).toContain(`cloudfront:CreateInvalidation on resource: ${d.arn}`);
    // Reads are allowed.
    expect((await ro.send(new GetDistributionCommand({ Id: d.id }))).Distribution?.Id).toBe(d.id);
  });
});

describe('invalidations', () => {
  it('checks paths, is idempotent by CallerReference, pages, and completes after the delay', async () => {
    const d = await createDistribution(s3Config('inval-bucket'));
    const batch = (CallerReference: string, Items: string[]) => ({ DistributionId: d.id, InvalidationBatch: { CallerReference, Paths: { Quantity: Items.length, Items } } });

    for (const bad of ['index.html', '/a*b', '/*/x']) {
      const err = await failure(cf.send(new CreateInvalidationCommand(batch(randomUUID(), [bad]))));
      expect(err.name, bad).toBe('InvalidArgument');
      expect(err.message).toContain(bad);
    }
    const mismatch = await failure(
      cf.send(new CreateInvalidationCommand({ DistributionId: d.id, InvalidationBatch: { CallerReference: 'q', Paths: { Quantity: 2, Items: ['/a'] } } })),
    );
    expect(mismatch.name).toBe('InconsistentQuantities');
    const nowhere = await failure(cf.send(new CreateInvalidationCommand({ ...batch('n', ['/a']), DistributionId: 'E0000000000000' })));
    expect(nowhere.name).toBe('NoSuchDistribution');

    const first = await cf.send(new CreateInvalidationCommand(batch('ref-1', ['/index.html', '/assets/*'])));
    expect(first.$metadata.httpStatusCode).toBe(201);
    const id = first.Invalidation!.Id!;
    expect(id).toMatch(/^I[A-Z0-9]{13}$/);
    expect(first.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/distribution/${d.id}/invalidation/${id}`);
    expect(first.Invalidation?.Status).toBe('InProgress');
    expect(first.Invalidation?.InvalidationBatch?.Paths?.Items).toEqual(['/index.html', '/assets/*']);
    expect((await cf.send(new GetDistributionCommand({ Id: d.id }))).Distribution?.InProgressInvalidationBatches).toBe(1);

    const same = await cf.send(new CreateInvalidationCommand(batch('ref-1', ['/assets/*', '/index.html'])));
    expect(same.Invalidation?.Id).toBe(id);
    const clash = await failure(cf.send(new CreateInvalidationCommand(batch('ref-1', ['/other.html']))));
    expect(clash.name).toBe('InvalidationBatchAlreadyExists');

    const second = await cf.send(new CreateInvalidationCommand(batch('ref-2', ['/*'])));
    const page1 = await cf.send(new ListInvalidationsCommand({ DistributionId: d.id, MaxItems: 1 }));
    expect(page1.InvalidationList).toMatchObject({ IsTruncated: true, Quantity: 1, NextMarker: second.Invalidation!.Id });
    expect(page1.InvalidationList?.Items?.[0]?.Id).toBe(second.Invalidation!.Id);
    const page2 = await cf.send(new ListInvalidationsCommand({ DistributionId: d.id, MaxItems: 1, Marker: page1.InvalidationList!.NextMarker }));
    expect(page2.InvalidationList).toMatchObject({ IsTruncated: false, Quantity: 1 });
    expect(page2.InvalidationList?.Items?.[0]?.Id).toBe(id);

    await advance(DEPLOY_DELAY_MS + 1000);
    const done = await cf.send(new GetInvalidationCommand({ DistributionId: d.id, Id: id }));
    expect(done.Invalidation?.Status).toBe('Completed');
    expect((await cf.send(new GetDistributionCommand({ Id: d.id }))).Distribution?.InProgressInvalidationBatches).toBe(0);
    const missing = await failure(cf.send(new GetInvalidationCommand({ DistributionId: d.id, Id: 'I0000000000000' })));
    expect(missing.name).toBe('NoSuchInvalidation');
  });
});

describe('serving through the distribution domain', () => {
  const body = (r: { body: string }) => r.body;

  it('with OAC: serves the private bucket to this distribution only, while the bucket refuses direct anonymous reads', async () => {
    const bucket = 'cf-oac-private';
    await bucketWith(bucket, { 'index.html': '<h1>home</h1>', 'docs/page.html': 'page', 'error.html': 'custom error' });
    const oac = await createOac();
    const d = await createDistribution(s3Config(bucket, { oacId: oac.id }));
    const other = await createDistribution(s3Config(bucket, { oacId: oac.id }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(bucket, [oacStatement(d.arn)]) }));

    const root = await edgeGet(emu.url, d.domain, '/');
    expect(root.status).toBe(200);
    expect(body(root)).toBe('<h1>home</h1>');
    expect(root.headers['content-type']).toBe('text/html');
    expect(root.headers['x-cache']).toBe('Miss from cloudfront');
    expect(root.headers.via).toMatch(/^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
    expect(root.headers['x-amz-cf-id']).toBeTruthy();
    expect(root.headers['x-amz-cf-pop']).toBeTruthy();
    expect(body(await edgeGet(emu.url, d.domain, '/docs/page.html'))).toBe('page');

    // The DomainName itself works as the Host too (e.g. curl --resolve).
    const byName = await rawRequest(emu.url, { path: '/docs/page.html', headers: { Host: d.domain } });
    expect(byName.status).toBe(200);

    // The same object, straight from S3 without credentials: refused.
    const direct = await rawRequest(emu.url, { path: `/${bucket}/index.html` });
    expect(direct.status).toBe(403);
    // A distribution the policy does not name is refused too.
    const wrong = await edgeGet(emu.url, other.domain, '/index.html');
    expect(wrong.status).toBe(403);
    expect(body(wrong)).toContain('<Code>AccessDenied</Code>');
    expect(wrong.headers['x-cache']).toBe('Error from cloudfront');

    // Missing key: 403 without s3:ListBucket, 404 with it.
    const hidden = await edgeGet(emu.url, d.domain, '/missing.html');
    expect(hidden.status).toBe(403);
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*`, ...oacStatement(d.arn) },
            { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}`, ...oacStatement(d.arn) },
          ],
        }),
      }),
    );
    const missing = await edgeGet(emu.url, d.domain, '/missing.html');
    expect(missing.status).toBe(404);
    expect(body(missing)).toContain('<Code>NoSuchKey</Code>');

    const head = await edgeGet(emu.url, d.domain, '/docs/page.html', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('4');
    const range = await edgeGet(emu.url, d.domain, '/docs/page.html', { Range: 'bytes=1-2' });
    expect(range.status).toBe(206);
    expect(body(range)).toBe('ag');
  });

  it('with an OAI: the bucket policy names the identity (by ARN or canonical user)', async () => {
    const bucket = 'cf-oai-private';
    await bucketWith(bucket, { 'index.html': 'oai home' });
    const oai = await cf.send(new CreateCloudFrontOriginAccessIdentityCommand({ CloudFrontOriginAccessIdentityConfig: { CallerReference: randomUUID(), Comment: bucket } }));
    const oaiId = oai.CloudFrontOriginAccessIdentity!.Id!;
    const d = await createDistribution(s3Config(bucket, { oaiId }));
    expect((await edgeGet(emu.url, d.domain, '/')).status).toBe(403);

    await s3.send(
      new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(bucket, [{ Principal: { AWS: `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${oaiId}` } }]) }),
    );
    const ok = await edgeGet(emu.url, d.domain, '/');
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('oai home');
    expect((await rawRequest(emu.url, { path: `/${bucket}/index.html` })).status).toBe(403);

    await s3.send(
      new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(bucket, [{ Principal: { CanonicalUser: oai.CloudFrontOriginAccessIdentity!.S3CanonicalUserId } }]) }),
    );
    await cf.send(new CreateInvalidationCommand({ DistributionId: d.id, InvalidationBatch: { CallerReference: randomUUID(), Paths: { Quantity: 1, Items: ['/*'] } } }));
    expect((await edgeGet(emu.url, d.domain, '/')).status).toBe(200);
  });

  it('without origin access: anonymous, so only a public bucket can be served', async () => {
    const privateBucket = 'cf-anon-private';
    await bucketWith(privateBucket, { 'index.html': 'private' });
    const blocked = await createDistribution(s3Config(privateBucket));
    const refused = await edgeGet(emu.url, blocked.domain, '/');
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('AccessDenied');

    const publicBucket = 'cf-anon-public';
    await bucketWith(publicBucket, { 'index.html': 'public' });
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: publicBucket,
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      }),
    );
    await s3.send(new PutBucketPolicyCommand({ Bucket: publicBucket, Policy: policy(publicBucket, [{ Principal: '*' }]) }));
    const open = await createDistribution(s3Config(publicBucket));
    const served = await edgeGet(emu.url, open.domain, '/');
    expect(served.status).toBe(200);
    expect(served.body).toBe('public');
  });

  it('keeps serving the cached copy until an invalidation or the TTL, as an edge does', async () => {
    const bucket = 'cf-cache';
    await bucketWith(bucket, { 'index.html': 'v1', 'assets/app.css': 'css v1' });
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      }),
    );
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(bucket, [{ Principal: '*' }]) }));
    const d = await createDistribution(s3Config(bucket));
    const nocache = await createDistribution(s3Config(bucket, { cachePolicyId: CACHING_DISABLED }));

    expect((await edgeGet(emu.url, d.domain, '/index.html')).headers['x-cache']).toBe('Miss from cloudfront');
    const hit = await edgeGet(emu.url, d.domain, '/index.html');
    expect(hit.headers['x-cache']).toBe('Hit from cloudfront');
    expect(hit.headers.age).toMatch(/^\d+$/);
    expect((await edgeGet(emu.url, d.domain, '/assets/app.css')).body).toBe('css v1');
    expect((await edgeGet(emu.url, nocache.domain, '/index.html')).body).toBe('v1');

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'index.html', Body: 'v2', ContentType: 'text/html' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'assets/app.css', Body: 'css v2' }));
    // The edge still has v1 (as CloudFront does for the default TTL of a day) …
    const stale = await edgeGet(emu.url, d.domain, '/index.html');
    expect(stale.body).toBe('v1');
    expect(stale.headers['x-cache']).toBe('Hit from cloudfront');
    // … and the root, which is the default root object, is the same cache entry.
    expect((await edgeGet(emu.url, d.domain, '/')).body).toBe('v1');
    // CachingDisabled goes to the origin every time.
    const fresh = await edgeGet(emu.url, nocache.domain, '/index.html');
    expect(fresh.body).toBe('v2');
    expect(fresh.headers['x-cache']).toBe('Miss from cloudfront');

    await cf.send(new CreateInvalidationCommand({ DistributionId: d.id, InvalidationBatch: { CallerReference: randomUUID(), Paths: { Quantity: 1, Items: ['/index.html'] } } }));
    const after = await edgeGet(emu.url, d.domain, '/');
    expect(after.body).toBe('v2');
    expect(after.headers['x-cache']).toBe('Miss from cloudfront');
    // Not covered by that invalidation: still old.
    expect((await edgeGet(emu.url, d.domain, '/assets/app.css')).body).toBe('css v1');
    // A trailing * is a prefix.
    await cf.send(new CreateInvalidationCommand({ DistributionId: d.id, InvalidationBatch: { CallerReference: randomUUID(), Paths: { Quantity: 1, Items: ['/assets/*'] } } }));
    expect((await edgeGet(emu.url, d.domain, '/assets/app.css')).body).toBe('css v2');

    // Without an invalidation, the change shows once the default TTL (86,400 s) has passed.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'index.html', Body: 'v3', ContentType: 'text/html' }));
    expect((await edgeGet(emu.url, d.domain, '/index.html')).body).toBe('v2');
    await advance(86_400_000 + 60_000);
    expect((await edgeGet(emu.url, d.domain, '/index.html')).body).toBe('v3');
  });

  it('honours custom error responses, and refuses when disabled or unknown', async () => {
    const bucket = 'cf-errors';
    await bucketWith(bucket, { 'index.html': 'app', 'error.html': 'friendly not found' });
    const oac = await createOac();
    const config = s3Config(bucket, { oacId: oac.id });
    config.CustomErrorResponses = { Quantity: 1, Items: [{ ErrorCode: 403, ResponsePagePath: '/error.html', ResponseCode: '404', ErrorCachingMinTTL: 10 }] };
    const d = await createDistribution(config);
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(bucket, [oacStatement(d.arn)]) }));
    const page = await edgeGet(emu.url, d.domain, '/no/such/page');
    expect(page.status).toBe(404);
    expect(page.body).toBe('friendly not found');

    const off = await createDistribution(s3Config(bucket, { oacId: oac.id, enabled: false }));
    const disabled = await edgeGet(emu.url, off.domain, '/');
    expect(disabled.status).toBe(403);
    expect(disabled.headers['content-type']).toBe('text/html');
    expect(disabled.body).toContain('The request could not be satisfied');

    const unknown = await edgeGet(emu.url, 'd0000000000000.cloudfront.net', '/');
    expect(unknown.status).toBe(403);
    expect(unknown.headers.server).toBe('CloudFront');
  });
});

describe('durability', () => {
  it('keeps distributions, their ETags and the edge cache across a restart', async () => {
    const dataDir = tempDir('berth-cf-durable-');
    let e = await spawnEmulator({ dataDir, args: ['--quiet'] });
    try {
      const c = cloudfrontClient(e.url);
      const s = s3Client(e.url);
      await s.send(new CreateBucketCommand({ Bucket: 'durable-site' }));
      await s.send(new PutObjectCommand({ Bucket: 'durable-site', Key: 'index.html', Body: 'before' }));
      await s.send(
        new PutPublicAccessBlockCommand({
          Bucket: 'durable-site',
          PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
        }),
      );
      await s.send(new PutBucketPolicyCommand({ Bucket: 'durable-site', Policy: policy('durable-site', [{ Principal: '*' }]) }));
      const out = await c.send(new CreateDistributionCommand({ DistributionConfig: s3Config('durable-site', { comment: 'durable' }) }));
      const id = out.Distribution!.Id!;
      const domain = out.Distribution!.DomainName!;
      expect((await edgeGet(e.url, domain, '/')).body).toBe('before');
      await s.send(new PutObjectCommand({ Bucket: 'durable-site', Key: 'index.html', Body: 'after' }));

      expect(await e.stop()).toBe(0);
      e = await spawnEmulator({ dataDir, args: ['--quiet'] });
      const again = await cloudfrontClient(e.url).send(new GetDistributionCommand({ Id: id }));
      expect(again.ETag).toBe(out.ETag);
      expect(again.Distribution?.DistributionConfig?.Comment).toBe('durable');
      expect(again.Distribution?.DomainName).toBe(domain);
      const cached = await edgeGet(e.url, domain, '/');
      expect(cached.body).toBe('before');
      expect(cached.headers['x-cache']).toBe('Hit from cloudfront');
    } finally {
      await e.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
