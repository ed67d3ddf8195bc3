import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketAnalyticsConfigurationCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { distributionForm } from '@/test/cloudfront-form';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';

// S3's own error responses, from a real emulator, come out of Berth's mapper
// as sentences that say what to do.

let emu: SpawnedEmulator;
let s3: S3Client;

beforeAll(async () => {
  emu = await startConsoleEmulator();
  s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'errs' }));
  await s3.send(new PutObjectCommand({ Bucket: 'errs', Key: 'keep.txt', Body: 'still here' }));
  await s3.send(new PutObjectCommand({ Bucket: 'errs', Key: 'vault.bin', Body: 'cold', StorageClass: 'DEEP_ARCHIVE' }));
});
afterAll(() => stopConsoleEmulator(emu));

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

describe('S3 answers without a code, and answers that are not S3’s', () => {
  async function problem(fn: () => Promise<unknown>, ctx: Parameters<typeof import('@/lib/aws/errors').describeAwsError>[1]) {
    const { attempt } = await import('@/lib/aws/errors');
    const r = await attempt(fn, ctx);
    if (r.ok) throw new Error('expected a refusal');
    return r.problem;
  }

  it('an empty-bodied 403 (a HEAD S3 refuses) says who may lack which permission', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'errs-private' }));
    await s3.send(new PutObjectCommand({ Bucket: 'errs-private', Key: 'secret.txt', Body: 'x' }));
    // An unsigned request to a private object: S3 refuses it with 403, and a
    // HEAD answer has no body to say why.
    const anonymous = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, signer: { sign: async (request) => request } });
    const p = await problem(() => anonymous.send(new HeadObjectCommand({ Bucket: 'errs-private', Key: 'secret.txt' })), {
      service: 'S3',
      action: 's3:GetObject',
      resource: 'errs-private/secret.txt',
    });
    expect(p.message).toBe(
      'S3 refused this (403 Forbidden): the AWS identity Berth uses may lack the permission (s3:GetObject on errs-private/secret.txt), or the bucket policy denies it. Check the IAM policy attached to the identity Berth runs as.',
    );
    expect(p.code).toBe('HTTP 403');
  });

  it('a missing bucket (HeadBucket’s bodiless 404) says the bucket does not exist, even asked from a CloudFront form', async () => {
    const p = await problem(() => s3.send(new HeadBucketCommand({ Bucket: 'errs-no-such-bucket' })), { service: 'CLOUDFRONT' });
    expect(p.message).toMatch(/bucket or object does not exist/);
    expect(p.message).not.toMatch(/UnknownError/);
  });

  it('the create-distribution steps refuse a missing bucket on the bucket field, before anything is made', async () => {
    const { createDistributionForBucket } = await import('@/lib/cloudfront/create');
    const { describeFailure } = await import('@/lib/aws/errors');
    const error = await createDistributionForBucket(distributionForm('errs-no-such-bucket')).catch((e: unknown) => e);
    const f = describeFailure(error, { service: 'CLOUDFRONT' });
    expect(f.fieldErrors?.bucket?.[0]).toMatch(/There is no bucket named “errs-no-such-bucket”/);
  });

  it('an operation the endpoint does not implement (501) is not called temporary', async () => {
    const p = await problem(() => s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket: 'errs', Id: 'x' })), { service: 'S3' });
    expect(p.code).toBe('NotImplemented');
    expect(p.retryable).toBe(false);
    expect(p.message).toMatch(/^S3 does not support this request \(501 Not Implemented\)/);
    expect(p.message).not.toMatch(/temporary/);
  });

  it('an answer that is not S3’s (a proxy’s HTML page) could not be read, and retrying will not help', async () => {
    // A real HTTP server standing where S3 should be, answering as a captive
    // portal or a misrouted proxy would.
    const proxy = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body><h1>Welcome to the proxy</h1><p>Sign in to continue</body>');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const lost = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      const p = await problem(() => lost.send(new ListObjectsV2Command({ Bucket: 'errs' })), { service: 'S3', endpoint });
      expect(p.title).toBe('Answer not readable');
      expect(p.message).toMatch(new RegExp(`^The answer from S3 at ${endpoint.replace(/[.]/g, '\\.')} could not be read`));
      expect(p.message).not.toMatch(/temporary/);
      expect(p.retryable).toBe(false);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });
});
