import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { noteAudit } from '@/lib/audit/scope';
import { withRole } from '@/lib/auth/route';
import { currentUser } from '@/lib/auth/session';
import { describeAwsError } from '@/lib/aws/errors';
import { env } from '@/lib/env';
import { getObjectStream } from '@/lib/s3/objects';
import { describeUploadError, uploadObject } from '@/lib/s3/upload';
import { formatBytes } from '@/lib/ui/format';
import { bucketNameSchema, objectKeySchema } from '@/lib/validation/s3';

// Downloads and uploads stream through Berth: the browser never sees AWS
// credentials or a presigned URL, and no file is held whole in memory. For
// that, proxy.ts leaves this path alone: Next.js copies the body of every
// request its proxy sees into memory, and cuts it at 10 MB.
// https://nextjs.org/docs/app/api-reference/config/next-config-js/proxyClientMaxBodySize

type Ctx = { params: Promise<{ bucket: string }> };

function problem(error: unknown, status = 502) {
  const p = describeAwsError(error, { service: 'S3', action: 's3:GetObject' });
  const code = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return Response.json({ message: p.message, code: p.code }, { status: code && code >= 400 && code < 500 ? code : status });
}

async function target(req: Request, ctx: Ctx) {
  const url = new URL(req.url);
  const bucket = bucketNameSchema.safeParse((await ctx.params).bucket);
  const key = objectKeySchema.safeParse(url.searchParams.get('key') ?? '');
  const versionId = url.searchParams.get('versionId') ?? undefined;
  return bucket.success && key.success ? { bucket: bucket.data, key: key.data, versionId } : null;
}

const download = withRole<Ctx>('viewer', 's3.object.download', async (req, ctx) => {
  const t = await target(req, ctx);
  if (!t) return Response.json({ message: 'Give a bucket and an object key.' }, { status: 400 });
  try {
    const obj = await getObjectStream(t.bucket, t.key, t.versionId);
    const filename = t.key.split('/').pop() || 'download';
    const headers = new Headers({
      'content-type': obj.contentType,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
      'cache-control': 'private, no-store',
    });
    if (obj.contentLength !== null) headers.set('content-length', String(obj.contentLength));
    return new Response(Readable.toWeb(obj.body) as ReadableStream, { headers });
  } catch (error) {
    return problem(error);
  }
});

export async function GET(req: Request, ctx: Ctx) {
  // Without the proxy in front, a signed-out person who opens a download link
  // would meet bare JSON; send them to sign in, then to the object's folder.
  if (req.headers.get('sec-fetch-mode') === 'navigate' && !(await currentUser())) {
    const url = new URL(req.url);
    const key = url.searchParams.get('key') ?? '';
    const folder = key.includes('/') ? key.slice(0, key.lastIndexOf('/') + 1) : '';
    const back = `/s3/${encodeURIComponent((await ctx.params).bucket)}${folder ? `?prefix=${encodeURIComponent(folder)}` : ''}`;
    return Response.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent(back)}`, url.origin), 303);
  }
  return download(req, ctx);
}

class BodySizeMismatch extends Error {}

/**
 * The request body as it arrives, counted: it must be exactly as long as its
 * Content-Length said (the limit was checked against that), and reading stops
 * when the browser goes away.
 */
async function* countedBody(body: WebReadableStream<Uint8Array>, length: number, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) throw signal.reason ?? new Error('The upload was cancelled.');
      if (done) break;
      seen += value.byteLength;
      if (seen > length) throw new BodySizeMismatch(`The upload is longer than the ${length} bytes its Content-Length said; nothing was stored.`);
      yield value;
    }
    if (seen !== length) throw new BodySizeMismatch(`The upload ended after ${seen} of the ${length} bytes its Content-Length said; nothing was stored.`);
  } finally {
    signal.removeEventListener('abort', stop);
    reader.releaseLock();
  }
}

export const POST = withRole<Ctx>('admin', 's3.object.upload', async (req, ctx, user) => {
  const t = await target(req, ctx);
  if (!t) return Response.json({ message: 'Give a bucket and an object key.' }, { status: 400 });
  const length = Number(req.headers.get('content-length') ?? NaN);
  if (!Number.isSafeInteger(length) || length < 0) return Response.json({ message: 'The upload must say its size (Content-Length).' }, { status: 411 });
  const limit = env().uploadMaxBytes;
  if (length > limit) {
    return Response.json({ message: `The file is ${formatBytes(length)}; this Berth accepts uploads up to ${formatBytes(limit)} (BERTH_UPLOAD_MAX_BYTES).` }, { status: 413 });
  }
  const log = (outcome: string, extra: Record<string, unknown> = {}) => {
    console.info(JSON.stringify({ at: new Date().toISOString(), action: 's3.object.upload', user: user.email, outcome, bucket: t.bucket, key: t.key, bytes: length, ...extra }));
    // withRole's audit entry says what the answer was; this says how big and how it ended.
    noteAudit({ detail: { bytes: length, ended: outcome, ...extra } });
  };
  const body = req.body ? countedBody(req.body as WebReadableStream<Uint8Array>, length, req.signal) : (async function* () {})();
  try {
    const out = await uploadObject({
      bucket: t.bucket,
      key: t.key,
      body,
      contentLength: length,
      contentType: req.headers.get('content-type') || 'application/octet-stream',
      signal: req.signal,
    });
    log('ok', { parts: out.parts });
    return Response.json({ key: t.key, versionId: out.versionId, etag: out.etag });
  } catch (error) {
    if (req.signal.aborted) {
      // The person cancelled or left; nobody reads this answer, but the log says what happened.
      log('cancelled');
      return Response.json({ message: 'The upload was cancelled; nothing was stored.' }, { status: 400 });
    }
    if (error instanceof BodySizeMismatch) {
      log('size-mismatch');
      return Response.json({ message: error.message }, { status: 400 });
    }
    const p = describeUploadError(error, t.bucket, t.key);
    log('failed', { code: p.code });
    return Response.json({ message: p.message, code: p.code }, { status: p.status });
  }
});
