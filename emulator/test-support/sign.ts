import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';

/**
 * Real SigV4 for hand-made requests, with the SDK's own signer: the emulator
 * verifies every signature, so wire-level tests sign the exact bytes they
 * send. The fixed test identities' secrets equal their key ids
 * (`test`/`test`, `readonly`/`readonly`).
 */

function bytes(d: SourceData): Buffer {
  if (typeof d === 'string') return Buffer.from(d, 'utf8');
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(d);
}

/** SHA-256 (and HMAC) from Node's crypto, in the shape the SDK signer takes. */
export class NodeSha256 {
  private readonly h;
  constructor(secret?: SourceData) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
}

export interface SigningOptions {
  service: string;
  key?: string;
  /** Defaults to the key id, as for the fixed identities. */
  secret?: string;
  region?: string;
  sessionToken?: string;
  signingDate?: Date;
}

export function signerFor(o: SigningOptions): SignatureV4 {
  const key = o.key ?? 'test';
  return new SignatureV4({
    credentials: { accessKeyId: key, secretAccessKey: o.secret ?? key, ...(o.sessionToken ? { sessionToken: o.sessionToken } : {}) },
    region: o.region ?? 'us-east-1',
    service: o.service,
    sha256: NodeSha256,
    // S3 signs its path as sent; every other service encodes it once more.
    uriEscapePath: o.service !== 's3',
    applyChecksum: o.service === 's3',
  });
}

function lenientDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The query as the signer wants it, from the raw query string that will be sent unchanged. */
export function queryObject(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const k = lenientDecode(eq >= 0 ? piece.slice(0, eq) : piece);
    const v = lenientDecode(eq >= 0 ? piece.slice(eq + 1) : '');
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * Returns the headers with x-amz-date, Authorization (and for S3
 * x-amz-content-sha256, unless given) of a request signed as `o` says.
 * `headers` must hold the Host that will be sent.
 */
export async function signHeaders(
  o: SigningOptions,
  req: { method: string; path: string; headers: Record<string, string>; body?: string | Buffer },
): Promise<Record<string, string>> {
  const q = req.path.indexOf('?');
  const path = q >= 0 ? req.path.slice(0, q) : req.path;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  if (o.service === 's3' && headers['x-amz-content-sha256'] === undefined) {
    headers['x-amz-content-sha256'] = createHash('sha256').update(req.body ?? '').digest('hex');
  }
  const signed = await signerFor(o).sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: (headers.host ?? 'localhost').replace(/:\d+$/, ''),
      path,
      query: queryObject(q >= 0 ? req.path.slice(q + 1) : ''),
      headers,
      body: req.body,
    },
    { signingDate: o.signingDate ?? new Date() },
  );
  return signed.headers as Record<string, string>;
}

/** A presigned path (`/path?...X-Amz-Signature=...`) for a plain request to the emulator at `host`. */
export async function presignPath(
  o: SigningOptions & { expiresIn?: number },
  req: { method?: string; host: string; path: string },
): Promise<string> {
  const q = req.path.indexOf('?');
  const path = q >= 0 ? req.path.slice(0, q) : req.path;
  const presigned = await signerFor(o).presign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: req.host.replace(/:\d+$/, ''),
      path,
      query: queryObject(q >= 0 ? req.path.slice(q + 1) : ''),
      // As the S3 presigner does: the payload is not signed (hoisted into the query by the signer).
      headers: { host: req.host, ...(o.service === 's3' ? { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : {}) },
    },
    { signingDate: o.signingDate ?? new Date(), expiresIn: o.expiresIn ?? 900 },
  );
  const esc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(presigned.query ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) parts.push(one === null || one === undefined ? esc(k) : `${esc(k)}=${esc(String(one))}`);
  }
  return `${path}?${parts.join('&')}`;
}

export type ChunkedMode = 'signed' | 'signed-trailer' | 'unsigned-trailer';

const CHUNKED_SHA: Record<ChunkedMode, string> = {
  signed: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'signed-trailer': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'unsigned-trailer': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
};

const sha256 = (d: string | Buffer) => createHash('sha256').update(d).digest('hex');

/**
 * An S3 aws-chunked upload as the SigV4 streaming documentation describes it
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
 * sigv4-streaming-trailers.html): headers signed with the SDK signer, then
 * each chunk signed (by the same signer's key) over the previous signature
 * and the chunk's hash. `frames` are the body's pieces, for tests to tamper
 * with before joining them.
 */
export async function awsChunkedUpload(
  o: SigningOptions,
  req: { host: string; path: string; headers?: Record<string, string> },
  data: Buffer,
  mode: ChunkedMode,
  chunkSize = 65536,
  trailer: Record<string, string> = { 'x-amz-checksum-crc32': 'AAAAAA==' },
): Promise<{ headers: Record<string, string>; frames: Buffer[] }> {
  const signingDate = o.signingDate ?? new Date();
  const withTrailer = mode !== 'signed';
  const headers = await signHeaders(
    { ...o, signingDate },
    {
      method: 'PUT',
      path: req.path,
      headers: {
        ...req.headers,
        host: req.host,
        'x-amz-content-sha256': CHUNKED_SHA[mode],
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(data.length),
        ...(withTrailer ? { 'x-amz-trailer': Object.keys(trailer).join(',') } : {}),
      },
    },
  );
  const seed = /Signature=([0-9a-f]{64})/.exec(headers.authorization ?? '')?.[1] ?? '';
  const amzDate = headers['x-amz-date'] ?? '';
  const scope = `${amzDate.slice(0, 8)}/${o.region ?? 'us-east-1'}/s3/aws4_request`;
  const signer = signerFor(o);
  const signed = mode !== 'unsigned-trailer';
  let previous = seed;
  const signNext = async (kind: 'PAYLOAD' | 'TRAILER', hashes: string) => {
    previous = await signer.sign(`AWS4-HMAC-SHA256-${kind}\n${amzDate}\n${scope}\n${previous}\n${hashes}`, { signingDate });
    return previous;
  };
  const frames: Buffer[] = [];
  const emptyHash = sha256('');
  for (let off = 0; off <= data.length; off += chunkSize) {
    const c = data.subarray(off, Math.min(off + chunkSize, data.length));
    if (c.length === 0) break;
    const ext = signed ? `;chunk-signature=${await signNext('PAYLOAD', `${emptyHash}\n${sha256(c)}`)}` : '';
    frames.push(Buffer.concat([Buffer.from(`${c.length.toString(16)}${ext}\r\n`), c, Buffer.from('\r\n')]));
  }
  let last = signed ? `0;chunk-signature=${await signNext('PAYLOAD', `${emptyHash}\n${emptyHash}`)}\r\n` : '0\r\n';
  if (withTrailer) {
    const lines = Object.entries(trailer).map(([k, v]) => `${k}:${v}`);
    last += lines.map((l) => `${l}\r\n`).join('');
    if (signed) last += `x-amz-trailer-signature:${await signNext('TRAILER', sha256(lines.map((l) => `${l}\n`).join('')))}\r\n`;
  }
  frames.push(Buffer.from(`${last}\r\n`));
  return { headers, frames };
}
