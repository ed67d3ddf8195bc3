import type { IncomingMessage } from 'node:http';
import { checkPresignedExpiry, type AuthParse } from './credentials';
import { AwsError } from './errors';
import {
  ChunkSignatureChain,
  STREAMING_ECDSA,
  STREAMING_ECDSA_TRAILER,
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  UNSIGNED_PAYLOAD,
  canonicalRequest,
  formatAmzDate,
  hmacHex,
  parseAmzDate,
  sameSignature,
  sha256Hex,
  signingKey,
  stringToSign,
} from './sigv4';
import type { EmulatorEnv, PayloadSigning, Principal, StandardErrors } from './types';
import { MAX_SKEW_MS } from './wire/errors';

/**
 * Checks a signed request the way AWS does before any operation runs: the
 * key is known, the session token matches and has not expired, the clock is
 * within 15 minutes, and the SigV4 signature recomputed with the key's
 * secret equals the one sent. What can only be checked as the body streams
 * (its hash, chunk signatures) comes back as `payload`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */

export interface VerifyInput {
  env: EmulatorEnv;
  errors: StandardErrors;
  /** S3 signs its path as sent and requires x-amz-content-sha256. */
  s3: boolean;
  req: IncomingMessage;
  auth: Extract<AuthParse, { kind: 'credential' }>;
  query: URLSearchParams;
  /** The buffered body, for services that sign its hash without sending it; undefined when the body streams. */
  body?: () => Promise<Buffer>;
}

export interface Verified {
  principal: Principal;
  /** Checks owed on the body (its hash, or its chunk signatures). */
  payload?: PayloadSigning;
}

const HEX64 = /^[0-9a-f]{64}$/;
const S3_SHA256_VALUES = [UNSIGNED_PAYLOAD, STREAMING_UNSIGNED_TRAILER, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_ECDSA, STREAMING_ECDSA_TRAILER];

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : undefined;
}

function rawParts(req: IncomingMessage): { path: string; query: string } {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  return { path: path.startsWith('/') ? path : `/${path}`, query: q >= 0 ? url.slice(q + 1) : '' };
}

/** S3's answers about x-amz-content-sha256 itself (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html). */
const s3MissingContentSha = () => new AwsError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400);
const s3BadContentSha = (value: string) =>
  new AwsError(
    'InvalidArgument',
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
    400,
    { fields: { ArgumentName: 'x-amz-content-sha256', ArgumentValue: value } },
  );
const s3ShaMismatch = (client: string, computed: string) =>
  new AwsError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
    fields: { ClientComputedContentSHA256: client, S3ComputedContentSHA256: computed },
  });
/** S3 requires every x-amz-* header sent to be signed (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html). */
const s3HeadersNotSigned = (names: string[]) =>
  new AwsError('AccessDenied', 'There were headers present in the request which were not signed', 403, {
    fields: { HeadersNotSigned: names.join(', ') },
  });
const s3ChunkMismatch = () =>
  new AwsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403);

