import type { Reply, RequestContext } from '../../../core/types';
import {
  appendUpload,
  discardUpload,
  findUpload,
  finishUpload,
  startUpload,
  uploadedBytes,
  type UploadRow,
} from '../layers';
import { addLayer, presentLayers } from '../store';
import { DIGEST_RE, REPOSITORY_NAME_PATTERN } from '../validation';
import { requireAction, requirePush, type Caller } from './caller';
import { RegistryError, reply, unsupported } from './http';

/** Blob downloads and the blob upload sessions of the distribution API. */

const NAME_RE = new RegExp(`^${REPOSITORY_NAME_PATTERN}$`);

function uploadLocation(repo: string, id: string): string {
  return `/v2/${repo}/blobs/uploads/${id}`;
}

function uploadHeaders(repo: string, id: string, size: number): Record<string, string> {
  return {
    Location: uploadLocation(repo, id),
    'Docker-Upload-UUID': id,
    // The distribution convention: "0-0" also for an empty upload.
    Range: `0-${Math.max(0, size - 1)}`,
    'Content-Length': '0',
  };
}

async function finish(ctx: RequestContext, upload: UploadRow, repo: string, digest: string | null): Promise<Reply> {
  if (digest === null || !DIGEST_RE.test(digest)) {
    throw new RegistryError('DIGEST_INVALID', 'a sha256 digest query parameter is required to finish an upload', 400);
  }
  const r = await finishUpload(ctx.env, upload, digest);
  if (!r.ok) {
    throw new RegistryError(
      'DIGEST_INVALID',
      r.kind === 'empty' ? 'the upload is empty' : `provided digest did not match uploaded content (got ${r.actual ?? '?'})`,
      400,
    );
  }
  return reply(201, { Location: `/v2/${repo}/blobs/${r.digest}`, 'Docker-Content-Digest': r.digest, 'Content-Length': '0' });
}

function checkContentRange(ctx: RequestContext, have: number, repo: string, id: string): void {
  const cr = ctx.headers['content-range'];
  if (typeof cr !== 'string' || cr === '') return;
  const m = /^(?:bytes[ =])?(\d+)-(\d+)/.exec(cr.trim());
  if (!m || Number(m[1]) !== have) {
    throw new RegistryError('BLOB_UPLOAD_INVALID', `Content-Range ${cr} does not continue the upload at byte ${have}`, 416, null, {
      Location: uploadLocation(repo, id),
      Range: `0-${Math.max(0, have - 1)}`,
      'Docker-Upload-UUID': id,
    });
  }
}

function hasBody(ctx: RequestContext): boolean {
  const len = ctx.headers['content-length'];
  if (typeof len === 'string') return Number(len) > 0;
  return ctx.headers['transfer-encoding'] !== undefined;
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '' && m[2] !== '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (!Number.isFinite(start) || start > end || start >= size) return undefined;
  return { start, end };
}

export function handleBlob(ctx: RequestContext, caller: Caller, repo: string, digest: string): Reply {
  const env = ctx.env;
  if (ctx.method === 'DELETE') throw unsupported('DELETE', 'blobs (ECR removes layers itself)');
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw unsupported(ctx.method, 'blobs');
  if (!DIGEST_RE.test(digest)) throw new RegistryError('DIGEST_INVALID', `invalid digest '${digest}'`, 400);
  // HEAD asks whether the layer is there (what a push does first); GET downloads it.
  if (ctx.method === 'HEAD') requireAction(ctx, caller, repo, 'BatchCheckLayerAvailability', { layerDigests: [digest] });
  else requireAction(ctx, caller, repo, 'GetDownloadUrlForLayer', { layerDigest: digest });
  const layer = presentLayers(env.db, caller.region, repo, [digest]).get(digest);
  const sha = digest.slice('sha256:'.length);
  const size = layer ? env.blobs.size(sha) : undefined;
  if (!layer || size === undefined) throw new RegistryError('BLOB_UNKNOWN', `blob ${digest} is not in repository ${repo}`, 404, { digest });
  const headers: Record<string, string> = {
    'Content-Type': 'application/octet-stream',
    'Docker-Content-Digest': digest,
    'Accept-Ranges': 'bytes',
    ETag: `"${digest}"`,
    'Cache-Control': 'max-age=31536000',
  };
  const range = ctx.method === 'GET' ? parseRange(typeof ctx.headers.range === 'string' ? ctx.headers.range : undefined, size) : undefined;
  if (range) {
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
    headers['Content-Length'] = String(range.end - range.start + 1);
    return reply(206, headers, env.blobs.createReadStream(sha, range));
  }
  headers['Content-Length'] = String(size);
  if (ctx.method === 'HEAD') return reply(200, headers);
  return reply(200, headers, size === 0 ? Buffer.alloc(0) : env.blobs.createReadStream(sha));
}

