import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateRepositoryCommand, ECRClient, GetLifecyclePolicyCommand, GetRepositoryPolicyCommand, PutLifecyclePolicyCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, GetBucketPolicyCommand, GetBucketTaggingCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';

// Documents a person edits whole in an editor (a bucket policy, a tag set, an
// ECR repository or lifecycle policy) and AWS replaces whole, with no
// condition. A save made from a page loaded before someone else's change must
// be refused, not undo that change.

let emu: SpawnedEmulator;
let s3: S3Client;
let ecr: ECRClient;

beforeAll(async () => {
  emu = await startConsoleEmulator({ args: ['--quiet'] });
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials });
  ecr = new ECRClient({ endpoint: emu.url, region: 'us-east-1', credentials });
});
afterAll(() => stopConsoleEmulator(emu));

const policy = (sid: string, resource: string, principal: unknown = { AWS: 'arn:aws:iam::123456789012:root' }, action = 's3:GetObject') =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Principal: principal, Action: action, Resource: resource }] }, null, 2);

describe('a bucket policy edited while a distribution was granted read', () => {
  it('refuses the stale save and keeps the distribution’s statement; a fresh one saves', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'doc-policy' }));
    const loaded = ''; // The editor opened on a bucket with no policy.
    const { grantBucketRead } = await import('@/lib/cloudfront/bucket-access');
    const granted = await grantBucketRead('doc-policy', { distributionArn: 'arn:aws:cloudfront::123456789012:distribution/EDDDDDDDDDDDD1' });
    const { setBucketPolicy, removeBucketPolicy } = await import('@/lib/s3/properties');
    const { ChangedSinceLoaded } = await import('./shared-document');
    const mine = policy('Mine', 'arn:aws:s3:::doc-policy/*');
    await expect(setBucketPolicy('doc-policy', mine, loaded)).rejects.toBeInstanceOf(ChangedSinceLoaded);
    await expect(removeBucketPolicy('doc-policy', loaded)).rejects.toThrow('changed since this page was loaded');
    const now = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'doc-policy' }))).Policy!);
    expect(now.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['BerthCloudFrontEDDDDDDDDDDDD1']);
    // Reloaded: the editor starts from the policy as it is now.
    await setBucketPolicy('doc-policy', mine, granted.after);
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'doc-policy' }))).Policy!).Statement[0].Sid).toBe('Mine');
  });
});

describe('bucket tags', () => {
  it('refuses a save made from a tag set that changed since, in any order', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'doc-tags' }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: 'doc-tags', Tagging: { TagSet: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '1' }] } }));
    const { setBucketTags } = await import('@/lib/s3/properties');
    // Loaded with the same tags in another order: saves.
    await setBucketTags('doc-tags', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }], [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
    // Someone else drops c; a page still showing a, b, c saves "d": refused.
    await s3.send(new PutBucketTaggingCommand({ Bucket: 'doc-tags', Tagging: { TagSet: [{ Key: 'a', Value: '1' }] } }));
    await expect(
      setBucketTags('doc-tags', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }, { key: 'd', value: '4' }], [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }]),
    ).rejects.toThrow('The tags of doc-tags changed since this page was loaded');
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: 'doc-tags' }))).TagSet).toEqual([{ Key: 'a', Value: '1' }]);
  });
});

describe('ECR repository and lifecycle policies', () => {
  it('refuse a save or a removal made from a document that changed since', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'doc/repo' }));
    const { setRepositoryPolicy, deleteRepositoryPolicy, putLifecyclePolicy, deleteLifecyclePolicy, getRepositoryPolicy } = await import('@/lib/ecr/policies');
    const pull = (sid: string) => policy(sid, '*', { AWS: 'arn:aws:iam::123456789012:root' }, 'ecr:BatchGetImage').replace(/,\s*"Resource": "\*"/, '');
    await setRepositoryPolicy('us-east-1', 'doc/repo', pull('First'), null);
    const loaded = await getRepositoryPolicy('us-east-1', 'doc/repo');
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'doc/repo', policyText: pull('Theirs') }));
    await expect(setRepositoryPolicy('us-east-1', 'doc/repo', pull('Mine'), loaded)).rejects.toThrow('The policy of doc/repo changed since this page was loaded');
    await expect(deleteRepositoryPolicy('us-east-1', 'doc/repo', loaded)).rejects.toThrow('changed since this page was loaded');
    expect(JSON.parse((await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'doc/repo' }))).policyText!).Statement[0].Sid).toBe('Theirs');

    const rules = (n: number) => JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: n }, action: { type: 'expire' } }] });
    await putLifecyclePolicy('us-east-1', 'doc/repo', rules(10), null);
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'doc/repo', lifecyclePolicyText: rules(99) }));
    await expect(putLifecyclePolicy('us-east-1', 'doc/repo', rules(5), rules(10))).rejects.toThrow('The lifecycle policy of doc/repo changed since this page was loaded');
    await expect(deleteLifecyclePolicy('us-east-1', 'doc/repo', rules(10))).rejects.toThrow('changed since');
    expect(JSON.parse((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'doc/repo' }))).lifecyclePolicyText!).rules[0].selection.countNumber).toBe(99);
    await deleteLifecyclePolicy('us-east-1', 'doc/repo', rules(99));
  });
});
