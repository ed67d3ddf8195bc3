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
