import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Tag } from '@aws-sdk/client-iam';
import { AwsError } from '../../../core/errors';
import { serviceConstraints, validationMessage } from '../../../core/wire/validate';

/**
 * What every IAM rule needs: the caller's view of the world (no HTTP), IAM's
 * errors in its own codes, ids and ARNs shaped as IAM's, the URL-encoding IAM
 * applies to policy documents, tag rules and Marker/MaxItems paging.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
 */

export interface Iam {
  db: Database.Database;
  accountId: string;
  now(): number;
}

// ---------------------------------------------------------------- errors (codes and statuses from the model's awsQueryError traits)

export const noSuchEntity = (message: string) => new AwsError('NoSuchEntity', message, 404);
export const entityAlreadyExists = (message: string) => new AwsError('EntityAlreadyExists', message, 409);
export const deleteConflict = (message: string) => new AwsError('DeleteConflict', message, 409);
export const limitExceeded = (message: string) => new AwsError('LimitExceeded', message, 409);
export const malformedPolicy = (message: string) => new AwsError('MalformedPolicyDocument', message, 400);
export const invalidInput = (message: string) => new AwsError('InvalidInput', message, 400);
/** The query front end's own error for input that breaks the model (not an IAM modelled error). */
export const validationError = (message: string) => new AwsError('ValidationError', message, 400);

/**
 * IAM's path rule: `/` or `/text/`. The model writes it as
 * `^(\u002F)|(\u002F[\u0021-\u007E]+\u002F)$`, which AWS's validators match
 * against the whole value; read as an ECMAScript expression the alternation
 * lets `/abc` through (its `^(/)` half matches), so the wire layer's check
 * alone would accept a path IAM refuses. `member` is the wire name
 * (`path`, `newPath`) for the message.
 */
export function checkEntityPath(path: string | undefined, member: string): void {
  if (path === undefined || path === '/' || /^\/[\u0021-\u007E]+\/$/u.test(path)) return;
  const pattern = serviceConstraints('iam')?.shapes.pathType?.pattern ?? '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)';
  throw validationError(validationMessage([{ path: member, value: path, constraint: `Member must satisfy regular expression pattern: ${pattern}` }]));
}

// ---------------------------------------------------------------- quotas
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (default values; several are adjustable on AWS)

export const QUOTAS = {
  accessKeysPerUser: 2,
  groupsPerUser: 10,
  managedPoliciesPerUser: 10,
  managedPoliciesPerGroup: 10,
  managedPoliciesPerRole: 10,
  versionsPerPolicy: 5,
  /** Aggregate of a user's inline policies, in non-whitespace characters. */
  userInlineSize: 2048,
  groupInlineSize: 5120,
  roleInlineSize: 10240,
  managedPolicySize: 6144,
  trustPolicySize: 2048,
  tagsPerEntity: 50,
  clientIdsPerOidcProvider: 100,
  thumbprintsPerOidcProvider: 5,
} as const;

// ---------------------------------------------------------------- ids and ARNs

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * IAM unique ids: a four-letter prefix naming the kind (AIDA user, AGPA
 * group, AROA role, ANPA managed policy, AKIA access key) and upper-case
 * base-32 characters, 21 characters in all (20 for access keys).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-prefixes
 */
export function newUniqueId(prefix: 'AIDA' | 'AGPA' | 'AROA' | 'ANPA' | 'AKIA'): string {
  const length = prefix === 'AKIA' ? 16 : 17;
  const bytes = randomBytes(length);
  let out = prefix;
  for (let i = 0; i < length; i++) out += ID_ALPHABET[(bytes[i] ?? 0) % ID_ALPHABET.length];
  return out;
}

/** A 40-character secret access key from the base-64 alphabet, as IAM issues them. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

export type EntityKind = 'user' | 'group' | 'role';

/** `arn:aws:iam::123456789012:user/division/alice`: the path sits between the kind and the name. */
export function entityArn(accountId: string, kind: EntityKind | 'policy', path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}

export const AWS_POLICY_PREFIX = 'arn:aws:iam::aws:policy';

// ---------------------------------------------------------------- policy documents on the wire

/**
 * IAM answers every policy document URL-encoded (RFC 3986), and clients
 * decode it (the AWS CLI does; SDK users call decodeURIComponent).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html
 */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// ---------------------------------------------------------------- tags

export function parseTags(json: string): Tag[] {
  return JSON.parse(json) as Tag[];
}

/**
 * Merges `add` into `current` as TagUser/TagRole do: a key already there
 * (compared without case) takes the new value; the result may hold at most 50.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#id_tags_rules_creating
 */
export function mergeTags(current: Tag[], add: Tag[]): Tag[] {
  const seen = new Set<string>();
  for (const t of add) {
    const k = (t.Key ?? '').toLowerCase();
    if (seen.has(k)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k);
  }
  const out = current.map((t) => ({ ...t }));
  for (const t of add) {
    const i = out.findIndex((o) => (o.Key ?? '').toLowerCase() === (t.Key ?? '').toLowerCase());
    if (i >= 0) out[i] = { Key: out[i]!.Key, Value: t.Value ?? '' };
    else out.push({ Key: t.Key, Value: t.Value ?? '' });
  }
  if (out.length > QUOTAS.tagsPerEntity) {
    throw limitExceeded(`The number of tags has reached the maximum limit (${QUOTAS.tagsPerEntity}).`);
  }
  return out;
}

export function removeTags(current: Tag[], keys: string[]): Tag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return current.filter((t) => !drop.has((t.Key ?? '').toLowerCase()));
}

// ---------------------------------------------------------------- paging

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

const DEFAULT_MAX_ITEMS = 100;

/**
 * IAM's paging: at most MaxItems (default 100; the model bounds it to
 * 1..1000) and, when more remain, `IsTruncated` with an opaque `Marker`. The
 * marker holds the sort key of the last item returned, so a page stays right
 * while entities are created or deleted between calls.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html
 */
export function paginate<T>(sorted: readonly T[], key: (item: T) => string, marker: string | undefined, maxItems: number | undefined): Page<T> {
  let start = 0;
  if (marker !== undefined) {
    let after: string;
    try {
      const decoded = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as unknown;
      if (!decoded || typeof decoded !== 'object' || typeof (decoded as { k?: unknown }).k !== 'string') throw new Error('shape');
      after = (decoded as { k: string }).k;
    } catch {
      throw validationError('Invalid Marker.');
    }
    start = sorted.findIndex((item) => key(item) > after);
    if (start < 0) start = sorted.length;
  }
  const limit = maxItems ?? DEFAULT_MAX_ITEMS;
  const items = sorted.slice(start, start + limit);
  const truncated = start + limit < sorted.length;
  const last = items.at(-1);
  return {
    items,
    IsTruncated: truncated,
    ...(truncated && last !== undefined ? { Marker: Buffer.from(JSON.stringify({ k: key(last) })).toString('base64url') } : {}),
  };
}

/** Sort key for names: IAM names are unique without regard to case. */
export const nameKey = (name: string) => name.toLowerCase();

export function byKey<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Entities whose path starts with the prefix (IAM's PathPrefix filter; `/` or none matches all). */
export function underPath(path: string, prefix: string | undefined): boolean {
  return prefix === undefined || path.startsWith(prefix);
}
