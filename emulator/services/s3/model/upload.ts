import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv, PayloadSigning } from '../../../core/types';

/** The largest single PUT S3 accepts (5 GiB). */
export const MAX_PUT_BYTES = 5 * 1024 * 1024 * 1024;

/**
 * Undoes `Content-Encoding: aws-chunked`: the body is a series of
 * `<hex length>[;chunk-signature=<sig>]\r\n<bytes>\r\n` frames ending with a
 * zero-length frame, optionally followed by trailer lines
 * (`x-amz-checksum-crc32:...`, and `x-amz-trailer-signature:...` when signed)
 * and an empty line. With `signing.chunks` (STREAMING-AWS4-HMAC-SHA256-PAYLOAD
 * and its -TRAILER variant) every frame's signature is checked against the
 * chain as the frame ends, and so is the trailer's: a frame's bytes reach the
 * store before its signature is known, but a bad one fails the whole upload,
 * so nothing is kept.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
export async function* decodeAwsChunked(source: AsyncIterable<Buffer | string>, signing?: PayloadSigning): AsyncGenerator<Buffer> {
  const chain = signing?.chunks;
  let pending: Buffer = Buffer.alloc(0);
  let remaining = 0; // bytes of payload left in the current frame
  let frameSignature = '';
  let frameHash = createHash('sha256');
  let trailer: Buffer[] = [];
  let trailerBytes = 0;
  let state: 'header' | 'data' | 'crlf' | 'trailer' = 'header';
  const endFrame = () => {
    if (chain && !chain.verifyChunk(frameSignature, frameHash.digest('hex'))) throw signing.badChunk();
  };
  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (state === 'header') {
        const eol = pending.indexOf('\r\n');
        if (eol < 0) {
          if (pending.length > 4096) throw incompleteBody();
          break;
        }
        const line = pending.subarray(0, eol).toString('latin1');
        pending = pending.subarray(eol + 2);
        const [sizeText, ...extensions] = line.split(';');
        const size = parseInt(sizeText ?? '', 16);
        if (!Number.isFinite(size) || size < 0) throw incompleteBody();
        frameSignature = '';
        for (const ext of extensions) {
          const eq = ext.indexOf('=');
          if (eq > 0 && ext.slice(0, eq).trim() === 'chunk-signature') frameSignature = ext.slice(eq + 1).trim();
        }
        if (chain && frameSignature === '') throw signing.badChunk();
        frameHash = createHash('sha256');
        if (size === 0) {
          endFrame();
          state = 'trailer';
          continue;
        }
        remaining = size;
        state = 'data';
      } else if (state === 'data') {
        if (pending.length === 0) break;
        const take = Math.min(remaining, pending.length);
        const data = pending.subarray(0, take);
        if (chain) frameHash.update(data);
        yield data;
        pending = pending.subarray(take);
        remaining -= take;
        if (remaining === 0) state = 'crlf';
      } else if (state === 'crlf') {
        if (pending.length < 2) break;
        pending = pending.subarray(2);
        endFrame();
        state = 'header';
      } else {
        // Trailers carry checksums this emulator does not verify; they are
        // kept (bounded) only to check a signed trailer's signature.
        trailerBytes += pending.length;
        if (trailerBytes > 16 * 1024) throw incompleteBody();
        trailer.push(pending);
        pending = Buffer.alloc(0);
        break;
      }
    }
  }
  if ((state as string) !== 'trailer') throw incompleteBody();
  if (chain && signing.signedTrailer) {
    // Canonical trailer: each `name:value` line with a newline; the signature line itself is not part of it.
    let canonical = '';
    let signature = '';
    for (const line of Buffer.concat(trailer).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'x-amz-trailer-signature') signature = value;
      else canonical += `${name}:${value}\n`;
    }
    if (signature === '' || !chain.verifyTrailer(signature, canonical)) throw signing.badChunk();
  }
  trailer = [];
}

function incompleteBody(): AwsError {
  return new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400);
}

/**
 * How an upload's bytes arrive: transport framing the HTTP layer carries
 * beside the operation's input (aws-chunked encoding, the decoded length) and
 * the Content-MD5 the body must match.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
export interface BodyFraming {
  awsChunked: boolean;
  /** Content-MD5 as sent (base64), when sent. */
  contentMd5?: string;
  /** x-amz-decoded-content-length: the payload's length inside aws-chunked framing. */
  decodedLength?: string;
  /** Content-Length of the request. */
  contentLength?: number;
  /** What the request's signature still requires of the body (its SHA-256, or chunk signatures). */
  signing?: PayloadSigning;
}

