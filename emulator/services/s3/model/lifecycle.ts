import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { LifecycleRule, LifecycleRuleFilter, Tag, TransitionDefaultMinimumObjectSize } from '@aws-sdk/client-s3';
import { AwsError } from '../../../core/errors';
import { bucketOrThrow, deleteDocument, invalidArgument, invalidRequest, malformedXml, readDocument, writeDocument } from './documents';

/**
 * Bucket lifecycle configuration: stored and validated as S3 validates it.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
 *
 * The emulator does not run lifecycle actions: objects are never expired,
 * transitioned or aborted by these rules (the console only reads and writes
 * the configuration). Lengths, patterns and enums of the members are the wire
 * layer's job (the model's constraints); the rules below are the ones S3
 * documents beyond its model.
 */

export interface StoredLifecycle {
  rules: LifecycleRule[];
  minimumObjectSize: TransitionDefaultMinimumObjectSize;
}

/** S3 answers this when the request names no behaviour (the default since September 2024). */
export const DEFAULT_MINIMUM_OBJECT_SIZE: TransitionDefaultMinimumObjectSize = 'all_storage_classes_128K';

const MAX_RULES = 1000;
const MAX_ID_LENGTH = 255;
const MAX_PREFIX_BYTES = 1024;
/** Objects must stay 30 days in their class before moving to an infrequent-access class. */
const THIRTY_DAY_CLASSES = new Set(['STANDARD_IA', 'ONEZONE_IA']);
const MIDNIGHT_MS = 24 * 60 * 60 * 1000;

function tagsOf(filter: LifecycleRuleFilter | undefined): Tag[] {
  if (!filter) return [];
  if (filter.Tag) return [filter.Tag];
  return filter.And?.Tags ?? [];
}

/** How S3 names a rule's filter in its messages, e.g. `filter '(prefix=logs/)'` or `prefix 'logs/'`. */
function filterText(rule: LifecycleRule): string {
  if (rule.Filter === undefined) return `prefix '${rule.Prefix ?? ''}'`;
  const f = rule.Filter;
  const parts: string[] = [];
  const prefix = f.And ? f.And.Prefix : f.Prefix;
  if (prefix !== undefined) parts.push(`prefix=${prefix}`);
  for (const t of tagsOf(f)) parts.push(`tag: key=${t.Key ?? ''}, value=${t.Value ?? ''}`);
  const gt = f.And ? f.And.ObjectSizeGreaterThan : f.ObjectSizeGreaterThan;
  const lt = f.And ? f.And.ObjectSizeLessThan : f.ObjectSizeLessThan;
  if (gt !== undefined) parts.push(`ObjectSizeGreaterThan=${gt}`);
  if (lt !== undefined) parts.push(`ObjectSizeLessThan=${lt}`);
  return parts.length === 0 ? 'filter (all)' : `filter '(${parts.join(' and ')})'`;
}

function checkPrefix(prefix: string | undefined): void {
  if (prefix !== undefined && Buffer.byteLength(prefix) > MAX_PREFIX_BYTES) {
    throw invalidRequest('The maximum size of a prefix is 1024.');
  }
}

function checkFilter(rule: LifecycleRule): void {
  // Exactly one of Filter and the deprecated rule-level Prefix.
  if ((rule.Filter === undefined) === (rule.Prefix === undefined)) throw malformedXml();
  checkPrefix(rule.Prefix);
  const f = rule.Filter;
  if (!f) return;
  const given = [f.Prefix, f.Tag, f.ObjectSizeGreaterThan, f.ObjectSizeLessThan, f.And].filter((v) => v !== undefined);
  // A filter is one predicate; several are combined with And.
  if (given.length > 1) throw malformedXml();
  checkPrefix(f.Prefix ?? f.And?.Prefix);
  const keys = new Set<string>();
  for (const t of tagsOf(f)) {
    if (t.Key === undefined) throw malformedXml();
    if (keys.has(t.Key)) throw invalidRequest('Duplicate Tag Keys are not allowed.');
    keys.add(t.Key);
  }
  const gt = f.And ? f.And.ObjectSizeGreaterThan : f.ObjectSizeGreaterThan;
  const lt = f.And ? f.And.ObjectSizeLessThan : f.ObjectSizeLessThan;
  if (gt !== undefined && lt !== undefined && gt >= lt) {
    throw invalidArgument('ObjectSizeGreaterThan must be less than ObjectSizeLessThan', 'ObjectSizeGreaterThan', gt);
  }
}

