import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CreateDistributionCommand, CloudFrontClient, CreateInvalidationCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';
import { edgeGet, s3Config } from '@/emulator/test-support/cloudfront';
import type { CreateDistributionInput } from '@/lib/validation/cloudfront';

// lib/cloudfront over a real emulator: the steps Berth takes, and CloudFront's
// refusals coming out of the mapper as sentences a person can act on.

let emu: SpawnedEmulator;
let cf: CloudFrontClient;
let s3: S3Client;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--deploy-delay-ms', '300', '--quiet'] });
  for (const [k, v] of Object.entries({ AWS_ENDPOINT_URL: emu.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PROFILE: '' })) {
    vi.stubEnv(k, v);
  }
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  cf = new CloudFrontClient({ endpoint: emu.url, region: 'us-east-1', credentials });
  s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emu?.stop();
});

/** A create-form input for a bucket, as the form would send it. */
function formInput(bucket: string, over: Partial<CreateDistributionInput> = {}): CreateDistributionInput {
  return {
    callerReference: crypto.randomUUID(),
    bucket,
    originAccess: 'oac',
    defaultRootObject: 'index.html',
    viewerProtocolPolicy: 'redirect-to-https',
    priceClass: 'PriceClass_100',
    comment: '',
    tags: [],
    waf: 'off',
    ...over,
  } as CreateDistributionInput;
}

const settle = () => new Promise((r) => setTimeout(r, 700));

async function problemOf(fn: () => Promise<unknown>) {
  const { attempt } = await import('@/lib/aws/errors');
  await import('./errors');
  const r = await attempt(fn, { service: 'CLOUDFRONT' });
  if (r.ok) throw new Error('expected a refusal');
  return r.problem;
}

describe('creating for a bucket', () => {
  it('makes one distribution per CallerReference, merges the policy and blocks public access', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-cf-site' }));
    const { createDistributionForBucket } = await import('./create');
    const input = formInput('lib-cf-site', { comment: 'lib test', waf: 'create' });
    const first = await createDistributionForBucket(input);
    const again = await createDistributionForBucket(input);
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ id: first.id, created: false });
    const { listDistributions } = await import('./distributions');
    expect((await listDistributions()).filter((d) => d.origins.some((o) => o.bucket === 'lib-cf-site'))).toHaveLength(1);
    expect(JSON.parse(first.policyAfter).Statement.map((s: { Sid: string }) => s.Sid)).toEqual([`BerthCloudFront${first.id}`]);

    const { securityCheck } = await import('./security');
    const { getDistribution } = await import('./distributions');
    const findings = await securityCheck(await getDistribution(first.id));
    expect(findings.filter((f) => !f.ok).map((f) => f.id)).toEqual([]);
  });
});

describe('the legacy Origin Access Identity', () => {
  it('creates an OAI, grants it by principal, and the edge serves a private bucket through it', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-cf-oai' }));
    await s3.send(new PutObjectCommand({ Bucket: 'lib-cf-oai', Key: 'index.html', Body: '<h1>via OAI</h1>', ContentType: 'text/html' }));
    const { createDistributionForBucket } = await import('./create');
    const made = await createDistributionForBucket(formInput('lib-cf-oai', { originAccess: 'oai' }));
    const { getDistribution } = await import('./distributions');
    const d = await getDistribution(made.id);
    const oai = d.origins[0]!.originAccessIdentityId!;
    expect(oai).toMatch(/^E/);
    const statement = JSON.parse(made.policyAfter).Statement[0];
    expect(statement.Principal.AWS).toBe(`arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${oai}`);
    const page = await edgeGet(emu.url, d.domainName, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('via OAI');
    expect((await fetch(`${emu.url}/lib-cf-oai/index.html`)).status).toBe(403);
  });
});

describe('tearing a site down', () => {
  it('refuses, changing nothing, while a distribution Berth did not make reads the bucket', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-cf-shared' }));
    const { createDistributionForBucket } = await import('./create');
    const ours = await createDistributionForBucket(formInput('lib-cf-shared'));
    const foreign = await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('lib-cf-shared') }));
    const { teardownStep, TeardownRefused } = await import('./site');
    await expect(teardownStep('lib-cf-shared')).rejects.toBeInstanceOf(TeardownRefused);
    await expect(teardownStep('lib-cf-shared')).rejects.toThrow(foreign.Distribution!.Id!);
    const { getDistribution } = await import('./distributions');
    expect((await getDistribution(ours.id)).enabled).toBe(true);
  });
});

describe("CloudFront's refusals as sentences", () => {
  it('deleting an enabled distribution says to disable it and wait', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-cf-enabled' }));
    const made = await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('lib-cf-enabled') }));
    await settle();
    const { deleteDistribution } = await import('./distributions');
    const p = await problemOf(() => deleteDistribution(made.Distribution!.Id!));
    expect(p.code).toBe('DistributionNotDisabled');
    expect(p.message).toContain('Disable it, wait for “Deployed”, then delete.');
  });

  it('a stale ETag after someone else’s change is explained and changes nothing', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-cf-stale' }));
    const made = await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('lib-cf-stale', { comment: 'original' }) }));
    const id = made.Distribution!.Id!;
    const staleEtag = made.ETag!;
    await cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: staleEtag, DistributionConfig: { ...made.Distribution!.DistributionConfig!, Comment: 'theirs' } }));
    const { updateDistributionConfig, getDistribution } = await import('./distributions');
    const p = await problemOf(() => updateDistributionConfig(id, staleEtag, (c) => { c.Comment = 'mine'; }));
    expect(p.code).toBe('PreconditionFailed');
    expect(p.message).toContain('Reload to see the current settings');
    expect((await getDistribution(id)).comment).toBe('theirs');
  });

  it('an origin access control in use cannot be deleted, and says why', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-cf-oac' }));
    const { ensureOriginAccessControl, deleteOriginAccessControl } = await import('./origin-access');
    const oac = await ensureOriginAccessControl('lib-cf-oac');
    await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('lib-cf-oac', { oacId: oac.id }) }));
    const p = await problemOf(() => deleteOriginAccessControl(oac.id));
    expect(p.code).toBe('OriginAccessControlInUse');
    expect(p.message).toContain('Another distribution still uses this origin access control.');
  });

  it('a default root object with a leading slash and a bad invalidation path come back as sentences', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-cf-bad' }));
    const root = await problemOf(() => cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('lib-cf-bad', { rootObject: '/index.html' }) })));
    expect(root.code).toBe('InvalidDefaultRootObject');
    expect(root.message).toContain('without a leading “/”');
    const made = await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('lib-cf-bad') }));
    const path = await problemOf(() =>
      cf.send(new CreateInvalidationCommand({ DistributionId: made.Distribution!.Id!, InvalidationBatch: { CallerReference: 'x', Paths: { Quantity: 1, Items: ['index.html'] } } })),
    );
    expect(path.code).toBe('InvalidArgument');
    expect(path.message).toMatch(/^CloudFront refused a value: /);
  });
});
