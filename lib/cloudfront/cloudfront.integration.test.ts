import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateDistributionCommand, CloudFrontClient, CreateInvalidationCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';
import { edgeGet, s3Config } from '@/emulator/test-support/cloudfront';
import { distributionForm } from '@/test/cloudfront-form';

// lib/cloudfront over a real emulator: the steps Berth takes, and CloudFront's
// refusals coming out of the mapper as sentences a person can act on.

let emu: SpawnedEmulator;
let cf: CloudFrontClient;
let s3: S3Client;

beforeAll(async () => {
  emu = await startConsoleEmulator({ args: ['--deploy-delay-ms', '300', '--quiet'] });
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  cf = new CloudFrontClient({ endpoint: emu.url, region: 'us-east-1', credentials });
  s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials });
});
afterAll(() => stopConsoleEmulator(emu));

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
    const input = distributionForm('lib-cf-site', { comment: 'lib test', waf: 'create' });
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

    // The check reads only what it shows: with the bucket settings it does not
    // show failing, it still answers (it reads Block Public Access and the policy).
    const unused = ['GetBucketVersioning', 'GetBucketWebsite', 'GetBucketTagging'];
    const put = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'PUT',
      body: JSON.stringify(unused.map((operation) => ({ service: 's3', operation, kind: 'error', rate: 1 }))),
    });
    expect(put.ok).toBe(true);
    try {
      const again = await securityCheck(await getDistribution(first.id));
      expect(again.map((f) => f.id)).toEqual(findings.map((f) => f.id));
    } finally {
      await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
    }
  });
});

describe('the legacy Origin Access Identity', () => {
  it('creates an OAI, grants it by principal, and the edge serves a private bucket through it', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-cf-oai' }));
    await s3.send(new PutObjectCommand({ Bucket: 'lib-cf-oai', Key: 'index.html', Body: '<h1>via OAI</h1>', ContentType: 'text/html' }));
    const { createDistributionForBucket } = await import('./create');
    const made = await createDistributionForBucket(distributionForm('lib-cf-oai', { originAccess: 'oai' }));
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
    const ours = await createDistributionForBucket(distributionForm('lib-cf-shared'));
    const foreign = await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('lib-cf-shared') }));
    const { teardownStep, TeardownRefused } = await import('./site');
    await expect(teardownStep('lib-cf-shared')).rejects.toBeInstanceOf(TeardownRefused);
    await expect(teardownStep('lib-cf-shared')).rejects.toThrow(foreign.Distribution!.Id!);
    const { getDistribution } = await import('./distributions');
    expect((await getDistribution(ours.id)).enabled).toBe(true);
  });
});

/** Runs teardown steps until done, as the page's runner does; returns every step. */
async function teardownAll(bucket: string) {
  const { teardownStep } = await import('./site');
  const steps = [];
  for (let i = 0; i < 60; i++) {
    const step = await teardownStep(bucket);
    steps.push(step);
    if (step.phase === 'done') return steps;
    if (step.phase === 'wait') await settle();
  }
  throw new Error(`teardown did not finish: ${JSON.stringify(steps)}`);
}

describe('tearing down only what Berth made', () => {
  it('takes down the distribution but keeps a bucket Berth did not create, with everything in it, and says why', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-cf-theirs' }));
    await s3.send(new PutObjectCommand({ Bucket: 'lib-cf-theirs', Key: 'index.html', Body: 'theirs' }));
    const { createDistributionForBucket } = await import('./create');
    const made = await createDistributionForBucket(distributionForm('lib-cf-theirs'));
    const steps = await teardownAll('lib-cf-theirs');
    expect(steps.map((s) => s.message)).toContain(`Deleted the distribution ${made.id}.`);
    const last = steps.at(-1)!;
    expect(last).toMatchObject({ phase: 'done', bucketKept: true });
    expect(last.message).toContain('Kept the bucket lib-cf-theirs and everything in it: Berth did not create it (it has no berth:created-by tag)');
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'lib-cf-theirs' }))).KeyCount).toBe(1);
    // No emptying step ran.
    expect(steps.some((s) => s.phase === 'versions')).toBe(false);
  });

  it('empties and deletes a bucket Berth created', async () => {
    const { createBucket } = await import('@/lib/s3/buckets');
    await createBucket({ name: 'lib-cf-ours', region: 'us-east-1', versioning: true, blockPublicAccess: true });
    await s3.send(new PutObjectCommand({ Bucket: 'lib-cf-ours', Key: 'index.html', Body: 'ours' }));
    const { createDistributionForBucket } = await import('./create');
    await createDistributionForBucket(distributionForm('lib-cf-ours'));
    const steps = await teardownAll('lib-cf-ours');
    expect(steps.at(-1)!.message).toContain('Deleted the bucket lib-cf-ours.');
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'lib-cf-ours' }))).rejects.toMatchObject({ name: 'NotFound' });
  });
});

