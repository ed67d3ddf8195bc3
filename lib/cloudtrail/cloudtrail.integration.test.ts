import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CloudTrailClient,
  CreateTrailCommand,
  LookupEventsCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateRepositoryCommand, DeleteRepositoryCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateRepositoryCommand as CreatePublicRepositoryCommand, ECRPUBLICClient, PutRepositoryCatalogDataCommand } from '@aws-sdk/client-ecr-public';
import { makeImage, pushImage } from '@/emulator/test-support/ecr';
import { pushPublicImage } from '@/emulator/test-support/ecr-public';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';

// lib/cloudtrail over a real emulator: a resource's activity as the Activity
// tab reads it (words, actor, outcome, paging, another service's resource of
// the same name left out), whether a bucket's object calls are logged, and a
// missing cloudtrail:LookupEvents said as the permission to add.

let emu: SpawnedEmulator;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let ecr: ECRClient;
let s3: S3Client;
let ct: CloudTrailClient;

beforeAll(async () => {
  emu = await startConsoleEmulator({ args: ['--no-seed', '--quiet'] });
  ecr = new ECRClient({ endpoint: emu.url, region: 'us-east-1', credentials });
  s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials });
  ct = new CloudTrailClient({ endpoint: emu.url, region: 'us-east-1', credentials });
});
afterAll(() => stopConsoleEmulator(emu));

beforeEach(async () => {
  // Each read below must reach the emulator, not an answer kept by the one before.
  const { sharedReads } = await import('@/lib/aws/read-cache');
  sharedReads().clear();
});

