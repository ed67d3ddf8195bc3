import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Database from 'better-sqlite3';
import { AwsError } from '../../core/errors';
import type { EmulatorEnv, Reply, RequestContext } from '../../core/types';
import { asArray, isoTime, leaf, node, parseXml } from '../../core/xml';
import { requireBucket } from './legacy';
import { S3_NS } from './namespace';
import { canonicalUserId, getBucket, malformedXml, noSuchBucket } from './model/buckets';
import {
  MAX_COPY_SOURCE_BYTES,
  checkCopySourceConditions,
  copySourceConditionsFrom,
  copySourceRange,
  parseCopySource,
  resolveCopySource,
  type CopySource,
  type CopySourceConditions,
} from './copy-source';
import { bucketEncryptionOf, objectEncryption, storedEncryption } from './model/encryption';
import { setObjectTags, tagsFromRequest } from './object-tags';
import { beginConditionalWrite, checkConditionalWrite } from './model/conditional-writes';
import { recordObjectParts } from './model/object-attributes';
import { metadataFromHeaders, storageClassOf } from './objects';
import { versioningOf, writeVersion } from './store';
import type { Tag } from './tags';
import { storeRequestBody } from './upload';

/** S3's multipart limits. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024;

interface UploadRow {
  upload_id: string;
  bucket: string;
  key: string;
  initiated_ms: number;
  content_type: string | null;
  /** JSON: the stored headers the object will get, encryption included. */
  metadata: string;
  storage_class: string;
  /** JSON tag set from `x-amz-tagging`, applied on completion. */
  tags: string | null;
}

interface PartRow {
  upload_id: string;
  part_number: number;
  size: number;
  etag: string;
  blob_sha256: string;
  last_modified_ms: number;
}

function noSuchUpload(uploadId: string): AwsError {
  return new AwsError(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
    { fields: { UploadId: uploadId } },
  );
}

function uploadRow(db: Database.Database, uploadId: string, bucket: string, key: string): UploadRow {
  const row = db.prepare('SELECT * FROM s3_uploads WHERE upload_id = ? AND bucket = ? AND key = ?').get(uploadId, bucket, key) as
    | UploadRow
    | undefined;
  if (!row) throw noSuchUpload(uploadId);
  return row;
}

function requireUpload(ctx: RequestContext, bucket: string): UploadRow {
  return uploadRow(ctx.env.db, ctx.query.get('uploadId') ?? '', bucket, ctx.params.Key ?? '');
}

/** The encryption headers an upload's parts and result answer with. */
function uploadEncryption(upload: UploadRow): Record<string, string> {
  return storedEncryption(JSON.parse(upload.metadata) as Record<string, string>);
}

function people(ctx: RequestContext): string {
  const id = canonicalUserId(ctx.env.accountId);
  return (
    node('Initiator', leaf('ID', ctx.principal?.arn ?? id) + leaf('DisplayName', 'berth-emulator')) +
    node('Owner', leaf('ID', id) + leaf('DisplayName', 'berth-emulator'))
  );
}

export function createMultipartUploadHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const k = ctx.params.Key ?? '';
  const uploadId = randomBytes(36).toString('base64url');
  const ct = ctx.headers['content-type'];
  const storageClass = storageClassOf(ctx);
  const tags = tagsFromRequest(ctx.headers);
  const sse = objectEncryption(ctx.headers, bucketEncryptionOf(ctx.env.db, b.name));
  ctx.env.db
    .prepare(
      'INSERT INTO s3_uploads (upload_id, bucket, key, initiated_ms, content_type, metadata, storage_class, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      uploadId,
      b.name,
      k,
      ctx.env.now(),
      typeof ct === 'string' && ct !== '' ? ct : 'binary/octet-stream',
      JSON.stringify({ ...metadataFromHeaders(ctx), ...sse }),
      storageClass,
      tags?.length ? JSON.stringify(tags) : null,
    );
  return {
    headers: sse,
    xml: node('InitiateMultipartUploadResult', leaf('Bucket', b.name) + leaf('Key', k) + leaf('UploadId', uploadId), { xmlns: S3_NS }),
  };
}

function partNumberOf(ctx: RequestContext): number {
  const raw = ctx.query.get('partNumber') ?? '';
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 10000) {
    throw new AwsError('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', 400, {
      fields: { ArgumentName: 'partNumber', ArgumentValue: raw },
    });
  }
  return n;
}

