import { AwsError } from '../../core/errors';
import type { EmulatorEnv } from '../../core/types';
import {
  deleteImages,
  ImageProblem,
  pageImages,
  putImage,
  recordPull,
  requireRepository,
  resolveImageId,
  summariesFor,
  type DeleteOutcome,
  type ImageSummary,
  type PutImageResult,
} from './store';
import { decodePageToken, encodePageToken, invalidParameter, pageSize, parseImageIds, parseTagStatus, type ImageId } from './validation';

/**
 * The image calls of the ECR API (the registry on /v2/ has its own front end
 * over the same store): argument rules, paging, and ECR's error for each
 * refusal of the store.
 */

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

/**
 * PutImage: a manifest of up to 4 MiB, stored under an optional tag.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html
 */
export function putImageApi(
  env: EmulatorEnv,
  region: string,
  repo: string,
  a: { imageManifest?: string; imageManifestMediaType?: string; imageTag?: string; imageDigest?: string },
): PutImageResult {
  const manifest = a.imageManifest;
  if (manifest === undefined) throw invalidParameter('imageManifest', 'must not be null');
  // The model counts characters; ECR's documented limit is 4 MiB of manifest, so bytes count here.
  if (Buffer.byteLength(manifest) > 4 * 1024 * 1024) {
    throw invalidParameter('imageManifest', 'Member must have length less than or equal to 4194304 bytes');
  }
  const tag = a.imageTag;
  try {
    return putImage(env, { region, repository: repo, manifest, mediaType: a.imageManifestMediaType, tag, digest: a.imageDigest, idempotent: false });
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

/**
 * DescribeImages: the images ids name (each must exist), or a page in digest
 * order, optionally only tagged or untagged ones.
 */
export function describeImages(
  env: EmulatorEnv,
  region: string,
  repo: string,
  a: { imageIds?: ImageId[]; tagStatus?: string; nextToken?: string; maxResults?: number },
): { images: ImageSummary[]; nextToken?: string } {
  const ids = parseImageIds(a.imageIds, 'imageIds', false);
  const status = parseTagStatus(a.tagStatus);
  requireRepository(env, region, repo);

  if (ids) {
    if (a.nextToken !== undefined || a.maxResults !== undefined) {
      throw invalidParameter('maxResults', 'nextToken and maxResults cannot be used together with imageIds');
    }
    const digests: string[] = [];
    for (const id of ids) {
      const r = resolveImageId(env.db, region, repo, id);
      if (!r.image) {
        if (r.failureCode === 'InvalidImageDigest' || r.failureCode === 'InvalidImageTag' || r.failureCode === 'MissingDigestAndTag') {
          throw new AwsError('InvalidParameterException', r.failureReason ?? 'Invalid image id');
        }
        throw imageNotFound(env, repo, id);
      }
      if (!digests.includes(r.image.digest)) digests.push(r.image.digest);
    }
    return { images: summariesFor(env.db, region, repo, digests) };
  }

  const limit = pageSize(a.maxResults, 100);
  const after = a.nextToken === undefined ? undefined : decodePageToken(a.nextToken).after;
  if (after !== undefined && typeof after !== 'string') throw invalidParameter('nextToken', 'must be a token returned by a previous call');
  const rows = pageImages(env.db, region, repo, status, after, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { images: page, ...(rows.length > limit && last ? { nextToken: encodePageToken({ after: last.digest }) } : {}) };
}

/** ListImages: one id per (image, tag) pair; an untagged image is one id without a tag. */
export function listImages(
  env: EmulatorEnv,
  region: string,
  repo: string,
  a: { tagStatus?: string; nextToken?: string; maxResults?: number },
): { ids: ImageId[]; nextToken?: string } {
  const status = parseTagStatus(a.tagStatus);
  const limit = pageSize(a.maxResults, 100);
  requireRepository(env, region, repo);
  let afterDigest = '';
  let afterTag = '';
  if (a.nextToken !== undefined) {
    const t = decodePageToken(a.nextToken);
    if (typeof t.d !== 'string' || typeof t.t !== 'string') throw invalidParameter('nextToken', 'must be a token returned by a previous call');
    afterDigest = t.d;
    afterTag = t.t;
  }
  const tagFilter = status === 'TAGGED' ? 'AND t.tag IS NOT NULL' : status === 'UNTAGGED' ? 'AND t.tag IS NULL' : '';
  const rows = env.db
    .prepare(
      `SELECT i.digest AS digest, t.tag AS tag FROM ecr_images i
       LEFT JOIN ecr_image_tags t ON t.region = i.region AND t.repository_name = i.repository_name AND t.digest = i.digest
       WHERE i.region = ? AND i.repository_name = ?
         AND (i.digest > ? OR (i.digest = ? AND COALESCE(t.tag, '') > ?)) ${tagFilter}
       ORDER BY i.digest, COALESCE(t.tag, '') LIMIT ?`,
    )
    .all(region, repo, afterDigest, afterDigest, afterTag, limit + 1) as { digest: string; tag: string | null }[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    ids: page.map((r) => (r.tag === null ? { imageDigest: r.digest } : { imageDigest: r.digest, imageTag: r.tag })),
    ...(rows.length > limit && last ? { nextToken: encodePageToken({ d: last.digest, t: last.tag ?? '' }) } : {}),
  };
}

export interface FetchedImage {
  imageId: ImageId;
  manifest: string;
  mediaType: string;
}

export interface ImageFailure {
  imageId: ImageId;
  failureCode: string;
  failureReason: string;
}

/** BatchGetImage: manifests byte for byte, a failure per id that cannot be served; records the pull. */
export function batchGetImages(
  env: EmulatorEnv,
  region: string,
  repo: string,
  a: { imageIds?: ImageId[]; acceptedMediaTypes?: string[] },
): { images: FetchedImage[]; failures: ImageFailure[] } {
  const ids = parseImageIds(a.imageIds) ?? [];
  const accepted = a.acceptedMediaTypes;
  requireRepository(env, region, repo);
  const images: FetchedImage[] = [];
  const failures: ImageFailure[] = [];
  const pulled: string[] = [];
  for (const id of ids) {
    const r = resolveImageId(env.db, region, repo, id);
    if (!r.image) {
      failures.push({ imageId: id, failureCode: r.failureCode ?? 'ImageNotFound', failureReason: r.failureReason ?? 'Requested image not found' });
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
      imageId: { imageDigest: r.image.digest, ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}) },
      manifest: r.image.manifest,
      mediaType: r.image.media_type,
    });
    pulled.push(r.image.digest);
  }
  recordPull(env, region, repo, [...new Set(pulled)]);
  return { images, failures };
}

/** BatchDeleteImage: the store's delete semantics (see deleteImages). */
export function batchDeleteImages(env: EmulatorEnv, region: string, repo: string, raw: ImageId[] | undefined): DeleteOutcome {
  return deleteImages(env, region, repo, parseImageIds(raw) ?? []);
}
