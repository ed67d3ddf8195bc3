import { CreateRepositoryCommand, DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-ecr';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetBucketAbacCommand,
  ListObjectsV2Command,
  PutBucketAbacCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAws } from '../test-support/aws-cli';
import { ecrClient, failure, iamClient, s3Client } from '../test-support/clients';
import { basicAuth, loginPassword } from '../test-support/ecr';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// Tag condition keys, end to end: aws:ResourceTag/<key> (and ecr:ResourceTag/<key>)
// from the resource's tags, aws:RequestTag/<key> and aws:TagKeys from the tags a
// request sets. https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html

const ACCOUNT = '123456789012';
const repoArn = (name: string) => `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${name}`;
let emu: SpawnedEmulator;

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

async function user(name: string, ...statements: object[]): Promise<Keys> {
  const iam = iamClient(emu.url);
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({ UserName: name, PolicyName: 'tags', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }),
  );
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
}

const config = (keys: Keys) => ({ endpoint: emu.url, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
const ecrAs = (keys: Keys) => new ECRClient(config(keys));
const s3As = (keys: Keys) => new S3Client({ ...config(keys), forcePathStyle: true });
const refusal = (who: string, action: string, resource: string) =>
  `User: arn:aws:iam::${ACCOUNT}:user/${who} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed', '--quiet'] });
  const ecr = ecrClient(emu.url);
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'tagged/api', tags: [{ Key: 'team', Value: 'api' }] }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'tagged/web', tags: [{ Key: 'team', Value: 'web' }] }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'untagged' }));
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

describe('ECR: aws:ResourceTag and ecr:ResourceTag', () => {
  it('allows on the repositories whose tags match, and follows a change of tags at once', async () => {
    const keys = await user('team-api', {
      Effect: 'Allow',
      Action: ['ecr:DescribeImages', 'ecr:DescribeRepositories'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceTag/team': 'api' } },
    });
    const ecr = ecrAs(keys);
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'tagged/api' }))).imageDetails).toEqual([]);
    for (const repositoryName of ['tagged/web', 'untagged']) {
      const err = await failure(ecr.send(new DescribeImagesCommand({ repositoryName })));
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toBe(refusal('team-api', 'ecr:DescribeImages', repoArn(repositoryName)));
    }
    // Listing every repository is on `*`, which has no tags.
    expect((await failure(ecr.send(new DescribeRepositoriesCommand({})))).name).toBe('AccessDeniedException');
    expect((await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['tagged/api'] }))).repositories).toHaveLength(1);

    await ecrClient(emu.url).send(new TagResourceCommand({ resourceArn: repoArn('untagged'), tags: [{ Key: 'team', Value: 'api' }] }));
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'untagged' }))).imageDetails).toEqual([]);
    await ecrClient(emu.url).send(new UntagResourceCommand({ resourceArn: repoArn('untagged'), tagKeys: ['team'] }));
    expect((await failure(ecr.send(new DescribeImagesCommand({ repositoryName: 'untagged' })))).name).toBe('AccessDeniedException');
  });

  it('ECR\'s own ecr:ResourceTag key reads the same tags, in the registry too', async () => {
    const keys = await user('team-web-pusher', { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' }, {
      Effect: 'Allow',
      Action: 'ecr:InitiateLayerUpload',
      Resource: '*',
      Condition: { StringEquals: { 'ecr:ResourceTag/team': 'web' } },
    });
    const password = await loginPassword(ecrAs(keys));
    const start = (repo: string) => rawRequest(emu.url, { method: 'POST', path: `/v2/${repo}/blobs/uploads/`, headers: { Authorization: basicAuth(password) } });
    const ok = await start('tagged/web');
    expect(ok.status, ok.body).toBe(202);
    const no = await start('tagged/api');
    expect(no.status).toBe(403);
    expect(JSON.parse(no.body).errors[0]).toMatchObject({ code: 'DENIED', message: refusal('team-web-pusher', 'ecr:InitiateLayerUpload', repoArn('tagged/api')) });
  });
});

describe('ECR: aws:RequestTag and aws:TagKeys', () => {
  it('lets a user create only repositories tagged as the policy requires', async () => {
    const keys = await user('creator', {
      Effect: 'Allow',
      Action: 'ecr:CreateRepository',
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestTag/team': 'api' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } },
    });
    const ecr = ecrAs(keys);
    const made = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'made/ok', tags: [{ Key: 'team', Value: 'api' }] }));
    expect(made.repository?.repositoryName).toBe('made/ok');
    for (const tags of [undefined, [{ Key: 'team', Value: 'web' }], [{ Key: 'team', Value: 'api' }, { Key: 'cost', Value: 'x' }]]) {
      const err = await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: 'made/no', tags })));
      expect(err.message, JSON.stringify(tags)).toBe(refusal('creator', 'ecr:CreateRepository', repoArn('made/no')));
    }
  });

  it('decides TagResource by the tags it sets and UntagResource by the keys it names (Debian aws CLI)', async () => {
    const keys = await user('tagger', {
      Effect: 'Allow',
      Action: ['ecr:TagResource', 'ecr:UntagResource'],
      Resource: '*',
      Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['cost-center'] } },
    });
    const ecr = ecrAs(keys);
    await ecr.send(new TagResourceCommand({ resourceArn: repoArn('tagged/web'), tags: [{ Key: 'cost-center', Value: '42' }] }));
    const err = await failure(ecr.send(new TagResourceCommand({ resourceArn: repoArn('tagged/web'), tags: [{ Key: 'team', Value: 'mine' }] })));
    expect(err.message).toBe(refusal('tagger', 'ecr:TagResource', repoArn('tagged/web')));

    const cli = { key: keys.accessKeyId, secret: keys.secretAccessKey };
    const untagTeam = await runAws(emu.url, ['ecr', 'untag-resource', '--resource-arn', repoArn('tagged/web'), '--tag-keys', 'team'], cli);
    expect(untagTeam.code).not.toBe(0);
    expect(untagTeam.stderr).toContain(`An error occurred (AccessDeniedException) when calling the UntagResource operation: ${refusal('tagger', 'ecr:UntagResource', repoArn('tagged/web'))}`);
    const untagCost = await runAws(emu.url, ['ecr', 'untag-resource', '--resource-arn', repoArn('tagged/web'), '--tag-keys', 'cost-center'], cli);
    expect(untagCost.code, untagCost.stderr).toBe(0);
  });
});

describe('S3: bucket tags under ABAC, and tags given to CreateBucket', () => {
  it('counts a bucket\'s tags only once ABAC is enabled on it', async () => {
    const s3 = s3Client(emu.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'abac-data' }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: 'abac-data', Tagging: { TagSet: [{ Key: 'team', Value: 'data' }] } }));
    await s3.send(new CreateBucketCommand({ Bucket: 'abac-other' }));
    expect((await s3.send(new GetBucketAbacCommand({ Bucket: 'abac-data' }))).AbacStatus).toEqual({ Status: 'Disabled' });

    const keys = await user('data-reader', {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceTag/team': 'data' } },
    });
    const reader = s3As(keys);
    const before = await failure(reader.send(new ListObjectsV2Command({ Bucket: 'abac-data' })));
    expect(before.name).toBe('AccessDenied');
    expect(before.message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/data-reader is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::abac-data" because no identity-based policy allows the s3:ListBucket action`,
    );

    await s3.send(new PutBucketAbacCommand({ Bucket: 'abac-data', AbacStatus: { Status: 'Enabled' } }));
    expect((await s3.send(new GetBucketAbacCommand({ Bucket: 'abac-data' }))).AbacStatus).toEqual({ Status: 'Enabled' });
    expect((await reader.send(new ListObjectsV2Command({ Bucket: 'abac-data' }))).KeyCount).toBe(0);
    await s3.send(new PutBucketAbacCommand({ Bucket: 'abac-other', AbacStatus: { Status: 'Enabled' } }));
    expect((await failure(reader.send(new ListObjectsV2Command({ Bucket: 'abac-other' })))).name).toBe('AccessDenied');

    const bad = await failure(s3.send(new PutBucketAbacCommand({ Bucket: 'abac-data', AbacStatus: {} })));
    expect(bad.name).toBe('MalformedXML');
  });

  it('gives CreateBucketConfiguration.Tags to the policy as aws:RequestTag', async () => {
    const keys = await user('bucket-maker', {
      Effect: 'Allow',
      Action: 's3:CreateBucket',
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestTag/team': 'data' } },
    });
    const s3 = s3As(keys);
    await s3.send(new CreateBucketCommand({ Bucket: 'made-tagged', CreateBucketConfiguration: { Tags: [{ Key: 'team', Value: 'data' }] } }));
    const err = await failure(s3.send(new CreateBucketCommand({ Bucket: 'made-untagged' })));
    expect(err.message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/bucket-maker is not authorized to perform: s3:CreateBucket on resource: "arn:aws:s3:::made-untagged" because no identity-based policy allows the s3:CreateBucket action`,
    );
  });
});
