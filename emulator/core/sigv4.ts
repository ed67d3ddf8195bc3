import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The arithmetic of AWS Signature Version 4, as a server checks it: the
 * canonical request, the string to sign, the signing key and the chunk
 * signatures of S3's streaming uploads. Pure functions over what arrived on
 * the wire (raw path, raw query, raw header list); no I/O, no errors of any
 * service. The steps are those of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * and, for chunks, https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** x-amz-content-sha256 values that are not a hash of the body. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
/** SigV4A (ECDSA) streaming: a real value S3 knows, which this emulator cannot verify. */
export const STREAMING_ECDSA = 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD';
export const STREAMING_ECDSA_TRAILER = 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmacHex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** RFC 3986 encoding of each UTF-8 byte except the unreserved characters (and `/` when kept). */
function encodeBytes(bytes: Buffer, keepSlash: boolean): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (b < 0x80 && (UNRESERVED.test(c) || (keepSlash && c === '/'))) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function uriEncode(text: string, keepSlash = false): string {
  return encodeBytes(Buffer.from(text, 'utf8'), keepSlash);
}

/**
 * Percent-decoding to bytes that never fails: a `%` not followed by two hex
 * digits stays a literal `%`, as it does for the SDKs, which encode what
 * they were given (so `%%` is signed as `%25%25`).
 */
function decodeToBytes(text: string): Buffer {
  const out: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x25 && i + 2 < raw.length && /^[0-9A-Fa-f]{2}$/.test(raw.subarray(i + 1, i + 3).toString('latin1'))) {
      out.push(parseInt(raw.subarray(i + 1, i + 3).toString('latin1'), 16));
      i += 2;
    } else {
      out.push(b);
    }
  }
  return Buffer.from(out);
}

/**
 * The canonical URI. S3 signs the path exactly as sent (already encoded
 * once, never normalised: keys may hold `//` or `..`). Every other service
 * signs the normalised path (no empty, `.` or `..` segments) encoded a second
 * time, so a `%2F` on the wire is `%252F` in the canonical request.
 */
export function canonicalUri(rawPath: string, s3: boolean): string {
  const path = rawPath === '' ? '/' : rawPath;
  if (s3) return path;
  const segments: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return uriEncode(normalized, true);
}

/**
 * The canonical query string from the raw query: each name and value
 * decoded and re-encoded strictly, sorted by name then value, `name=` for a
 * bare name. `exclude` drops a parameter (X-Amz-Signature of a presigned URL).
 */
export function canonicalQuery(rawQuery: string, exclude?: string): string {
  const pairs: [string, string][] = [];
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawName = eq >= 0 ? piece.slice(0, eq) : piece;
    const rawValue = eq >= 0 ? piece.slice(eq + 1) : '';
    const name = encodeBytes(decodeToBytes(rawName), false);
    if (exclude !== undefined && decodeToBytes(rawName).toString('utf8') === exclude) continue;
    pairs.push([name, encodeBytes(decodeToBytes(rawValue), false)]);
  }
  // Byte order (code-unit order of the ASCII encodings), name first, then value.
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/**
 * The canonical headers block for the signed header names, from Node's raw
 * header list (name, value, name, value…): values trimmed, inner runs of
 * whitespace collapsed to one space, repeated headers joined with commas.
 */
export function canonicalHeaders(rawHeaders: readonly string[], signed: readonly string[]): string {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const list = values.get(name) ?? [];
    list.push(rawHeaders[i + 1]!.trim().replace(/\s+/g, ' '));
    values.set(name, list);
  }
  return signed.map((name) => `${name}:${(values.get(name) ?? []).join(',')}\n`).join('');
}

export interface CanonicalRequestParts {
  method: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  /** The query as sent, without the `?`. */
  rawQuery: string;
  rawHeaders: readonly string[];
  /** Lower-case names from SignedHeaders, in the order given. */
  signedHeaders: readonly string[];
  payloadHash: string;
  /** S3's rules for the path (no second encoding, no normalisation). */
  s3: boolean;
  /** A query parameter left out (X-Amz-Signature of a presigned URL). */
  excludeQuery?: string;
}

export function canonicalRequest(p: CanonicalRequestParts): string {
  return [
    p.method,
    canonicalUri(p.rawPath, p.s3),
    canonicalQuery(p.rawQuery, p.excludeQuery),
    canonicalHeaders(p.rawHeaders, p.signedHeaders),
    p.signedHeaders.join(';'),
    p.payloadHash,
  ].join('\n');
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

// Derived keys change once a day per key, region and service; a request
// burst re-derives nothing. The cache is small and simply emptied when full.
const KEY_CACHE_LIMIT = 256;
const keyCache = new Map<string, Buffer>();

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = sha256Hex(`${secret}\u0000${date}\u0000${region}\u0000${service}`);
  const hit = keyCache.get(id);
  if (hit) return hit;
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  const key = createHmac('sha256', kService).update('aws4_request').digest();
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(id, key);
  return key;
}

/** Constant-time comparison of two hex signatures. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `yyyyMMdd'T'HHmmss'Z'` → epoch ms, or undefined. */
export function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isFinite(t) ? t : undefined;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The string to sign of one chunk of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body. */
export function chunkStringToSign(amzDate: string, scope: string, previousSignature: string, chunkSha256: string): string {
  return `${ALGORITHM}-PAYLOAD\n${amzDate}\n${scope}\n${previousSignature}\n${EMPTY_SHA256}\n${chunkSha256}`;
}

/** The string to sign of the trailing headers of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER body. */
export function trailerStringToSign(amzDate: string, scope: string, previousSignature: string, trailerSha256: string): string {
  return `${ALGORITHM}-TRAILER\n${amzDate}\n${scope}\n${previousSignature}\n${trailerSha256}`;
}

/**
 * Follows the signature chain of a signed streaming body: each chunk's
 * signature covers its bytes and the signature before it, starting from the
 * request's own (seed) signature, so chunks can be neither altered nor
 * reordered nor dropped.
 */
export class ChunkSignatureChain {
  private previous: string;

  constructor(
    private readonly key: Buffer,
    private readonly amzDate: string,
    private readonly scope: string,
    seedSignature: string,
  ) {
    this.previous = seedSignature.toLowerCase();
  }

  /** Checks one chunk (the final empty chunk included) and moves the chain on; false on a mismatch. */
  verifyChunk(signature: string, chunkSha256: string): boolean {
    const expected = hmacHex(this.key, chunkStringToSign(this.amzDate, this.scope, this.previous, chunkSha256));
    if (!sameSignature(expected, signature)) return false;
    this.previous = expected;
    return true;
  }

  /** Checks the trailer's signature over its canonical lines (`name:value\n` each). */
  verifyTrailer(signature: string, canonicalTrailer: string): boolean {
    const expected = hmacHex(this.key, trailerStringToSign(this.amzDate, this.scope, this.previous, sha256Hex(canonicalTrailer)));
    if (!sameSignature(expected, signature)) return false;
    this.previous = expected;
    return true;
  }
}
