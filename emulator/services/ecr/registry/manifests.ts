import { BodyTooLargeError, readBody } from '../../../core/body';
import type { Reply, RequestContext } from '../../../core/types';
import { deleteImages, digestForTag, getImage, ImageProblem, putImage, recordPull } from '../store';
import { DIGEST_RE, TAG_RE } from '../validation';
import { requireAction, requirePush, type Caller } from './caller';
import { RegistryError, reply, unsupported } from './http';
import { negotiateManifest } from './negotiate';

const MANIFEST_LIMIT = 4 * 1024 * 1024;

function registryErrorFor(p: ImageProblem): RegistryError {
  switch (p.kind) {
    case 'blobs-missing':
    case 'children-missing':
      return new RegistryError('MANIFEST_BLOB_UNKNOWN', p.message, 400, { digests: p.digests });
    case 'tag-immutable':
    case 'tag-invalid':
      return new RegistryError('TAG_INVALID', p.message, 400);
    case 'digest-mismatch':
      return new RegistryError('DIGEST_INVALID', p.message, 400);
    default:
      return new RegistryError('MANIFEST_INVALID', p.message, 400);
  }
}

function getManifest(ctx: RequestContext, caller: Caller, repo: string, ref: string, byDigest: boolean): Reply {
  const env = ctx.env;
  const region = caller.region;
  const detail = byDigest ? { digest: ref } : { tag: ref };
  const digest = byDigest ? ref : digestForTag(env.db, region, repo, ref);
  const image = digest === undefined ? undefined : getImage(env.db, region, repo, digest);
  if (!image) throw new RegistryError('MANIFEST_UNKNOWN', 'Requested image not found', 404, detail);
  const chosen = negotiateManifest(image, ctx.headers.accept, !byDigest);
  if (!chosen.ok) throw new RegistryError('MANIFEST_UNKNOWN', chosen.message, 404, { ...detail, mediaType: image.media_type });
  const headers = {
    'Content-Type': chosen.mediaType,
    'Docker-Content-Digest': chosen.digest,
    'Content-Length': String(chosen.body.length),
    ETag: `"${chosen.digest}"`,
  };
  if (ctx.method === 'HEAD') return reply(200, headers);
  recordPull(env, region, repo, [image.digest]);
  return reply(200, headers, chosen.body);
}

async function putManifest(ctx: RequestContext, caller: Caller, repo: string, ref: string, byDigest: boolean): Promise<Reply> {
  requirePush(ctx, caller, repo, 'PutImage', byDigest ? { imageDigest: ref } : { imageTag: ref });
  let raw: Buffer;
  try {
    raw = await readBody(ctx.req, MANIFEST_LIMIT);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new RegistryError('SIZE_INVALID', `manifests may be at most ${MANIFEST_LIMIT} bytes`, 413);
    throw err;
  }
  const text = raw.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(raw)) throw new RegistryError('MANIFEST_INVALID', 'the manifest is not valid UTF-8', 400);
  const ct = ctx.headers['content-type'];
  try {
    const r = putImage(ctx.env, {
      region: caller.region,
      repository: repo,
      manifest: text,
      mediaType: typeof ct === 'string' ? ct : undefined,
      tag: byDigest ? undefined : ref,
      digest: byDigest ? ref : undefined,
      idempotent: true,
    });
    const headers: Record<string, string> = {
      Location: `/v2/${repo}/manifests/${r.digest}`,
      'Docker-Content-Digest': r.digest,
      'Content-Length': '0',
    };
    // OCI distribution spec 1.1, "Pushing Manifests with Subject": this header tells the client
    // the referrers API indexed the manifest, so it need not maintain a referrers tag itself.
    if (r.subject !== undefined) headers['OCI-Subject'] = r.subject;
    return reply(201, headers);
  } catch (err) {
    if (err instanceof ImageProblem) throw registryErrorFor(err);
    throw err;
  }
}

function deleteManifest(ctx: RequestContext, caller: Caller, repo: string, ref: string, byDigest: boolean): Reply {
  requirePush(ctx, caller, repo, 'BatchDeleteImage', { imageIds: [byDigest ? { imageDigest: ref } : { imageTag: ref }] });
  const out = deleteImages(ctx.env, caller.region, repo, [byDigest ? { imageDigest: ref } : { imageTag: ref }]);
  const failure = out.failures[0];
  if (failure) {
    if (failure.failureCode === 'ImageReferencedByManifestList') throw new RegistryError('DENIED', failure.failureReason, 409);
    throw new RegistryError('MANIFEST_UNKNOWN', failure.failureReason, 404);
  }
  return reply(202, { 'Content-Length': '0' });
}

export async function handleManifest(ctx: RequestContext, caller: Caller, repo: string, ref: string): Promise<Reply> {
  const byDigest = DIGEST_RE.test(ref);
  if (!byDigest && !TAG_RE.test(ref)) throw new RegistryError('MANIFEST_INVALID', `invalid reference '${ref}'`, 400);
  switch (ctx.method) {
    case 'GET':
    case 'HEAD':
      requireAction(ctx, caller, repo, 'BatchGetImage', { imageIds: [byDigest ? { imageDigest: ref } : { imageTag: ref }] });
      return getManifest(ctx, caller, repo, ref, byDigest);
    case 'PUT':
      return putManifest(ctx, caller, repo, ref, byDigest);
    case 'DELETE':
      return deleteManifest(ctx, caller, repo, ref, byDigest);
    default:
      throw unsupported(ctx.method, 'manifests');
  }
}
