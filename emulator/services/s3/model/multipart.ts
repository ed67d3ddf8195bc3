import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Database from 'better-sqlite3';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { getBucket, noSuchBucket } from './buckets';
import { bucketEncryptionOf, objectEncryption, storedEncryption } from './encryption';
import type { Tag } from './tag-rules';
import {
  MAX_COPY_SOURCE_BYTES,
  checkCopySourceConditions,
  copySourceRange,
  parseCopySource,
  resolveCopySource,
  type CopySourceConditions,
} from './copy-source';
import { requestTags, setObjectTags } from './object-tags';
import { beginConditionalWrite, checkConditionalWrite, type WriteConditions } from './conditional-writes';
import { recordObjectParts } from './object-attributes';
import { bucketOrThrow, malformedXml } from './documents';
import { storageClassOf, storedHeadersOf, type NewObjectRequest } from './objects';
import { versioningOf, writeVersion, type ObjectRow } from './store';
import { storeBody, type BodyFraming } from './upload';

/**
 * Multipart uploads: an upload's parts are stored as they arrive (uploaded,
 * or copied from a range of another object) and become one object version on
 * completion, checked against S3's limits.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */

/** S3's multipart limits. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024;

export interface UploadRow {
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

export interface PartRow {
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

/** The upload a request names, in a bucket that exists. */
function requireUpload(db: Database.Database, bucket: string, key: string, uploadId: string | undefined): UploadRow {
  const b = bucketOrThrow(db, bucket);
  return uploadRow(db, uploadId ?? '', b.name, key);
}

/** The encryption headers an upload's parts and result answer with. */
export function uploadEncryption(upload: UploadRow): Record<string, string> {
  return storedEncryption(JSON.parse(upload.metadata) as Record<string, string>);
}

/**
 * CreateMultipartUpload: what the object will be (type, stored headers,
 * class, encryption, tags) is fixed now and applied on completion.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
 */
export function createUpload(env: EmulatorEnv, bucket: string, key: string, req: NewObjectRequest): UploadRow {
  const db = env.db;
  const b = bucketOrThrow(db, bucket);
  const storageClass = storageClassOf(req.StorageClass);
  const tags = requestTags(req.Tagging);
  const sse = objectEncryption(req, bucketEncryptionOf(db, b.name));
  const row: UploadRow = {
    upload_id: randomBytes(36).toString('base64url'),
    bucket: b.name,
    key,
    initiated_ms: env.now(),
    content_type: req.ContentType !== undefined && req.ContentType !== '' ? req.ContentType : 'binary/octet-stream',
    metadata: JSON.stringify({ ...storedHeadersOf(req), ...sse }),
    storage_class: storageClass,
    tags: tags?.length ? JSON.stringify(tags) : null,
  };
  db.prepare(
    `INSERT INTO s3_uploads (upload_id, bucket, key, initiated_ms, content_type, metadata, storage_class, tags)
     VALUES (@upload_id, @bucket, @key, @initiated_ms, @content_type, @metadata, @storage_class, @tags)`,
  ).run(row);
  return row;
}

function checkPartNumber(n: number | undefined): number {
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > 10000) {
    throw new AwsError('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', 400, {
      fields: { ArgumentName: 'partNumber', ArgumentValue: String(n ?? '') },
    });
  }
  return n;
}

export interface UploadedPart {
  etag: string;
  upload: UploadRow;
}

/**
 * UploadPart: streams one part into the blob store (up to 5 GiB), its ETag
 * the MD5 of its bytes, replacing any earlier part with that number.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
 */
