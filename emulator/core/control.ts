import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './body';
import { parseFaultRules, type FaultInjector } from './faults';
import { CLOUDFRONT_ID_PREFIX, cloudfrontIds } from './ids';

export const CONTROL_PREFIX = '/_emulator/';

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = value === undefined ? '' : JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Endpoints for tests and demos, outside any AWS API: health, and the live
 * fault rules. No S3 bucket can be called `_emulator` (underscore), so these
 * paths never shadow a real request.
 */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  faults: FaultInjector,
  clock: { offsetMs: number },
): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/_emulator/health' && method === 'GET') return sendJson(res, 200, { ok: true });
  if (path === '/_emulator/clock') {
    // Tests move the emulator's clock (push dates, lifecycle ages, token expiry) without waiting.
    if (method === 'GET') return sendJson(res, 200, { offsetMs: clock.offsetMs, now: new Date(Date.now() + clock.offsetMs).toISOString() });
    if (method === 'PUT') {
      let offset: unknown;
      try {
        offset = (JSON.parse((await readBody(req, 4096)).toString('utf8')) as { offsetMs?: unknown }).offsetMs;
      } catch {
        return sendJson(res, 400, { error: 'body is not valid JSON' });
      }
      if (typeof offset !== 'number' || !Number.isFinite(offset)) {
        return sendJson(res, 400, { error: 'expected {"offsetMs": <number>}' });
      }
      clock.offsetMs = Math.trunc(offset);
      return sendJson(res, 200, { offsetMs: clock.offsetMs, now: new Date(Date.now() + clock.offsetMs).toISOString() });
    }
    return sendJson(res, 405, { error: `${method} is not allowed on ${path}` });
  }
  if (path === '/_emulator/faults') {
    if (method === 'GET') return sendJson(res, 200, faults.list());
    if (method === 'DELETE') {
      faults.clear();
      return sendJson(res, 200, []);
    }
    if (method === 'PUT') {
      let rules;
      try {
        const text = (await readBody(req, 256 * 1024)).toString('utf8');
        rules = parseFaultRules(JSON.parse(text));
      } catch (err) {
        return sendJson(res, 400, { error: err instanceof SyntaxError ? 'body is not valid JSON' : (err as Error).message });
      }
      faults.replace(rules);
      return sendJson(res, 200, faults.list());
    }
    return sendJson(res, 405, { error: `${method} is not allowed on ${path}` });
  }
  if (path === '/_emulator/cloudfront-ids') {
    // Tests mint CloudFront ids of another shape than AWS's, as another implementation may.
    if (method === 'GET') return sendJson(res, 200, cloudfrontIds);
    if (method === 'PUT') {
      let prefix: unknown;
      try {
        prefix = (JSON.parse((await readBody(req, 4096)).toString('utf8')) as { prefix?: unknown }).prefix;
      } catch {
        return sendJson(res, 400, { error: 'body is not valid JSON' });
      }
      if (typeof prefix !== 'string' || !CLOUDFRONT_ID_PREFIX.test(prefix)) {
        return sendJson(res, 400, { error: 'expected {"prefix": "<0 to 16 of A-Z a-z 0-9 . _ ~ ->"}' });
      }
      cloudfrontIds.prefix = prefix;
      return sendJson(res, 200, cloudfrontIds);
    }
    return sendJson(res, 405, { error: `${method} is not allowed on ${path}` });
  }
  return sendJson(res, 404, { error: `no control endpoint ${method} ${path}` });
}
