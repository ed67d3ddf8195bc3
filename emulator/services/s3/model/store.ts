import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';

/** One row of s3_objects: an object version or a delete marker. */
export interface ObjectRow {
  bucket: string;
  key: string;
  version_id: string;
  is_latest: number;
  is_delete_marker: number;
  size: number;
  etag: string | null;
  content_type: string | null;
  blob_sha256: string | null;
  last_modified_ms: number;
  /** JSON: lower-case header name -> value (x-amz-meta-* and the stored system headers). */
  metadata: string;
  seq: number;
  storage_class: string;
}

export type VersioningState = 'Enabled' | 'Suspended' | null;

/** S3 version ids are opaque, URL-safe and 32 characters long. */
export function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

export function versioningOf(db: Database.Database, bucket: string): VersioningState {
  const row = db.prepare('SELECT versioning FROM s3_buckets WHERE name = ?').get(bucket) as
    | { versioning: string | null }
    | undefined;
  const v = row?.versioning;
  return v === 'Enabled' || v === 'Suspended' ? v : null;
}

export function latestRow(db: Database.Database, bucket: string, key: string): ObjectRow | undefined {
  return db
    .prepare('SELECT * FROM s3_objects WHERE bucket = ? AND key = ? AND is_latest = 1')
    .get(bucket, key) as ObjectRow | undefined;
}

export function versionRow(db: Database.Database, bucket: string, key: string, versionId: string): ObjectRow | undefined {
  return db
    .prepare('SELECT * FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?')
    .get(bucket, key, versionId) as ObjectRow | undefined;
}

function nextSeq(db: Database.Database, bucket: string, key: string): number {
  const r = db.prepare('SELECT MAX(seq) AS m FROM s3_objects WHERE bucket = ? AND key = ?').get(bucket, key) as {
    m: number | null;
  };
  return (r.m ?? 0) + 1;
}

export interface NewVersion {
  size: number;
  etag: string;
  contentType: string;
  blobSha256: string;
  metadata: Record<string, string>;
  lastModifiedMs: number;
  storageClass: string;
}

/**
 * Writes a new current version of a key as S3 does for the bucket's
 * versioning state: Enabled adds a version with a fresh id; unversioned and
 * Suspended replace the key's `null` version. Runs inside the caller's
 * transaction or its own.
 */
export function writeVersion(db: Database.Database, bucket: string, key: string, v: NewVersion): ObjectRow {
  const state = versioningOf(db, bucket);
  const versionId = state === 'Enabled' ? newVersionId() : 'null';
  const seq = nextSeq(db, bucket, key);
  if (versionId === 'null') {
    db.prepare("DELETE FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = 'null'").run(bucket, key);
  }
  db.prepare('UPDATE s3_objects SET is_latest = 0 WHERE bucket = ? AND key = ? AND is_latest = 1').run(bucket, key);
  const row: ObjectRow = {
    bucket,
    key,
    version_id: versionId,
    is_latest: 1,
    is_delete_marker: 0,
    size: v.size,
    etag: v.etag,
    content_type: v.contentType,
    blob_sha256: v.blobSha256,
    last_modified_ms: v.lastModifiedMs,
    metadata: JSON.stringify(v.metadata),
    seq,
    storage_class: v.storageClass,
  };
  insertRow(db, row);
  return row;
}

export function insertRow(db: Database.Database, row: ObjectRow): void {
  db.prepare(
    `INSERT INTO s3_objects (bucket, key, version_id, is_latest, is_delete_marker, size, etag, content_type,
       blob_sha256, last_modified_ms, metadata, seq, storage_class)
     VALUES (@bucket, @key, @version_id, @is_latest, @is_delete_marker, @size, @etag, @content_type,
       @blob_sha256, @last_modified_ms, @metadata, @seq, @storage_class)`,
  ).run(row);
}

export interface DeleteOutcome {
  /** The version id removed or the delete marker's id; undefined for an unversioned bucket. */
  versionId?: string;
  /** True when a delete marker was created, or the removed version was one. */
  deleteMarker: boolean;
}

/** DeleteObject without a version id: a delete marker on versioned buckets, removal otherwise. */
export function deleteCurrent(db: Database.Database, bucket: string, key: string, nowMs: number): DeleteOutcome {
  const state = versioningOf(db, bucket);
  if (state === null) {
    db.prepare('DELETE FROM s3_objects WHERE bucket = ? AND key = ?').run(bucket, key);
    return { deleteMarker: false };
  }
  const versionId = state === 'Enabled' ? newVersionId() : 'null';
  const seq = nextSeq(db, bucket, key);
  if (versionId === 'null') {
    db.prepare("DELETE FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = 'null'").run(bucket, key);
  }
  db.prepare('UPDATE s3_objects SET is_latest = 0 WHERE bucket = ? AND key = ? AND is_latest = 1').run(bucket, key);
  insertRow(db, {
    bucket,
    key,
    version_id: versionId,
    is_latest: 1,
    is_delete_marker: 1,
    size: 0,
    etag: null,
    content_type: null,
    blob_sha256: null,
    last_modified_ms: nowMs,
    metadata: '{}',
    seq,
    storage_class: 'STANDARD',
  });
  return { versionId, deleteMarker: true };
}

