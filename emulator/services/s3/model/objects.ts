import { createHash } from 'node:crypto';
import type { ServerSideEncryption } from '@aws-sdk/client-s3';
import type Database from 'better-sqlite3';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { getBucket, noSuchBucket } from './buckets';
import { anonymousAllowed } from './access-policy';
import {
  bucketEncryptionOf,
  objectEncryption,
  storedEncryption,
  withoutEncryption,
  type EncryptionRequest,
} from './encryption';
import {
  MAX_COPY_SOURCE_BYTES,
  checkCopySourceConditions,
  etagList,
  parseCopySource,
  resolveCopySource,
  sameEtag,
  type CopySourceConditions,
} from './copy-source';
import { checkUploadAcl, setObjectGrants, type UploadAcl } from './acl';
import { bucketOrThrow, malformedXml } from './documents';
import { beginConditionalWrite, checkConditionalWrite, type WriteConditions } from './conditional-writes';
import { objectTagCount, objectTagsOf, requestTags, setObjectTags, taggingDirectiveOf } from './object-tags';
import {
  ARCHIVED_CLASSES,
  STORAGE_CLASSES,
  deleteCurrent,
  deleteVersion,
  latestRow,
  versionRow,
  versioningOf,
  writeVersion,
  type DeleteOutcome,
  type ObjectRow,
} from './store';
import { expectedMd5, storeBody, type BodyFraming } from './upload';

/**
 * Objects: writing, copying, reading and deleting versions, and the rules S3
 * applies to each (key length, storage classes, metadata size, conditional
 * requests, ranges, delete markers). No wire format here: the providers map
 * the SDK's inputs in and these results out.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
 */

export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

export function noSuchKey(k: string): AwsError {
  return new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: k } });
}

/**
 * The version id a response names: always once the bucket has had versioning
 * configured, and never for the `null` version of a bucket that never had it.
 */
export function answeredVersionId(db: Database.Database, bucket: string, versionId: string): string | undefined {
  return versioningOf(db, bucket) === null && versionId === 'null' ? undefined : versionId;
}

// ---- what a write stores with the object

/** The input members S3 keeps with an object and answers on GET/HEAD. */
export interface StoredHeaderMembers {
  CacheControl?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  Expires?: Date;
  WebsiteRedirectLocation?: string;
  Metadata?: Record<string, string>;
}

/** User metadata (x-amz-meta-*) and the stored system headers, checked against S3's 2 KB limit. */
export function storedHeadersOf(m: StoredHeaderMembers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.Metadata ?? {})) out[`x-amz-meta-${k.toLowerCase()}`] = v;
  if (m.CacheControl !== undefined) out['cache-control'] = m.CacheControl;
  if (m.ContentDisposition !== undefined) out['content-disposition'] = m.ContentDisposition;
  if (m.ContentEncoding !== undefined) {
    // aws-chunked is transfer framing, not the object's encoding.
    const rest = m.ContentEncoding.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'aws-chunked');
    if (rest.length > 0) out['content-encoding'] = rest.join(', ');
  }
  if (m.ContentLanguage !== undefined) out['content-language'] = m.ContentLanguage;
  if (m.Expires !== undefined) out.expires = httpDate(m.Expires.getTime());
  if (m.WebsiteRedirectLocation !== undefined) out['x-amz-website-redirect-location'] = m.WebsiteRedirectLocation;
  const size = JSON.stringify(out).length;
  if (size > 2048 + 512) {
    throw new AwsError('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', 400, {
      fields: { Size: size, MaxSizeAllowed: 2048 },
    });
  }
  return out;
}

/** What GET and HEAD answer about a version's stored headers. */
export interface StoredHeaderView extends StoredHeaderMembers {
  /** An Expires value stored before it was checked as a date, answered as it was given. */
  expiresText?: string;
  ServerSideEncryption?: ServerSideEncryption;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
}

