import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AwsError } from '../../core/errors';
import type { Reply, RequestContext } from '../../core/types';
import { asArray, isoTime, leaf, node, parseXml } from '../../core/xml';
import { requireBucket } from './legacy';
import { S3_NS } from './namespace';
import { canonicalUserId, getBucket, malformedXml, noSuchBucket } from './model/buckets';
import { anonymousAllowed } from './model/public-access';
import {
  MAX_COPY_SOURCE_BYTES,
  checkCopySourceConditions,
  copySourceConditionsFrom,
  etagList,
  parseCopySource,
  resolveCopySource,
  sameEtag,
} from './copy-source';
import { bucketEncryptionOf, objectEncryption, storedEncryption, withoutEncryption } from './model/encryption';
import { objectTagCount, objectTagsOf, setObjectTags, tagsFromRequest, taggingDirectiveOf } from './object-tags';
import {
  cached,
  deleteCurrent,
  deleteVersion,
  latestRow,
  listCurrent,
  lowerAfter,
  prefixSuccessor,
  scan,
  versionRow,
  versioningOf,
  writeVersion,
  ARCHIVED_CLASSES,
  STORAGE_CLASSES,
  type Lower,
  type ObjectRow,
} from './store';
import { issueListToken, readListToken } from './list-token';
import { checkUploadAcl } from './model/acl';
import { beginConditionalWrite, checkConditionalWrite } from './model/conditional-writes';
import { expectedMd5, storeRequestBody } from './upload';

/** Headers S3 stores with an object and returns on GET/HEAD, besides x-amz-meta-*. */
const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires', 'x-amz-website-redirect-location'];

export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

function key(ctx: RequestContext): string {
  return ctx.params.Key ?? '';
}

/** User metadata and stored system headers from a request. */
export function metadataFromHeaders(ctx: RequestContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.headers)) {
    if (typeof v !== 'string') continue;
    const lk = k.toLowerCase();
    if (lk.startsWith('x-amz-meta-') || STORED_HEADERS.includes(lk)) {
      // aws-chunked is transfer framing, not the object's encoding.
      if (lk === 'content-encoding') {
        const rest = v.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'aws-chunked');
        if (rest.length > 0) out[lk] = rest.join(', ');
        continue;
      }
      out[lk] = v;
    }
  }
  const size = JSON.stringify(out).length;
  if (size > 2048 + 512) {
    throw new AwsError('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', 400, {
      fields: { Size: size, MaxSizeAllowed: 2048 },
    });
  }
  return out;
}

function contentTypeOf(ctx: RequestContext): string {
  const ct = ctx.headers['content-type'];
  return typeof ct === 'string' && ct !== '' ? ct : 'binary/octet-stream';
}

export function noSuchKey(k: string): AwsError {
  return new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: k } });
}

/** Whether responses for this bucket carry x-amz-version-id (once versioning has ever been configured). */
export function versionHeader(ctx: RequestContext, bucket: string, versionId: string): Record<string, string> {
  return versioningOf(ctx.env.db, bucket) === null && versionId === 'null' ? {} : { 'x-amz-version-id': versionId };
}

// ---- PutObject / CopyObject

/** x-amz-storage-class, checked; STANDARD when absent (CopyObject does not inherit the source's class). */
export function storageClassOf(ctx: RequestContext): string {
  const raw = ctx.headers['x-amz-storage-class'];
  if (typeof raw !== 'string' || raw === '') return 'STANDARD';
  if (!(STORAGE_CLASSES as readonly string[]).includes(raw)) {
    throw new AwsError('InvalidStorageClass', 'The storage class you specified is not valid', 400, { fields: { StorageClassRequested: raw } });
  }
  return raw;
}

