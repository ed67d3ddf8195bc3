import http from 'node:http';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, s3Client } from '../test-support/clients';
import { signHeaders } from '../test-support/sign';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// Conditional writes: If-None-Match: * and If-Match on PutObject and
// CompleteMultipartUpload, and the 409 for a write that races another.
// (Debian's AWS CLI 2.9 predates these headers, so only the SDK and raw HTTP test them.)

let emu: SpawnedEmulator;
let s3: S3Client;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet'] });
  s3 = s3Client(emu.url);
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

const T = 60_000;

async function text(bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString()) ?? '';
}

/** A PutObject whose body arrives in two halves; `between` runs after the first half is sent. */
async function slowPut(path: string, headers: Record<string, string>, body: Buffer, between: () => Promise<void>): Promise<{ status: number; body: string }> {
  const u = new URL(emu.url);
  const signed = await signHeaders(
    { service: 's3' },
    { method: 'PUT', path, headers: { host: u.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'Content-Length': String(body.length), ...headers } },
  );
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method: 'PUT',
        path,
        agent: false,
        headers: signed,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half), () => {
      // The first half has left this process, but the emulator may not yet
      // have begun handling the request (checking its condition) on a busy
      // machine; the other write must land after that, so give it a moment.
      // Without it the race went the other way under load and the upload got 412.
      new Promise((r) => setTimeout(r, 1000)).then(between).then(
        () => req.end(body.subarray(half)),
        (err: unknown) => {
          req.destroy();
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  });
}

describe('S3 conditional writes', () => {
  it('If-None-Match: * writes only a new key', async () => {
    const B = 'cond-none';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'first', IfNoneMatch: '*' }));
    const again = await failure(s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'second', IfNoneMatch: '*' })));
    expect(again.name).toBe('PreconditionFailed');
    expect(again.$metadata?.httpStatusCode).toBe(412);
    expect(await text(B, 'k')).toBe('first');
    // A deleted key may be written again.
    await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'k' }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'third', IfNoneMatch: '*' }));
    expect(await text(B, 'k')).toBe('third');
  }, T);

  it('If-Match writes only over the ETag named, and needs the key', async () => {
    const B = 'cond-match';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    const first = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'one' }));
    const stale = await failure(s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'two', IfMatch: '"0123456789abcdef0123456789abcdef"' })));
    expect(stale.name).toBe('PreconditionFailed');
    expect(stale.$metadata?.httpStatusCode).toBe(412);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'two', IfMatch: first.ETag }));
    expect(await text(B, 'k')).toBe('two');
    const absent = await failure(s3.send(new PutObjectCommand({ Bucket: B, Key: 'nothing', Body: 'x', IfMatch: first.ETag })));
    expect(absent.name).toBe('NoSuchKey');
    expect(absent.$metadata?.httpStatusCode).toBe(404);
  }, T);

  it('CompleteMultipartUpload honours If-None-Match', async () => {
    const B = 'cond-mpu';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    const upload = async (key: string) => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: key }));
      const part = await s3.send(new UploadPartCommand({ Bucket: B, Key: key, UploadId, PartNumber: 1, Body: 'only part' }));
      return { UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } };
    };
    const fresh = await upload('new');
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'new', ...fresh, IfNoneMatch: '*' }));
    expect(await text(B, 'new')).toBe('only part');

    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'taken', Body: 'already here' }));
    const late = await upload('taken');
    const err = await failure(s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'taken', ...late, IfNoneMatch: '*' })));
    expect(err.name).toBe('PreconditionFailed');
    expect(err.$metadata?.httpStatusCode).toBe(412);
    expect(await text(B, 'taken')).toBe('already here');
  }, T);

  it('answers 409 ConditionalRequestConflict when another write lands during the upload', async () => {
    const B = 'cond-race';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    const raced = await slowPut(`/${B}/k`, { 'If-None-Match': '*' }, Buffer.alloc(64 * 1024, 1), async () => {
      await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'winner' }));
    });
    expect(raced.status).toBe(409);
    expect(raced.body).toMatch(/<Code>ConditionalRequestConflict<\/Code>/);
    expect(await text(B, 'k')).toBe('winner');

    // The same for If-Match: the ETag matched when the upload began, not when it ended.
    const current = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'm', Body: 'base' }));
    const raced2 = await slowPut(`/${B}/m`, { 'If-Match': current.ETag ?? '' }, Buffer.alloc(64 * 1024, 2), async () => {
      await s3.send(new PutObjectCommand({ Bucket: B, Key: 'm', Body: 'changed' }));
    });
    expect(raced2.status).toBe(409);
    expect(await text(B, 'm')).toBe('changed');

    // A condition that failed from the start is a 412 even if the key changes meanwhile.
    const stale = await slowPut(`/${B}/m`, { 'If-Match': '"ffffffffffffffffffffffffffffffff"' }, Buffer.alloc(1024, 3), async () => {
      await s3.send(new PutObjectCommand({ Bucket: B, Key: 'm', Body: 'again' }));
    });
    expect(stale.status).toBe(412);
  }, T);
});
