import { AwsError } from '../../core/errors';
import type { EmulatorEnv, Reply, RequestContext } from '../../core/types';
import { scanMembers } from './scanning';
import {
  deleteImages,
  ImageProblem,
  pageImages,
  putImage,
  recordPull,
  requireRepository,
  resolveImageId,
  summariesFor,
  type ImageSummary,
} from './store';
import {
  checkRegistryId,
  checkRepositoryName,
  decodePageToken,
  encodePageToken,
  invalidParameter,
  optArray,
  optString,
  pageSize,
  parseImageIds,
  parseTagStatus,
  reqString,
  type ImageId,
} from './validation';

/** The registryId/repositoryName pair every image call starts with. */
export function repositoryInput(ctx: RequestContext): string {
  checkRegistryId(optString(ctx.input, 'registryId'));
  const name = reqString(ctx.input, 'repositoryName');
  checkRepositoryName(name);
  return name;
}

/** The JSON `ImageDetail` shape (timestamps in epoch seconds). */
export function toImageDetail(env: EmulatorEnv, img: ImageSummary): Record<string, unknown> {
  const out: Record<string, unknown> = {
    registryId: env.accountId,
    repositoryName: img.repository_name,
    imageDigest: img.digest,
    imagePushedAt: img.pushed_at_ms / 1000,
    imageSizeInBytes: img.size_bytes,
    imageManifestMediaType: img.media_type,
    imageStatus: 'ACTIVE',
  };
  if (img.tags.length) out.imageTags = img.tags;
  if (img.artifact_media_type) out.artifactMediaType = img.artifact_media_type;
  if (img.last_pull_ms !== null) out.lastRecordedPullTime = img.last_pull_ms / 1000;
  Object.assign(out, scanMembers(env, img));
  return out;
}

/** Maps a model refusal to the ECR API error PutImage documents. */
export function apiErrorFor(p: ImageProblem): AwsError {
  switch (p.kind) {
    case 'blobs-missing':
      return new AwsError('LayersNotFoundException', p.message);
    case 'children-missing':
      return new AwsError('ReferencedImagesNotFoundException', p.message);
    case 'tag-immutable':
      return new AwsError('ImageTagAlreadyExistsException', p.message);
    case 'image-exists':
      return new AwsError('ImageAlreadyExistsException', p.message);
    case 'digest-mismatch':
      return new AwsError('ImageDigestDoesNotMatchException', p.message);
    case 'tag-invalid':
      return new AwsError('InvalidParameterException', p.message);
    default:
      return new AwsError('InvalidParameterException', `Invalid parameter at 'imageManifest' failed to satisfy constraint: '${p.message}'`);
  }
}

export function putImageHandler(ctx: RequestContext): Reply {
  const repo = repositoryInput(ctx);
  const manifest = reqString(ctx.input, 'imageManifest');
  if (manifest.length < 1 || Buffer.byteLength(manifest) > 4 * 1024 * 1024) {
    throw invalidParameter('imageManifest', 'Member must have length between 1 and 4194304');
  }
  const mediaType = optString(ctx.input, 'imageManifestMediaType');
  const tag = optString(ctx.input, 'imageTag');
  if (tag !== undefined && (tag.length < 1 || tag.length > 300)) {
    throw invalidParameter('imageTag', 'Member must have length between 1 and 300');
  }
  const digest = optString(ctx.input, 'imageDigest');
  try {
    const r = putImage(ctx.env, { region: ctx.region, repository: repo, manifest, mediaType, tag, digest, idempotent: false });
    return {
      json: {
        image: {
          registryId: ctx.env.accountId,
          repositoryName: repo,
          imageId: { imageDigest: r.digest, ...(tag !== undefined ? { imageTag: tag } : {}) },
          imageManifest: manifest,
          imageManifestMediaType: r.mediaType,
        },
      },
    };
  } catch (err) {
    if (err instanceof ImageProblem) throw apiErrorFor(err);
    throw err;
  }
}

function imageNotFound(env: EmulatorEnv, repo: string, id: ImageId): AwsError {
  return new AwsError(
    'ImageNotFoundException',
    `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repo}' in the registry with id '${env.accountId}'`,
  );
}

