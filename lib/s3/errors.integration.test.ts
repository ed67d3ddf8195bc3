import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CreateBucketCommand, DeleteBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';

// S3's own error responses, from a real emulator, come out of Berth's mapper
// as sentences that say what to do.

let emu: SpawnedEmulator;
let s3: S3Client;

beforeAll(async () => {
  emu = await spawnEmulator();
  for (const [k, v] of Object.entries({ AWS_ENDPOINT_URL: emu.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PROFILE: '' })) {
    vi.stubEnv(k, v);
  }
  s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'errs' }));
  await s3.send(new PutObjectCommand({ Bucket: 'errs', Key: 'keep.txt', Body: 'still here' }));
  await s3.send(new PutObjectCommand({ Bucket: 'errs', Key: 'vault.bin', Body: 'cold', StorageClass: 'DEEP_ARCHIVE' }));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emu?.stop();
});

describe('S3 refusals as sentences', () => {
  it('a bucket that is not empty points at Empty and delete', async () => {
    const { attempt } = await import('@/lib/aws/errors');
    await import('./errors');
    const r = await attempt(() => s3.send(new DeleteBucketCommand({ Bucket: 'errs' })), { service: 'S3' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.code).toBe('BucketNotEmpty');
      expect(r.problem.message).toBe('The bucket still holds objects, versions or delete markers. Use “Empty and delete”, which removes them all first.');
    }
  });

  it('downloading an archived object says it must be restored first', async () => {
    const { attempt } = await import('@/lib/aws/errors');
    const { getObjectStream } = await import('./objects');
    const r = await attempt(() => getObjectStream('errs', 'vault.bin'), { service: 'S3' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.code).toBe('InvalidObjectState');
      expect(r.problem.message).toContain('must be restored first');
    }
  });
});