/** The framing of a request from its headers, with the checks its verified signature left for the body. */
export function framingOf(headers: IncomingHttpHeaders, signing?: PayloadSigning): BodyFraming {
  const enc = String(headers['content-encoding'] ?? '').toLowerCase();
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  const md5 = headers['content-md5'];
  const decoded = headers['x-amz-decoded-content-length'];
  const length = Number(headers['content-length']);
  return {
    awsChunked: enc.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-'),
    ...(typeof md5 === 'string' ? { contentMd5: md5 } : {}),
    ...(typeof decoded === 'string' ? { decodedLength: decoded } : {}),
    ...(Number.isFinite(length) ? { contentLength: length } : {}),
    ...(signing ? { signing } : {}),
  };
}

/** Checks a Content-MD5 value's shape and returns its bytes as hex, or undefined when absent. */
export function expectedMd5(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== raw.trim()) {
    throw new AwsError('InvalidDigest', 'The Content-MD5 you specified was not valid.', 400, {
      fields: { 'Content-MD5': raw },
    });
  }
  return bytes.toString('hex');
}

export function badDigest(contentMd5: string, actualMd5Hex: string): AwsError {
  return new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
    fields: {
      ExpectedDigest: Buffer.from(contentMd5, 'base64').toString('hex'),
      CalculatedDigest: Buffer.from(actualMd5Hex, 'hex').toString('base64'),
    },
  });
}

export interface StoredBody {
  sha256: string;
  size: number;
  md5: string;
}

/**
 * Streams an upload's body (decoding aws-chunked framing) into the blob store
 * while hashing it with MD5 for the ETag, then checks Content-MD5 and the
 * declared decoded length.
 */
export async function storeBody(
  env: EmulatorEnv,
  body: AsyncIterable<Buffer | string>,
  framing: BodyFraming,
  maxBytes = MAX_PUT_BYTES,
): Promise<StoredBody> {
  const wantMd5 = expectedMd5(framing.contentMd5);
  const declared = framing.decodedLength !== undefined ? Number(framing.decodedLength) : framing.contentLength;
  if (declared !== undefined && Number.isFinite(declared) && declared > maxBytes) {
    throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
      fields: { ProposedSize: declared, MaxSizeAllowed: maxBytes },
    });
  }
  const md5 = createHash('md5');
  const source: AsyncIterable<Buffer | string> = framing.awsChunked ? decodeAwsChunked(body, framing.signing) : body;
  async function* hashing(): AsyncGenerator<Buffer> {
    for await (const c of source) {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      md5.update(b);
      yield b;
    }
  }
  let stored;
  try {
    stored = await env.blobs.putStream(hashing(), maxBytes);
  } catch (err) {
    if (err instanceof AwsError) throw err;
    if (err instanceof Error && /exceeds/.test(err.message)) {
      throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400);
    }
    throw err;
  }
  const md5hex = md5.digest('hex');
  if (framing.decodedLength !== undefined && Number(framing.decodedLength) !== stored.size) {
    throw new AwsError(
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header',
      400,
    );
  }
  // x-amz-content-sha256 named the payload's hash; the store hashed what arrived.
  const wantSha = framing.signing?.sha256;
  if (wantSha !== undefined && wantSha !== stored.sha256) throw framing.signing!.mismatch(stored.sha256);
  if (wantMd5 !== undefined && wantMd5 !== md5hex) throw badDigest(framing.contentMd5 ?? '', md5hex);
  return { sha256: stored.sha256, size: stored.size, md5: md5hex };
}
