import { randomBytes, randomUUID } from 'node:crypto';

export function newRequestId(): string {
  return randomUUID();
}

/** S3's x-amz-id-2 is an opaque base64 token; any random bytes do. */
export function newExtendedRequestId(): string {
  return randomBytes(48).toString('base64');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Upper-case alphanumeric id of the given length, the alphabet CloudFront ids use. */
export function randomUpperId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[(bytes[i] ?? 0) % ALNUM.length];
  return out;
}

/**
 * How new CloudFront distribution and origin-access ids begin: "E", as AWS's
 * do. The API model promises nothing about an id's shape, so tests can make
 * this emulator mint ids like another implementation would (PUT
 * /_emulator/cloudfront-ids) and show that a client copes.
 */
export const cloudfrontIds = { prefix: 'E' };

/** A prefix that keeps ids usable as one URL path segment. */
export const CLOUDFRONT_ID_PREFIX = /^[A-Za-z0-9._~-]{0,16}$/;