describe('readActivity', () => {
  it("reads a repository's events in words, newest first, and pages through them", async () => {
    const { readActivity, ACTIVITY_PAGE_SIZE } = await import('./activity');
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'web' }));
    await pushImage(ecr, 'web', makeImage([256]), 'v1');
    // A bucket of the same name: its events are S3's, not the repository's.
    await s3.send(new CreateBucketCommand({ Bucket: 'web' }));

    const first = (await readActivity({ kind: 'repository', region: 'us-east-1', name: 'web' }, undefined, true)).value;
    expect(first.skipped).toBe(1);
    const [push] = first.entries;
    expect(push).toMatchObject({
      eventName: 'PutImage',
      kind: 'push',
      action: 'pushed v1',
      actor: { kind: 'user', name: 'test' },
      sourceIp: '127.0.0.1',
      readOnly: false,
    });
    expect(push!.client).toMatch(/^aws-sdk-js\//);
    expect(push!.error).toBeUndefined();
    expect(first.entries.at(-1)).toMatchObject({ eventName: 'CreateRepository', kind: 'create', action: 'created the repository' });

    // More events than a page: the token reads the older ones, none twice.
    for (let i = 0; i < ACTIVITY_PAGE_SIZE; i++) await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['web'] }));
    // The first page is kept for a few seconds (LookupEvents allows two calls a second); a Refresh forgets it.
    const kept = (await readActivity({ kind: 'repository', region: 'us-east-1', name: 'web' }, undefined, true)).value;
    expect(kept.entries).toEqual(first.entries);
    const { invalidateReads } = await import('@/lib/aws/read-cache');
    const { readTags } = await import('@/lib/aws/read-cache-tags');
    invalidateReads([readTags.activity()]);
    const page1 = (await readActivity({ kind: 'repository', region: 'us-east-1', name: 'web' }, undefined, true)).value;
    expect(page1.entries).toHaveLength(ACTIVITY_PAGE_SIZE);
    expect(page1.entries.every((e) => e.kind === 'read')).toBe(true);
    expect(page1.nextToken).toEqual(expect.any(String));
    const page2 = (await readActivity({ kind: 'repository', region: 'us-east-1', name: 'web' }, page1.nextToken, true)).value;
    expect(page2.entries.map((e) => e.eventName)).toContain('PutImage');
    expect(page2.entries.at(-1)!.eventName).toBe('CreateRepository');
    const ids = new Set([...page1.entries, ...page2.entries].map((e) => e.id));
    expect(ids.size).toBe(page1.entries.length + page2.entries.length);

    // Without reads and layer steps, the push and the create show through the 25 reads on top (a page reads on to find them).
    const changes = (await readActivity({ kind: 'repository', region: 'us-east-1', name: 'web' }, undefined)).value;
    expect(changes.entries.map((e) => e.eventName)).toEqual(expect.arrayContaining(['PutImage', 'CreateRepository']));
    expect(changes.entries.some((e) => e.kind === 'read' || e.kind === 'layer')).toBe(false);
    expect(changes.hidden).toBeGreaterThanOrEqual(ACTIVITY_PAGE_SIZE);

    // The bucket's one event is older than a page of the repository's: the read goes on to find it.
    const bucket = (await readActivity({ kind: 'bucket', region: 'us-east-1', name: 'web' }, undefined, true)).value;
    expect(bucket.entries.map((e) => e.action)).toEqual(['created the bucket']);
    expect(bucket.skipped).toBeGreaterThanOrEqual(ACTIVITY_PAGE_SIZE);
  });

  it("reads a public repository's events from us-east-1, ECR Public's alone", async () => {
    const { readActivity } = await import('./activity');
    const pub = new ECRPUBLICClient({ endpoint: emu.url, region: 'us-east-1', credentials });
    await pub.send(new CreatePublicRepositoryCommand({ repositoryName: 'tool' }));
    await pushPublicImage(pub, 'tool', makeImage([128]), 'v1');
    await pub.send(new PutRepositoryCatalogDataCommand({ repositoryName: 'tool', catalogData: { description: 'A tool' } }));
    // A private repository of the same name: its events are ECR's, not the public one's.
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'tool' }));

    const page = (await readActivity({ kind: 'public-repository', name: 'tool' }, undefined)).value;
    expect(page.entries.map((e) => [e.eventName, e.action])).toEqual([
      ['PutRepositoryCatalogData', 'changed the catalog data'],
      ['PutImage', 'pushed v1'],
      ['CreateRepository', 'created the repository'],
    ]);
    expect(page.entries[1]).toMatchObject({ kind: 'push', actor: { kind: 'user', name: 'test' } });
    expect(page.skipped).toBe(1);
    // The push's layer steps are there when every call is asked for.
    const every = (await readActivity({ kind: 'public-repository', name: 'tool' }, undefined, true)).value;
    expect(every.entries.map((e) => e.eventName)).toEqual(expect.arrayContaining(['InitiateLayerUpload', 'UploadLayerPart', 'CompleteLayerUpload']));
  });

  it('says who was refused, and what for', async () => {
    const { readActivity } = await import('./activity');
    const ro = new ECRClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'readonly', secretAccessKey: 'readonly' } });
    await expect(ro.send(new CreateRepositoryCommand({ repositoryName: 'not-yours' }))).rejects.toThrow();
    const [e] = (await readActivity({ kind: 'repository', region: 'us-east-1', name: 'not-yours' }, undefined)).value.entries;
    expect(e).toMatchObject({
      action: 'created the repository',
      actor: { kind: 'user', name: 'readonly' },
      error: { code: 'AccessDeniedException', words: 'refused: permission missing' },
    });
  });

  it('shares a page between readers for a few seconds: one LookupEvents', async () => {
    const { readActivity } = await import('./activity');
    const before = (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'LookupEvents' }] }))).Events?.length ?? 0;
    const subject = { kind: 'repository', region: 'us-east-1', name: 'web' } as const;
    await Promise.all([readActivity(subject, undefined, true), readActivity({ ...subject }, undefined, true), readActivity({ ...subject }, undefined, true)]);
    await readActivity({ ...subject }, undefined, true);
    const after = (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'LookupEvents' }] }))).Events?.length ?? 0;
    // Recorded since `before` was counted: that count's own call and Berth's one read (the second count's own call is recorded after it answers).
    expect(after - before).toBe(2);
  });

  it("forgets kept pages when Berth writes, since every write is an event", async () => {
    const { readActivity } = await import('./activity');
    const { writing } = await import('@/lib/aws/read-cache');
    const subject = { kind: 'repository', region: 'us-east-1', name: 'written' } as const;
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'written' }));
    expect((await readActivity(subject, undefined)).value.entries.map((e) => e.eventName)).toEqual(['CreateRepository']);
    await writing(['ecr:us-east-1:repositories'], () => ecr.send(new DeleteRepositoryCommand({ repositoryName: 'written' })));
    expect((await readActivity(subject, undefined)).value.entries.map((e) => e.eventName)).toEqual(['DeleteRepository', 'CreateRepository']);
  });
});

