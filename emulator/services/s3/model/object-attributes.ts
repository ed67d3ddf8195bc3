import type Database from 'better-sqlite3';
import type { GetObjectAttributesOutput, ObjectAttributes, ObjectPart } from '@aws-sdk/client-s3';
import { AwsError } from '../../../core/errors';
import { latestRow, versionRow, versioningOf, type ObjectRow } from './store';
import { bucketOrThrow, invalidArgument } from './documents';

/**
 * GetObjectAttributes: what HEAD would say, plus the part layout of objects
 * completed from multipart uploads.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
 *
 * Checksums are not answered: the emulator does not keep the x-amz-checksum-*
 * values clients send, so `Checksum` (and the per-part checksums) are left
 * out, as S3 leaves them out for objects uploaded without one.
 */

const ATTRIBUTES: readonly ObjectAttributes[] = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'];
const MAX_PARTS = 1000;

/** Keeps the part sizes of an object completed from a multipart upload (called inside the completing transaction). */
export function recordObjectParts(db: Database.Database, row: ObjectRow, parts: readonly { part_number: number; size: number }[]): void {
  db.prepare('DELETE FROM s3_object_parts WHERE bucket = ? AND key = ? AND version_id = ?').run(row.bucket, row.key, row.version_id);
  const insert = db.prepare('INSERT INTO s3_object_parts (bucket, key, version_id, part_number, size) VALUES (?, ?, ?, ?, ?)');
  for (const p of parts) insert.run(row.bucket, row.key, row.version_id, p.part_number, p.size);
}

/** The x-amz-object-attributes header is required; S3 answers InvalidArgument without it. */
export function missingObjectAttributes(): AwsError {
  return invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', '');
}

export interface AttributesQuery {
  bucket?: string;
  key?: string;
  versionId?: string;
  attributes?: string[];
  maxParts?: number;
  partNumberMarker?: string;
}

function resolve(db: Database.Database, bucket: string, key: string, versionId: string | undefined): ObjectRow {
  if (versionId !== undefined) {
    const row = versionRow(db, bucket, key, versionId);
    if (!row) throw new AwsError('NoSuchVersion', 'The specified version does not exist.', 404, { fields: { Key: key, VersionId: versionId } });
    if (row.is_delete_marker) {
      throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
        fields: { ResourceType: 'DeleteMarker' },
        headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': row.version_id },
      });
    }
    return row;
  }
  const row = latestRow(db, bucket, key);
  if (!row || row.is_delete_marker) {
    const err = new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: key } });
    if (row) {
      err.headers['x-amz-delete-marker'] = 'true';
      err.headers['x-amz-version-id'] = row.version_id;
    }
    throw err;
  }
  return row;
}

/** A multipart ETag ends in `-<number of parts>`. */
function partsCount(etag: string | null): number | undefined {
  const m = /-(\d+)"?$/.exec(etag ?? '');
  return m ? Number(m[1]) : undefined;
}

export function objectAttributes(db: Database.Database, q: AttributesQuery): GetObjectAttributesOutput {
  const b = bucketOrThrow(db, q.bucket);
  const wanted = q.attributes ?? [];
  if (wanted.length === 0) throw missingObjectAttributes();
  for (const a of wanted) {
    if (!ATTRIBUTES.includes(a as ObjectAttributes)) throw invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', a);
  }
  const maxParts = q.maxParts ?? MAX_PARTS;
  if (!Number.isInteger(maxParts) || maxParts < 0) throw invalidArgument('Argument max-parts must be an integer between 0 and 2147483647', 'max-parts', maxParts);
  const marker = q.partNumberMarker === undefined || q.partNumberMarker === '' ? 0 : Number(q.partNumberMarker);
  if (!Number.isInteger(marker) || marker < 0) {
    throw invalidArgument('Argument part-number-marker must be an integer between 0 and 2147483647', 'part-number-marker', q.partNumberMarker);
  }
  const row = resolve(db, b.name, q.key ?? '', q.versionId);
  const out: GetObjectAttributesOutput = { LastModified: new Date(row.last_modified_ms) };
  if (versioningOf(db, b.name) !== null || row.version_id !== 'null') out.VersionId = row.version_id;
  if (wanted.includes('ETag')) out.ETag = (row.etag ?? '').replace(/"/g, '');
  if (wanted.includes('ObjectSize')) out.ObjectSize = row.size;
  if (wanted.includes('StorageClass')) out.StorageClass = row.storage_class as GetObjectAttributesOutput['StorageClass'];
  const total = partsCount(row.etag);
  if (wanted.includes('ObjectParts') && total !== undefined) {
    const rows = db
      .prepare(
        `SELECT part_number, size FROM s3_object_parts
         WHERE bucket = ? AND key = ? AND version_id = ? AND part_number > ? ORDER BY part_number LIMIT ?`,
      )
      .all(row.bucket, row.key, row.version_id, marker, maxParts + 1) as { part_number: number; size: number }[];
    const page = rows.slice(0, maxParts);
    const parts: ObjectPart[] = page.map((p) => ({ PartNumber: p.part_number, Size: p.size }));
    out.ObjectParts = {
      TotalPartsCount: total,
      PartNumberMarker: String(marker),
      NextPartNumberMarker: String(page.at(-1)?.part_number ?? marker),
      MaxParts: maxParts,
      IsTruncated: rows.length > maxParts,
      Parts: parts,
    };
  }
  return out;
}
