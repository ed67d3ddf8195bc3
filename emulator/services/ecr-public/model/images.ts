import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { checkedDigest, ImageProblem, imageExists, imageSize, indexSize, neededBlobs, parseManifest } from '../../ecr/store';
import { DIGEST_RE, decodePageToken, encodePageToken, invalidParameter, TAG_RE } from '../../ecr/validation';
import { requireRepository } from './repositories';

/**
 * Images of public repositories: manifests, tags, layers. The manifest
 * grammar is private ECR's (`parseManifest` reads Docker schema 2, OCI
 * manifests and indexes the same way); the rows live in ECR Public's own
 * tables. Public repositories have no tag immutability: a tag always moves.
 */

export interface ImageRow {
  repository_name: string;
  digest: string;
  manifest: string;
  media_type: string;
  artifact_media_type: string | null;
  size_bytes: number;
  pushed_at_ms: number;
}

export function getImage(env: EmulatorEnv, repo: string, digest: string): ImageRow | undefined {
  return env.db.prepare('SELECT * FROM ecr_public_images WHERE repository_name = ? AND digest = ?').get(repo, digest) as ImageRow | undefined;
}

export function digestForTag(env: EmulatorEnv, repo: string, tag: string): string | undefined {
  const r = env.db.prepare('SELECT digest FROM ecr_public_image_tags WHERE repository_name = ? AND tag = ?').get(repo, tag) as
    | { digest: string }
    | undefined;
  return r?.digest;
}

export function tagsOf(env: EmulatorEnv, repo: string, digest: string): string[] {
  const rows = env.db
    .prepare('SELECT tag FROM ecr_public_image_tags WHERE repository_name = ? AND digest = ? ORDER BY tag')
    .all(repo, digest) as { tag: string }[];
  return rows.map((r) => r.tag);
}

export function presentLayers(env: EmulatorEnv, repo: string, digests: string[]): Map<string, { size: number; mediaType: string | null }> {
  const out = new Map<string, { size: number; mediaType: string | null }>();
  const stmt = env.db.prepare('SELECT size_bytes, media_type FROM ecr_public_layers WHERE repository_name = ? AND digest = ?');
  for (const d of new Set(digests)) {
    const r = stmt.get(repo, d) as { size_bytes: number; media_type: string | null } | undefined;
    if (r) out.set(d, { size: r.size_bytes, mediaType: r.media_type });
  }
  return out;
}

export function addLayer(env: EmulatorEnv, repo: string, digest: string, size: number, mediaType: string | null = null): void {
  env.db
    .prepare(
      `INSERT INTO ecr_public_layers (repository_name, digest, size_bytes, media_type, created_at_ms) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (repository_name, digest) DO UPDATE SET media_type = COALESCE(ecr_public_layers.media_type, excluded.media_type)`,
    )
    .run(repo, digest, size, mediaType, env.now());
}

export interface PutImageArgs {
  repository: string;
  manifest: string;
  mediaType?: string;
  tag?: string;
  digest?: string;
  /** The registry takes an identical re-push silently; the API answers ImageAlreadyExistsException. */
  idempotent: boolean;
  /** Seed only: a push time in the past. */
  pushedAtMs?: number;
}