export function storedHeaderView(metadataJson: string): StoredHeaderView {
  const meta = JSON.parse(metadataJson) as Record<string, string>;
  const view: StoredHeaderView = {};
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (k.startsWith('x-amz-meta-')) metadata[k.slice('x-amz-meta-'.length)] = v;
  }
  if (Object.keys(metadata).length > 0) view.Metadata = metadata;
  if (meta['cache-control'] !== undefined) view.CacheControl = meta['cache-control'];
  if (meta['content-disposition'] !== undefined) view.ContentDisposition = meta['content-disposition'];
  if (meta['content-encoding'] !== undefined) view.ContentEncoding = meta['content-encoding'];
  if (meta['content-language'] !== undefined) view.ContentLanguage = meta['content-language'];
  if (meta.expires !== undefined) {
    const t = Date.parse(meta.expires);
    if (Number.isFinite(t)) view.Expires = new Date(t);
    else view.expiresText = meta.expires;
  }
  if (meta['x-amz-website-redirect-location'] !== undefined) view.WebsiteRedirectLocation = meta['x-amz-website-redirect-location'];
  return { ...view, ...encryptionView(storedEncryption(meta)) };
}

/** Encryption headers (as stored and answered) as the output members that carry them. */
export function encryptionView(headers: Record<string, string>): Pick<StoredHeaderView, 'ServerSideEncryption' | 'SSEKMSKeyId' | 'BucketKeyEnabled'> {
  const out: Pick<StoredHeaderView, 'ServerSideEncryption' | 'SSEKMSKeyId' | 'BucketKeyEnabled'> = {};
  // Stored values were checked against S3's algorithms when the object was written.
  if (headers['x-amz-server-side-encryption'] !== undefined) out.ServerSideEncryption = headers['x-amz-server-side-encryption'] as ServerSideEncryption;
  if (headers['x-amz-server-side-encryption-aws-kms-key-id'] !== undefined) {
    out.SSEKMSKeyId = headers['x-amz-server-side-encryption-aws-kms-key-id'];
  }
  if (headers['x-amz-server-side-encryption-bucket-key-enabled'] === 'true') out.BucketKeyEnabled = true;
  return out;
}

/** x-amz-storage-class, checked; STANDARD when absent (CopyObject does not inherit the source's class). */
export function storageClassOf(requested: string | undefined): string {
  if (requested === undefined || requested === '') return 'STANDARD';
  if (!(STORAGE_CLASSES as readonly string[]).includes(requested)) {
    throw new AwsError('InvalidStorageClass', 'The storage class you specified is not valid', 400, { fields: { StorageClassRequested: requested } });
  }
  return requested;
}

function checkKeyLength(key: string): void {
  const size = Buffer.byteLength(key);
  if (size > 1024) throw new AwsError('KeyTooLongError', 'Your key is too long', 400, { fields: { Size: size, MaxSizeAllowed: 1024 } });
}

function contentTypeOr(ct: string | undefined): string {
  return ct !== undefined && ct !== '' ? ct : 'binary/octet-stream';
}

// ---- PutObject

/** What PutObject and CreateMultipartUpload take besides the bytes. */
export interface NewObjectRequest extends StoredHeaderMembers, EncryptionRequest {
  ContentType?: string;
  StorageClass?: string;
  Tagging?: string;
}

export interface WrittenObject {
  row: ObjectRow;
  /** The encryption headers stored with the object, which the answer repeats. */
  encryption: Record<string, string>;
}

/**
 * PutObject: streams the body into the blob store, then writes the version in
 * one transaction that checks the bucket still exists and the write's
 * conditions (If-Match, If-None-Match) still hold.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 */
export async function putObject(
  env: EmulatorEnv,
  bucket: string,
  key: string,
  req: NewObjectRequest & WriteConditions & UploadAcl,
  body: AsyncIterable<Buffer | string>,
  framing: BodyFraming,
): Promise<WrittenObject> {
  const db = env.db;
  const b = bucketOrThrow(db, bucket);
  const storageClass = storageClassOf(req.StorageClass);
  checkKeyLength(key);
  const tags = requestTags(req.Tagging);
  const encryption = objectEncryption(req, bucketEncryptionOf(db, b.name));
  const metadata = { ...storedHeadersOf(req), ...encryption };
  const grants = checkUploadAcl(db, b.name, req);
  const condition = beginConditionalWrite(db, req, b.name, key);
  const stored = await storeBody(env, body, framing);
  const row = db.transaction(() => {
    if (!getBucket(db, b.name)) throw noSuchBucket(b.name);
    checkConditionalWrite(db, condition);
    const written = writeVersion(db, b.name, key, {
      size: stored.size,
      etag: `"${stored.md5}"`,
      contentType: contentTypeOr(req.ContentType),
      blobSha256: stored.sha256,
      metadata,
      lastModifiedMs: env.now(),
      storageClass,
    });
    if (tags?.length) setObjectTags(db, b.name, key, written.version_id, tags);
    if (grants) setObjectGrants(db, b.name, key, written.version_id, grants);
    return written;
  }).immediate();
  return { row, encryption };
}

