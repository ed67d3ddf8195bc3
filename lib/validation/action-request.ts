// Checks on a server action request as a whole, made in proxy.ts before Next's
// action handler sees it. Next refuses an over-large body and a cross-site
// Origin itself, but answers both with a bare 500 (and a malformed Origin makes
// its `new URL()` throw, also a 500): see the "consider checking if the error is
// an ApiError … respond with a 413" note in next/dist/server/app-render/action-handler.js
// and https://nextjs.org/docs/app/api-reference/config/next-config-js/serverActions.
// Here the same refusals become a 4xx with a sentence.

/** The largest body a server action takes: Next's default, set explicitly in next.config.ts. */
export const ACTION_BODY_LIMIT = '1mb';
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

/** Route handlers that take large POST bodies of their own (the upload route), which Next's action handler never sees. */
const ROUTE_HANDLER_POSTS = [/^\/s3\/[^/]+\/object$/];

/**
 * A request Next's action handler will parse: a POST naming an action
 * (`Next-Action`, sent by every JavaScript form submit), or a multipart POST to
 * a page, which may be a form submitted before JavaScript loaded.
 */
export function isActionRequest(method: string, pathname: string, headers: Headers): boolean {
  if (method !== 'POST') return false;
  if (headers.has('next-action')) return true;
  const type = headers.get('content-type') ?? '';
  return type.startsWith('multipart/form-data') && !ROUTE_HANDLER_POSTS.some((r) => r.test(pathname));
}

function refuse(status: number, sentence: string): Response {
  return new Response(`${sentence}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

/**
 * The same-origin rule Next applies to server actions (Origin's host must be
 * X-Forwarded-Host's first value, or Host), answered as 400/403 instead of 500.
 * Berth sets no `serverActions.allowedOrigins`; if it ever does, this must learn them too.
 */
function originRefusal(headers: Headers): Response | null {
  const origin = headers.get('origin');
  if (origin === null) return null; // a hand-made request without Origin carries no browser's cookies unwillingly; Next lets it through too
  if (origin === 'null') {
    return refuse(403, 'Berth accepts forms only from its own pages, and this request came from an opaque origin (Origin: null). Open the page in Berth and submit it from there.');
  }
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return refuse(400, 'The Origin header of this request is not a URL, so Berth cannot tell where it came from. Submit the form from a Berth page.');
  }
  const forwarded = headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  const expected = forwarded || headers.get('host');
  if (!expected || host !== expected) {
    return refuse(403, 'Berth accepts forms only from its own pages, and this request came from another site. Open the page in Berth and submit it from there.');
  }
  return null;
}

const TOO_LARGE =
  'Berth did not accept this form: it sent more than 1 MB, the most a form may send. Shorten the longest field (a policy, a list of paths or tags) and try again; files go through the upload panel, which has its own limit.';

const UNREADABLE = 'Berth could not read this request: it is not what a Berth form sends. Reload the page and submit the form again.';

/** Reads a body up to the limit; null when it goes over. */
async function readUpTo(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether Next's decoder can start on this body. A JavaScript form submit sends
 * either JSON text (the action's arguments) or multipart form data whose field
 * "0" is that JSON; anything else makes React's decodeReply throw, which Next
 * answers with 500.
 */
async function readable(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<boolean> {
  if (contentType.startsWith('multipart/form-data')) {
    try {
      const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
      const root = form.get('0');
      return typeof root !== 'string' || isJson(root);
    } catch {
      return false;
    }
  }
  return isJson(new TextDecoder().decode(bytes));
}

/** What to answer instead of letting Next answer 500; null when the request may go on to the action. */
export async function refuseActionRequest(req: Request, pathname: string): Promise<Response | null> {
  if (!isActionRequest(req.method, pathname, req.headers)) return null;
  const origin = originRefusal(req.headers);
  if (origin) return origin;
  const declared = req.headers.get('content-length');
  if (declared !== null) {
    const n = Number(declared);
    if (!Number.isFinite(n) || n < 0) return refuse(400, 'The Content-Length header of this request is not a number.');
    if (n > ACTION_BODY_LIMIT_BYTES) return refuse(413, TOO_LARGE);
  }
  // The proxy is handed its own copy of the body (Next buffers the original
  // for the action), so reading it here takes nothing away. A chunked body
  // has no Content-Length, so it is counted as it is read.
  const bytes = await readUpTo(req.body, ACTION_BODY_LIMIT_BYTES);
  if (!bytes) return refuse(413, TOO_LARGE);
  // A form posted before JavaScript loaded (no Next-Action) is decoded by Next's own form reader; only ask of fetch actions.
  if (req.headers.has('next-action') && !(await readable(bytes, req.headers.get('content-type') ?? ''))) return refuse(400, UNREADABLE);
  return null;
}