export async function putObjectHandler(ctx: RequestContext): Promise<Reply> {
  const b = requireBucket(ctx);
  const k = key(ctx);
  const storageClass = storageClassOf(ctx);
  if (Buffer.byteLength(k) > 1024) {
    throw new AwsError('KeyTooLongError', 'Your key is too long', 400, { fields: { Size: Buffer.byteLength(k), MaxSizeAllowed: 1024 } });
  }
  const tags = tagsFromRequest(ctx.headers);
  const db = ctx.env.db;
  const sse = objectEncryption(ctx.headers, bucketEncryptionOf(db, b.name));
  const metadata = { ...metadataFromHeaders(ctx), ...sse };
  checkUploadAcl(db, b.name, ctx.headers);
  const condition = beginConditionalWrite(db, ctx.headers, b.name, k);
  const stored = await storeRequestBody(ctx);
  const row = db.transaction(() => {
    if (!getBucket(db, b.name)) throw noSuchBucket(b.name);
    checkConditionalWrite(db, condition);
    const written = writeVersion(db, b.name, k, {
      size: stored.size,
      etag: `"${stored.md5}"`,
      contentType: contentTypeOf(ctx),
      blobSha256: stored.sha256,
      metadata,
      lastModifiedMs: ctx.env.now(),
      storageClass,
    });
    if (tags?.length) setObjectTags(db, b.name, k, written.version_id, tags);
    return written;
  }).immediate();
  return { status: 200, headers: { ETag: row.etag ?? '', ...sse, ...versionHeader(ctx, b.name, row.version_id) } };
}

export function copyObjectHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const k = key(ctx);
  const src = parseCopySource(String(ctx.headers['x-amz-copy-source'] ?? ''));
  const conditions = copySourceConditionsFrom(ctx.headers);
  const db = ctx.env.db;
  const directive = String(ctx.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase();
  const storageClass = storageClassOf(ctx);
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw new AwsError('InvalidArgument', 'Unknown metadata directive.', 400, {
      fields: { ArgumentName: 'x-amz-metadata-directive', ArgumentValue: directive },
    });
  }
  const taggingDirective = taggingDirectiveOf(ctx.headers);
  const requestTags = taggingDirective === 'REPLACE' ? (tagsFromRequest(ctx.headers) ?? []) : undefined;
  const sse = objectEncryption(ctx.headers, bucketEncryptionOf(db, b.name));
  const result = db.transaction(() => {
    const source = resolveCopySource(db, src);
    checkCopySourceConditions(source, conditions);
    if (source.size > MAX_COPY_SOURCE_BYTES) {
      throw new AwsError('InvalidRequest', `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_SOURCE_BYTES}`, 400);
    }
    if (
      src.bucket === b.name &&
      src.key === k &&
      src.versionId === undefined &&
      directive === 'COPY' &&
      !ctx.headers['x-amz-storage-class'] &&
      !ctx.headers['x-amz-server-side-encryption'] &&
      !ctx.headers['x-amz-website-redirect-location']
    ) {
      throw new AwsError(
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        400,
      );
    }
    const replace = directive === 'REPLACE';
    const sourceMeta = withoutEncryption(JSON.parse(source.metadata) as Record<string, string>);
    const tags = requestTags ?? objectTagsOf(db, source.bucket, source.key, source.version_id);
    const row = writeVersion(db, b.name, k, {
      size: source.size,
      etag: source.etag ?? '""',
      contentType: replace ? contentTypeOf(ctx) : (source.content_type ?? 'binary/octet-stream'),
      blobSha256: source.blob_sha256 ?? '',
      metadata: { ...(replace ? metadataFromHeaders(ctx) : sourceMeta), ...sse },
      lastModifiedMs: ctx.env.now(),
      storageClass,
    });
    if (tags.length) setObjectTags(db, b.name, k, row.version_id, tags);
    return { row, source };
  }).immediate();
  const headers: Record<string, string> = { ...sse, ...versionHeader(ctx, b.name, result.row.version_id) };
  if (versioningOf(db, src.bucket) !== null) headers['x-amz-copy-source-version-id'] = result.source.version_id;
  return {
    headers,
    xml: node('CopyObjectResult', leaf('LastModified', isoTime(result.row.last_modified_ms)) + leaf('ETag', result.row.etag), {
      xmlns: S3_NS,
    }),
  };
}

// ---- GetObject / HeadObject

/** Finds the version a GET/HEAD asks for, answering S3's errors for missing keys and delete markers. */
function resolveForRead(ctx: RequestContext, bucket: string, k: string): ObjectRow {
  return findVersion(ctx.env.db, bucket, k, ctx.query.get('versionId'), ctx.method);
}

/**
 * The object version a read (or a sub-resource call such as GetObjectTagging)
 * addresses: a named version, or the current one. Answers NoSuchKey,
 * NoSuchVersion, or MethodNotAllowed for a delete marker named by id, as S3 does.
 */
