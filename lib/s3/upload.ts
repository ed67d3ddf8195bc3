import 'server-only';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { s3Client } from '@/lib/aws/clients';
import { describeAwsError } from '@/lib/aws/errors';
import { bucketRegion } from './buckets';
import './errors';

// Streams one upload into S3 with memory that does not grow with the file.
//
// A file that fits in one part (5 MiB) goes up as one PutObject with its length known.
// A larger one becomes a multipart upload: the body is cut into parts as it
// arrives, at most IN_FLIGHT parts travel to S3 at once, and the reader waits
// (so the browser's upload waits too) while they do. Berth therefore holds at
// most IN_FLIGHT + 1 parts whatever the file's size.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
//
// We do the multipart steps here rather than with @aws-sdk/lib-storage's
// Upload because of what must happen on failure: when one part fails, lib-storage
// keeps reading and sending the rest of the body before it aborts, and its
// abort() settles before AbortMultipartUpload has run. Here the first failure
// (S3's, or the browser going away) stops the reading, cancels the parts in
// flight, and AbortMultipartUpload has finished before the caller hears of it,
// so no unfinished upload (and its stored parts, which S3 bills) is left behind.

const MiB = 1024 * 1024;
/** Part size for files up to 48 GiB: S3's smallest (5 MiB), to keep memory low. */
export const PART_BYTES = 5 * MiB;
/** S3 allows at most 10,000 parts in one upload. */
const MAX_PARTS = 10_000;
/** Parts on the wire at once: enough to keep the link busy, few enough to keep memory flat. */
const IN_FLIGHT = 2;

/**
 * The part size for a file of this many bytes: 5 MiB, grown in whole MiB only
 * when 10,000 parts of 5 MiB would not hold the file.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
 */
export function partSizeFor(totalBytes: number): number {
  return Math.max(PART_BYTES, Math.ceil(totalBytes / MAX_PARTS / MiB) * MiB);
}

export interface UploadInput {
  bucket: string;
  key: string;
  /** The bytes, as they arrive; exactly contentLength of them (the caller checks). */
  body: AsyncIterable<Uint8Array>;
  contentLength: number;
  contentType: string;
  /** Aborted when the person cancels or goes away: stop and clean up. */
  signal?: AbortSignal;
}

export interface UploadResult {
  versionId: string | null;
  etag: string | null;
  /** How many requests carried the bytes: 1 for a single PutObject. */
  parts: number;
}

/**
 * Cuts a byte stream into parts of `size` bytes (the last may be shorter),
 * copying into a few reusable buffers: a part's buffer comes back to the pool
 * once S3 has stored it, so memory stays at a handful of parts.
 */
class PartReader {
  private readonly pool: Buffer[] = [];
  private readonly source: AsyncIterator<Uint8Array>;
  private carry: Uint8Array | null = null;
  private done = false;

  constructor(
    body: AsyncIterable<Uint8Array>,
    private readonly size: number,
  ) {
    this.source = body[Symbol.asyncIterator]();
  }

  /** The next part, or null at the end of the body. */
  async next(): Promise<Buffer | null> {
    if (this.done && !this.carry) return null;
    const buf = this.pool.pop() ?? Buffer.allocUnsafe(this.size);
    let filled = 0;
    while (filled < this.size) {
      let chunk = this.carry;
      this.carry = null;
      if (!chunk) {
        if (this.done) break;
        const r = await this.source.next();
        if (r.done) {
          this.done = true;
          break;
        }
        chunk = r.value;
      }
      const take = Math.min(chunk.byteLength, this.size - filled);
      buf.set(chunk.subarray(0, take), filled);
      filled += take;
      if (take < chunk.byteLength) this.carry = chunk.subarray(take);
    }
    if (filled === 0) {
      this.pool.push(buf);
      return null;
    }
    return filled === this.size ? buf : buf.subarray(0, filled);
  }

  /** Hands a part's buffer back once nothing refers to its bytes any more. */
  recycle(part: Buffer) {
    if (part.byteLength === this.size) this.pool.push(part);
  }

  /** Stops reading the body (the browser's request ends with it). */
  async close() {
    this.done = true;
    this.carry = null;
    await this.source.return?.();
  }
}