describe('readDataEventStatus', () => {
  it('says whether a logging trail takes the bucket’s object reads and writes', async () => {
    const { readDataEventStatus } = await import('./data-events');
    await s3.send(new CreateBucketCommand({ Bucket: 'site-assets' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'trail-logs-bucket' }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'trail-logs-bucket',
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::trail-logs-bucket/*' }] }),
      }),
    );
    expect((await readDataEventStatus('us-east-1', 'site-assets')).value).toEqual({ trails: [], reads: 'none', writes: 'none' });

    await ct.send(new CreateTrailCommand({ Name: 'audit', S3BucketName: 'trail-logs-bucket' }));
    await ct.send(
      new PutEventSelectorsCommand({
        TrailName: 'audit',
        EventSelectors: [{ ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::site-assets/'] }] }],
      }),
    );
    const { sharedReads } = await import('@/lib/aws/read-cache');
    sharedReads().clear();
    let s = (await readDataEventStatus('us-east-1', 'site-assets')).value;
    // Not logging yet: the selectors count for nothing.
    expect(s).toMatchObject({ reads: 'none', writes: 'none', trails: [{ name: 'audit', logging: false, reads: 'none', writes: 'all', bucket: 'trail-logs-bucket' }] });

    await ct.send(new StartLoggingCommand({ Name: 'audit' }));
    sharedReads().clear();
    s = (await readDataEventStatus('us-east-1', 'site-assets')).value;
    expect(s).toMatchObject({ reads: 'none', writes: 'all' });

    await ct.send(
      new PutEventSelectorsCommand({
        TrailName: 'audit',
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
              { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::site-assets/uploads/'] },
            ],
          },
        ],
      }),
    );
    sharedReads().clear();
    s = (await readDataEventStatus('us-east-1', 'site-assets')).value;
    expect(s).toMatchObject({ reads: 'some', writes: 'some' });
    expect((await readDataEventStatus('us-east-1', 'trail-logs-bucket')).value).toMatchObject({ reads: 'none', writes: 'none' });
    await ct.send(new StopLoggingCommand({ Name: 'audit' }));
  });
});

describe('a missing CloudTrail permission', () => {
  it('is said as the action to add', async () => {
    const iam = new IAMClient({ endpoint: emu.url, region: 'us-east-1', credentials });
    await iam.send(new CreateUserCommand({ UserName: 'no-trail' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'no-trail', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'no-trail' }))).AccessKey!;
    const client = new CloudTrailClient({
      endpoint: emu.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! },
    });
    const err = await client.send(new LookupEventsCommand({})).catch((e: unknown) => e);
    const { describeAwsError } = await import('@/lib/aws/errors');
    const problem = describeAwsError(err, { service: 'CLOUDTRAIL', action: 'cloudtrail:LookupEvents' });
    expect(problem).toMatchObject({ title: 'Permission missing', missingAction: 'cloudtrail:LookupEvents', code: 'AccessDeniedException' });
    expect(problem.message).toContain('Add cloudtrail:LookupEvents to the IAM policy');
  });
});