export async function verifyRequest(v: VerifyInput): Promise<Verified> {
  const { env, errors, s3, req, auth, query } = v;
  // Legacy SigV2 (`AWS key:sig`, `AWSAccessKeyId=`) is refused as S3 refuses
  // it in every region opened since 2014, rather than half-verified.
  if (auth.sigv2 || !auth.sigv4) throw errors.unsupportedAuth();
  const claim = auth.sigv4;
  const accessKeyId = auth.credential.accessKeyId;

  const record = env.resolveCredential(accessKeyId);
  if (!record) throw errors.invalidKey(accessKeyId);

  // Temporary credentials carry a session token that must come with every request.
  const token = claim.presigned ? (query.get('X-Amz-Security-Token') ?? undefined) : header(req, 'x-amz-security-token');
  if (record.sessionToken === undefined ? token !== undefined : token !== record.sessionToken) throw errors.invalidToken();
  if (record.expiresAt !== undefined && env.now() >= record.expiresAt) throw errors.expiredToken();

  // The request's time: X-Amz-Date, or the Date header it may stand in for.
  let amzDate: string | undefined;
  if (claim.presigned) {
    amzDate = query.get('X-Amz-Date') ?? undefined;
    if (amzDate === undefined || parseAmzDate(amzDate) === undefined) throw errors.malformedAuth();
    checkPresignedExpiry(query, env.now());
  } else {
    const xAmzDate = header(req, 'x-amz-date');
    if (xAmzDate !== undefined) {
      if (parseAmzDate(xAmzDate) !== undefined) amzDate = xAmzDate;
    } else {
      const date = Date.parse(header(req, 'date') ?? '');
      if (Number.isFinite(date)) amzDate = formatAmzDate(date);
    }
    if (amzDate === undefined) throw errors.malformedAuth();
    // Skew is measured against the wall clock the client's SDK corrects
    // itself from (the response's Date header), not the test-shifted clock
    // that ages resources; expiries (tokens, presigned URLs) use the latter.
    const now = Date.now();
    if (Math.abs(now - parseAmzDate(amzDate)!) > MAX_SKEW_MS) throw errors.requestTimeSkewed(amzDate, now);
  }

  const { path: rawPath, query: rawQuery } = rawParts(req);
  const contentSha = header(req, 'x-amz-content-sha256');
  let payloadHash: string;
  if (s3) {
    if (contentSha === undefined) {
      if (!claim.presigned) throw s3MissingContentSha();
      payloadHash = UNSIGNED_PAYLOAD;
    } else {
      if (!HEX64.test(contentSha) && !S3_SHA256_VALUES.includes(contentSha)) throw s3BadContentSha(contentSha);
      // SigV4A (ECDSA) is a real value, but not one this emulator can verify.
      if (contentSha === STREAMING_ECDSA || contentSha === STREAMING_ECDSA_TRAILER) throw errors.unsupportedAuth();
      payloadHash = contentSha;
    }
  } else if (contentSha !== undefined) {
    payloadHash = contentSha;
  } else {
    payloadHash = v.body ? sha256Hex(await v.body()) : UNSIGNED_PAYLOAD;
  }

  const canonical = canonicalRequest({
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath,
    rawQuery,
    rawHeaders: req.rawHeaders,
    signedHeaders: claim.signedHeaders,
    payloadHash,
    s3,
    excludeQuery: claim.presigned ? 'X-Amz-Signature' : undefined,
  });
  const toSign = stringToSign(amzDate, claim.scope, canonical);
  const key = signingKey(record.secretAccessKey, claim.date, claim.region, claim.service);
  const expected = hmacHex(key, toSign);
  const detail = { accessKeyId, stringToSign: toSign, signatureProvided: claim.signature, canonicalRequest: canonical };
  if (!sameSignature(expected, claim.signature)) throw errors.signatureMismatch(detail);
  // The scope's date is part of what was signed, but must also be the request's own day.
  if (claim.date !== amzDate.slice(0, 8)) throw s3 ? errors.malformedAuth() : errors.signatureMismatch(detail);
  if (s3) {
    const signed = new Set(claim.signedHeaders);
    const unsigned = [...new Set(req.rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase()))].filter(
      (h) => h.startsWith('x-amz-') && !signed.has(h),
    );
    if (unsigned.length > 0) throw s3HeadersNotSigned(unsigned.sort());
  }

  let payload: PayloadSigning | undefined;
  if (HEX64.test(payloadHash) && contentSha !== undefined) {
    payload = {
      sha256: payloadHash,
      mismatch: (computed) => (s3 ? s3ShaMismatch(payloadHash, computed) : errors.signatureMismatch(detail)),
      badChunk: s3ChunkMismatch,
    };
  } else if (payloadHash === STREAMING_SIGNED || payloadHash === STREAMING_SIGNED_TRAILER) {
    payload = {
      chunks: new ChunkSignatureChain(key, amzDate, claim.scope, expected),
      signedTrailer: payloadHash === STREAMING_SIGNED_TRAILER,
      mismatch: (computed) => s3ShaMismatch(payloadHash, computed),
      badChunk: s3ChunkMismatch,
    };
  }
  return { principal: record.principal, payload };
}
