import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CreateBucketCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';
import { edgeGet } from '@/emulator/test-support/cloudfront';
import { distributionForm } from '@/test/cloudfront-form';

// Many changes to one bucket policy at once. S3 has no conditional
// PutBucketPolicy, so each change is a read, a merge and a write of the whole
// document; these tests make the changes overlap for real, over the emulator,
// and check that no statement is lost.

let emu: SpawnedEmulator;
let s3: S3Client;

beforeAll(async () => {
  // Not quiet: one test waits for a request to show in the emulator's log.
  emu = await startConsoleEmulator({ args: ['--deploy-delay-ms', '300'] });
  s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterEach(async () => {
  await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
});
afterAll(() => stopConsoleEmulator(emu));

async function faults(rules: unknown[]) {
  const res = await fetch(`${emu.url}/_emulator/faults`, { method: 'PUT', body: JSON.stringify(rules) });
  expect(res.status).toBe(200);
}

async function sids(bucket: string): Promise<string[]> {
  const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!) as { Statement: { Sid: string }[] };
  return policy.Statement.map((s) => s.Sid).sort();
}

const arn = (id: string) => `arn:aws:cloudfront::123456789012:distribution/${id}`;

describe('concurrent changes to one bucket policy', () => {
  it('three grants at once, in one Berth, keep three statements', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'race-three' }));
    // Every write is slowed, so all three reads would happen before any write without the lock.
    await faults([{ service: 's3', operation: 'PutBucketPolicy', kind: 'delay', rate: 1, delayMs: 200 }]);
    const { grantBucketRead } = await import('./bucket-access');
    await Promise.all(['EAAAAAAAAAAAA1', 'EAAAAAAAAAAAA2', 'EAAAAAAAAAAAA3'].map((id) => grantBucketRead('race-three', { distributionArn: arn(id) })));
    expect(await sids('race-three')).toEqual(['BerthCloudFrontEAAAAAAAAAAAA1', 'BerthCloudFrontEAAAAAAAAAAAA2', 'BerthCloudFrontEAAAAAAAAAAAA3']);
  });

  it('three distribution creates at once on one bucket all serve at the edge', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'race-dists' }));
    await s3.send(new PutObjectCommand({ Bucket: 'race-dists', Key: 'index.html', Body: '<h1>shared</h1>', ContentType: 'text/html' }));
    await faults([{ service: 's3', operation: 'PutBucketPolicy', kind: 'delay', rate: 1, delayMs: 200 }]);
    const { createDistributionForBucket } = await import('./create');
    const made = await Promise.all([1, 2, 3].map(() => createDistributionForBucket(distributionForm('race-dists'))));
    expect(new Set(made.map((m) => m.id)).size).toBe(3);
    expect(await sids('race-dists')).toEqual(made.map((m) => `BerthCloudFront${m.id}`).sort());
    await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
    const { getDistribution } = await import('./distributions');
    for (const m of made) {
      const page = await edgeGet(emu.url, (await getDistribution(m.id)).domainName, '/');
      expect(page.status, m.id).toBe(200);
      expect(page.body).toContain('shared');
    }
  });

  it('another writer replacing the policy between Berth’s write and its check: Berth merges again, and both changes stay', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'race-other' }));
    // Reads are slow, so the other writer lands after Berth's write and before Berth reads it back.
    await faults([{ service: 's3', operation: 'GetBucketPolicy', kind: 'delay', rate: 1, delayMs: 1500 }]);
    const { grantBucketRead } = await import('./bucket-access');
    const logBefore = emu.stderr().length;
    const grant = grantBucketRead('race-other', { distributionArn: arn('EBBBBBBBBBBBB1') });
    // Wait for Berth's PutBucketPolicy in the emulator's request log.
    for (let i = 0; i < 200 && !/s3\.PutBucketPolicy 204/.test(emu.stderr().slice(logBefore)); i++) await new Promise((r) => setTimeout(r, 25));
    expect(emu.stderr().slice(logBefore)).toMatch(/s3\.PutBucketPolicy 204/);
    // A script (or the AWS console) writes its own policy without reading Berth's statement.
    // (A grant to the account, not a deny of plain HTTP: the emulator authorizes as AWS does, and this test talks HTTP.)
    const theirs = { Sid: 'TheirGrant', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::race-other/*' };
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'race-other', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [theirs] }) }));
    const out = await grant;
    expect(JSON.parse(out.after).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['TheirGrant', 'BerthCloudFrontEBBBBBBBBBBBB1']);
    await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
    expect(await sids('race-other')).toEqual(['BerthCloudFrontEBBBBBBBBBBBB1', 'TheirGrant']);
  });

  it('two Berth instances granting at once both keep their statements', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'race-instances' }));
    await faults([{ service: 's3', operation: 'PutBucketPolicy', kind: 'delay', rate: 1, delayMs: 300 }]);
    const one = await import('./bucket-access');
    // A second copy of the module: its own lock, as another Berth process would have.
    vi.resetModules();
    const two = await import('./bucket-access');
    expect(two.grantBucketRead).not.toBe(one.grantBucketRead);
    await Promise.all([
      one.grantBucketRead('race-instances', { distributionArn: arn('ECCCCCCCCCCCC1') }),
      two.grantBucketRead('race-instances', { distributionArn: arn('ECCCCCCCCCCCC2') }),
    ]);
    expect(await sids('race-instances')).toEqual(['BerthCloudFrontECCCCCCCCCCCC1', 'BerthCloudFrontECCCCCCCCCCCC2']);
  });
});