export function describeImagesHandler(ctx: RequestContext): Reply {
  const repo = repositoryInput(ctx);
  const env = ctx.env;
  const ids = parseImageIds(ctx.input, 'imageIds', false);
  const status = parseTagStatus(ctx.input);
  const token = optString(ctx.input, 'nextToken');
  requireRepository(env, ctx.region, repo);

  if (ids) {
    if (token !== undefined || ctx.input.maxResults !== undefined) {
      throw invalidParameter('maxResults', 'nextToken and maxResults cannot be used together with imageIds');
    }
    const digests: string[] = [];
    for (const id of ids) {
      const r = resolveImageId(env.db, ctx.region, repo, id);
      if (!r.image) {
        if (r.failureCode === 'InvalidImageDigest' || r.failureCode === 'InvalidImageTag' || r.failureCode === 'MissingDigestAndTag') {
          throw new AwsError('InvalidParameterException', r.failureReason ?? 'Invalid image id');
        }
        throw imageNotFound(env, repo, id);
      }
      if (!digests.includes(r.image.digest)) digests.push(r.image.digest);
    }
    return { json: { imageDetails: summariesFor(env.db, ctx.region, repo, digests).map((s) => toImageDetail(env, s)) } };
  }

  const limit = pageSize(ctx.input, 100);
  const after = token === undefined ? undefined : decodePageToken(token).after;
  if (after !== undefined && typeof after !== 'string') throw invalidParameter('nextToken', 'must be a token returned by a previous call');
  const rows = pageImages(env.db, ctx.region, repo, status, after, limit + 1);
  const page = rows.slice(0, limit);
  const out: Record<string, unknown> = { imageDetails: page.map((s) => toImageDetail(env, s)) };
  const last = page.at(-1);
  if (rows.length > limit && last) out.nextToken = encodePageToken({ after: last.digest });
  return { json: out };
}

export function listImagesHandler(ctx: RequestContext): Reply {
  const repo = repositoryInput(ctx);
  const env = ctx.env;
  const status = parseTagStatus(ctx.input);
  const limit = pageSize(ctx.input, 100);
  const token = optString(ctx.input, 'nextToken');
  requireRepository(env, ctx.region, repo);
  let afterDigest = '';
  let afterTag = '';
  if (token !== undefined) {
    const t = decodePageToken(token);
    if (typeof t.d !== 'string' || typeof t.t !== 'string') throw invalidParameter('nextToken', 'must be a token returned by a previous call');
    afterDigest = t.d;
    afterTag = t.t;
  }
  // One row per (image, tag); an untagged image is one row with a null tag.
  const tagFilter = status === 'TAGGED' ? 'AND t.tag IS NOT NULL' : status === 'UNTAGGED' ? 'AND t.tag IS NULL' : '';
  const rows = env.db
    .prepare(
      `SELECT i.digest AS digest, t.tag AS tag FROM ecr_images i
       LEFT JOIN ecr_image_tags t ON t.region = i.region AND t.repository_name = i.repository_name AND t.digest = i.digest
       WHERE i.region = ? AND i.repository_name = ?
         AND (i.digest > ? OR (i.digest = ? AND COALESCE(t.tag, '') > ?)) ${tagFilter}
       ORDER BY i.digest, COALESCE(t.tag, '') LIMIT ?`,
    )
    .all(ctx.region, repo, afterDigest, afterDigest, afterTag, limit + 1) as { digest: string; tag: string | null }[];
  const page = rows.slice(0, limit);
  const out: Record<string, unknown> = {
    imageIds: page.map((r) => (r.tag === null ? { imageDigest: r.digest } : { imageDigest: r.digest, imageTag: r.tag })),
  };
  const last = page.at(-1);
  if (rows.length > limit && last) out.nextToken = encodePageToken({ d: last.digest, t: last.tag ?? '' });
  return { json: out };
}

export function batchGetImageHandler(ctx: RequestContext): Reply {
  const repo = repositoryInput(ctx);
  const env = ctx.env;
  const ids = parseImageIds(ctx.input) ?? [];
  const accepted = optArray(ctx.input, 'acceptedMediaTypes');
  if (accepted !== undefined) {
    if (accepted.length < 1 || accepted.length > 100) throw invalidParameter('acceptedMediaTypes', 'Member must have length between 1 and 100');
    if (accepted.some((a) => typeof a !== 'string')) throw invalidParameter('acceptedMediaTypes', 'must be a list of strings');
  }
  requireRepository(env, ctx.region, repo);
  const images: Record<string, unknown>[] = [];
  const failures: Record<string, unknown>[] = [];
  const pulled: string[] = [];
  for (const id of ids) {
    const r = resolveImageId(env.db, ctx.region, repo, id);
    if (!r.image) {
      failures.push({ imageId: id, failureCode: r.failureCode, failureReason: r.failureReason });
      continue;
    }
    if (accepted && !accepted.includes(r.image.media_type)) {
      // The emulator does not convert between manifest formats.
      failures.push({
        imageId: id,
        failureCode: 'ImageNotFound',
        failureReason: `Requested image is stored as ${r.image.media_type}, which is not among the accepted media types`,
      });
      continue;
    }
    images.push({
      registryId: env.accountId,
      repositoryName: repo,
      imageId: { imageDigest: r.image.digest, ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}) },
      imageManifest: r.image.manifest,
      imageManifestMediaType: r.image.media_type,
    });
    pulled.push(r.image.digest);
  }
  recordPull(env, ctx.region, repo, [...new Set(pulled)]);
  return { json: { images, failures } };
}

export function batchDeleteImageHandler(ctx: RequestContext): Reply {
  const repo = repositoryInput(ctx);
  const ids = parseImageIds(ctx.input) ?? [];
  const out = deleteImages(ctx.env, ctx.region, repo, ids);
  return { json: { imageIds: out.deleted, failures: out.failures } };
}
