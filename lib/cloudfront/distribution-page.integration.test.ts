import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFrontClient, CreateDistributionCommand, CreateOriginAccessControlCommand } from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutBucketWebsiteCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import type { FaultRule } from '@/emulator/core/faults';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';
import { s3Config } from '@/emulator/test-support/cloudfront';

// A distribution's page over a real emulator, its calls counted where they
// arrive. The overview tab shows the distribution (GetDistribution) and the
// security check, which needs the distribution's tags (the WAF choice) and
// who may read the origin bucket (Block Public Access, the policy and S3's
// verdict on it): five calls, the last four at once. The bucket's region is
// learned once per process (HeadBucket).

let emu: SpawnedEmulator;
let id: string;
const BUCKET = 'page-calls-site';

beforeAll(async () => {
  emu = await startConsoleEmulator({ args: ['--no-seed', '--deploy-delay-ms', '0'] });
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials });
  const cf = new CloudFrontClient({ endpoint: emu.url, region: 'us-east-1', credentials });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  // Settings the page does not show, present so that reading them would be seen.
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutBucketWebsiteCommand({ Bucket: BUCKET, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
  const oac = await cf.send(new CreateOriginAccessControlCommand({ OriginAccessControlConfig: { Name: BUCKET, OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } }));
  const created = await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config(BUCKET, { oacId: oac.OriginAccessControl!.Id }) }));
  id = created.Distribution!.Id!;
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
  const statement = { Sid: 'CloudFrontReads', Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { StringEquals: { 'AWS:SourceArn': created.Distribution!.ARN } } };
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }));
});
afterAll(() => stopConsoleEmulator(emu));

/** The S3 and CloudFront operations the emulator logged after `mark`, in the order they finished, once its log is still. */
const callsSince = async (mark: number) => (await emu.operationsSince(mark)).filter((op) => op.startsWith('s3.') || op.startsWith('cloudfront.'));

const mark = () => emu.settled();
const faults = (rules: FaultRule[]) => emu.setFaults(rules);

/** What the overview tab reads: the distribution, then its security check. */
async function overviewTab() {
  const { getDistribution } = await import('./distributions');
  const { securityCheck } = await import('./security');
  return securityCheck(await getDistribution(id));
}

const MINIMUM = ['cloudfront.GetDistribution', 'cloudfront.ListTagsForResource', 's3.GetBucketPolicy', 's3.GetBucketPolicyStatus', 's3.GetPublicAccessBlock'];

describe('a distribution’s overview', () => {
  it('makes the five calls it shows and no other (and HeadBucket once per process)', async () => {
    let since = await mark();
    const findings = await overviewTab();
    expect(findings.filter((f) => !f.ok).map((f) => f.id)).toEqual(['waf']);
    const first = await callsSince(since);
    expect(first.filter((c) => c !== 's3.HeadBucket').sort()).toEqual(MINIMUM);
    expect(first.filter((c) => c === 's3.HeadBucket').length).toBeLessThanOrEqual(1);

    since = await mark();
    await overviewTab();
    expect((await callsSince(since)).sort()).toEqual(MINIMUM);
  });

  it('reads the tags and the bucket at the same time, once the distribution is known', async () => {
    // ListTagsForResource answers late: the bucket's three reads do not wait for it.
    await faults([{ service: 'cloudfront', operation: 'ListTagsForResource', kind: 'delay', delayMs: 1500, rate: 1 }]);
    try {
      const since = await mark();
      await overviewTab();
      const calls = await callsSince(since);
      expect(calls[0]).toBe('cloudfront.GetDistribution');
      expect(calls.at(-1)).toBe('cloudfront.ListTagsForResource');
      expect(calls.length).toBe(5);
    } finally {
      await faults([]);
    }
  });
});
