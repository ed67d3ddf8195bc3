import { Readable, Transform } from 'node:stream';
import { withRole } from '@/lib/auth/route';
import { describeAwsError } from '@/lib/aws/errors';
import { env } from '@/lib/env';
import { getObjectStream, putObjectStream } from '@/lib/s3/objects';
import { formatBytes } from '@/lib/ui/format';
import { bucketNameSchema, objectKeySchema } from '@/lib/validation/s3';

// Downloads and uploads stream through Berth: the browser never sees AWS
// credentials or a presigned URL, and no file is held whole in memory.

type Ctx = { params: Promise<{ bucket: string }> };

function problem(error: unknown, status = 502) {
  const p = describeAwsError(error, { service: 'S3' });
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

export const GET = withRole<Ctx>('viewer', 's3.object.download', async (req, ctx) => {
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

export const POST = withRole<Ctx>('admin', 's3.object.upload', async (req, ctx, user) => {
  const t = await target(req, ctx);
  if (!t) return Response.json({ message: 'Give a bucket and an object key.' }, { status: 400 });
  const length = Number(req.headers.get('content-length') ?? NaN);
  if (!Number.isFinite(length)) return Response.json({ message: 'The upload must say its size (Content-Length).' }, { status: 411 });
  const limit = env().uploadMaxBytes;
  if (length > limit) {
    return Response.json({ message: `The file is ${formatBytes(length)}; this Berth accepts uploads up to ${formatBytes(limit)} (BERTH_UPLOAD_MAX_BYTES).` }, { status: 413 });
  }
  if (!req.body) return Response.json({ message: 'The upload is empty.' }, { status: 400 });
  // Count what actually arrives, whatever Content-Length claimed.
  let seen = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      done(seen > length ? new Error('The upload is longer than it said.') : null, chunk);
    },
  });
  const body = Readable.fromWeb(req.body as import('node:stream/web').ReadableStream).pipe(guard);
  try {
    const out = await putObjectStream(t.bucket, t.key, body, length, req.headers.get('content-type') || 'application/octet-stream');
    console.info(JSON.stringify({ at: new Date().toISOString(), action: 's3.object.upload', user: user.email, outcome: 'ok', bucket: t.bucket, key: t.key, bytes: length }));
    return Response.json({ key: t.key, versionId: out.versionId, etag: out.etag });
  } catch (error) {
    return problem(error);
  }
});