/** Stores a manifest and moves or adds its tag in one transaction; refusals are ImageProblems for either front end to word. */
export function putImage(env: EmulatorEnv, a: PutImageArgs): { digest: string; mediaType: string } {
  const db = env.db;
  if (a.tag !== undefined && (!TAG_RE.test(a.tag) || DIGEST_RE.test(a.tag))) {
    throw new ImageProblem('tag-invalid', `Invalid parameter at 'imageTag' failed to satisfy constraint: 'must match ${TAG_RE.source}'`);
  }
  const parsed = parseManifest(a.manifest, a.mediaType);
  const digest = checkedDigest(a.manifest, a.digest);
  const run = db.transaction(() => {
    requireRepository(env, a.repository);
    const now = a.pushedAtMs ?? env.now();
    const existing = getImage(env, a.repository, digest);
    const tagged = a.tag === undefined ? undefined : digestForTag(env, a.repository, a.tag);
    if (existing && (a.tag === undefined || tagged === digest)) {
      if (a.idempotent) return { digest, mediaType: existing.media_type };
      throw imageExists(env.accountId, a.repository, digest, a.tag);
    }
    if (!existing) {
      let size: number;
      if (parsed.isIndex) {
        const found = new Map<string, number>();
        for (const c of parsed.children) {
          const child = getImage(env, a.repository, c);
          if (child) found.set(c, child.size_bytes);
        }
        size = indexSize(parsed.children, found);
      } else {
        size = imageSize(parsed, presentLayers(env, a.repository, neededBlobs(parsed)), a.repository, env.accountId);
      }
      db.prepare(
        `INSERT INTO ecr_public_images (repository_name, digest, manifest, media_type, artifact_media_type, size_bytes, pushed_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(a.repository, digest, a.manifest, parsed.mediaType, parsed.artifactMediaType ?? null, size, now);
      const ref = db.prepare('INSERT OR IGNORE INTO ecr_public_image_refs (repository_name, parent_digest, child_digest) VALUES (?, ?, ?)');
      for (const c of parsed.children) ref.run(a.repository, digest, c);
    }
    if (a.tag !== undefined) {
      db.prepare(
        `INSERT INTO ecr_public_image_tags (repository_name, tag, digest, created_at_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (repository_name, tag) DO UPDATE SET digest = excluded.digest, created_at_ms = excluded.created_at_ms`,
      ).run(a.repository, a.tag, digest, now);
    }
    return { digest, mediaType: existing?.media_type ?? parsed.mediaType };
  });
  return run.immediate();
}

export interface ImageId {
  imageDigest?: string;
  imageTag?: string;
}

export interface ImageFailure {
  imageId: ImageId;
  failureCode: string;
  failureReason: string;
}

/** The image an id names, or the ImageFailure ECR Public gives for it. */
function resolve(env: EmulatorEnv, repo: string, id: ImageId): { image: ImageRow } | ImageFailure {
  if (id.imageDigest === undefined && id.imageTag === undefined) {
    return { imageId: id, failureCode: 'MissingDigestAndTag', failureReason: 'Invalid request parameters: both tag and digest cannot be null' };
  }
  if (id.imageDigest !== undefined && !DIGEST_RE.test(id.imageDigest)) {
    return { imageId: id, failureCode: 'InvalidImageDigest', failureReason: "Invalid request parameters: image digest should satisfy the regex 'sha256:[a-f0-9]{64}'" };
  }
  let digest = id.imageDigest;
  if (id.imageTag !== undefined) {
    const tagged = digestForTag(env, repo, id.imageTag);
    if (tagged === undefined) return { imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
    if (digest !== undefined && digest !== tagged) {
      return { imageId: id, failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Invalid request parameters: given tag does not match the given digest' };
    }
    digest = tagged;
  }
  const image = digest === undefined ? undefined : getImage(env, repo, digest);
  if (!image) return { imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
  return { image };
}

/**
 * BatchDeleteImage: a tag removes that tag (and the image with its last
 * tag); a digest removes the image and all its tags. An image an index in the
 * repository still lists is refused.
 */
export function deleteImages(env: EmulatorEnv, repo: string, registryId: string | undefined, ids: ImageId[]): { deleted: ImageId[]; failures: ImageFailure[] } {
  const db = env.db;
  const run = db.transaction(() => {
    requireRepository(env, repo, registryId);
    const deleted: ImageId[] = [];
    const failures: ImageFailure[] = [];
    const referenced = (d: string) =>
      db.prepare('SELECT 1 FROM ecr_public_image_refs WHERE repository_name = ? AND child_digest = ? LIMIT 1').get(repo, d) !== undefined;
    const removeImage = (d: string) => db.prepare('DELETE FROM ecr_public_images WHERE repository_name = ? AND digest = ?').run(repo, d);
    const refused = (id: ImageId): ImageFailure => ({
      imageId: id,
      failureCode: 'ImageReferencedByManifestList',
      failureReason: 'Requested image is referenced by a manifest list',
    });
    for (const id of ids) {
      const r = resolve(env, repo, id);
      if (!('image' in r)) {
        failures.push(r);
        continue;
      }
      const digest = r.image.digest;
      const tags = tagsOf(env, repo, digest);
      if (id.imageTag !== undefined && id.imageDigest === undefined) {
        const last = tags.length === 1;
        if (last && referenced(digest)) {
          failures.push(refused(id));
          continue;
        }
        db.prepare('DELETE FROM ecr_public_image_tags WHERE repository_name = ? AND tag = ?').run(repo, id.imageTag);
        if (last) removeImage(digest);
        deleted.push({ imageDigest: digest, imageTag: id.imageTag });
        continue;
      }
      if (referenced(digest)) {
        failures.push(refused(id));
        continue;
      }
      removeImage(digest);
      if (tags.length === 0) deleted.push({ imageDigest: digest });
      for (const t of tags) deleted.push({ imageDigest: digest, imageTag: t });
    }
    return { deleted, failures };
  });
  return run.immediate();
}

export interface ImageSummary extends Omit<ImageRow, 'manifest'> {
  tags: string[];
}

function summaries(env: EmulatorEnv, rows: Omit<ImageRow, 'manifest'>[]): ImageSummary[] {
  return rows.map((r) => ({ ...r, tags: tagsOf(env, r.repository_name, r.digest) }));
}

const COLUMNS = 'repository_name, digest, media_type, artifact_media_type, size_bytes, pushed_at_ms';

function after(token: string | undefined): string {
  if (token === undefined) return '';
  const t = decodePageToken(token);
  if (typeof t.after !== 'string') throw invalidParameter('nextToken', 'must be a token returned by a previous call');
  return t.after;
}

/**
 * DescribeImages: the images `imageIds` name (ImageNotFoundException for the
 * first that is missing), or a page in digest order.
 */
export function describeImages(
  env: EmulatorEnv,
  a: { repositoryName: string; registryId?: string; imageIds?: ImageId[]; nextToken?: string; maxResults?: number },
): { images: ImageSummary[]; nextToken?: string } {
  requireRepository(env, a.repositoryName, a.registryId);
  if (a.imageIds !== undefined) {
    if (a.nextToken !== undefined || a.maxResults !== undefined) {
      throw invalidParameter('maxResults', 'nextToken and maxResults cannot be used together with imageIds');
    }
    const rows: ImageRow[] = [];
    for (const id of a.imageIds) {
      const r = resolve(env, a.repositoryName, id);
      if (!('image' in r)) {
        if (r.failureCode !== 'ImageNotFound') throw new AwsError('InvalidParameterException', r.failureReason);
        throw new AwsError(
          'ImageNotFoundException',
          `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${a.repositoryName}' in the registry with id '${env.accountId}'`,
        );
      }
      if (!rows.some((x) => x.digest === r.image.digest)) rows.push(r.image);
    }
    return { images: summaries(env, rows) };
  }
  const limit = a.maxResults ?? 100;
  const rows = env.db
    .prepare(`SELECT ${COLUMNS} FROM ecr_public_images WHERE repository_name = ? AND digest > ? ORDER BY digest LIMIT ?`)
    .all(a.repositoryName, after(a.nextToken), limit + 1) as ImageRow[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { images: summaries(env, page), ...(rows.length > limit && last ? { nextToken: encodePageToken({ after: last.digest }) } : {}) };
}

interface TagDetail {
  tag: string;
  createdAtMs: number;
  image: Omit<ImageRow, 'manifest'>;
}

/** DescribeImageTags: a page of the repository's tags in tag order, each with the image it points to. */
export function describeImageTags(
  env: EmulatorEnv,
  a: { repositoryName: string; registryId?: string; nextToken?: string; maxResults?: number },
): { tags: TagDetail[]; nextToken?: string } {
  requireRepository(env, a.repositoryName, a.registryId);
  const limit = a.maxResults ?? 100;
  const rows = env.db
    .prepare(
      `SELECT t.tag, t.created_at_ms AS tagged, i.repository_name, i.digest, i.media_type, i.artifact_media_type, i.size_bytes, i.pushed_at_ms
       FROM ecr_public_image_tags t JOIN ecr_public_images i ON i.repository_name = t.repository_name AND i.digest = t.digest
       WHERE t.repository_name = ? AND t.tag > ? ORDER BY t.tag LIMIT ?`,
    )
    .all(a.repositoryName, after(a.nextToken), limit + 1) as (Omit<ImageRow, 'manifest'> & { tag: string; tagged: number })[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    tags: page.map(({ tag, tagged, ...image }) => ({ tag, createdAtMs: tagged, image })),
    ...(rows.length > limit && last ? { nextToken: encodePageToken({ after: last.tag }) } : {}),
  };
}