// ---- CopyObject

export interface CopyObjectRequest extends NewObjectRequest, CopySourceConditions {
  CopySource?: string;
  MetadataDirective?: string;
  TaggingDirective?: string;
}

export interface CopiedObject extends WrittenObject {
  source: ObjectRow;
  /** Whether the source's bucket has ever had versioning (S3 names the source version then). */
  sourceVersioned: boolean;
}

/**
 * CopyObject: a new version of the destination made of the source's bytes,
 * with the source's or the request's metadata and tags, encrypted as the
 * destination says.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
export function copyObject(env: EmulatorEnv, bucket: string, key: string, req: CopyObjectRequest): CopiedObject {
  const db = env.db;
  const b = bucketOrThrow(db, bucket);
  const src = parseCopySource(req.CopySource ?? '');
  const directive = (req.MetadataDirective ?? 'COPY').toUpperCase();
  const storageClass = storageClassOf(req.StorageClass);
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw new AwsError('InvalidArgument', 'Unknown metadata directive.', 400, {
      fields: { ArgumentName: 'x-amz-metadata-directive', ArgumentValue: directive },
    });
  }
  const taggingDirective = taggingDirectiveOf(req.TaggingDirective);
  const requested = taggingDirective === 'REPLACE' ? (requestTags(req.Tagging) ?? []) : undefined;
  const encryption = objectEncryption(req, bucketEncryptionOf(db, b.name));
  const replace = directive === 'REPLACE';
  const replaced = replace ? storedHeadersOf(req) : undefined;
  const result = db.transaction(() => {
    const source = resolveCopySource(db, src);
    checkCopySourceConditions(source, req);
    if (source.size > MAX_COPY_SOURCE_BYTES) {
      throw new AwsError('InvalidRequest', `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_SOURCE_BYTES}`, 400);
    }
    if (
      src.bucket === b.name &&
      src.key === key &&
      src.versionId === undefined &&
      !replace &&
      !req.StorageClass &&
      !req.ServerSideEncryption &&
      !req.WebsiteRedirectLocation
    ) {
      throw new AwsError(
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        400,
      );
    }
    const sourceMeta = withoutEncryption(JSON.parse(source.metadata) as Record<string, string>);
    const tags = requested ?? objectTagsOf(db, source.bucket, source.key, source.version_id);
    const row = writeVersion(db, b.name, key, {
      size: source.size,
      etag: source.etag ?? '""',
      contentType: replace ? contentTypeOr(req.ContentType) : (source.content_type ?? 'binary/octet-stream'),
      blobSha256: source.blob_sha256 ?? '',
      metadata: { ...(replaced ?? sourceMeta), ...encryption },
      lastModifiedMs: env.now(),
      storageClass,
    });
    if (tags.length) setObjectTags(db, b.name, key, row.version_id, tags);
    return { row, source };
  }).immediate();
  return { ...result, encryption, sourceVersioned: versioningOf(db, src.bucket) !== null };
}

// ---- GetObject / HeadObject

/**
 * The object version a read (or a sub-resource call such as GetObjectTagging)
 * addresses: a named version, or the current one. Answers NoSuchKey,
 * NoSuchVersion, or MethodNotAllowed for a delete marker named by id, as S3 does.
 */