export function findVersion(db: Database.Database, bucket: string, k: string, versionId: string | null, method: string): ObjectRow {
  if (versionId !== null) {
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

/** Applies If-Match / If-Unmodified-Since (412) and If-None-Match / If-Modified-Since (304). */
function checkConditions(ctx: RequestContext, row: ObjectRow, headers: Record<string, string>): Reply | undefined {
  const etag = row.etag ?? '';
  const modifiedSec = Math.floor(row.last_modified_ms / 1000) * 1000;
  const ifMatch = ctx.headers['if-match'];
  const ifUnmodified = ctx.headers['if-unmodified-since'];
  const ifNoneMatch = ctx.headers['if-none-match'];
  const ifModified = ctx.headers['if-modified-since'];
  const failed = (condition: string) =>
    new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
      fields: { Condition: condition },
    });
  if (typeof ifMatch === 'string') {
    if (!sameEtag(etagList(ifMatch), etag)) throw failed('If-Match');
  } else if (typeof ifUnmodified === 'string') {
    const t = Date.parse(ifUnmodified);
    if (Number.isFinite(t) && modifiedSec > t) throw failed('If-Unmodified-Since');
  }
  const notModified: Reply = {
    status: 304,
    headers: { ETag: etag, 'Last-Modified': headers['Last-Modified'] ?? '', ...pick(headers, 'x-amz-version-id') },
  };
  if (typeof ifNoneMatch === 'string') {
    if (sameEtag(etagList(ifNoneMatch), etag)) return notModified;
  } else if (typeof ifModified === 'string') {
    const t = Date.parse(ifModified);
    if (Number.isFinite(t) && modifiedSec <= t) return notModified;
  }
  return undefined;
}

function pick(h: Record<string, string>, name: string): Record<string, string> {
  return h[name] !== undefined ? { [name]: h[name] } : {};
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

export function objectHeaders(ctx: RequestContext, row: ObjectRow): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': row.content_type ?? 'binary/octet-stream',
    ETag: row.etag ?? '',
    'Last-Modified': httpDate(row.last_modified_ms),
    'Accept-Ranges': 'bytes',
    ...versionHeader(ctx, row.bucket, row.version_id),
  };
  // S3 names the class only when it is not STANDARD.
  if (row.storage_class !== 'STANDARD') headers['x-amz-storage-class'] = row.storage_class;
  const meta = JSON.parse(row.metadata) as Record<string, string>;
  for (const [k, v] of Object.entries(meta)) headers[k] = v;
  Object.assign(headers, storedEncryption(meta));
  // GetObject names the tag count (HeadObject's output has no such member).
  if (ctx.method === 'GET') {
    const tagCount = objectTagCount(ctx.env.db, row.bucket, row.key, row.version_id);
    if (tagCount > 0) headers['x-amz-tagging-count'] = String(tagCount);
  }
  // response-* query parameters override what GET returns.
  const overrides: [string, string][] = [
    ['response-content-type', 'Content-Type'],
    ['response-content-disposition', 'content-disposition'],
    ['response-content-encoding', 'content-encoding'],
    ['response-content-language', 'content-language'],
    ['response-cache-control', 'cache-control'],
    ['response-expires', 'expires'],
  ];
  for (const [q, h] of overrides) {
    const v = ctx.query.get(q);
    if (v !== null) headers[h] = v;
  }
  return headers;
}

