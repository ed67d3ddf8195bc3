import type Database from 'better-sqlite3';
import { AwsError } from '../../../core/errors';
import { issueListToken, readListToken } from './list-token';
import { bucketOrThrow } from './documents';
import { cached, listCurrent, lowerAfter, prefixSuccessor, scan, versionRow, type ListPage, type Lower, type ObjectRow } from './store';

/**
 * Listing a bucket's objects (ListObjects, ListObjectsV2) and versions
 * (ListObjectVersions): the arguments S3 checks and the pages it returns.
 * Keys come back as stored; the providers URL-encode them when asked.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */

/** S3 never returns more than 1,000 keys a page, whatever max-keys asks. */
const MAX_PAGE = 1000;

/** `encoding-type`: only `url` exists. Returns whether keys are to be URL-encoded. */
export function checkEncodingType(e: string | undefined): boolean {
  if (e === undefined) return false;
  if (e !== 'url') {
    throw new AwsError('InvalidArgument', 'Invalid Encoding Method specified in Request', 400, {
      fields: { ArgumentName: 'encoding-type', ArgumentValue: e },
    });
  }
  return true;
}

/** max-keys (or max-uploads, max-parts): a non-negative integer, capped at 1,000; 1,000 when absent. */
export function pageSize(n: number | undefined, name = 'max-keys'): number {
  if (n === undefined) return MAX_PAGE;
  if (!Number.isInteger(n) || n < 0) {
    throw new AwsError('InvalidArgument', `Provided ${name} not an integer or within integer range`, 400, {
      fields: { ArgumentName: name, ArgumentValue: String(n) },
    });
  }
  return Math.min(n, MAX_PAGE);
}

export interface ListRequest {
  prefix: string;
  delimiter: string;
  max: number;
}

export interface ObjectsPage extends ListPage<ObjectRow> {
  bucket: string;
}

/**
 * ListObjectsV2: resumes after the key sealed in a continuation token this
 * emulator issued (and refuses any other), or after StartAfter.
 */
export function listObjectsV2(
  db: Database.Database,
  bucket: string,
  req: ListRequest & { continuationToken?: string; startAfter?: string },
): ObjectsPage & { nextToken?: string } {
  const b = bucketOrThrow(db, bucket);
  let lower: Lower = { key: '', inclusive: true };
  if (req.continuationToken !== undefined) {
    const marker = readListToken(db, b.name, req.continuationToken);
    if (marker === undefined) {
      throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400, {
        fields: { ArgumentName: 'continuation-token' },
      });
    }
    lower = lowerAfter(marker, req.prefix, req.delimiter);
  } else if (req.startAfter !== undefined && req.startAfter !== '') {
    lower = { key: req.startAfter, inclusive: false };
  }
  const page = listCurrent(db, b.name, { prefix: req.prefix, delimiter: req.delimiter, lower, max: req.max });
  const last = page.entries.at(-1);
  const nextToken = page.truncated && last ? issueListToken(db, b.name, last.kind === 'row' ? last.row.key : last.prefix) : undefined;
  return { bucket: b.name, ...page, ...(nextToken !== undefined ? { nextToken } : {}) };
}

/** ListObjects (version 1): resumes after Marker; NextMarker is given only with a delimiter, as S3 does. */
export function listObjects(db: Database.Database, bucket: string, req: ListRequest & { marker: string }): ObjectsPage & { nextMarker?: string } {
  const b = bucketOrThrow(db, bucket);
  const lower: Lower = req.marker === '' ? { key: '', inclusive: true } : lowerAfter(req.marker, req.prefix, req.delimiter);
  const page = listCurrent(db, b.name, { prefix: req.prefix, delimiter: req.delimiter, lower, max: req.max });
  const last = page.entries.at(-1);
  const nextMarker = page.truncated && req.delimiter !== '' && last ? (last.kind === 'row' ? last.row.key : last.prefix) : undefined;
  return { bucket: b.name, ...page, ...(nextMarker !== undefined ? { nextMarker } : {}) };
}

/**
 * ListObjectVersions: every version and delete marker, key by key, newest
 * first; a key marker with a version-id marker resumes inside a key.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
 */
export function listObjectVersions(
  db: Database.Database,
  bucket: string,
  req: ListRequest & { keyMarker: string; versionIdMarker: string },
): ObjectsPage & { nextKeyMarker?: string; nextVersionIdMarker?: string } {
  const b = bucketOrThrow(db, bucket);
  const { prefix, delimiter, max, keyMarker, versionIdMarker } = req;
  if (versionIdMarker !== '' && keyMarker === '') {
    throw new AwsError('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', 400, {
      fields: { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker },
    });
  }
  let start: Lower = { key: '', inclusive: true };
  if (keyMarker !== '') {
    const l = lowerAfter(keyMarker, prefix, delimiter);
    start = l;
    if (versionIdMarker !== '' && !l.inclusive) {
      const m = versionRow(db, b.name, keyMarker, versionIdMarker);
      if (!m) {
        throw new AwsError('InvalidArgument', 'Invalid version id specified', 400, {
          fields: { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker },
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
  const last = page.entries.at(-1);
  if (!page.truncated || !last) return { bucket: b.name, ...page };
  return last.kind === 'row'
    ? { bucket: b.name, ...page, nextKeyMarker: last.row.key, nextVersionIdMarker: last.row.version_id }
    : { bucket: b.name, ...page, nextKeyMarker: last.prefix };
}
