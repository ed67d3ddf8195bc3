import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';

// uploadObject over a real emulator: small files in one PutObject, large ones
// in parts with a bounded number in memory, and no unfinished multipart upload
// left behind when the body breaks, S3 fails or the person cancels.

const MiB = 1024 * 1024;
const Bucket = 'uploads';
let emu: SpawnedEmulator;
let s3: S3Client;

beforeAll(async () => {
  emu = await startConsoleEmulator(
    { args: ['--no-seed'] },
    // The largest limit an operator might set: S3's own single-PUT maximum, 5 GiB.
    { env: { BERTH_UPLOAD_MAX_BYTES: String(5 * 1024 * MiB) } },
  );
  s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await s3.send(new CreateBucketCommand({ Bucket }));
});
afterEach(async () => {
  await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
});
afterAll(() => stopConsoleEmulator(emu));

/** Deterministic bytes, handed out in uneven chunks as a browser's would arrive; counts what was pulled. */
function source(total: number, opts: { failAfter?: number } = {}) {
  const stats = { pulled: 0 };
  async function* gen() {
    let i = 0;
    while (stats.pulled < total) {
      if (opts.failAfter !== undefined && stats.pulled >= opts.failAfter) throw new Error('the browser went away');
      const n = Math.min(total - stats.pulled, 61_440 + ((i * 7919) % 200_000));
      const chunk = Buffer.alloc(n);
      for (let j = 0; j < n; j += 4096) chunk[j] = (stats.pulled + j) % 251;
      stats.pulled += n;
      i++;
      yield chunk;
    }
  }
  return { body: gen(), stats };
}

async function sha256Of(stream: AsyncIterable<Uint8Array>) {
  const h = createHash('sha256');
  for await (const c of stream) h.update(c);
  return h.digest('hex');
}

