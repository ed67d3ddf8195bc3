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
import { blobCreated, closingDigest, hasBody, serveBlob, unfinishedUpload, uploadHeaders } from './distribution';
import { RegistryError, reply, unsupported } from './http';

/** Blob downloads and the blob upload sessions of the distribution API. */

const NAME_RE = new RegExp(`^${REPOSITORY_NAME_PATTERN}$`);

function uploadLocation(repo: string, id: string): string {
  return `/v2/${repo}/blobs/uploads/${id}`;
}

async function finish(ctx: RequestContext, upload: UploadRow, repo: string, digest: string | null): Promise<Reply> {
  const r = await finishUpload(ctx.env, upload, closingDigest(digest));
  if (!r.ok) throw unfinishedUpload(r);
  return blobCreated(repo, r.digest);
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

export function handleBlob(ctx: RequestContext, caller: Caller, repo: string, digest: string): Reply {
  const env = ctx.env;
  if (ctx.method === 'DELETE') throw unsupported('DELETE', 'blobs (ECR removes layers itself)');
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw unsupported(ctx.method, 'blobs');
  if (!DIGEST_RE.test(digest)) throw new RegistryError('DIGEST_INVALID', `invalid digest '${digest}'`, 400);
  // HEAD asks whether the layer is there (what a push does first); GET downloads it.
  if (ctx.method === 'HEAD') requireAction(ctx, caller, repo, 'BatchCheckLayerAvailability', { layerDigests: [digest] });
  else requireAction(ctx, caller, repo, 'GetDownloadUrlForLayer', { layerDigest: digest });
  const layer = presentLayers(env.db, caller.region, repo, [digest]).get(digest);
  const size = layer ? env.blobs.size(digest.slice('sha256:'.length)) : undefined;
  if (!layer || size === undefined) throw new RegistryError('BLOB_UNKNOWN', `blob ${digest} is not in repository ${repo}`, 404, { digest });
  // A blob's content never changes under its digest.
  return serveBlob(env.blobs, ctx.method, ctx.headers, digest, size, { 'Cache-Control': 'max-age=31536000' });
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
      return blobCreated(repo, mount);
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
      if (hasBody(ctx.headers)) {
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
