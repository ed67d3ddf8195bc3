import { GetFieldLevelEncryptionCommand, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeRepositoriesCommand,
  DescribeImageSigningStatusCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  GetBucketAnalyticsConfigurationCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudfrontClient, ecrClient, failure, s3Client, stsClient } from '../test-support/clients';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

let emu: SpawnedEmulator;

beforeAll(async () => {
  emu = await spawnEmulator();
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

describe('STS with the AWS SDK', () => {
  it('answers GetCallerIdentity for the test key', async () => {
    const out = await stsClient(emu.url).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe('123456789012');
    expect(out.Arn).toBe('arn:aws:iam::123456789012:user/test');
    expect(out.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
    expect(out.$metadata.requestId).toBeTruthy();
  });

  it('lets the readonly key read', async () => {
    const out = await stsClient(emu.url, { key: 'readonly' }).send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe('arn:aws:iam::123456789012:user/readonly');
  });

  it('refuses an unknown key with InvalidClientTokenId', async () => {
    const err = await failure(stsClient(emu.url, { key: 'nobody' }).send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe('InvalidClientTokenId');
    expect(err.message).toBe('The security token included in the request is invalid.');
    expect(err.$metadata?.httpStatusCode).toBe(403);
  });
});

describe('ECR with the AWS SDK', () => {
  const ecr = () => ecrClient(emu.url);

  it('has the seeded repositories', async () => {
    const out = await ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['team/api'] }));
    const repo = out.repositories?.[0];
    expect(repo?.imageTagMutability).toBe('IMMUTABLE');
    expect(repo?.imageScanningConfiguration?.scanOnPush).toBe(true);
  });

  it('creates, describes and deletes a repository', async () => {
    const created = await ecr().send(
      new CreateRepositoryCommand({
        repositoryName: 'sdk/created',
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'KMS' },
        tags: [{ Key: 'team', Value: 'core' }],
      }),
    );
    const repo = created.repository;
    expect(repo?.repositoryUri).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/sdk/created');
    expect(repo?.repositoryArn).toBe('arn:aws:ecr:us-east-1:123456789012:repository/sdk/created');
    expect(repo?.registryId).toBe('123456789012');
    expect(repo?.createdAt).toBeInstanceOf(Date);
    expect(Math.abs((repo?.createdAt?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(repo?.encryptionConfiguration?.encryptionType).toBe('KMS');
    expect(repo?.encryptionConfiguration?.kmsKey).toMatch(/^arn:aws:kms:us-east-1:123456789012:/);

    const again = await failure(ecr().send(new CreateRepositoryCommand({ repositoryName: 'sdk/created' })));
    expect(again.name).toBe('RepositoryAlreadyExistsException');
    expect(again.message).toContain("'sdk/created' already exists in the registry with id '123456789012'");

    const described = await ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['sdk/created'] }));
    expect(described.repositories?.[0]?.repositoryName).toBe('sdk/created');

    const deleted = await ecr().send(new DeleteRepositoryCommand({ repositoryName: 'sdk/created' }));
    expect(deleted.repository?.repositoryName).toBe('sdk/created');

    const gone = await failure(ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['sdk/created'] })));
    expect(gone.name).toBe('RepositoryNotFoundException');
    const gone2 = await failure(ecr().send(new DeleteRepositoryCommand({ repositoryName: 'sdk/created', force: true })));
    expect(gone2.name).toBe('RepositoryNotFoundException');
  });

  it('rejects bad names the way ECR does', async () => {
    for (const name of ['Upper', 'a', 'double//slash', 'trailing-', '-leading', 'x'.repeat(257)]) {
      const err = await failure(ecr().send(new CreateRepositoryCommand({ repositoryName: name })));
      expect(err.name, name).toBe('InvalidParameterException');
      expect(err.message).toMatch(/^Invalid parameter at 'repositoryName' failed to satisfy constraint: /);
    }
    const bad = await failure(
      ecr().send(new CreateRepositoryCommand({ repositoryName: 'ok-name', imageTagMutability: 'SOMETIMES' as 'MUTABLE' })),
    );
    expect(bad.name).toBe('InvalidParameterException');
  });

  it('pages DescribeRepositories with nextToken and maxResults', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `paging/repo-${i}`);
    for (const repositoryName of names) await ecr().send(new CreateRepositoryCommand({ repositoryName }));

    const first = await ecr().send(new DescribeRepositoriesCommand({ maxResults: 3 }));
    expect(first.repositories).toHaveLength(3);
    expect(first.nextToken).toBeTruthy();

    const seen: string[] = [];
    for await (const page of paginateDescribeRepositories({ client: ecr(), pageSize: 3 }, {})) {
      expect(page.repositories!.length).toBeLessThanOrEqual(3);
      seen.push(...page.repositories!.map((r) => r.repositoryName!));
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const n of names) expect(seen).toContain(n);

    const tooMany = await failure(ecr().send(new DescribeRepositoriesCommand({ maxResults: 1001 })));
    expect(tooMany.name).toBe('InvalidParameterException');
    const badToken = await failure(ecr().send(new DescribeRepositoriesCommand({ nextToken: 'garbage!' })));
    expect(badToken.name).toBe('InvalidParameterException');
  });

  it('answers an operation of the model it does not implement with 501 NotImplemented, naming it', async () => {
    const err = await failure(ecr().send(new DescribeImageSigningStatusCommand({ repositoryName: 'a', imageId: { imageTag: 'x' } })));
    expect(err.name).toBe('NotImplemented');
    expect(err.message).toContain('DescribeImageSigningStatus');
    expect(err.$metadata?.httpStatusCode).toBe(501);
    // Still serving.
    await ecr().send(new DescribeRepositoriesCommand({}));
  });

  it('uses the region of the credential scope', async () => {
    const west = ecrClient(emu.url, { region: 'eu-west-1' });
    const out = await west.send(new CreateRepositoryCommand({ repositoryName: 'regional' }));
    expect(out.repository?.repositoryUri).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/regional');
    const east = await failure(ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['regional'] })));
    expect(east.name).toBe('RepositoryNotFoundException');
  });
});

