import type { Readable } from 'node:stream';
import { AwsError } from '../../../core/errors';
import type { Reply } from '../../../core/types';

/** Sent on every registry answer; Docker clients check it to know they reached a v2 registry. */
export const API_VERSION = { 'Docker-Distribution-API-Version': 'registry/2.0' };

/** An error in the registry's own JSON shape: `{"errors":[{code,message,detail}]}`. */
export class RegistryError extends AwsError {
  constructor(
    readonly registryCode: string,
    message: string,
    status: number,
    readonly detail: unknown = null,
    headers: Record<string, string> = {},
  ) {
    super(registryCode, message, status, { headers });
  }
}

export function renderRegistryError(err: RegistryError, requestId: string): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: err.status,
    headers: {
      ...API_VERSION,
      'Content-Type': 'application/json; charset=utf-8',
      'x-amzn-RequestId': requestId,
      ...err.headers,
    },
    body: JSON.stringify({ errors: [{ code: err.registryCode, message: err.message, detail: err.detail }] }),
  };
}

/** A registry answer always has a status and headers (API_VERSION at least); both registries and their server loops rely on that. */
export interface RegistryReply extends Reply {
  status: number;
  headers: Record<string, string>;
}

export function reply(status: number, headers: Record<string, string> = {}, body?: string | Buffer | Readable): RegistryReply {
  return { status, headers: { ...API_VERSION, ...headers }, body };
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): RegistryReply {
  return reply(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(value));
}

export function unsupported(method: string, what: string): RegistryError {
  return new RegistryError('UNSUPPORTED', `${method} is not supported on ${what}`, 405);
}

/** The most the listing endpoints return at once, as ECR's list operations (maxResults) allow. */
const MAX_PAGE = 1000;

/**
 * Reads the `n` page size of the listing endpoints (tags, catalog): an
 * integer from 0 to 1000, 1000 when absent. ECR passes `n` on as a list
 * operation's maxResults, and a larger `n` comes back as UNSUPPORTED with the
 * API's validation message (reported by clients that ask for 10,000, e.g.
 * google/go-containerregistry#681 and #1091); the status code is not
 * reported, 400 is assumed. Anything that is not a count at all is the
 * distribution API's PAGINATION_NUMBER_INVALID.
 */
export function pageSizeParam(query: URLSearchParams): number {
  const raw = query.get('n');
  const n = raw === null || raw === '' ? MAX_PAGE : Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new RegistryError('PAGINATION_NUMBER_INVALID', 'n must be a whole number of results', 400, { n: raw });
  }
  if (n > MAX_PAGE) {
    throw new RegistryError(
      'UNSUPPORTED',
      `Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to ${MAX_PAGE}'`,
      400,
    );
  }
  return n;
}