export function findVersion(db: Database.Database, bucket: string, k: string, versionId: string | undefined, method: string): ObjectRow {
  if (versionId !== undefined) {
    const row = versionRow(db, bucket, k, versionId);
    if (!row) {
      if (versionId !== 'null' && !/^[A-Za-z0-9._-]{1,64}$/.test(versionId)) {
        throw new AwsError('InvalidArgument', 'Invalid version id specified', 400, {
          fields: { ArgumentName: 'versionId', ArgumentValue: versionId },
        });
      }
      throw new AwsError('NoSuchVersion', 'The specified version does not exist.', 404, { fields: { Key: k, VersionId: versionId } });
    }
    if (row.is_delete_marker) {
      throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
        fields: { Method: method, ResourceType: 'DeleteMarker' },
        headers: {
          'x-amz-delete-marker': 'true',
          'x-amz-version-id': row.version_id,
          'Last-Modified': httpDate(row.last_modified_ms),
          Allow: 'DELETE',
        },
      });
    }
    return row;
  }
  const row = latestRow(db, bucket, k);
  if (!row) throw noSuchKey(k);
  if (row.is_delete_marker) {
    const err = noSuchKey(k);
    err.headers['x-amz-delete-marker'] = 'true';
    err.headers['x-amz-version-id'] = row.version_id;
    throw err;
  }
  return row;
}

/** GET/HEAD's conditional request members. */
export interface ReadConditions {
  IfMatch?: string;
  IfNoneMatch?: string;
  IfModifiedSince?: Date;
  IfUnmodifiedSince?: Date;
}

/**
 * Applies If-Match / If-Unmodified-Since (412) and If-None-Match /
 * If-Modified-Since (true: answer 304 Not Modified), combined as RFC 7232
 * and the GetObject reference say.
 */
function notModified(row: ObjectRow, c: ReadConditions): boolean {
  const etag = row.etag ?? '';
  const modifiedSec = Math.floor(row.last_modified_ms / 1000) * 1000;
  const failed = (condition: string) =>
    new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
      fields: { Condition: condition },
    });
  if (c.IfMatch !== undefined) {
    if (!sameEtag(etagList(c.IfMatch), etag)) throw failed('If-Match');
  } else if (c.IfUnmodifiedSince !== undefined) {
    if (modifiedSec > c.IfUnmodifiedSince.getTime()) throw failed('If-Unmodified-Since');
  }
  if (c.IfNoneMatch !== undefined) return sameEtag(etagList(c.IfNoneMatch), etag);
  if (c.IfModifiedSince !== undefined) return modifiedSec <= c.IfModifiedSince.getTime();
  return false;
}

/** Parses a single `bytes=` range; undefined means "ignore the header, send everything". */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

export interface ReadRequest extends ReadConditions {
  bucket: string;
  key: string;
  versionId?: string;
  method: 'GET' | 'HEAD';
  /** Whether the caller is anonymous (unsigned). */
  anonymous: boolean;
  range?: string;
}

export type ReadOutcome =
  | { kind: 'not-modified'; row: ObjectRow }
  | { kind: 'object'; row: ObjectRow; range?: { start: number; end: number }; tagCount: number };