export async function uploadObject(input: UploadInput): Promise<UploadResult> {
  const client = s3Client(await bucketRegion(input.bucket));
  const { bucket, key, contentType } = input;
  const size = partSizeFor(input.contentLength);
  const reader = new PartReader(input.body, size);

  // One controller cancels every request of this upload: the caller's signal
  // (the browser went away) and our own first failure both pull it.
  const cancel = new AbortController();
  const onAbort = () => cancel.abort(input.signal?.reason);
  input.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (input.contentLength <= size) {
      const body = (await reader.next()) ?? Buffer.alloc(0);
      const out = await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.byteLength, ContentType: contentType }),
        { abortSignal: cancel.signal },
      );
      return { versionId: out.VersionId ?? null, etag: out.ETag ?? null, parts: 1 };
    }
    return await multipart(input, client, reader, cancel);
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
    await reader.close().catch(() => undefined);
  }
}

async function multipart(input: UploadInput, client: ReturnType<typeof s3Client>, reader: PartReader, cancel: AbortController): Promise<UploadResult> {
  const { bucket, key } = input;
  // CRC32 is named at creation and on every part, as S3 requires the same
  // algorithm throughout; S3 then checks each part as it arrives.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
  // Not cancellable: were it cut off after S3 had started the upload, we would
  // not learn the id needed to abort it. The loop below notices a cancel.
  const created = await client.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: input.contentType, ChecksumAlgorithm: 'CRC32' }),
  );
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error('S3 started a multipart upload without an upload id.');

  const parts: CompletedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  const fail = (error: unknown) => {
    if (failure === null) failure = error;
    cancel.abort(error);
  };
  const sendPart = async (partNumber: number, body: Buffer) => {
    try {
      const out = await client.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ChecksumAlgorithm: 'CRC32' }),
        { abortSignal: cancel.signal },
      );
      if (!out.ETag) throw new Error(`S3 stored part ${partNumber} without an ETag.`);
      parts.push({ PartNumber: partNumber, ETag: out.ETag, ...(out.ChecksumCRC32 ? { ChecksumCRC32: out.ChecksumCRC32 } : {}) });
      reader.recycle(body);
    } catch (error) {
      fail(error);
    }
  };

  try {
    for (let partNumber = 1; failure === null && !cancel.signal.aborted; partNumber++) {
      while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      if (failure !== null || cancel.signal.aborted) break;
      let data: Buffer | null;
      try {
        data = await reader.next();
      } catch (error) {
        fail(error);
        break;
      }
      if (!data) break;
      const sending: Promise<void> = sendPart(partNumber, data).finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
    await Promise.all(inFlight);
    if (failure === null && cancel.signal.aborted) failure = cancel.signal.reason ?? new Error('The upload was cancelled.');
    if (failure !== null) throw failure;

    parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    const out = await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    return { versionId: out.VersionId ?? null, etag: out.ETag ?? null, parts: parts.length };
  } catch (error) {
    // Not with the cancelled signal: this request must still go out.
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch((abortError: unknown) => {
      console.error(JSON.stringify({ at: new Date().toISOString(), action: 's3.object.upload', outcome: 'abort-failed', bucket, key, uploadId, error: String(abortError) }));
    });
    throw error;
  }
}

/**
 * A sentence for an upload S3 did not take. Two cases need more than the shared
 * mapper says: a 403 that came without a body (S3 can cut the connection when
 * it refuses a request whose body is still arriving, and then the SDK knows only
 * the status), and a connection S3 closed part-way through the body.
 */
export function describeUploadError(error: unknown, bucket: string, key: string): { message: string; code?: string; status: number } {
  const err = (typeof error === 'object' && error !== null ? error : {}) as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  const awsCode = err.Code ?? err.name;
  const unnamed = !awsCode || awsCode === 'Unknown' || awsCode === 'UnknownError' || /^\d+$/.test(awsCode);
  if (status === 403 && unnamed) {
    return {
      status: 403,
      code: 'AccessDenied',
      message:
        `S3 refused the upload (HTTP 403) without saying why. Most often the identity Berth runs as lacks s3:PutObject on arn:aws:s3:::${bucket}/${key}, ` +
        'or a bucket policy denies it: add s3:PutObject to its IAM policy (and check the bucket policy), then try again.',
    };
  }
  if (!status && (err.code === 'EPIPE' || err.code === 'ECONNRESET')) {
    return {
      status: 502,
      code: err.code,
      message:
        `S3 closed the connection while Berth was still sending the file (${err.code}). S3 does this when it refuses an upload part-way: ` +
        `check that the identity Berth runs as may call s3:PutObject on this bucket, then try again.`,
    };
  }
  const p = describeAwsError(error, { service: 'S3', action: 's3:PutObject' });
  return { message: p.message, code: p.code, status: status && status >= 400 && status < 500 ? status : 502 };
}
