import type { Reply, RequestContext } from '../../../core/types';
import { deleteImages, digestForTag, getImage, putImage, recordPull } from '../store';
import { requireAction, requirePush, type Caller } from './caller';
import { declaredMediaType, manifestReference, readManifestBody, serveManifest, storingManifest } from './distribution';
import { RegistryError, reply, unsupported } from './http';

type Ref = ReturnType<typeof manifestReference>;

/** The reference as the ECR API's parameters name it, for the CloudTrail record of the action a request stands for. */
const imageId = (ref: string, { byDigest }: Ref) => (byDigest ? { imageDigest: ref } : { imageTag: ref });

function getManifest(ctx: RequestContext, caller: Caller, repo: string, ref: string, parsed: Ref): Reply {
  const env = ctx.env;
  const region = caller.region;
  const digest = parsed.byDigest ? ref : digestForTag(env.db, region, repo, ref);
  const image = digest === undefined ? undefined : getImage(env.db, region, repo, digest);
  const out = serveManifest(image, parsed, ctx.method, ctx.headers.accept);
  // A GET is a pull (ECR records its time); a HEAD only asks.
  if (image && ctx.method !== 'HEAD') recordPull(env, region, repo, [image.digest]);
  return out;
}

async function putManifest(ctx: RequestContext, caller: Caller, repo: string, ref: string, parsed: Ref): Promise<Reply> {
  const { byDigest } = parsed;
  requirePush(ctx, caller, repo, 'PutImage', imageId(ref, parsed));
  const manifest = await readManifestBody(ctx.req);
  const r = storingManifest(() =>
    putImage(ctx.env, {
      region: caller.region,
      repository: repo,
      manifest,
      mediaType: declaredMediaType(ctx.headers),
      tag: byDigest ? undefined : ref,
      digest: byDigest ? ref : undefined,
      idempotent: true,
    }),
  );
  const headers: Record<string, string> = {
    Location: `/v2/${repo}/manifests/${r.digest}`,
    'Docker-Content-Digest': r.digest,
    'Content-Length': '0',
  };
  // OCI distribution spec 1.1, "Pushing Manifests with Subject": this header tells the client
  // the referrers API indexed the manifest, so it need not maintain a referrers tag itself.
  if (r.subject !== undefined) headers['OCI-Subject'] = r.subject;
  return reply(201, headers);
}

function deleteManifest(ctx: RequestContext, caller: Caller, repo: string, ref: string, parsed: Ref): Reply {
  requirePush(ctx, caller, repo, 'BatchDeleteImage', { imageIds: [imageId(ref, parsed)] });
  const out = deleteImages(ctx.env, caller.region, repo, [imageId(ref, parsed)]);
  const failure = out.failures[0];
  if (failure) {
    if (failure.failureCode === 'ImageReferencedByManifestList') throw new RegistryError('DENIED', failure.failureReason, 409);
    throw new RegistryError('MANIFEST_UNKNOWN', failure.failureReason, 404);
  }
  return reply(202, { 'Content-Length': '0' });
}

export async function handleManifest(ctx: RequestContext, caller: Caller, repo: string, ref: string): Promise<Reply> {
  const parsed = manifestReference(ref);
  switch (ctx.method) {
    case 'GET':
    case 'HEAD':
      requireAction(ctx, caller, repo, 'BatchGetImage', { imageIds: [imageId(ref, parsed)] });
      return getManifest(ctx, caller, repo, ref, parsed);
    case 'PUT':
      return putManifest(ctx, caller, repo, ref, parsed);
    case 'DELETE':
      return deleteManifest(ctx, caller, repo, ref, parsed);
    default:
      throw unsupported(ctx.method, 'manifests');
  }
}
