import type { AccessCheck } from '../../../core/authorize';
import type { RequestContext } from '../../../core/types';
import { canonicalUserId } from '../model/buckets';
import { parseCopySource } from '../model/copy-source';
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

/** GET and HEAD of an object: s3:GetObject, or s3:GetObjectVersion for a named version (with s3:VersionId). */
export function readCheck(input: Addressed): AccessCheck {
  return {
    action: input.VersionId !== undefined ? 's3:GetObjectVersion' : 's3:GetObject',
    resource: objectArn(input),
    ...(input.VersionId !== undefined ? { context: { 's3:VersionId': input.VersionId } } : {}),
  };
}

/** CopyObject reads its source: s3:GetObject (s3:GetObjectVersion for a version) on it. A malformed source is the handler's error. */
export function copySourceChecks(raw: string | undefined): AccessCheck[] {
  if (raw === undefined) return [];
  let src;
  try {
    src = parseCopySource(raw);
  } catch {
    return [];
  }
  return [readCheck({ Bucket: src.bucket, Key: src.key, VersionId: src.versionId })];
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
