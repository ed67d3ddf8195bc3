import { randomBytes } from 'node:crypto';
import { AwsError } from '../../core/errors';
import { cloudfrontIds, randomUpperId } from '../../core/ids';
import type { RequestContext } from '../../core/types';
import { leaf, node, parseXml } from '../../core/xml';
import { decode, malformed, type Obj, type StructShape } from './codec';

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

/** Reads the XML payload rooted at `root` and decodes it with `shape`. */
export function readBody(ctx: RequestContext, root: string, shape: StructShape): Obj {
  const text = ctx.body.toString('utf8');
  if (text.trim() === '') {
    throw new AwsError('MissingBody', 'This operation requires a body. Ensure that the body is present and the Content-Type header is set.', 400);
  }
  const parsed = parseXml(text);
  if (!parsed) throw malformed('The XML document is not well-formed.');
  const inner = parsed[root];
  if (inner === undefined) throw malformed(`The root element must be ${root}.`);
  return decode(shape, inner, root) as Obj;
}

/**
 * CloudFront's optimistic locking: a change or delete names the ETag it read.
 * Missing → InvalidIfMatchVersion; not the current one → PreconditionFailed.
 */
export function checkIfMatch(ctx: RequestContext, currentEtag: string): void {
  const raw = ctx.headers['if-match'];
  const given = typeof raw === 'string' ? raw.trim() : '';
  if (given === '') {
    throw new AwsError('InvalidIfMatchVersion', 'The If-Match version is missing or not valid for the resource.', 400);
  }
  if (given.replace(/^"|"$/g, '') !== currentEtag) {
    throw new AwsError('PreconditionFailed', 'The request failed because it didn\'t meet the preconditions in one or more request-header fields.', 412);
  }
}

/** Marker/MaxItems paging as CloudFront's List* calls take it (MaxItems at most 100). */
export function paging(ctx: RequestContext): { marker: string; maxItems: number } {
  const marker = ctx.query.get('Marker') ?? '';
  const rawMax = ctx.query.get('MaxItems');
  let maxItems = 100;
  if (rawMax !== null && rawMax !== '') {
    if (!/^\d+$/.test(rawMax)) throw new AwsError('InvalidArgument', 'MaxItems must be a positive integer.');
    maxItems = Math.min(Math.max(Number(rawMax), 1), 100);
  }
  return { marker, maxItems };
}

export function invalidArgument(message: string): AwsError {
  return new AwsError('InvalidArgument', message, 400);
}

export const CLOUDFRONT_NS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

/** The Marker/NextMarker list shape every CloudFront List* call answers with. */
export function listXml(root: string, marker: string, maxItems: number, truncated: boolean, lastId: string | undefined, quantity: number, items: string): string {
  return node(
    root,
    leaf('Marker', marker) +
      (truncated && lastId ? leaf('NextMarker', lastId) : '') +
      leaf('MaxItems', maxItems) +
      leaf('IsTruncated', truncated) +
      leaf('Quantity', quantity) +
      (quantity > 0 ? node('Items', items) : ''),
    { xmlns: CLOUDFRONT_NS },
  );
}
