import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from '../../core/errors';
import { errorProtocol } from '../../core/wire/errors';
import type { EmulatorEnv, RawRequestInfo } from '../../core/types';
import { getBucket } from './model/buckets';
import { corsResponseHeaders, corsRulesOf, matchCorsRule, type CorsRequest } from './model/cors';
import { bucketNameProblem, toPathStyle } from './names';

/**
 * Browser CORS on the S3 API endpoint, by the bucket's CORS configuration.
 * Not an operation of the S3 model, so it lives here and runs before the
 * API's routing (as the website endpoint does):
 *
 *  - a preflight `OPTIONS /{bucket}[/{key}]` is answered here, 200 with the
 *    matching rule's Access-Control-* headers, or 403 when no rule allows it;
 *  - a GET, PUT, POST, DELETE or HEAD carrying `Origin` gets the matching
 *    rule's headers added to whatever the API then answers.
 *
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html
 */

const s3Errors = errorProtocol({ protocol: 'restXml', xmlFlavor: 's3' });

function headerText(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** The bucket and whether a key follows, from a path-style (or rewritten virtual-hosted) path. */
function target(info: RawRequestInfo): { bucket: string; hasKey: boolean } | undefined {
  const path = toPathStyle(info.host, info.path);
  const rest = path.slice(1);
  if (rest === '') return undefined;
  const slash = rest.indexOf('/');
  const raw = slash < 0 ? rest : rest.slice(0, slash);
  let bucket: string;
  try {
    bucket = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  // Not a bucket (the registry's /v2/, the website's /_website/): leave it to its owner.
  if (bucketNameProblem(bucket) !== undefined) return undefined;
  return { bucket, hasKey: slash >= 0 && slash < rest.length - 1 };
}

function forbidden(message: string, method: string, hasKey: boolean): AwsError {
  return new AwsError('AccessForbidden', message, 403, { fields: { Method: method, ResourceType: hasKey ? 'OBJECT' : 'BUCKET' } });
}

function preflight(env: EmulatorEnv, req: IncomingMessage, t: { bucket: string; hasKey: boolean }): { headers: Record<string, string> } {
  const origin = headerText(req, 'origin');
  if (origin === undefined) throw new AwsError('BadRequest', 'Insufficient information. Origin request header needed.', 400);
  const method = headerText(req, 'access-control-request-method');
  if (method === undefined) throw new AwsError('BadRequest', 'Invalid Access-Control-Request-Method: null', 400);
  if (!getBucket(env.db, t.bucket)) throw forbidden('CORSResponse: Bucket not found', method, t.hasKey);
  const rules = corsRulesOf(env.db, t.bucket);
  if (!rules) throw forbidden('CORSResponse: CORS is not enabled for this bucket.', method, t.hasKey);
  const requested = (headerText(req, 'access-control-request-headers') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  const cors: CorsRequest = { origin, method, headers: requested };
  const rule = matchCorsRule(rules, cors);
  if (!rule) {
    throw forbidden(
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      method,
      t.hasKey,
    );
  }
  return { headers: corsResponseHeaders(rule, cors) };
}

/**
 * Answers a preflight (returns true), or adds CORS headers for an actual
 * cross-origin request and lets the API answer it (returns false).
 */
export function serveCors(env: EmulatorEnv, req: IncomingMessage, res: ServerResponse, info: RawRequestInfo): boolean {
  const t = target(info);
  if (info.method === 'OPTIONS') {
    if (!t) return false;
    let status = 200;
    let headers: Record<string, string>;
    let body: string | Buffer | undefined;
    try {
      headers = { ...s3Errors.baseHeaders(info.requestId), ...preflight(env, req, t).headers };
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      const rendered = s3Errors.renderError(err, info.requestId, info.method);
      status = rendered.status;
      headers = rendered.headers;
      body = typeof rendered.body === 'string' || Buffer.isBuffer(rendered.body) ? rendered.body : undefined;
    }
    res.writeHead(status, { ...headers, 'Content-Length': String(body === undefined ? 0 : Buffer.byteLength(body)) });
    res.end(body);
    return true;
  }
  const origin = headerText(req, 'origin');
  if (origin === undefined || !t) return false;
  const rules = corsRulesOf(env.db, t.bucket);
  if (!rules) return false;
  const cors: CorsRequest = { origin, method: info.method, headers: [] };
  const rule = matchCorsRule(rules, cors);
  // Set on the response now; the API's own headers are added when it answers.
  if (rule) for (const [k, v] of Object.entries(corsResponseHeaders(rule, cors))) res.setHeader(k, v);
  return false;
}