export async function uploadPartHandler(ctx: RequestContext): Promise<Reply> {
  const b = requireBucket(ctx);
  const upload = requireUpload(ctx, b.name);
  const partNumber = partNumberOf(ctx);
  const stored = await storeRequestBody(ctx, MAX_PART_BYTES);
  const etag = `"${stored.md5}"`;
  savePart(ctx.env.db, upload.upload_id, partNumber, { size: stored.size, etag, sha256: stored.sha256, nowMs: ctx.env.now() });
  return { status: 200, headers: { ETag: etag, ...uploadEncryption(upload) } };
}

/** Stores (or replaces) one part of an upload, once its bytes are in the blob store. */
function savePart(db: Database.Database, uploadId: string, partNumber: number, part: { size: number; etag: string; sha256: string; nowMs: number }): void {
  db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM s3_uploads WHERE upload_id = ?').get(uploadId)) throw noSuchUpload(uploadId);
    db.prepare(
      `INSERT INTO s3_parts (upload_id, part_number, size, etag, blob_sha256, last_modified_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, etag = excluded.etag,
         blob_sha256 = excluded.blob_sha256, last_modified_ms = excluded.last_modified_ms`,
    ).run(uploadId, partNumber, part.size, part.etag, part.sha256, part.nowMs);
  }).immediate();
}

export interface CopyPartRequest {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  source: CopySource;
  /** `x-amz-copy-source-range`; the whole source when absent. */
  range?: string;
  conditions: CopySourceConditions;
}

export interface CopiedPart {
  etag: string;
  lastModifiedMs: number;
  /** The source version read, and whether its bucket has ever had versioning (S3 names the version then). */
  sourceVersionId: string;
  sourceVersioned: boolean;
  /** The upload's encryption headers, which the answer repeats. */
  encryption: Record<string, string>;
}

/**
 * UploadPartCopy: one part of an upload made of a byte range of an existing
 * object, checked as S3 does (the upload exists, the source and its
 * preconditions, the range lies inside the source), its ETag the MD5 of the
 * bytes copied, like an uploaded part's.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
 */
export async function copyPartRange(env: EmulatorEnv, req: CopyPartRequest): Promise<CopiedPart> {
  const db = env.db;
  const upload = uploadRow(db, req.uploadId, req.bucket, req.key);
  const source = resolveCopySource(db, req.source);
  checkCopySourceConditions(source, req.conditions);
  let range: { start: number; end: number } | undefined;
  if (req.range !== undefined) {
    range = copySourceRange(req.range, source.size);
  } else if (source.size > MAX_COPY_SOURCE_BYTES) {
    throw new AwsError('InvalidRequest', `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_SOURCE_BYTES}`, 400);
  }
  const md5 = createHash('md5');
  const size = range ? range.end - range.start + 1 : source.size;
  let stored: { sha256: string; size: number };
  if (size === 0 || !source.blob_sha256) {
    stored = await env.blobs.put(Buffer.alloc(0));
  } else {
    const bytes = env.blobs.createReadStream(source.blob_sha256, range);
    async function* hashing(): AsyncGenerator<Buffer> {
      for await (const chunk of bytes) {
        md5.update(chunk as Buffer);
        yield chunk as Buffer;
      }
    }
    stored = await env.blobs.putStream(Readable.from(hashing()));
  }
  if (stored.size !== size) throw new Error(`copied ${stored.size} bytes of ${size}`);
  const etag = `"${md5.digest('hex')}"`;
  const nowMs = env.now();
  savePart(db, upload.upload_id, req.partNumber, { size, etag, sha256: stored.sha256, nowMs });
  return {
    etag,
    lastModifiedMs: nowMs,
    sourceVersionId: source.version_id,
    sourceVersioned: versioningOf(db, source.bucket) !== null,
    encryption: uploadEncryption(upload),
  };
}

export async function uploadPartCopyHandler(ctx: RequestContext): Promise<Reply> {
  const b = requireBucket(ctx);
  const partNumber = partNumberOf(ctx);
  const rangeHeader = ctx.headers['x-amz-copy-source-range'];
  const copied = await copyPartRange(ctx.env, {
    bucket: b.name,
    key: ctx.params.Key ?? '',
    uploadId: ctx.query.get('uploadId') ?? '',
    partNumber,
    source: parseCopySource(String(ctx.headers['x-amz-copy-source'] ?? '')),
    ...(typeof rangeHeader === 'string' ? { range: rangeHeader } : {}),
    conditions: copySourceConditionsFrom(ctx.headers),
  });
  const headers: Record<string, string> = { ...copied.encryption };
  if (copied.sourceVersioned) headers['x-amz-copy-source-version-id'] = copied.sourceVersionId;
  return {
    headers,
    xml: node('CopyPartResult', leaf('ETag', copied.etag) + leaf('LastModified', isoTime(copied.lastModifiedMs)), { xmlns: S3_NS }),
  };
}

