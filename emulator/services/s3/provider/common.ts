import type { RequestContext } from '../../../core/types';
import { canonicalUserId } from '../model/buckets';
import { anonymousAllowed } from '../model/public-access';
import { checkEncodingType } from '../model/listing';

/** The ARN access-denied messages name: the bucket, or the object when the input has a Key. */
export function s3Resource(input: { Bucket?: string; Key?: string }): string {
  return input.Key !== undefined ? `arn:aws:s3:::${input.Bucket ?? ''}/${input.Key}` : `arn:aws:s3:::${input.Bucket ?? ''}`;
}

/** The ARN an access-denied message names for an object operation. */
export const objectArn = (input: { Bucket?: string; Key?: string }) => `arn:aws:s3:::${input.Bucket ?? ''}/${input.Key ?? ''}`;
/** …and for a bucket operation. */
export const bucketArn = (input: { Bucket?: string }) => (input.Bucket ? `arn:aws:s3:::${input.Bucket}` : '*');

export type Addressed = { Bucket?: string; Key?: string; VersionId?: string };

/** Anonymous callers may do what the bucket policy grants everyone (Block Public Access permitting). */
export function publicFor(action: (input: Addressed) => string, resource: (input: Addressed) => string) {
  return (input: Addressed, ctx: RequestContext) => anonymousAllowed(ctx.env.db, input.Bucket ?? '', action(input), resource(input));
}

/** The one owner every object and upload here has: the emulated account. */
export function ownerOf(ctx: RequestContext) {
  return { ID: canonicalUserId(ctx.env.accountId), DisplayName: 'berth-emulator' };
}

/** `encoding-type=url`: keys and prefixes URL-encoded, slashes kept, as S3 writes them. */
export function encoderFor(encodingType: string | undefined): { encode: (s: string) => string; encodingType?: 'url' } {
  return checkEncodingType(encodingType)
    ? { encode: (s) => encodeURIComponent(s).replace(/%2F/g, '/'), encodingType: 'url' }
    : { encode: (s) => s };
}
