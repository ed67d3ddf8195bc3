import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateBucketCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';

// createBucket over a real emulator that answers CreateBucket as S3 does: in
// us-east-1, 200 for a bucket you already own. Berth must notice the bucket
// is there before it creates, and never change someone's bucket.

let emu: SpawnedEmulator;
let s3: S3Client;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const OPEN = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };

beforeAll(async () => {
  emu = await startConsoleEmulator({ args: ['--quiet'] });
  s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials });
});
afterAll(() => stopConsoleEmulator(emu));

/** Someone's public website bucket, made outside Berth. */
async function someonesWebsite(Bucket: string, client = s3, region = 'us-east-1') {
  await client.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: region === 'us-east-1' ? undefined : { LocationConstraint: region as 'eu-west-1' } }));
  await client.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: OPEN }));
  await client.send(new PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
  await client.send(new PutObjectCommand({ Bucket, Key: 'index.html', Body: '<h1>theirs</h1>', ContentType: 'text/html' }));
}

async function untouched(Bucket: string, client = s3) {
  expect((await client.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual(OPEN);
  expect((await client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBeUndefined();
  expect((await client.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(1);
  await expect(client.send(new GetBucketTaggingCommand({ Bucket }))).rejects.toMatchObject({ name: 'NoSuchTagSet' });
}

describe('creating a bucket', () => {
  it('refuses a name that is already a bucket in us-east-1 (where S3 would answer 200) and changes nothing', async () => {
    await someonesWebsite('lib-theirs-east');
    const { createBucket, BucketExistsRefused } = await import('./buckets');
    const attempt = createBucket({ name: 'lib-theirs-east', region: 'us-east-1', versioning: true, blockPublicAccess: true });
    await expect(attempt).rejects.toBeInstanceOf(BucketExistsRefused);
    await expect(attempt).rejects.toThrow('A bucket named lib-theirs-east already exists in this account. Berth will not take it over');
    await untouched('lib-theirs-east');
  });

  it('refuses the same way outside us-east-1', async () => {
    const west = new S3Client({ endpoint: emu.url, region: 'eu-west-1', forcePathStyle: true, credentials });
    await someonesWebsite('lib-theirs-west', west, 'eu-west-1');
    const { createBucket } = await import('./buckets');
    await expect(createBucket({ name: 'lib-theirs-west', region: 'eu-west-1', versioning: true, blockPublicAccess: true })).rejects.toThrow('Berth will not take it over');
    await untouched('lib-theirs-west', west);
  });

  it('tags what it creates, and knows its own buckets from others', async () => {
    const { createBucket, createdByBerth } = await import('./buckets');
    await createBucket({ name: 'lib-berth-made', region: 'us-east-1', versioning: true, blockPublicAccess: true });
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: 'lib-berth-made' }))).TagSet).toEqual([{ Key: 'berth:created-by', Value: 'berth' }]);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'lib-berth-made' }))).Status).toBe('Enabled');
    expect(await createdByBerth('lib-berth-made')).toBe(true);
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-not-berth' }));
    expect(await createdByBerth('lib-not-berth')).toBe(false);
  });
});