describe('cleaning up after a deleted distribution', () => {
  /** Disables and deletes a distribution as the guided flow does, returning what the cleanup link would carry. */
  async function disableAndDelete(id: string) {
    const { getDistribution, setDistributionEnabled, deleteDistribution } = await import('./distributions');
    await setDistributionEnabled(id, false);
    for (let i = 0; i < 40 && (await getDistribution(id)).status !== 'Deployed'; i++) await settle();
    const d = await getDistribution(id);
    await deleteDistribution(id);
    const origin = d.origins[0]!;
    return { bucket: origin.bucket!, distributionArn: d.arn, oacId: origin.originAccessControlId ?? undefined, oaiId: origin.originAccessIdentityId ?? undefined, webAclArn: d.webAclId ?? undefined };
  }

  it('offers the statement, the legacy OAI and the web ACL Berth made, and deletes them', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-cf-clean' }));
    const { createDistributionForBucket } = await import('./create');
    const made = await createDistributionForBucket(distributionForm('lib-cf-clean', { originAccess: 'oai', waf: 'create' }));
    const target = await disableAndDelete(made.id);
    expect(target.oaiId).toMatch(/^E/);
    expect(target.webAclArn).toContain(':global/webacl/berth-lib-cf-clean-core/');
    const { leftovers, deleteLeftover } = await import('./cleanup');
    const left = await leftovers(target);
    expect(left).toMatchObject({ policyMentions: true, oai: { state: 'offer' }, webAcl: { state: 'offer', name: 'berth-lib-cf-clean-core' } });
    expect(await deleteLeftover('oai', target)).toMatch(/^Deleted the origin access identity E/);
    expect(await deleteLeftover('webAcl', target)).toBe('Deleted the web ACL berth-lib-cf-clean-core.');
    const { revokeBucketRead } = await import('./bucket-access');
    expect(await revokeBucketRead('lib-cf-clean', target)).toBe(1);
    expect(await leftovers(target)).toMatchObject({ policyMentions: false, oai: { state: 'gone' }, webAcl: { state: 'gone' } });
    const { listWebAcls } = await import('./waf');
    expect((await listWebAcls()).map((a) => a.name)).not.toContain('berth-lib-cf-clean-core');
    const { ListCloudFrontOriginAccessIdentitiesCommand } = await import('@aws-sdk/client-cloudfront');
    const oais = await cf.send(new ListCloudFrontOriginAccessIdentitiesCommand({}));
    expect((oais.CloudFrontOriginAccessIdentityList?.Items ?? []).map((o) => o.Id)).not.toContain(target.oaiId);
  });

  it('offers nothing Berth did not make, nor what another distribution still uses', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-cf-keep' }));
    const { CreateCloudFrontOriginAccessIdentityCommand } = await import('@aws-sdk/client-cloudfront');
    const foreignOai = await cf.send(new CreateCloudFrontOriginAccessIdentityCommand({ CloudFrontOriginAccessIdentityConfig: { CallerReference: 'theirs', Comment: 'made by hand' } }));
    const { createDistributionForBucket } = await import('./create');
    const one = await createDistributionForBucket(distributionForm('lib-cf-keep', { waf: 'create' }));
    // A second distribution of the same bucket shares Berth's OAC and web ACL.
    await createDistributionForBucket(distributionForm('lib-cf-keep', { waf: 'create' }));
    const target = await disableAndDelete(one.id);
    const { leftovers, deleteLeftover, CleanupRefused } = await import('./cleanup');
    const left = await leftovers({ ...target, oaiId: foreignOai.CloudFrontOriginAccessIdentity!.Id! });
    expect(left).toMatchObject({ oac: { state: 'in-use' }, webAcl: { state: 'in-use' }, oai: { state: 'not-berth' } });
    await expect(deleteLeftover('webAcl', target)).rejects.toBeInstanceOf(CleanupRefused);
    await expect(deleteLeftover('oai', { ...target, oaiId: foreignOai.CloudFrontOriginAccessIdentity!.Id! })).rejects.toThrow('Berth did not make this origin access identity');
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
