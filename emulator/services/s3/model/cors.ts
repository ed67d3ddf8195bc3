import type Database from 'better-sqlite3';
import type { CORSRule } from '@aws-sdk/client-s3';
import { AwsError } from '../../../core/errors';
import { bucketOrThrow, deleteDocument, invalidRequest, malformedXml, readDocument, writeDocument } from './documents';

/**
 * Bucket CORS configuration: stored, validated as S3 does, and matched
 * against browser requests (the preflight and the headers on actual requests
 * live in ../cors-preflight.ts, outside the API providers).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
 */

const MAX_RULES = 100;
/** The only methods a CORS rule may allow. */
const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);

function wildcards(s: string): number {
  return s.split('*').length - 1;
}

export function checkCorsRules(rules: CORSRule[] | undefined): CORSRule[] {
  if (!rules || rules.length === 0 || rules.length > MAX_RULES) throw malformedXml();
  for (const r of rules) {
    if (!r.AllowedMethods?.length || !r.AllowedOrigins?.length) throw malformedXml();
    for (const m of r.AllowedMethods) {
      if (!METHODS.has(m)) throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    }
    for (const o of r.AllowedOrigins) {
      if (wildcards(o) > 1) throw invalidRequest(`AllowedOrigin "${o}" can not have more than one wildcard.`);
    }
    for (const h of r.AllowedHeaders ?? []) {
      if (wildcards(h) > 1) throw invalidRequest(`AllowedHeader "${h}" can not have more than one wildcard.`);
    }
    for (const h of r.ExposeHeaders ?? []) {
      if (h.includes('*')) {
        throw invalidRequest(`ExposeHeader "${h}" contains wildcard. We currently do not support wildcard for ExposeHeader.`);
      }
    }
  }
  return rules;
}

export function putCors(db: Database.Database, bucket: string | undefined, rules: CORSRule[] | undefined): void {
  const b = bucketOrThrow(db, bucket);
  writeDocument(db, b.name, 'cors', checkCorsRules(rules));
}

export function getCors(db: Database.Database, bucket: string | undefined): CORSRule[] {
  const b = bucketOrThrow(db, bucket);
  const rules = readDocument<CORSRule[]>(db, b.name, 'cors');
  if (!rules) {
    throw new AwsError('NoSuchCORSConfiguration', 'The CORS configuration does not exist', 404, { fields: { BucketName: b.name } });
  }
  return rules;
}

export function deleteCors(db: Database.Database, bucket: string | undefined): void {
  const b = bucketOrThrow(db, bucket);
  deleteDocument(db, b.name, 'cors');
}

/** The rules of an existing bucket, or undefined when the bucket has none (or does not exist). */
export function corsRulesOf(db: Database.Database, bucket: string): CORSRule[] | undefined {
  return readDocument<CORSRule[]>(db, bucket, 'cors');
}

/** `*` in an allowed origin or header matches any run of characters (at most one per value). */
function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

export interface CorsRequest {
  origin: string;
  /** The method the browser will use: Access-Control-Request-Method on a preflight, else the request's own. */
  method: string;
  /** Access-Control-Request-Headers of a preflight, lower-cased. */
  headers: string[];
}

/**
 * The first rule that allows the request, as S3 evaluates them: the origin
 * matches an AllowedOrigin, the method is an AllowedMethod, and every
 * requested header matches an AllowedHeader.
 */
export function matchCorsRule(rules: CORSRule[], req: CorsRequest): CORSRule | undefined {
  return rules.find(
    (r) =>
      (r.AllowedMethods ?? []).includes(req.method) &&
      (r.AllowedOrigins ?? []).some((o) => wildcardMatch(o, req.origin, false)) &&
      req.headers.every((h) => (r.AllowedHeaders ?? []).some((a) => wildcardMatch(a, h, true))),
  );
}

/** The response headers S3 sends for a request a rule allows. */
export function corsResponseHeaders(rule: CORSRule, req: CorsRequest): Record<string, string> {
  const anyOrigin = (rule.AllowedOrigins ?? []).includes('*');
  const out: Record<string, string> = {
    'Access-Control-Allow-Origin': anyOrigin ? '*' : req.origin,
    'Access-Control-Allow-Methods': (rule.AllowedMethods ?? []).join(', '),
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  // A named origin may send credentials; `*` may not (the Fetch standard forbids the pair).
  if (!anyOrigin) out['Access-Control-Allow-Credentials'] = 'true';
  if (req.headers.length > 0) out['Access-Control-Allow-Headers'] = req.headers.join(', ');
  if (rule.ExposeHeaders?.length) out['Access-Control-Expose-Headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) out['Access-Control-Max-Age'] = String(rule.MaxAgeSeconds);
  return out;
}