export function getObjectHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  let row: ObjectRow;
  try {
    row = resolveForRead(ctx, b.name, key(ctx));
  } catch (err) {
    // Without s3:ListBucket a caller may not learn that a key is missing: S3 answers 403 instead of 404.
    if (
      ctx.principal === null &&
      err instanceof AwsError &&
      err.code === 'NoSuchKey' &&
      !anonymousAllowed(ctx.env.db, b.name, 's3:ListBucket', `arn:aws:s3:::${b.name}`)
    ) {
      throw new AwsError('AccessDenied', 'Access Denied', 403);
    }
    throw err;
  }
  if (ctx.method === 'GET' && ARCHIVED_CLASSES.includes(row.storage_class)) {
    throw new AwsError('InvalidObjectState', "The operation is not valid for the object's storage class", 403, {
      fields: { StorageClass: row.storage_class },
    });
  }
  const headers = objectHeaders(ctx, row);
  const nm = checkConditions(ctx, row, headers);
  if (nm) return nm;
  const rangeHeader = ctx.headers.range;
  const range = typeof rangeHeader === 'string' ? parseRange(rangeHeader, row.size) : undefined;
  if (range === 'unsatisfiable') {
    throw new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, {
      fields: { RangeRequested: String(rangeHeader), ActualObjectSize: row.size },
      headers: { 'Content-Range': `bytes */${row.size}` },
    });
  }
  const sha = row.blob_sha256 ?? '';
  const isHead = ctx.method === 'HEAD';
  if (range) {
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${row.size}`;
    headers['Content-Length'] = String(range.end - range.start + 1);
    return { status: 206, headers, body: isHead ? undefined : ctx.env.blobs.createReadStream(sha, range) };
  }
  headers['Content-Length'] = String(row.size);
  return { status: 200, headers, body: isHead || row.size === 0 ? undefined : ctx.env.blobs.createReadStream(sha) };
}

// ---- DeleteObject / DeleteObjects

export function deleteObjectHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const k = key(ctx);
  const versionId = ctx.query.get('versionId');
  const db = ctx.env.db;
  const out = db
    .transaction(() => (versionId !== null ? deleteVersion(db, b.name, k, versionId) : deleteCurrent(db, b.name, k, ctx.env.now())))
    .immediate();
  const headers: Record<string, string> = {};
  if (out.versionId !== undefined) headers['x-amz-version-id'] = out.versionId;
  if (out.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  return { status: 204, headers };
}

export function deleteObjectsHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const hasChecksum = Object.keys(ctx.headers).some((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm');
  const md5 = expectedMd5(ctx);
  if (md5 === undefined && !hasChecksum) {
    throw new AwsError('InvalidRequest', 'Missing required header for this request: Content-MD5', 400);
  }
  if (md5 !== undefined) {
    const actual = createHash('md5').update(ctx.body).digest('hex');
    if (actual !== md5) {
      throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
    }
  }
  const parsed = parseXml(ctx.body.toString('utf8'));
  const del = parsed?.Delete;
  if (!del || typeof del !== 'object') throw malformedXml();
  const d = del as Record<string, unknown>;
  const quiet = d.Quiet === 'true';
  const objects = asArray(d.Object as unknown);
  if (objects.length === 0 || objects.length > 1000) throw malformedXml();
  const items = objects.map((o) => {
    const rec = (o && typeof o === 'object' ? o : {}) as Record<string, unknown>;
    if (typeof rec.Key !== 'string') throw malformedXml();
    return { key: rec.Key, versionId: typeof rec.VersionId === 'string' ? rec.VersionId : undefined };
  });
  const db = ctx.env.db;
  const results = db
    .transaction(() =>
      items.map((it) => {
        if (it.versionId !== undefined) {
          if (it.versionId !== 'null' && !/^[A-Za-z0-9._-]{1,64}$/.test(it.versionId)) {
            return { ...it, error: { code: 'NoSuchVersion', message: 'The specified version does not exist.' } };
          }
          return { ...it, out: deleteVersion(db, b.name, it.key, it.versionId) };
        }
        return { ...it, out: deleteCurrent(db, b.name, it.key, ctx.env.now()) };
      }),
    )
    .immediate();
  let xml = '';
  for (const r of results) {
    if ('error' in r && r.error) {
      xml += node('Error', leaf('Key', r.key) + leaf('VersionId', r.versionId) + leaf('Code', r.error.code) + leaf('Message', r.error.message));
    } else if (!quiet && 'out' in r && r.out) {
      const o = r.out;
      const inner =
        leaf('Key', r.key) +
        (r.versionId !== undefined
          ? leaf('VersionId', r.versionId) + (o.deleteMarker ? leaf('DeleteMarker', true) + leaf('DeleteMarkerVersionId', r.versionId) : '')
          : o.deleteMarker
            ? leaf('DeleteMarker', true) + leaf('DeleteMarkerVersionId', o.versionId)
            : '');
      xml += node('Deleted', inner);
    }
  }
  return { xml: node('DeleteResult', xml, { xmlns: S3_NS }) };
}

// ---- listing

function encodingOf(ctx: RequestContext): ((s: string) => string) | undefined {
  const e = ctx.query.get('encoding-type');
  if (e === null) return undefined;
  if (e !== 'url') {
    throw new AwsError('InvalidArgument', 'Invalid Encoding Method specified in Request', 400, {
      fields: { ArgumentName: 'encoding-type', ArgumentValue: e },
    });
  }
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}

function maxKeys(ctx: RequestContext, name = 'max-keys'): number {
  const raw = ctx.query.get(name);
  if (raw === null) return 1000;
  if (!/^\d+$/.test(raw)) {
    throw new AwsError('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400, {
      fields: { ArgumentName: name, ArgumentValue: raw },
    });
  }
  return Math.min(Number(raw), 1000);
}

function owner(ctx: RequestContext): string {
  return node('Owner', leaf('ID', canonicalUserId(ctx.env.accountId)) + leaf('DisplayName', 'berth-emulator'));
}

function contentsXml(ctx: RequestContext, row: ObjectRow, enc: (s: string) => string, withOwner: boolean): string {
  return node(
    'Contents',
    leaf('Key', enc(row.key)) +
      leaf('LastModified', isoTime(row.last_modified_ms)) +
      leaf('ETag', row.etag) +
      leaf('Size', row.size) +
      (withOwner ? owner(ctx) : '') +
      leaf('StorageClass', row.storage_class),
  );
}

export function listObjectsV2Handler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const enc = encodingOf(ctx);
  const e = enc ?? ((s: string) => s);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const max = maxKeys(ctx);
  const token = ctx.query.get('continuation-token');
  const startAfter = ctx.query.get('start-after');
  let lower: Lower = { key: '', inclusive: true };
  if (token !== null) {
    const marker = readListToken(ctx.env.db, b.name, token);
    if (marker === undefined) {
      throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400, {
        fields: { ArgumentName: 'continuation-token' },
      });
    }
    lower = lowerAfter(marker, prefix, delimiter);
  } else if (startAfter !== null && startAfter !== '') {
    lower = { key: startAfter, inclusive: false };
  }
  const page = listCurrent(ctx.env.db, b.name, { prefix, delimiter, lower, max });
  const fetchOwner = ctx.query.get('fetch-owner') === 'true';
  let body = '';
  for (const en of page.entries) {
    body += en.kind === 'row' ? contentsXml(ctx, en.row, e, fetchOwner) : node('CommonPrefixes', leaf('Prefix', e(en.prefix)));
  }
  const last = page.entries.at(-1);
  const next = page.truncated && last ? issueListToken(ctx.env.db, b.name, last.kind === 'row' ? last.row.key : last.prefix) : undefined;
  const xml = node(
    'ListBucketResult',
    leaf('Name', b.name) +
      leaf('Prefix', e(prefix)) +
      (delimiter !== '' ? leaf('Delimiter', e(delimiter)) : '') +
      leaf('MaxKeys', max) +
      (enc ? leaf('EncodingType', 'url') : '') +
      leaf('KeyCount', page.entries.length) +
      leaf('IsTruncated', page.truncated) +
      leaf('ContinuationToken', token ?? undefined) +
      leaf('NextContinuationToken', next) +
      (startAfter !== null ? leaf('StartAfter', e(startAfter)) : '') +
      body,
    { xmlns: S3_NS },
  );
  return { xml };
}

export function listObjectsHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const enc = encodingOf(ctx);
  const e = enc ?? ((s: string) => s);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const max = maxKeys(ctx);
  const marker = ctx.query.get('marker') ?? '';
  const lower: Lower = marker === '' ? { key: '', inclusive: true } : lowerAfter(marker, prefix, delimiter);
  const page = listCurrent(ctx.env.db, b.name, { prefix, delimiter, lower, max });
  let body = '';
  for (const en of page.entries) {
    body += en.kind === 'row' ? contentsXml(ctx, en.row, e, true) : node('CommonPrefixes', leaf('Prefix', e(en.prefix)));
  }
  const last = page.entries.at(-1);
  const nextMarker = page.truncated && delimiter !== '' && last ? (last.kind === 'row' ? last.row.key : last.prefix) : undefined;
  const xml = node(
    'ListBucketResult',
    leaf('Name', b.name) +
      leaf('Prefix', e(prefix)) +
      leaf('Marker', e(marker)) +
      (nextMarker !== undefined ? leaf('NextMarker', e(nextMarker)) : '') +
      leaf('MaxKeys', max) +
      (delimiter !== '' ? leaf('Delimiter', e(delimiter)) : '') +
      (enc ? leaf('EncodingType', 'url') : '') +
      leaf('IsTruncated', page.truncated) +
      body,
    { xmlns: S3_NS },
  );
  return { xml };
}

export function listObjectVersionsHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const db = ctx.env.db;
  const enc = encodingOf(ctx);
  const e = enc ?? ((s: string) => s);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const max = maxKeys(ctx);
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const vidMarker = ctx.query.get('version-id-marker') ?? '';
  if (vidMarker !== '' && keyMarker === '') {
    throw new AwsError('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', 400, {
      fields: { ArgumentName: 'version-id-marker', ArgumentValue: vidMarker },
    });
  }
  let start: Lower = { key: '', inclusive: true };
  if (keyMarker !== '') {
    const l = lowerAfter(keyMarker, prefix, delimiter);
    start = l;
    if (vidMarker !== '' && !l.inclusive) {
      const m = versionRow(db, b.name, keyMarker, vidMarker);
      if (!m) {
        throw new AwsError('InvalidArgument', 'Invalid version id specified', 400, {
          fields: { ArgumentName: 'version-id-marker', ArgumentValue: vidMarker },
        });
      }
      start = { key: keyMarker, inclusive: true, belowSeq: m.seq };
    }
  }
  const upper = prefix === '' ? null : prefixSuccessor(prefix);
  // Rows come key by key, newest first; a cursor with belowSeq resumes inside a key.
  const page = scan<ObjectRow>(
    { prefix, delimiter, lower: start, max },
    function* rowsFrom(lower: Lower, limit: number): Generator<ObjectRow> {
      let left = limit;
      let after: Lower = lower;
      if (lower.belowSeq !== undefined) {
        const same = cached(db, 'SELECT * FROM s3_objects WHERE bucket = ? AND key = ? AND seq < ? ORDER BY seq DESC LIMIT ?').all(
          b.name,
          lower.key,
          lower.belowSeq,
          limit,
        ) as ObjectRow[];
        yield* same;
        left -= same.length;
        if (left <= 0) return;
        after = { key: lower.key, inclusive: false };
      }
      const sql = `SELECT * FROM s3_objects WHERE bucket = ? AND key ${after.inclusive ? '>=' : '>'} ?${upper === null ? '' : ' AND key < ?'}
                   ORDER BY key, seq DESC LIMIT ?`;
      const args: (string | number)[] = upper === null ? [b.name, after.key, left] : [b.name, after.key, upper, left];
      yield* cached(db, sql).iterate(...args) as IterableIterator<ObjectRow>;
    },
    true,
  );
  let body = '';
  for (const en of page.entries) {
    if (en.kind === 'prefix') {
      body += node('CommonPrefixes', leaf('Prefix', e(en.prefix)));
      continue;
    }
    const r = en.row;
    const common = leaf('Key', e(r.key)) + leaf('VersionId', r.version_id) + leaf('IsLatest', r.is_latest === 1) + leaf('LastModified', isoTime(r.last_modified_ms));
    body += r.is_delete_marker
      ? node('DeleteMarker', common + owner(ctx))
      : node('Version', common + leaf('ETag', r.etag) + leaf('Size', r.size) + leaf('StorageClass', r.storage_class) + owner(ctx));
  }
  const last = page.entries.at(-1);
  let nextKey: string | undefined;
  let nextVid: string | undefined;
  if (page.truncated && last) {
    if (last.kind === 'row') {
      nextKey = last.row.key;
      nextVid = last.row.version_id;
    } else {
      nextKey = last.prefix;
    }
  }
  const xml = node(
    'ListVersionsResult',
    leaf('Name', b.name) +
      leaf('Prefix', e(prefix)) +
      leaf('KeyMarker', e(keyMarker)) +
      leaf('VersionIdMarker', vidMarker) +
      (nextKey !== undefined ? leaf('NextKeyMarker', e(nextKey)) : '') +
      (nextVid !== undefined ? leaf('NextVersionIdMarker', nextVid) : '') +
      leaf('MaxKeys', max) +
      (delimiter !== '' ? leaf('Delimiter', e(delimiter)) : '') +
      (enc ? leaf('EncodingType', 'url') : '') +
      leaf('IsTruncated', page.truncated) +
      body,
    { xmlns: S3_NS },
  );
  return { xml };
}