export async function uploadPart(
  env: EmulatorEnv,
  bucket: string,
  key: string,
  uploadId: string | undefined,
  partNumber: number | undefined,
  body: AsyncIterable<Buffer | string>,
  framing: BodyFraming,
): Promise<UploadedPart> {
  const upload = requireUpload(env.db, bucket, key, uploadId);
  const n = checkPartNumber(partNumber);
  const stored = await storeBody(env, body, framing, MAX_PART_BYTES);
  const etag = `"${stored.md5}"`;
  savePart(env.db, upload.upload_id, n, { size: stored.size, etag, sha256: stored.sha256, nowMs: env.now() });
  return { etag, upload };
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

export interface CopyPartRequest extends CopySourceConditions {
  CopySource?: string;
  /** `x-amz-copy-source-range`; the whole source when absent. */
  CopySourceRange?: string;
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
export async function copyPartRange(
  env: EmulatorEnv,
  bucket: string,
  key: string,
  uploadId: string | undefined,
  partNumber: number | undefined,
  req: CopyPartRequest,
): Promise<CopiedPart> {
  const db = env.db;
  bucketOrThrow(db, bucket);
  const n = checkPartNumber(partNumber);
  const src = parseCopySource(req.CopySource ?? '');
  const upload = uploadRow(db, uploadId ?? '', bucket, key);
  const source = resolveCopySource(db, src);
  checkCopySourceConditions(source, req);
  let range: { start: number; end: number } | undefined;
  if (req.CopySourceRange !== undefined) {
    range = copySourceRange(req.CopySourceRange, source.size);
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
  savePart(db, upload.upload_id, n, { size, etag, sha256: stored.sha256, nowMs });
  return {
    etag,
    lastModifiedMs: nowMs,
    sourceVersionId: source.version_id,
    sourceVersioned: versioningOf(db, source.bucket) !== null,
    encryption: uploadEncryption(upload),
  };
}

export interface CompletedUpload {
  row: ObjectRow;
  upload: UploadRow;
}

/**
 * CompleteMultipartUpload: the parts named (in ascending order, each with
 * its ETag, all but the last at least 5 MiB) are joined into one object
 * whose ETag is the MD5 of their MD5s and their count.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 */
export async function completeUpload(
  env: EmulatorEnv,
  bucket: string,
  key: string,
  uploadId: string | undefined,
  parts: readonly { PartNumber?: number; ETag?: string }[] | undefined,
  conditions: WriteConditions,
): Promise<CompletedUpload> {
  const db = env.db;
  const upload = requireUpload(db, bucket, key, uploadId);
  const requested = (parts ?? []).map((p) => {
    const n = p.PartNumber;
    if (n === undefined || !Number.isInteger(n) || typeof p.ETag !== 'string') throw malformedXml();
    return { partNumber: n, etag: p.ETag };
  });
  if (requested.length === 0) throw malformedXml();
  for (let i = 1; i < requested.length; i++) {
    if ((requested[i]?.partNumber ?? 0) <= (requested[i - 1]?.partNumber ?? 0)) {
      throw new AwsError('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', 400, {
        fields: { UploadId: upload.upload_id },
      });
    }
  }
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

  const condition = beginConditionalWrite(db, conditions, upload.bucket, upload.key);
  // Concatenate the parts into one blob, streaming from disk.
  // The blob store's temp folder is emptied at start, so a crash mid-assembly leaves nothing behind.
  const tmpDir = path.join(env.blobs.root, 'tmp');
  const out = path.join(tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
  const md5s = createHash('md5');
  try {
    const ws = fs.createWriteStream(out);
    for (const p of chosen) {
      md5s.update(Buffer.from(p.etag.replace(/"/g, ''), 'hex'));
      await pipeline(env.blobs.createReadStream(p.blob_sha256), ws, { end: false });
    }
    await new Promise<void>((resolve, reject) => ws.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    await fsp.rm(out, { force: true });
    throw err;
  }
  const blob = await env.blobs.importFile(out);
  const etag = `"${md5s.digest('hex')}-${chosen.length}"`;
  const row = db.transaction(() => {
    if (!getBucket(db, upload.bucket)) throw noSuchBucket(upload.bucket);
    if (!db.prepare('SELECT 1 FROM s3_uploads WHERE upload_id = ?').get(upload.upload_id)) throw noSuchUpload(upload.upload_id);
    checkConditionalWrite(db, condition);
    const written = writeVersion(db, upload.bucket, upload.key, {
      size: blob.size,
      etag,
      contentType: upload.content_type ?? 'binary/octet-stream',
      blobSha256: blob.sha256,
      metadata: JSON.parse(upload.metadata) as Record<string, string>,
      lastModifiedMs: env.now(),
      storageClass: upload.storage_class,
    });
    if (upload.tags) setObjectTags(db, upload.bucket, upload.key, written.version_id, JSON.parse(upload.tags) as Tag[]);
    recordObjectParts(db, written, chosen);
    db.prepare('DELETE FROM s3_uploads WHERE upload_id = ?').run(upload.upload_id);
    return written;
  }).immediate();
  return { row, upload };
}

/** AbortMultipartUpload: the upload and its parts go (the parts' rows cascade). */
export function abortUpload(db: Database.Database, bucket: string, key: string, uploadId: string | undefined): void {
  const upload = requireUpload(db, bucket, key, uploadId);
  db.prepare('DELETE FROM s3_uploads WHERE upload_id = ?').run(upload.upload_id);
}

/** Up to 1,000 per page; out-of-range values are clamped rather than refused. */
function clampPage(n: number | undefined): number {
  if (n === undefined) return 1000;
  return Math.min(Math.max(Number.isFinite(n) ? Math.trunc(n) : 0, 0), 1000);
}

/** ListParts: the parts stored so far, by part number, after the marker. */
export function listParts(
  db: Database.Database,
  bucket: string,
  key: string,
  uploadId: string | undefined,
  req: { partNumberMarker?: string; maxParts?: number },
): { upload: UploadRow; parts: PartRow[]; marker: number; max: number; truncated: boolean } {
  const upload = requireUpload(db, bucket, key, uploadId);
  const marker = Number(req.partNumberMarker ?? '0') || 0;
  const max = clampPage(req.maxParts);
  const rows = db
    .prepare('SELECT * FROM s3_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?')
    .all(upload.upload_id, marker, max + 1) as PartRow[];
  return { upload, parts: rows.slice(0, max), marker, max, truncated: rows.length > max };
}

export type UploadEntry = { kind: 'upload'; upload: UploadRow } | { kind: 'prefix'; prefix: string };

/** ListMultipartUploads: uploads in progress by key, then by time started, grouped by delimiter. */
export function listUploads(
  db: Database.Database,
  bucket: string,
  req: { prefix: string; delimiter: string; keyMarker: string; uploadIdMarker: string; maxUploads?: number },
): { entries: UploadEntry[]; max: number; truncated: boolean } {
  const b = bucketOrThrow(db, bucket);
  const { prefix, delimiter, keyMarker, uploadIdMarker } = req;
  const max = clampPage(req.maxUploads);
  const all = (
    db.prepare('SELECT * FROM s3_uploads WHERE bucket = ? ORDER BY key, initiated_ms, upload_id').all(b.name) as UploadRow[]
  ).filter((u) => u.key.startsWith(prefix));
  let started = keyMarker === '';
  const entries: UploadEntry[] = [];
  const seen = new Set<string>();
  let truncated = false;
  for (const u of all) {
    if (!started) {
      if (u.key < keyMarker) continue;
      if (u.key === keyMarker) {
        if (uploadIdMarker === '' || u.upload_id <= uploadIdMarker) continue;
      }
      started = true;
    }
    let entry: UploadEntry = { kind: 'upload', upload: u };
    if (delimiter !== '') {
      const idx = u.key.indexOf(delimiter, prefix.length);
      if (idx >= 0) {
        const p = u.key.slice(0, idx + delimiter.length);
        if (seen.has(p)) continue;
        seen.add(p);
        entry = { kind: 'prefix', prefix: p };
      }
    }
    if (entries.length === max) {
      truncated = true;
      break;
    }
    entries.push(entry);
  }
  return { entries, max, truncated };
}