/** DeleteObject with a version id: removes that version for good and promotes the next newest. */
export function deleteVersion(db: Database.Database, bucket: string, key: string, versionId: string): DeleteOutcome {
  const row = versionRow(db, bucket, key, versionId);
  if (!row) return { versionId, deleteMarker: false };
  db.prepare('DELETE FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?').run(bucket, key, versionId);
  if (row.is_latest) {
    db.prepare(
      `UPDATE s3_objects SET is_latest = 1
       WHERE bucket = ? AND key = ? AND seq = (SELECT MAX(seq) FROM s3_objects WHERE bucket = ? AND key = ?)`,
    ).run(bucket, key, bucket, key);
  }
  return { versionId, deleteMarker: row.is_delete_marker === 1 };
}

/** The smallest string greater than every string that starts with `prefix` (UTF-8 byte order). */
export function prefixSuccessor(prefix: string): string {
  const chars = [...prefix];
  const last = chars.pop();
  if (last === undefined) return '';
  const cp = last.codePointAt(0) ?? 0;
  if (cp >= 0x10ffff) return prefixSuccessor(chars.join(''));
  return chars.join('') + String.fromCodePoint(cp === 0xd7ff ? 0xe000 : cp + 1);
}

export type ListEntry<R> = { kind: 'row'; row: R } | { kind: 'prefix'; prefix: string };

export interface ListPage<R> {
  entries: ListEntry<R>[];
  truncated: boolean;
}

/** Where listing resumes: strictly after a key, or at/after a bound (past a whole common prefix). */
export type Lower = { key: string; inclusive: boolean; belowSeq?: number };

/**
 * The lower bound for resuming after `marker`: a marker that names (or falls
 * inside) a common prefix resumes after everything under that prefix, so a
 * prefix is never returned twice.
 */
export function lowerAfter(marker: string, prefix: string, delimiter: string): Lower {
  if (delimiter !== '' && marker.startsWith(prefix)) {
    const idx = marker.indexOf(delimiter, prefix.length);
    if (idx >= 0) return { key: prefixSuccessor(marker.slice(0, idx + delimiter.length)), inclusive: true };
  }
  return { key: marker, inclusive: false };
}

/**
 * Lists the current objects (latest and not a delete marker) of a bucket in
 * key order, grouping by delimiter. Each common prefix costs one index seek
 * past it, so a page never reads more than about `max` rows plus one seek per
 * prefix, whatever the bucket's size.
 */
export function listCurrent(
  db: Database.Database,
  bucket: string,
  opts: { prefix: string; delimiter: string; lower: Lower; max: number },
): ListPage<ObjectRow> {
  const upper = opts.prefix === '' ? null : prefixSuccessor(opts.prefix);
  return scan(opts, (lower, limit) => {
    const sql =
      `SELECT * FROM s3_objects INDEXED BY s3_objects_current
       WHERE bucket = ? AND key ${lower.inclusive ? '>=' : '>'} ?${upper === null ? '' : ' AND key < ?'}
         AND is_latest = 1 AND is_delete_marker = 0
       ORDER BY key LIMIT ?`;
    const args: (string | number)[] = upper === null ? [bucket, lower.key, limit] : [bucket, lower.key, upper, limit];
    return cached(db, sql).iterate(...args) as IterableIterator<ObjectRow>;
  });
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** Prepared statements are reused per database; listing runs them many times a page. */
export function cached(db: Database.Database, sql: string): Database.Statement {
  let m = statements.get(db);
  if (!m) {
    m = new Map();
    statements.set(db, m);
  }
  let st = m.get(sql);
  if (!st) {
    st = db.prepare(sql);
    m.set(sql, st);
  }
  return st;
}

/**
 * The shared grouping loop: reads rows from `lower` on, turns keys containing
 * the delimiter into common prefixes (jumping past each with a fresh query),
 * and stops after `max` entries plus one to learn whether the page is
 * truncated. Rows are pulled lazily, so a jump never reads rows it skips.
 */
export function scan<R extends { key: string; seq?: number }>(
  opts: { prefix: string; delimiter: string; lower: Lower; max: number },
  fetch: (lower: Lower, limit: number) => Iterable<R>,
  /** Several rows per key (versions): resume inside a key, below the last row's seq. */
  multi = false,
): ListPage<R> {
  const entries: ListEntry<R>[] = [];
  if (opts.max <= 0) return { entries, truncated: false };
  let lower: Lower = opts.lower;
  if (opts.prefix !== '' && lower.key < opts.prefix && lower.belowSeq === undefined) lower = { key: opts.prefix, inclusive: true };
  outer: while (entries.length <= opts.max) {
    const limit = opts.max + 1 - entries.length;
    let seen = 0;
    for (const row of fetch(lower, limit)) {
      seen++;
      if (opts.delimiter !== '') {
        const idx = row.key.indexOf(opts.delimiter, opts.prefix.length);
        if (idx >= 0) {
          const cp = row.key.slice(0, idx + opts.delimiter.length);
          entries.push({ kind: 'prefix', prefix: cp });
          lower = { key: prefixSuccessor(cp), inclusive: true };
          // Leaving the loop closes the statement's iterator; the next query starts past the prefix.
          continue outer;
        }
      }
      entries.push({ kind: 'row', row });
      lower = multi ? { key: row.key, inclusive: true, belowSeq: row.seq ?? 0 } : { key: row.key, inclusive: false };
      if (entries.length > opts.max) break outer;
    }
    if (seen < limit) break;
  }
  const truncated = entries.length > opts.max;
  if (truncated) entries.length = opts.max;
  return { entries, truncated };
}

/** The classes PutObject, CopyObject and CreateMultipartUpload accept in x-amz-storage-class. */
export const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
] as const;

/** Archived classes: their objects must be restored before a GET. */
export const ARCHIVED_CLASSES: readonly string[] = ['GLACIER', 'DEEP_ARCHIVE'];