function isMidnightUtc(d: Date): boolean {
  return d.getTime() % MIDNIGHT_MS === 0;
}

function checkExpiration(rule: LifecycleRule): void {
  const e = rule.Expiration;
  if (!e) return;
  const set = [e.Days, e.Date, e.ExpiredObjectDeleteMarker].filter((v) => v !== undefined).length;
  if (set === 0 || (e.Days !== undefined && e.Date !== undefined)) throw malformedXml();
  if (e.ExpiredObjectDeleteMarker !== undefined && set > 1) {
    throw invalidArgument(
      'ExpiredObjectDeleteMarker cannot be specified with Days or Date in a Lifecycle Expiration Policy.',
      'ExpiredObjectDeleteMarker',
      e.ExpiredObjectDeleteMarker,
    );
  }
  if (e.Days !== undefined && (!Number.isInteger(e.Days) || e.Days <= 0)) {
    throw invalidArgument("'Days' for Expiration action must be a positive integer", 'Days', e.Days);
  }
  if (e.Date !== undefined && !isMidnightUtc(e.Date)) {
    throw invalidArgument("'Date' must be at midnight GMT", 'Date', e.Date.toISOString());
  }
}

function checkTransitions(rule: LifecycleRule): void {
  const list = rule.Transitions ?? [];
  const classes = new Set<string>();
  let kind: 'Days' | 'Date' | undefined;
  for (const t of list) {
    if (t.StorageClass === undefined || (t.Days === undefined) === (t.Date === undefined)) throw malformedXml();
    if (classes.has(t.StorageClass)) {
      throw invalidRequest(`'StorageClass' must be different for 'Transition' actions in same 'Rule' with ${filterText(rule)}`);
    }
    classes.add(t.StorageClass);
    const k = t.Days !== undefined ? 'Days' : 'Date';
    if (kind !== undefined && kind !== k) {
      throw invalidRequest(`Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule for ${filterText(rule)}`);
    }
    kind = k;
    if (t.Days !== undefined) {
      if (!Number.isInteger(t.Days) || t.Days < 0) {
        throw invalidArgument("'Days' in Transition action must be nonnegative", 'Days', t.Days);
      }
      if (THIRTY_DAY_CLASSES.has(t.StorageClass) && t.Days < 30) {
        throw invalidArgument(
          `'Days' in Transition action must be greater than or equal to 30 for storageClass '${t.StorageClass}'`,
          'Days',
          t.Days,
        );
      }
    }
    if (t.Date !== undefined && !isMidnightUtc(t.Date)) {
      throw invalidArgument("'Date' must be at midnight GMT", 'Date', t.Date.toISOString());
    }
  }
  const e = rule.Expiration;
  if (kind === undefined || !e || e.ExpiredObjectDeleteMarker !== undefined) return;
  const expKind = e.Days !== undefined ? 'Days' : 'Date';
  if (expKind !== kind) {
    throw invalidRequest(`Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule for ${filterText(rule)}`);
  }
  // Objects must be transitioned before they expire.
  const last = Math.max(...list.map((t) => (kind === 'Days' ? (t.Days ?? 0) : (t.Date?.getTime() ?? 0))));
  const expires = kind === 'Days' ? (e.Days ?? 0) : (e.Date?.getTime() ?? 0);
  if (expires <= last) {
    throw invalidArgument(
      `'${kind}' in the Expiration action for ${filterText(rule)} must be greater than '${kind}' in the Transition action`,
      kind,
      kind === 'Days' ? expires : new Date(expires).toISOString(),
    );
  }
}

function checkNoncurrent(rule: LifecycleRule): void {
  const classes = new Set<string>();
  for (const t of rule.NoncurrentVersionTransitions ?? []) {
    if (t.StorageClass === undefined || t.NoncurrentDays === undefined) throw malformedXml();
    if (classes.has(t.StorageClass)) {
      throw invalidRequest(
        `'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule' with ${filterText(rule)}`,
      );
    }
    classes.add(t.StorageClass);
    if (!Number.isInteger(t.NoncurrentDays) || t.NoncurrentDays < 0) {
      throw invalidArgument("'NoncurrentDays' in NoncurrentVersionTransition action must be nonnegative", 'NoncurrentDays', t.NoncurrentDays);
    }
    if (THIRTY_DAY_CLASSES.has(t.StorageClass) && t.NoncurrentDays < 30) {
      throw invalidArgument(
        `'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass '${t.StorageClass}'`,
        'NoncurrentDays',
        t.NoncurrentDays,
      );
    }
    checkNewerVersions(t.NewerNoncurrentVersions);
  }
  const x = rule.NoncurrentVersionExpiration;
  if (x) {
    if (x.NoncurrentDays === undefined) throw malformedXml();
    if (!Number.isInteger(x.NoncurrentDays) || x.NoncurrentDays <= 0) {
      throw invalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer", 'NoncurrentDays', x.NoncurrentDays);
    }
    checkNewerVersions(x.NewerNoncurrentVersions);
  }
}

