import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';
import { GB, priceBasis, pricePerGb } from './pricing';

// measureBucket over a real emulator: what it counts, what it leaves out, and
// that it says so when it stops at the cap.

let emu: SpawnedEmulator;
let s3: S3Client;

beforeAll(async () => {
  emu = await startConsoleEmulator();
  s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterAll(() => stopConsoleEmulator(emu));

describe('measureBucket', () => {
  it('counts current objects, older versions, markers and unfinished uploads, priced by class', async () => {
    const Bucket = 'measure-me';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'x'.repeat(100) }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'y'.repeat(300) }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'cold/b.bin', Body: 'z'.repeat(1000), StorageClass: 'GLACIER' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'gone.txt', Body: 'g'.repeat(50) }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'gone.txt' }));
    await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'half.bin' }));

    const { measureBucket } = await import('./storage');
    const m = await measureBucket(Bucket);
    expect(m).toMatchObject({
      objects: 2,
      currentBytes: 1300,
      noncurrentVersions: 2,
      noncurrentBytes: 150,
      deleteMarkers: 1,
      uploads: 1,
      capped: false,
      requests: 1,
    });
    const byClass = Object.fromEntries(m.byClass.map((c) => [c.storageClass, c]));
    expect(byClass.GLACIER).toMatchObject({ bytes: 1000, versions: 1 });
    expect(byClass.STANDARD).toMatchObject({ bytes: 450, versions: 3 });
    expect(m.monthlyUsd).toBeCloseTo((450 / GB) * 0.023 + (1000 / GB) * 0.0036, 12);

    // Kept for a while: a new object does not show until asked for afresh.
    await s3.send(new PutObjectCommand({ Bucket, Key: 'late.txt', Body: 'l' }));
    expect((await measureBucket(Bucket)).objects).toBe(2);
    expect((await measureBucket(Bucket, { fresh: true })).objects).toBe(3);
  });

  it('stops at the cap and says the figures are a lower bound', async () => {
    const Bucket = 'measure-many';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const keys = Array.from({ length: 1050 }, (_, i) => `k${String(i).padStart(4, '0')}`);
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < keys.length) await s3.send(new PutObjectCommand({ Bucket, Key: keys[next++]!, Body: 'abc' }));
    }));
    const { measureBucket } = await import('./storage');
    // The cap is checked after each 1,000-entry page.
    expect(await measureBucket(Bucket, { fresh: true, cap: 1000 })).toMatchObject({ objects: 1000, currentBytes: 3000, capped: true, requests: 1 });
    expect(await measureBucket(Bucket, { fresh: true })).toMatchObject({ objects: 1050, capped: false, requests: 2 });
  });
});

describe('pricing', () => {
  it('scales other classes with the region’s Standard price and falls back to us-east-1', () => {
    const tokyo = priceBasis('ap-northeast-1');
    expect(tokyo.exact).toBe(true);
    expect(pricePerGb('STANDARD', tokyo)).toBeCloseTo(0.025, 10);
    expect(pricePerGb('STANDARD_IA', tokyo)).toBeCloseTo(0.0125 * (0.025 / 0.023), 10);
    const unknown = priceBasis('xx-nowhere-1');
    expect(unknown).toMatchObject({ exact: false, standardPerGb: 0.023 });
    expect(pricePerGb('SOMETHING_NEW', unknown)).toBe(0.023);
  });
});