/**
 * GetObject and HeadObject: the version asked for, after S3's checks (a
 * missing key is 403 to a caller who may not list the bucket, archived
 * classes cannot be read, preconditions, ranges).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
export function readObject(db: Database.Database, req: ReadRequest): ReadOutcome {
  const b = bucketOrThrow(db, req.bucket);
  let row: ObjectRow;
  try {
    row = findVersion(db, b.name, req.key, req.versionId, req.method);
  } catch (err) {
    // Without s3:ListBucket a caller may not learn that a key is missing: S3 answers 403 instead of 404.
    if (
      req.anonymous &&
      err instanceof AwsError &&
      err.code === 'NoSuchKey' &&
      !anonymousAllowed(db, b.name, 's3:ListBucket', `arn:aws:s3:::${b.name}`)
    ) {
      throw new AwsError('AccessDenied', 'Access Denied', 403);
    }
    throw err;
  }
  if (req.method === 'GET' && ARCHIVED_CLASSES.includes(row.storage_class)) {
    throw new AwsError('InvalidObjectState', "The operation is not valid for the object's storage class", 403, {
      fields: { StorageClass: row.storage_class },
    });
  }
  if (notModified(row, req)) return { kind: 'not-modified', row };
  const range = req.range !== undefined ? parseRange(req.range, row.size) : undefined;
  if (range === 'unsatisfiable') {
    throw new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, {
      fields: { RangeRequested: String(req.range), ActualObjectSize: row.size },
      headers: { 'Content-Range': `bytes */${row.size}` },
    });
  }
  // GetObject names the tag count (HeadObject's output has no such member in S3's reference).
  const tagCount = req.method === 'GET' ? objectTagCount(db, row.bucket, row.key, row.version_id) : 0;
  return { kind: 'object', row, ...(range ? { range } : {}), tagCount };
}

// ---- DeleteObject / DeleteObjects

/**
 * DeleteObject: a delete marker on a versioned bucket, removal otherwise; a
 * version id removes that version for good.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
 */
export function deleteObject(env: EmulatorEnv, bucket: string, key: string, versionId: string | undefined): DeleteOutcome {
  const db = env.db;
  const b = bucketOrThrow(db, bucket);
  return db
    .transaction(() => (versionId !== undefined ? deleteVersion(db, b.name, key, versionId) : deleteCurrent(db, b.name, key, env.now())))
    .immediate();
}

export interface DeleteItem {
  key: string;
  versionId?: string;
}

export type DeleteItemResult = DeleteItem & ({ out: DeleteOutcome } | { error: { code: string; message: string } });


/**
 * DeleteObjects: up to 1,000 keys in one request, which must carry
 * Content-MD5 or a checksum of its body.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
 */
export function deleteObjects(
  env: EmulatorEnv,
  bucket: string,
  objects: readonly { Key?: string; VersionId?: string }[] | undefined,
  integrity: { body: Buffer; contentMd5?: string; hasChecksum: boolean },
  /** Whether the caller may delete this key (version); a refused one is reported as AccessDenied and left alone. */
  mayDelete: (key: string, versionId: string | undefined) => boolean = () => true,
): DeleteItemResult[] {
  const db = env.db;
  const b = bucketOrThrow(db, bucket);
  const md5 = expectedMd5(integrity.contentMd5);
  if (md5 === undefined && !integrity.hasChecksum) {
    throw new AwsError('InvalidRequest', 'Missing required header for this request: Content-MD5', 400);
  }
  if (md5 !== undefined && createHash('md5').update(integrity.body).digest('hex') !== md5) {
    throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
  }
  if (!objects || objects.length === 0 || objects.length > 1000) throw malformedXml();
  const items: DeleteItem[] = objects.map((o) => {
    if (typeof o.Key !== 'string') throw malformedXml();
    return { key: o.Key, ...(o.VersionId !== undefined ? { versionId: o.VersionId } : {}) };
  });
  return db
    .transaction(() =>
      items.map((it): DeleteItemResult => {
        if (!mayDelete(it.key, it.versionId)) return { ...it, error: { code: 'AccessDenied', message: 'Access Denied' } };
        if (it.versionId !== undefined) {
          if (it.versionId !== 'null' && !/^[A-Za-z0-9._-]{1,64}$/.test(it.versionId)) {
            return { ...it, error: { code: 'NoSuchVersion', message: 'The specified version does not exist.' } };
          }
          return { ...it, out: deleteVersion(db, b.name, it.key, it.versionId) };
        }
        return { ...it, out: deleteCurrent(db, b.name, it.key, env.now()) };
      }),
    )
    .immediate();
}

// ---- object tags

/**
 * GetObjectTagging, PutObjectTagging and DeleteObjectTagging address one
 * version (the current one by default), which must not be a delete marker.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html
 */
export function objectTagging(db: Database.Database, bucket: string, key: string, versionId: string | undefined, method: string) {
  const b = bucketOrThrow(db, bucket);
  const row = findVersion(db, b.name, key, versionId, method);
  return { row, tags: objectTagsOf(db, b.name, row.key, row.version_id) };
}

/** Replaces (or with an empty set, removes) the tags of the version addressed; returns that version. */
export function replaceObjectTags(
  db: Database.Database,
  bucket: string,
  key: string,
  versionId: string | undefined,
  method: string,
  tags: readonly { Key: string; Value: string }[],
): ObjectRow {
  return db
    .transaction(() => {
      const b = bucketOrThrow(db, bucket);
      const row = findVersion(db, b.name, key, versionId, method);
      setObjectTags(db, b.name, row.key, row.version_id, tags);
      return row;
    })
    .immediate();
}