async function unfinished() {
  return (await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads ?? [];
}

describe('uploadObject', () => {
  it('sends a file that fits in one part as one PutObject', async () => {
    const { uploadObject } = await import('./upload');
    const out = await uploadObject({ bucket: Bucket, key: 'small.bin', body: source(5 * MiB).body, contentLength: 5 * MiB, contentType: 'application/x-test' });
    expect(out.parts).toBe(1);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'small.bin' }));
    expect(head.ContentLength).toBe(5 * MiB);
    expect(head.ContentType).toBe('application/x-test');
  });

  it('streams a 20 MiB file in 5 MiB parts and S3 holds every byte, in order', async () => {
    const { uploadObject } = await import('./upload');
    const size = 20 * MiB;
    const out = await uploadObject({ bucket: Bucket, key: 'big/twenty.bin', body: source(size).body, contentLength: size, contentType: 'application/octet-stream' });
    expect(out.parts).toBe(4);
    expect(out.etag).toMatch(/-4"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'big/twenty.bin' }));
    expect(got.ContentLength).toBe(size);
    expect(await sha256Of(got.Body as AsyncIterable<Uint8Array>)).toBe(await sha256Of(source(size).body));
    expect(await unfinished()).toEqual([]);
  });

  it('aborts the multipart upload when the body breaks part-way', async () => {
    const { uploadObject } = await import('./upload');
    const size = 40 * MiB;
    const src = source(size, { failAfter: 19 * MiB });
    await expect(uploadObject({ bucket: Bucket, key: 'broken.bin', body: src.body, contentLength: size, contentType: 'application/octet-stream' })).rejects.toThrow(
      'the browser went away',
    );
    expect(await unfinished()).toEqual([]);
    await expect(s3.send(new HeadObjectCommand({ Bucket, Key: 'broken.bin' }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('stops reading and aborts when S3 fails a part, without sending the rest of the file', async () => {
    const { uploadObject, PART_BYTES } = await import('./upload');
    await fetch(`${emu.url}/_emulator/faults`, {
      method: 'PUT',
      body: JSON.stringify([{ service: 's3', operation: 'UploadPart', kind: 'error', rate: 1 }]),
    });
    const size = 200 * MiB;
    const src = source(size);
    // S3 may answer before it has read the part (as the emulator's fault does),
    // so the client sees either the error or the connection cut under its write.
    const failure = await uploadObject({ bucket: Bucket, key: 'refused.bin', body: src.body, contentLength: size, contentType: 'application/octet-stream' }).then(
      () => null,
      (error: unknown) => error as { name?: string; code?: string; message?: string },
    );
    expect(failure).not.toBeNull();
    expect(failure?.name === 'InternalError' || /EPIPE|ECONNRESET|socket hang up/.test(`${failure?.code} ${failure?.message}`), JSON.stringify(failure)).toBe(true);
    // Two parts in flight and one being filled at most: nowhere near the 200 MiB.
    expect(src.stats.pulled).toBeLessThan(4 * PART_BYTES);
    await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
    expect(await unfinished()).toEqual([]);
  });

  it('aborts the multipart upload when the person cancels', async () => {
    const { uploadObject } = await import('./upload');
    const size = 64 * MiB;
    const src = source(size);
    const cancel = new AbortController();
    const body = (async function* () {
      for await (const c of src.body) {
        if (src.stats.pulled > 20 * MiB) cancel.abort(new Error('cancelled by the person'));
        yield c;
      }
    })();
    await expect(uploadObject({ bucket: Bucket, key: 'cancelled.bin', body, contentLength: size, contentType: 'application/octet-stream', signal: cancel.signal })).rejects.toThrow();
    expect(src.stats.pulled).toBeLessThan(size);
    expect(await unfinished()).toEqual([]);
    await expect(s3.send(new HeadObjectCommand({ Bucket, Key: 'cancelled.bin' }))).rejects.toMatchObject({ name: 'NotFound' });
  });
});

describe('upload limits', () => {
  it('reads a 5 GiB BERTH_UPLOAD_MAX_BYTES as 5 GiB (well past 2^32)', async () => {
    const { env } = await import('@/lib/env');
    expect(env().uploadMaxBytes).toBe(5 * 1024 * MiB);
  });

  it('keeps parts at 5 MiB for a 5 GiB file, and under 10,000 parts for anything larger', async () => {
    const { partSizeFor, PART_BYTES } = await import('./upload');
    expect(partSizeFor(5 * 1024 * MiB)).toBe(PART_BYTES);
    for (const size of [50 * 1024 * MiB, 5 * 1024 * 1024 * MiB]) {
      const part = partSizeFor(size);
      expect(Math.ceil(size / part)).toBeLessThanOrEqual(10_000);
      expect(part % MiB).toBe(0);
    }
  });
});

describe('describeUploadError', () => {
  it('turns a 403 that came without a body into a sentence naming s3:PutObject', async () => {
    const { describeUploadError } = await import('./upload');
    // S3 answers a refused HEAD with no body, so an unsigned HeadObject gets,
    // from a real endpoint, exactly the error the SDK builds for an upload
    // refused with an empty-bodied 403: no code, "UnknownError", status 403.
    const anonymous = new S3Client({
      endpoint: emu.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      signer: { sign: async (r) => r },
    });
    const error = await anonymous.send(new HeadObjectCommand({ Bucket, Key: 'small.bin' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'UnknownError', $metadata: { httpStatusCode: 403 } });
    const p = describeUploadError(error, Bucket, 'photos/cat.jpg');
    expect(p.status).toBe(403);
    expect(p.message).toBe(
      'S3 refused the upload (HTTP 403) without saying why. Most often the identity Berth runs as lacks s3:PutObject on arn:aws:s3:::uploads/photos/cat.jpg, ' +
        'or a bucket policy denies it: add s3:PutObject to its IAM policy (and check the bucket policy), then try again.',
    );
    expect(p.message).not.toContain('UnknownError');
  });
});