describe('S3 with the AWS SDK', () => {
  const s3 = () => s3Client(emu.url);

  it('lists the seeded buckets with an owner and region', async () => {
    const out = await s3().send(new ListBucketsCommand({}));
    const names = out.Buckets?.map((b) => b.Name);
    expect(names).toEqual(expect.arrayContaining(['berth-demo-assets', 'berth-demo-site', 'berth-demo-logs']));
    expect(out.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(out.Buckets?.[0]?.BucketRegion).toBe('us-east-1');
    expect(out.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
  });

  it('creates, heads, locates and deletes a bucket', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'sdk-bucket-1' }));
    const head = await s3().send(new HeadBucketCommand({ Bucket: 'sdk-bucket-1' }));
    expect(head.BucketRegion).toBe('us-east-1');
    const loc = await s3().send(new GetBucketLocationCommand({ Bucket: 'sdk-bucket-1' }));
    expect(loc.LocationConstraint ?? '').toBe('');

    // In us-east-1, S3 answers 200 to re-creating a bucket you own there (legacy behaviour).
    const dup = await s3().send(new CreateBucketCommand({ Bucket: 'sdk-bucket-1' }));
    expect(dup.$metadata.httpStatusCode).toBe(200);

    await s3().send(new DeleteBucketCommand({ Bucket: 'sdk-bucket-1' }));
    const missing = await failure(s3().send(new HeadBucketCommand({ Bucket: 'sdk-bucket-1' })));
    expect(missing.name).toBe('NotFound');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    const again = await failure(s3().send(new DeleteBucketCommand({ Bucket: 'sdk-bucket-1' })));
    expect(again.name).toBe('NoSuchBucket');
  });

  it('answers CreateBucket for a bucket you own as S3 does: 200 in us-east-1, changing nothing; BucketAlreadyOwnedByYou elsewhere', async () => {
    // Someone's public website bucket in us-east-1.
    await s3().send(new CreateBucketCommand({ Bucket: 'sdk-owned-east', CreateBucketConfiguration: { Tags: [{ Key: 'team', Value: 'web' }] } }));
    const open = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
    await s3().send(new PutPublicAccessBlockCommand({ Bucket: 'sdk-owned-east', PublicAccessBlockConfiguration: open }));
    await s3().send(new PutObjectCommand({ Bucket: 'sdk-owned-east', Key: 'index.html', Body: 'hi' }));
    const again = await s3().send(new CreateBucketCommand({ Bucket: 'sdk-owned-east', CreateBucketConfiguration: { Tags: [{ Key: 'other', Value: 'x' }] } }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    expect((await s3().send(new GetPublicAccessBlockCommand({ Bucket: 'sdk-owned-east' }))).PublicAccessBlockConfiguration).toEqual(open);
    expect((await s3().send(new GetBucketTaggingCommand({ Bucket: 'sdk-owned-east' }))).TagSet).toEqual([{ Key: 'team', Value: 'web' }]);
    expect((await s3().send(new ListObjectsV2Command({ Bucket: 'sdk-owned-east' }))).KeyCount).toBe(1);

    const west = s3Client(emu.url, { region: 'eu-west-1' });
    await west.send(new CreateBucketCommand({ Bucket: 'sdk-owned-west', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const dup = await failure(west.send(new CreateBucketCommand({ Bucket: 'sdk-owned-west', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
    expect(dup.name).toBe('BucketAlreadyOwnedByYou');
    expect(dup.$metadata?.httpStatusCode).toBe(409);
    // A bucket in another region, asked for from us-east-1: not the legacy case either.
    const fromEast = await failure(s3().send(new CreateBucketCommand({ Bucket: 'sdk-owned-west' })));
    expect(fromEast.name).toBe('BucketAlreadyOwnedByYou');
  });

  it('applies CreateBucketConfiguration tags with the create, checked like PutBucketTagging', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'sdk-tagged', CreateBucketConfiguration: { Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '' }] } }));
    expect((await s3().send(new GetBucketTaggingCommand({ Bucket: 'sdk-tagged' }))).TagSet).toEqual([{ Key: 'a', Value: '1' }, { Key: 'b', Value: '' }]);
    const bad = await failure(s3().send(new CreateBucketCommand({ Bucket: 'sdk-tagged-bad', CreateBucketConfiguration: { Tags: [{ Key: 'aws:x', Value: '1' }] } })));
    expect(bad.name).toBe('InvalidTag');
    expect((await failure(s3().send(new HeadBucketCommand({ Bucket: 'sdk-tagged-bad' })))).name).toBe('NotFound');
  });

  it('enforces location constraint rules', async () => {
    const west = s3Client(emu.url, { region: 'eu-west-1' });
    // (The SDK fills in LocationConstraint itself outside us-east-1; the raw-HTTP tests cover its absence.)
    const mismatch = await failure(
      west.send(new CreateBucketCommand({ Bucket: 'sdk-west-x', CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } })),
    );
    expect(mismatch.name).toBe('IllegalLocationConstraintException');

    await west.send(new CreateBucketCommand({ Bucket: 'sdk-west-ok', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect((await west.send(new GetBucketLocationCommand({ Bucket: 'sdk-west-ok' }))).LocationConstraint).toBe('eu-west-1');
    expect((await west.send(new HeadBucketCommand({ Bucket: 'sdk-west-ok' }))).BucketRegion).toBe('eu-west-1');

    // From us-east-1 any other region may be named.
    await s3().send(new CreateBucketCommand({ Bucket: 'sdk-from-east', CreateBucketConfiguration: { LocationConstraint: 'ap-south-1' } }));
    const listed = await s3().send(new ListBucketsCommand({ BucketRegion: 'ap-south-1' }));
    expect(listed.Buckets?.map((b) => b.Name)).toEqual(['sdk-from-east']);
  });

  it('applies the bucket naming rules', async () => {
    for (const Bucket of ['ab', 'UPPER-case', 'has_underscore', '192.168.1.1', 'two..dots', 'xn--punycode', 'ends-', 'x'.repeat(64)]) {
      const err = await failure(s3().send(new CreateBucketCommand({ Bucket })));
      expect(err.name, Bucket).toBe('InvalidBucketName');
    }
  });

  it('pages ListBuckets', async () => {
    const page = await s3().send(new ListBucketsCommand({ MaxBuckets: 2 }));
    expect(page.Buckets).toHaveLength(2);
    expect(page.ContinuationToken).toBeTruthy();
    const next = await s3().send(new ListBucketsCommand({ MaxBuckets: 2, ContinuationToken: page.ContinuationToken }));
    expect((next.Buckets?.[0]?.Name ?? '') > (page.Buckets?.[1]?.Name ?? '')).toBe(true);
    const prefixed = await s3().send(new ListBucketsCommand({ Prefix: 'berth-demo-' }));
    expect(prefixed.Buckets).toHaveLength(4);
  });

  it('answers an unimplemented operation with 501 NotImplemented', async () => {
    const err = await failure(s3().send(new GetBucketAnalyticsConfigurationCommand({ Bucket: 'berth-demo-assets', Id: 'a' })));
    expect(err.name).toBe('NotImplemented');
    expect(err.message).toContain('GetBucketAnalyticsConfiguration');
    expect(err.$metadata?.httpStatusCode).toBe(501);
    await s3().send(new ListBucketsCommand({}));
  });

  it('refuses an unknown key with InvalidAccessKeyId', async () => {
    const err = await failure(s3Client(emu.url, { key: 'nobody' }).send(new ListBucketsCommand({})));
    expect(err.name).toBe('InvalidAccessKeyId');
    expect(err.$metadata?.httpStatusCode).toBe(403);
  });
});

describe('CloudFront with the AWS SDK', () => {
  it('lists the seeded distribution, in the DistributionList shape', async () => {
    const out = await cloudfrontClient(emu.url).send(new ListDistributionsCommand({}));
    expect(out.DistributionList?.Quantity).toBe(1);
    expect(out.DistributionList?.Items?.[0]?.Origins?.Items?.[0]?.DomainName).toBe('berth-demo-site.s3.us-east-1.amazonaws.com');
    expect(out.DistributionList?.IsTruncated).toBe(false);
    expect(out.DistributionList?.MaxItems).toBe(100);
    const paged = await cloudfrontClient(emu.url).send(new ListDistributionsCommand({ MaxItems: 5 }));
    expect(paged.DistributionList?.MaxItems).toBe(5);
  });

  it('refuses an unknown key', async () => {
    const err = await failure(cloudfrontClient(emu.url, { key: 'nobody' }).send(new ListDistributionsCommand({})));
    expect(err.name).toBe('InvalidClientTokenId');
    expect(err.$metadata?.httpStatusCode).toBe(403);
  });

  it('answers an unimplemented operation with NotImplemented', async () => {
    const err = await failure(cloudfrontClient(emu.url).send(new GetFieldLevelEncryptionCommand({ Id: 'E1ABCDEF' })));
    expect(err.name).toBe('NotImplemented');
    expect(err.message).toContain('GetFieldLevelEncryption');
  });
});