function mayRead(ctx: RequestContext, caller: Caller, repo: string): boolean {
  try {
    requireAction(ctx, caller, repo, 'GetDownloadUrlForLayer');
    return true;
  } catch {
    return false;
  }
}

export async function handleUploadStart(ctx: RequestContext, caller: Caller, repo: string): Promise<Reply> {
  const env = ctx.env;
  if (ctx.method !== 'POST') throw unsupported(ctx.method, 'blob uploads');
  requirePush(ctx, caller, repo, 'InitiateLayerUpload');
  const mount = ctx.query.get('mount');
  const from = ctx.query.get('from');
  // Mounting reads the layer from the other repository: without a pull there, the client uploads it instead.
  if (mount && from && DIGEST_RE.test(mount) && NAME_RE.test(from) && mayRead(ctx, caller, from)) {
    // Cross-repository mount: the blob is already here if the source repository has it.
    const src = presentLayers(env.db, caller.region, from, [mount]).get(mount);
    if (src && env.blobs.has(mount.slice('sha256:'.length))) {
      addLayer(env, caller.region, repo, mount, src.size, src.mediaType);
      return reply(201, { Location: `/v2/${repo}/blobs/${mount}`, 'Docker-Content-Digest': mount, 'Content-Length': '0' });
    }
  }
  const id = startUpload(env, caller.region, repo);
  const digest = ctx.query.get('digest');
  if (digest !== null) {
    // Monolithic upload: the whole blob is in this POST.
    await appendUpload(env, id, ctx.req);
    const upload = findUpload(env, id, caller.region, repo);
    if (!upload) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', 'upload vanished', 404);
    return finish(ctx, upload, repo, digest);
  }
  return reply(202, uploadHeaders(repo, id, 0));
}

export async function handleUpload(ctx: RequestContext, caller: Caller, repo: string, id: string): Promise<Reply> {
  const env = ctx.env;
  // Sending bytes is UploadLayerPart; the closing PUT is CompleteLayerUpload (and a part when it carries bytes).
  requirePush(ctx, caller, repo, 'UploadLayerPart', { uploadId: id });
  if (ctx.method === 'PUT') requirePush(ctx, caller, repo, 'CompleteLayerUpload', { uploadId: id });
  const upload = /^[0-9a-f-]{36}$/.test(id) ? findUpload(env, id, caller.region, repo) : undefined;
  if (!upload) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', `blob upload ${id} is unknown to the registry`, 404);
  switch (ctx.method) {
    case 'GET':
      return reply(204, uploadHeaders(repo, id, uploadedBytes(env, id)));
    case 'PATCH': {
      checkContentRange(ctx, uploadedBytes(env, id), repo, id);
      const size = await appendUpload(env, id, ctx.req);
      return reply(202, uploadHeaders(repo, id, size));
    }
    case 'PUT': {
      if (hasBody(ctx)) {
        checkContentRange(ctx, uploadedBytes(env, id), repo, id);
        await appendUpload(env, id, ctx.req);
      } else {
        ctx.req.resume();
      }
      return finish(ctx, upload, repo, ctx.query.get('digest'));
    }
    case 'DELETE':
      await discardUpload(env, id);
      return reply(204, { 'Content-Length': '0' });
    default:
      throw unsupported(ctx.method, 'blob uploads');
  }
}
