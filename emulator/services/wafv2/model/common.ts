import type Database from 'better-sqlite3';
import { AwsError } from '../../../core/errors';

/**
 * What every WAFv2 rule needs: who calls from where, WAF's errors in its own
 * words, the ARNs of its entities, lock tokens and list paging.
 * https://docs.aws.amazon.com/waf/latest/APIReference/CommonErrors.html
 */

export type Scope = 'CLOUDFRONT' | 'REGIONAL';

/** The caller as the model sees it: no HTTP, no protocol. */
export interface Caller {
  db: Database.Database;
  accountId: string;
  /** The region the request was signed for. */
  region: string;
  now(): number;
}

/** A scope in the caller's region: where a WAF entity lives. */
export interface Place {
  scope: Scope;
  /** us-east-1 for CLOUDFRONT; the caller's region for REGIONAL. */
  region: string;
}

/** WAF's parameter error: its message names the reason, the field and the value, and the SDK reads all three. */
export function invalidParameter(field: string, parameter: string, reason: string): AwsError {
  return new AwsError('WAFInvalidParameterException', `Error reason: ${reason}, field: ${field}, parameter: ${parameter}`, 400, {
    fields: { Field: field, Parameter: parameter, Reason: reason },
  });
}

export const FORMAT_NOT_VALID = 'The parameter contains formatting that is not valid.';
/** The reason WAF gives for an ARN it cannot use where it was given (seen for a CloudFront ARN in AssociateWebACL). */
export const ARN_NOT_VALID = 'The ARN isn’t valid. A valid ARN begins with arn: and includes other information separated by colons or slashes.';

export function nonexistent(): AwsError {
  return new AwsError('WAFNonexistentItemException', 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.', 400);
}

export function duplicate(what?: string): AwsError {
  return new AwsError(
    'WAFDuplicateItemException',
    `AWS WAF couldn’t perform the operation because some resource in your request is a duplicate of an existing one${what ? `: ${what}` : ''}.`,
    400,
  );
}

export function associated(what: string): AwsError {
  return new AwsError(
    'WAFAssociatedItemException',
    `AWS WAF couldn’t perform the operation because your resource is being used by another resource or it’s associated with another resource: ${what}.`,
    400,
  );
}

export function limitsExceeded(what: string): AwsError {
  return new AwsError('WAFLimitsExceededException', `AWS WAF couldn’t perform the operation because you exceeded your resource limit: ${what}.`, 400);
}

/**
 * Every write of a WAF entity names the lock token of the version it read;
 * a stale one means someone changed it in between.
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_UpdateWebACL.html#WAF-UpdateWebACL-request-LockToken
 */
export function checkLockToken(given: string | undefined, current: string): void {
  if (given !== current) {
    throw new AwsError(
      'WAFOptimisticLockException',
      'AWS WAF couldn’t save your changes because someone changed the resource after you started to edit it. Reapply your changes.',
      400,
    );
  }
}

/**
 * CLOUDFRONT entities are global and are managed through us-east-1 only; a
 * REGIONAL one lives in the caller's region.
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html#WAF-CreateWebACL-request-Scope
 */
export function placeOf(caller: Caller, scope: string | undefined): Place {
  if (scope !== 'CLOUDFRONT' && scope !== 'REGIONAL') throw invalidParameter('SCOPE_VALUE', String(scope ?? 'null'), 'The scope is not valid.');
  if (scope === 'CLOUDFRONT' && caller.region !== 'us-east-1') throw invalidParameter('SCOPE_VALUE', 'CLOUDFRONT', 'The scope is not valid.');
  return { scope, region: scope === 'CLOUDFRONT' ? 'us-east-1' : caller.region };
}

export type EntityKind = 'webacl' | 'ipset' | 'rulegroup' | 'regexpatternset' | 'managedruleset';

/** `arn:aws:wafv2:<region>:<account>:global|regional/<kind>/<name>/<id>`, global ones in us-east-1. */
export function entityArn(caller: Caller, place: Place, kind: EntityKind, name: string, id: string): string {
  return `arn:aws:wafv2:${place.region}:${caller.accountId}:${place.scope === 'CLOUDFRONT' ? 'global' : 'regional'}/${kind}/${name}/${id}`;
}

export interface ParsedArn extends Place {
  account: string;
  kind: EntityKind;
  name: string;
  id: string;
}

const WAF_ARN = /^arn:aws[a-z-]*:wafv2:([a-z0-9-]+):(\d{12}):(global|regional)\/(webacl|ipset|rulegroup|regexpatternset|managedruleset)\/([^/]+)\/([^/]+)$/;

/** The parts of a WAF entity's ARN, or undefined for anything else. */
export function parseEntityArn(arn: string): ParsedArn | undefined {
  const m = WAF_ARN.exec(arn);
  if (!m) return undefined;
  const [, region, account, where, kind, name, id] = m as unknown as [string, string, string, string, EntityKind, string, string];
  return { region, account, scope: where === 'global' ? 'CLOUDFRONT' : 'REGIONAL', kind, name, id };
}

/**
 * One page of a list sorted by `keyOf`: at most `limit` (100 when absent)
 * items after the marker, and the next marker only while more remain. The
 * marker is opaque to callers; here it is the last key returned.
 */
export function page<T>(all: readonly T[], keyOf: (t: T) => string, limit: number | undefined, marker: string | undefined): { items: T[]; next?: string } {
  const size = limit ?? 100;
  const start = marker ? all.findIndex((t) => keyOf(t) > marker) : 0;
  const from = start < 0 ? all.length : start;
  const items = all.slice(from, from + size);
  const last = items.at(-1);
  return { items, next: from + size < all.length && last ? keyOf(last) : undefined };
}

/**
 * Settings are stored as JSON; blobs (a byte-match SearchString) are kept as
 * base64 under a marker key so they come back as bytes.
 */
export function toStored(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    // A Buffer has already become { type: 'Buffer', data: [...] } through its toJSON; a plain Uint8Array has not.
    const b = v as { type?: unknown; data?: unknown } | null;
    if (b && typeof b === 'object' && b.type === 'Buffer' && Array.isArray(b.data)) return { $bytes: Buffer.from(b.data as number[]).toString('base64') };
    if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') };
    return v;
  });
}

export function fromStored<T>(text: string): T {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { $bytes?: unknown }).$bytes === 'string') {
      return new Uint8Array(Buffer.from((v as { $bytes: string }).$bytes, 'base64'));
    }
    return v;
  }) as T;
}
