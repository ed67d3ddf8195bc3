import type Database from 'better-sqlite3';
import { AwsError } from '../../../core/errors';
import { latestRow } from './store';

/**
 * Conditional writes on PutObject and CompleteMultipartUpload:
 * `If-None-Match: *` writes only when the key has no current object, and
 * `If-Match: <etag>` only when the current object has that ETag.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 *
 * The condition is looked at twice: when the request starts (before its body
 * is read or its parts assembled) and again in the transaction that writes.
 * If another write or delete of the key lands in between and changes the
 * answer, S3 answers 409 ConditionalRequestConflict (retry) rather than 412.
 */

interface KeyState {
  present: boolean;
  etag: string;
  /** Which write this is: an unversioned key reuses seq 1, so the time and version id count too. */
  stamp: string;
}

export interface WriteIntent {
  bucket: string;
  key: string;
  ifNoneMatch: boolean;
  ifMatch?: string[];
  start: KeyState;
}

function stateOf(db: Database.Database, bucket: string, key: string): KeyState {
  const row = latestRow(db, bucket, key);
  return {
    present: !!row && !row.is_delete_marker,
    etag: row?.etag ?? '',
    stamp: row ? `${row.seq}/${row.version_id}/${row.last_modified_ms}/${row.etag ?? ''}` : '',
  };
}

function etagList(h: string): string[] {
  return h.split(',').map((s) => s.trim().replace(/^W\//, ''));
}

function matches(list: string[], etag: string): boolean {
  return list.some((e) => e === '*' || e === etag || `"${e}"` === etag);
}

/** The If-Match and If-None-Match members of PutObject's and CompleteMultipartUpload's input. */
export interface WriteConditions {
  IfMatch?: string;
  IfNoneMatch?: string;
}

/** Reads the write's conditions and the key's state as the request starts; undefined when unconditional. */
export function beginConditionalWrite(db: Database.Database, conditions: WriteConditions, bucket: string, key: string): WriteIntent | undefined {
  const ifNoneMatch = conditions.IfNoneMatch;
  const ifMatch = conditions.IfMatch;
  if (ifNoneMatch === undefined && ifMatch === undefined) return undefined;
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') {
    // Only `*` is defined for writes.
    throw new AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, {
      fields: { Header: 'If-None-Match' },
    });
  }
  return {
    bucket,
    key,
    ifNoneMatch: ifNoneMatch !== undefined,
    ...(ifMatch !== undefined ? { ifMatch: etagList(ifMatch) } : {}),
    start: stateOf(db, bucket, key),
  };
}

function failed(condition: string): AwsError {
  return new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
    fields: { Condition: condition },
  });
}

function conflict(): AwsError {
  return new AwsError(
    'ConditionalRequestConflict',
    'A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part.',
    409,
  );
}

/** Whether the conditions hold for a state: ok, or the error S3 gives. */
function verdict(intent: WriteIntent, s: KeyState): 'ok' | AwsError {
  if (intent.ifNoneMatch && s.present) return failed('If-None-Match');
  if (intent.ifMatch) {
    if (!s.present) return new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: intent.key } });
    if (!matches(intent.ifMatch, s.etag)) return failed('If-Match');
  }
  return 'ok';
}

/** Checks the conditions inside the writing transaction; throws 412/404, or 409 when a concurrent write changed the answer. */
export function checkConditionalWrite(db: Database.Database, intent: WriteIntent | undefined): void {
  if (!intent) return;
  const now = stateOf(db, intent.bucket, intent.key);
  const result = verdict(intent, now);
  if (result === 'ok') return;
  const changed = now.stamp !== intent.start.stamp;
  if (changed && verdict(intent, intent.start) === 'ok') throw conflict();
  throw result;
}
