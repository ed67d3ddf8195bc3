import type Database from 'better-sqlite3';
import { AwsError } from '../../../core/errors';
import { getBucket, noSuchBucket } from './buckets';
import { ARCHIVED_CLASSES, latestRow, versionRow, type ObjectRow } from './store';

/**
 * What CopyObject and UploadPartCopy read: the source named by
 * `x-amz-copy-source`, the `x-amz-copy-source-if-*` preconditions on it, and
 * (UploadPartCopy only) the byte range. State and rules only.
 */

export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

/** The `x-amz-copy-source-if-*` members of CopyObject's and UploadPartCopy's input. */
export interface CopySourceConditions {
  CopySourceIfMatch?: string;
  CopySourceIfNoneMatch?: string;
  CopySourceIfModifiedSince?: Date;
  CopySourceIfUnmodifiedSince?: Date;
}

/** The largest source a single CopyObject or a range-less UploadPartCopy may read (5 GiB). */
export const MAX_COPY_SOURCE_BYTES = 5 * 1024 * 1024 * 1024;

/** `bucket/key` or `/bucket/key`, URL-encoded, optionally followed by `?versionId=…`. */
export function parseCopySource(raw: string): CopySource {
  const q = raw.indexOf('?');
  const pathPart = q >= 0 ? raw.slice(0, q) : raw;
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart.replace(/^\//, ''));
  } catch {
    decoded = '';
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw new AwsError('InvalidArgument', 'Invalid copy source object key', 400, {
      fields: { ArgumentName: 'x-amz-copy-source', ArgumentValue: raw },
    });
  }
  const versionId = query.get('versionId') ?? undefined;
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId ? { versionId } : {}) };
}

/**
 * The version a copy reads: the named version (never a delete marker), or the
 * current one. An archived object (GLACIER, DEEP_ARCHIVE) must be restored
 * before S3 copies it.
 */
export function resolveCopySource(db: Database.Database, src: CopySource): ObjectRow {
  if (!getBucket(db, src.bucket)) throw noSuchBucket(src.bucket);
  let source: ObjectRow | undefined;
  if (src.versionId !== undefined) {
    source = versionRow(db, src.bucket, src.key, src.versionId);
    if (!source) {
      throw new AwsError('NoSuchVersion', 'The specified version does not exist.', 404, {
        fields: { Key: src.key, VersionId: src.versionId },
      });
    }
    if (source.is_delete_marker) {
      throw new AwsError('InvalidRequest', 'The source of a copy request may not specifically refer to a delete marker by version id.', 400);
    }
  } else {
    source = latestRow(db, src.bucket, src.key);
    if (!source || source.is_delete_marker) {
      throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: src.key } });
    }
  }
  if (ARCHIVED_CLASSES.includes(source.storage_class)) {
    throw new AwsError('InvalidObjectState', "Operation is not valid for the source object's storage class", 403, {
      fields: { StorageClass: source.storage_class },
    });
  }
  return source;
}

export function etagList(h: string): string[] {
  return h.split(',').map((s) => s.trim().replace(/^W\//, ''));
}

export function sameEtag(list: string[], etag: string): boolean {
  return list.some((e) => e === '*' || e === etag || `"${e}"` === etag);
}

export function preconditionFailed(condition: string): AwsError {
  return new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
    fields: { Condition: condition },
  });
}

/**
 * The copy preconditions, combined as the CopyObject reference says: a
 * matching If-Match wins over a failing If-Unmodified-Since, and a failing
 * If-None-Match fails whatever If-Modified-Since says.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
 */
export function checkCopySourceConditions(source: ObjectRow, c: CopySourceConditions): void {
  const etag = source.etag ?? '';
  // HTTP dates have second precision.
  const modifiedSec = Math.floor(source.last_modified_ms / 1000) * 1000;
  if (c.CopySourceIfMatch !== undefined) {
    if (!sameEtag(etagList(c.CopySourceIfMatch), etag)) throw preconditionFailed('x-amz-copy-source-If-Match');
  } else if (c.CopySourceIfUnmodifiedSince !== undefined) {
    if (modifiedSec > c.CopySourceIfUnmodifiedSince.getTime()) throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (c.CopySourceIfNoneMatch !== undefined) {
    if (sameEtag(etagList(c.CopySourceIfNoneMatch), etag)) throw preconditionFailed('x-amz-copy-source-If-None-Match');
  } else if (c.CopySourceIfModifiedSince !== undefined) {
    if (modifiedSec <= c.CopySourceIfModifiedSince.getTime()) throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
}

/**
 * `x-amz-copy-source-range: bytes=first-last`, both zero-based and inclusive,
 * inside the source. Unlike GET's Range, S3 accepts no open-ended or suffix
 * form here, and a range past the end is refused rather than shortened.
 */
export function copySourceRange(raw: string, sourceSize: number): { start: number; end: number } {
  const m = /^bytes=(\d+)-(\d+)$/.exec(raw.trim());
  if (!m) {
    throw new AwsError(
      'InvalidArgument',
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      400,
      { fields: { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: raw } },
    );
  }
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end || end >= sourceSize) {
    throw new AwsError('InvalidArgument', `Range specified is not valid for source object of size: ${sourceSize}`, 400, {
      fields: { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: raw },
    });
  }
  return { start, end };
}