/** S3 keeps at most 100 newer noncurrent versions per rule. */
function checkNewerVersions(n: number | undefined): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 100)) {
    throw invalidArgument("'NewerNoncurrentVersions' must be an integer between 1 and 100", 'NewerNoncurrentVersions', n);
  }
}

function checkAbort(rule: LifecycleRule): void {
  const a = rule.AbortIncompleteMultipartUpload;
  if (!a) return;
  if (a.DaysAfterInitiation === undefined) throw malformedXml();
  // Uploads have no tags, so a tag filter could never select one.
  if (tagsOf(rule.Filter).length > 0) {
    throw invalidRequest('Tag-based filter cannot be used with AbortIncompleteMultipartUpload action');
  }
  if (!Number.isInteger(a.DaysAfterInitiation) || a.DaysAfterInitiation <= 0) {
    throw invalidArgument(
      "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
      'DaysAfterInitiation',
      a.DaysAfterInitiation,
    );
  }
}

/** Validates rules as S3 does and gives rules without an ID one, as S3 does. */
export function checkLifecycleRules(rules: LifecycleRule[] | undefined): LifecycleRule[] {
  if (!rules || rules.length === 0 || rules.length > MAX_RULES) throw malformedXml();
  const ids = new Set<string>();
  return rules.map((r) => {
    const rule: LifecycleRule = { ...r };
    if (rule.ID === undefined || rule.ID === '') rule.ID = Buffer.from(randomUUID()).toString('base64').slice(0, 48);
    if (rule.ID.length > MAX_ID_LENGTH) {
      throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', rule.ID);
    }
    if (ids.has(rule.ID)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', rule.ID);
    ids.add(rule.ID);
    if (rule.Status === undefined) throw malformedXml();
    checkFilter(rule);
    const actions = [
      rule.Expiration,
      rule.Transitions?.length ? rule.Transitions : undefined,
      rule.NoncurrentVersionExpiration,
      rule.NoncurrentVersionTransitions?.length ? rule.NoncurrentVersionTransitions : undefined,
      rule.AbortIncompleteMultipartUpload,
    ];
    if (actions.every((a) => a === undefined)) throw invalidRequest('At least one action needs to be specified in a rule');
    checkExpiration(rule);
    checkTransitions(rule);
    checkNoncurrent(rule);
    checkAbort(rule);
    return rule;
  });
}

export function putLifecycle(
  db: Database.Database,
  bucket: string | undefined,
  rules: LifecycleRule[] | undefined,
  minimumObjectSize: TransitionDefaultMinimumObjectSize | undefined,
): StoredLifecycle {
  const b = bucketOrThrow(db, bucket);
  const stored: StoredLifecycle = { rules: checkLifecycleRules(rules), minimumObjectSize: minimumObjectSize ?? DEFAULT_MINIMUM_OBJECT_SIZE };
  writeDocument(db, b.name, 'lifecycle', stored);
  return stored;
}

function reviveDate(v: unknown): Date | undefined {
  return typeof v === 'string' ? new Date(v) : undefined;
}

export function getLifecycle(db: Database.Database, bucket: string | undefined): StoredLifecycle {
  const b = bucketOrThrow(db, bucket);
  const doc = readDocument<StoredLifecycle>(db, b.name, 'lifecycle');
  if (!doc) {
    throw new AwsError('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404, {
      fields: { BucketName: b.name },
    });
  }
  // JSON keeps dates as ISO strings; the output shape wants Dates.
  for (const r of doc.rules) {
    if (r.Expiration?.Date !== undefined) r.Expiration.Date = reviveDate(r.Expiration.Date);
    for (const t of r.Transitions ?? []) if (t.Date !== undefined) t.Date = reviveDate(t.Date);
  }
  return doc;
}

export function deleteLifecycle(db: Database.Database, bucket: string | undefined): void {
  const b = bucketOrThrow(db, bucket);
  deleteDocument(db, b.name, 'lifecycle');
}
