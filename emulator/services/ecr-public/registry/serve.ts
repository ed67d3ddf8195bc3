import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isAwsError } from '../../../core/errors';
import type { EmulatorEnv, RawRequestInfo } from '../../../core/types';
import { RegistryError, renderRegistryError } from '../../ecr/registry/http';
import { bucketFromHost } from '../../s3/names';
import { isPublicRegistryHost } from '../model/registry';
import { handleRegistry, handleToken, TOKEN_PATH, type RegistryReply } from './http';
import { LOGO_PREFIX, serveLogo } from './logos';

/**
 * The parts of ECR Public outside its API, answered before AWS routing:
 * the public registry's `/v2/` on the public registry host (`localhost:<port>`;
 * `/v2/` on any other host stays private ECR's), and the token endpoint and
 * repository logos under `/_ecr-public/`, a prefix no S3 bucket name can have
 * (on any host but an S3 virtual host). SigV4-signed requests are never ours:
 * they are AWS API calls.
 */

function isSigV4(req: IncomingMessage, query: URLSearchParams): boolean {
  const auth = req.headers.authorization;
  return (typeof auth === 'string' && /^AWS4-HMAC-SHA256\s/i.test(auth)) || query.has('X-Amz-Credential');
}

async function send(res: ServerResponse, r: RegistryReply, requestId: string): Promise<void> {
  const headers: Record<string, string> = { 'x-amzn-RequestId': requestId, ...r.headers };
  if ((typeof r.body === 'string' || Buffer.isBuffer(r.body)) && headers['Content-Length'] === undefined) {
    headers['Content-Length'] = String(Buffer.byteLength(r.body));
  } else if (r.body === undefined) {
    headers['Content-Length'] ??= '0';
  }
  res.writeHead(r.status, headers);
  if (r.body instanceof Readable) await pipeline(r.body, res).catch(() => res.destroy());
  else res.end(r.body);
}

export async function serveRaw(env: EmulatorEnv, req: IncomingMessage, res: ServerResponse, info: RawRequestInfo): Promise<boolean> {
  if (isSigV4(req, info.query)) return false;
  // On an S3 virtual host (`bucket.localhost`) `/_ecr-public/...` is an object key, not ours.
  const own = info.path.startsWith('/_ecr-public/') && bucketFromHost(info.host) === undefined;
  const registryPath = (info.path === '/v2' || info.path.startsWith('/v2/')) && isPublicRegistryHost(info.host);
  if (!own && !registryPath) return false;
  const r = { env, method: info.method, path: info.path, query: info.query, headers: req.headers, host: info.host || 'localhost', req, activity: info.activity };
  let out: RegistryReply;
  try {
    if (registryPath) out = await handleRegistry(r);
    else if (info.path === TOKEN_PATH) out = await handleToken(r);
    else if (info.path.startsWith(LOGO_PREFIX)) out = await serveLogo(env, info.method, info.path);
    else out = { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not Found' };
  } catch (err) {
    let e: RegistryError;
    if (err instanceof RegistryError) e = err;
    else if (isAwsError(err)) e = new RegistryError('UNKNOWN', err.message, err.status);
    else {
      env.log(`${info.requestId} ecr-public registry failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      e = new RegistryError('UNKNOWN', 'internal error', 500);
    }
    out = renderRegistryError(e, info.requestId);
  } finally {
    // Never leave an unread body on a keep-alive connection.
    if (!req.readableEnded) req.resume();
  }
  if (info.method === 'HEAD') out = { ...out, body: undefined };
  await send(res, out, info.requestId);
  return true;
}
