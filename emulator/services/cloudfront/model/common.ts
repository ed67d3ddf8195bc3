import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../core/errors';
import { cloudfrontIds, randomUpperId } from '../../../core/ids';

/** Ids, ETags, optimistic locking and paging: the rules every CloudFront resource shares. */

export const API = '/2020-05-31';
/** Where AWS says a new resource lives (the Location header); clients only display it. */
export const PUBLIC_ENDPOINT = 'https://cloudfront.amazonaws.com';

/** Distribution, origin access and ETag ids: `E` (or the prefix tests set) and 13 upper-case letters and digits. */
export function newId(prefix = cloudfrontIds.prefix): string {
  return prefix + randomUpperId(13);
}

export const newEtag = (): string => newId('E');

/** `d` and 13 lower-case letters and digits, as in d111111abcdef8.cloudfront.net. */
export function newDomainName(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(13);
  let out = 'd';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out}.cloudfront.net`;
}

export function distributionArn(accountId: string, id: string): string {
  return `arn:aws:cloudfront::${accountId}:distribution/${id}`;
}

export function invalidArgument(message: string): AwsError {
  return new AwsError('InvalidArgument', message, 400);
}

export function malformed(message: string): AwsError {
  return new AwsError('MalformedInput', message, 400);
}

export function invalidIfMatch(): AwsError {
  return new AwsError('InvalidIfMatchVersion', 'The If-Match version is missing or not valid for the resource.', 400);
}

/**
 * CloudFront's optimistic locking: a change or delete names the ETag it read.
 * Missing → InvalidIfMatchVersion; not the current one → PreconditionFailed.
 */
export function checkIfMatch(ifMatch: string | undefined, currentEtag: string): void {
  const given = (ifMatch ?? '').trim();
  if (given === '') throw invalidIfMatch();
  if (given.replace(/^"|"$/g, '') !== currentEtag) {
    throw new AwsError('PreconditionFailed', "The request failed because it didn't meet the preconditions in one or more request-header fields.", 412);
  }
}

/** Marker/MaxItems paging as CloudFront's List* calls take it (MaxItems at most 100). */
export function paging(input: { Marker?: string; MaxItems?: number }): { marker: string; maxItems: number } {
  const marker = input.Marker ?? '';
  let maxItems = 100;
  if (input.MaxItems !== undefined) {
    if (!Number.isInteger(input.MaxItems)) throw invalidArgument('MaxItems must be a positive integer.');
    maxItems = Math.min(Math.max(input.MaxItems, 1), 100);
  }
  return { marker, maxItems };
}

export interface Page<T> {
  items: T[];
  marker: string;
  maxItems: number;
  truncated: boolean;
  /** The marker of the next page, when there is one. */
  nextMarker?: string;
}

/** One page of `all` (already in order) after the item whose key is `marker`. */
export function pageOf<T>(all: readonly T[], keyOf: (t: T) => string, input: { Marker?: string; MaxItems?: number }): Page<T> {
  const { marker, maxItems } = paging(input);
  const start = marker === '' ? 0 : all.findIndex((t) => keyOf(t) > marker);
  const rest = start < 0 ? [] : all.slice(start);
  const items = rest.slice(0, maxItems);
  const truncated = rest.length > maxItems;
  const last = items.at(-1);
  return { items, marker, maxItems, truncated, nextMarker: truncated && last !== undefined ? keyOf(last) : undefined };
}

/**
 * The `{ Quantity, Items }` lists CloudFront takes everywhere: Quantity must
 * equal the number of Items (InconsistentQuantities), and an empty `<Items/>`
 * beside a Quantity is refused (leave Items out when Quantity is 0). Walks a
 * whole request document, so every nested list is checked once.
 */
export function checkQuantities(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkQuantities(v, `${path}[${i + 1}]`));
    return;
  }
  if (!value || typeof value !== 'object' || value instanceof Uint8Array || value instanceof Date) return;
  const obj = value as Record<string, unknown>;
  if (typeof obj.Quantity === 'number') {
    const items = obj.Items;
    if (Array.isArray(items) && items.length === 0) {
      throw malformed(`Unexpected list element termination: ${path}.Items is empty; leave Items out when Quantity is 0.`);
    }
    const n = Array.isArray(items) ? items.length : 0;
    if (obj.Quantity !== n) {
      throw new AwsError(
        'InconsistentQuantities',
        `The value of Quantity and the size of Items don't match (${path}: Quantity ${obj.Quantity}, ${n} item${n === 1 ? '' : 's'}).`,
        400,
      );
    }
  }
  for (const [k, v] of Object.entries(obj)) checkQuantities(v, path === '' ? k : `${path}.${k}`);
}

/** A `{ Quantity, Items }` list of `items`, with Items left out when empty, as CloudFront writes it. */
export function counted<T>(items: readonly T[] | undefined): { Quantity: number; Items?: T[] } {
  const list = items ?? [];
  return list.length > 0 ? { Quantity: list.length, Items: [...list] } : { Quantity: 0 };
}

/**
 * A CloudFront List* answer for one page: Marker, NextMarker, MaxItems,
 * IsTruncated, Quantity and Items (left out when empty). Lists whose shape
 * lacks Marker or IsTruncated (FunctionList, CachePolicyList…) simply do not
 * serialize them.
 */
export function markerList<T, U = T>(page: Page<T>, item?: (t: T) => U) {
  return {
    Marker: page.marker,
    NextMarker: page.nextMarker,
    MaxItems: page.maxItems,
    IsTruncated: page.truncated,
    ...counted(item ? page.items.map(item) : (page.items as unknown as U[])),
  };
}