export async function completeMultipartUploadHandler(ctx: RequestContext): Promise<Reply> {
  const b = requireBucket(ctx);
  const upload = requireUpload(ctx, b.name);
  const parsed = parseXml(ctx.body.toString('utf8'));
  const root = parsed?.CompleteMultipartUpload;
  if (!root || typeof root !== 'object') throw malformedXml();
  const requested = asArray((root as Record<string, unknown>).Part as unknown).map((p) => {
    const r = (p && typeof p === 'object' ? p : {}) as Record<string, unknown>;
    const n = Number(r.PartNumber);
    if (!Number.isInteger(n) || typeof r.ETag !== 'string') throw malformedXml();
    return { partNumber: n, etag: r.ETag };
  });
  if (requested.length === 0) throw malformedXml();
  for (let i = 1; i < requested.length; i++) {
    if ((requested[i]?.partNumber ?? 0) <= (requested[i - 1]?.partNumber ?? 0)) {
      throw new AwsError('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', 400, {
        fields: { UploadId: upload.upload_id },
      });
    }
  }
  const db = ctx.env.db;
  const stored = new Map(
    (db.prepare('SELECT * FROM s3_parts WHERE upload_id = ?').all(upload.upload_id) as PartRow[]).map((p) => [p.part_number, p]),
  );
  const chosen: PartRow[] = requested.map((r) => {
    const part = stored.get(r.partNumber);
    const want = r.etag.startsWith('"') ? r.etag : `"${r.etag}"`;
    if (!part || part.etag !== want) {
      throw new AwsError(
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        400,
        { fields: { UploadId: upload.upload_id, PartNumber: r.partNumber, ETag: r.etag } },
      );
    }
    return part;
  });
  chosen.forEach((part, i) => {
    if (i < chosen.length - 1 && part.size < MIN_PART_BYTES) {
      throw new AwsError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, {
        fields: { ProposedSize: part.size, MinSizeAllowed: MIN_PART_BYTES, PartNumber: part.part_number, ETag: part.etag },
      });
    }
  });

  const condition = beginConditionalWrite(db, ctx.headers, b.name, upload.key);
  // Concatenate the parts into one blob, streaming from disk.
  // The blob store's temp folder is emptied at start, so a crash mid-assembly leaves nothing behind.
  const tmpDir = path.join(ctx.env.blobs.root, 'tmp');
  const out = path.join(tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
  const md5s = createHash('md5');
  try {
    const ws = fs.createWriteStream(out);
    for (const p of chosen) {
      md5s.update(Buffer.from(p.etag.replace(/"/g, ''), 'hex'));
      await pipeline(ctx.env.blobs.createReadStream(p.blob_sha256), ws, { end: false });
    }
    await new Promise<void>((resolve, reject) => ws.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    await fsp.rm(out, { force: true });
    throw err;
  }
  const blob = await ctx.env.blobs.importFile(out);
  const etag = `"${md5s.digest('hex')}-${chosen.length}"`;
  const row = db.transaction(() => {
    if (!getBucket(db, b.name)) throw noSuchBucket(b.name);
    if (!db.prepare('SELECT 1 FROM s3_uploads WHERE upload_id = ?').get(upload.upload_id)) throw noSuchUpload(upload.upload_id);
    checkConditionalWrite(db, condition);
    const written = writeVersion(db, b.name, upload.key, {
      size: blob.size,
      etag,
      contentType: upload.content_type ?? 'binary/octet-stream',
      blobSha256: blob.sha256,
      metadata: JSON.parse(upload.metadata) as Record<string, string>,
      lastModifiedMs: ctx.env.now(),
      storageClass: upload.storage_class,
    });
    if (upload.tags) setObjectTags(db, b.name, upload.key, written.version_id, JSON.parse(upload.tags) as Tag[]);
    recordObjectParts(db, written, chosen);
    db.prepare('DELETE FROM s3_uploads WHERE upload_id = ?').run(upload.upload_id);
    return written;
  }).immediate();
  const headers: Record<string, string> = { ...uploadEncryption(upload) };
  if (row.version_id !== 'null') headers['x-amz-version-id'] = row.version_id;
  const host = typeof ctx.headers.host === 'string' ? ctx.headers.host : 'localhost';
  return {
    headers,
    xml: node(
      'CompleteMultipartUploadResult',
      leaf('Location', `http://${host}/${b.name}/${encodeURI(upload.key)}`) +
        leaf('Bucket', b.name) +
        leaf('Key', upload.key) +
        leaf('ETag', etag),
      { xmlns: S3_NS },
    ),
  };
}

export function abortMultipartUploadHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const upload = requireUpload(ctx, b.name);
  ctx.env.db.prepare('DELETE FROM s3_uploads WHERE upload_id = ?').run(upload.upload_id);
  return { status: 204 };
}

export function listPartsHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const upload = requireUpload(ctx, b.name);
  const marker = Number(ctx.query.get('part-number-marker') ?? '0') || 0;
  const maxRaw = ctx.query.get('max-parts');
  const max = maxRaw === null ? 1000 : Math.min(Math.max(Number(maxRaw) || 0, 0), 1000);
  const rows = ctx.env.db
    .prepare('SELECT * FROM s3_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?')
    .all(upload.upload_id, marker, max + 1) as PartRow[];
  const page = rows.slice(0, max);
  const truncated = rows.length > max;
  const parts = page
    .map((p) =>
      node('Part', leaf('PartNumber', p.part_number) + leaf('LastModified', isoTime(p.last_modified_ms)) + leaf('ETag', p.etag) + leaf('Size', p.size)),
    )
    .join('');
  return {
    xml: node(
      'ListPartsResult',
      leaf('Bucket', b.name) +
        leaf('Key', upload.key) +
        leaf('UploadId', upload.upload_id) +
        people(ctx) +
        leaf('StorageClass', upload.storage_class) +
        leaf('PartNumberMarker', marker) +
        leaf('NextPartNumberMarker', page.at(-1)?.part_number ?? marker) +
        leaf('MaxParts', max) +
        leaf('IsTruncated', truncated) +
        parts,
      { xmlns: S3_NS },
    ),
  };
}

export function listMultipartUploadsHandler(ctx: RequestContext): Reply {
  const b = requireBucket(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const idMarker = ctx.query.get('upload-id-marker') ?? '';
  const maxRaw = ctx.query.get('max-uploads');
  const max = maxRaw === null ? 1000 : Math.min(Math.max(Number(maxRaw) || 0, 0), 1000);
  const all = (
    ctx.env.db.prepare('SELECT * FROM s3_uploads WHERE bucket = ? ORDER BY key, initiated_ms, upload_id').all(b.name) as UploadRow[]
  ).filter((u) => u.key.startsWith(prefix));
  let started = keyMarker === '';
  const entries: ({ kind: 'upload'; u: UploadRow } | { kind: 'prefix'; p: string })[] = [];
  const seen = new Set<string>();
  let truncated = false;
  for (const u of all) {
    if (!started) {
      if (u.key < keyMarker) continue;
      if (u.key === keyMarker) {
        if (idMarker === '' || u.upload_id <= idMarker) continue;
      }
      started = true;
    }
    let entry: (typeof entries)[number] = { kind: 'upload', u };
    if (delimiter !== '') {
      const idx = u.key.indexOf(delimiter, prefix.length);
      if (idx >= 0) {
        const p = u.key.slice(0, idx + delimiter.length);
        if (seen.has(p)) continue;
        seen.add(p);
        entry = { kind: 'prefix', p };
      }
    }
    if (entries.length === max) {
      truncated = true;
      break;
    }
    entries.push(entry);
  }
  const last = entries.at(-1);
  const body = entries
    .map((e) =>
      e.kind === 'prefix'
        ? node('CommonPrefixes', leaf('Prefix', e.p))
        : node(
            'Upload',
            leaf('Key', e.u.key) + leaf('UploadId', e.u.upload_id) + people(ctx) + leaf('StorageClass', e.u.storage_class) + leaf('Initiated', isoTime(e.u.initiated_ms)),
          ),
    )
    .join('');
  return {
    xml: node(
      'ListMultipartUploadsResult',
      leaf('Bucket', b.name) +
        leaf('KeyMarker', keyMarker) +
        leaf('UploadIdMarker', idMarker) +
        (truncated && last ? leaf('NextKeyMarker', last.kind === 'upload' ? last.u.key : last.p) : '') +
        (truncated && last?.kind === 'upload' ? leaf('NextUploadIdMarker', last.u.upload_id) : '') +
        (delimiter !== '' ? leaf('Delimiter', delimiter) : '') +
        leaf('Prefix', prefix) +
        leaf('MaxUploads', max) +
        leaf('IsTruncated', truncated) +
        body,
      { xmlns: S3_NS },
    ),
  };
}
