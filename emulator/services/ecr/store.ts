import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AwsError } from '../../core/errors';
import type { EmulatorEnv } from '../../core/types';
import { scansOnPush } from './model/registry-settings';
import { replicateImage } from './model/replication';
import { getRepository, type RepositoryRow } from './repositories';
import { DIGEST_RE, TAG_RE, type ImageId } from './validation';
import { putSample } from '../cloudwatch/store';

/**
 * The image model shared by the ECR API and the Docker registry: manifests,
 * tags, layers and their rules. Both front ends call these functions and
 * translate an `ImageProblem` into their own error shape.
 */

export const MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerV1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerV1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

const IMAGE_TYPES = new Set<string>([MEDIA_TYPES.dockerManifest, MEDIA_TYPES.ociManifest]);
const INDEX_TYPES = new Set<string>([MEDIA_TYPES.dockerList, MEDIA_TYPES.ociIndex]);
/** Layers that live elsewhere (Windows base layers) and need not be uploaded. */
const FOREIGN_LAYER = /foreign|nondistributable/;

export type ProblemKind =
  | 'repository-not-found'
  | 'manifest-invalid'
  | 'unsupported-media-type'
  | 'blobs-missing'
  | 'children-missing'
  | 'tag-invalid'
  | 'tag-immutable'
  | 'image-exists'
  | 'digest-mismatch';

/** A refusal from the model, neutral about which API asked. */
export class ImageProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    message: string,
    readonly digests: string[] = [],
  ) {
    super(message);
  }
}

export interface ImageRow {
  region: string;
  repository_name: string;
  digest: string;
  manifest: string;
  media_type: string;
  size_bytes: number;
  pushed_at_ms: number;
  artifact_media_type: string | null;
  last_pull_ms: number | null;
  scan_started_ms: number | null;
  scan_status: string | null;
}

/** An image row without its manifest, plus its tags: what listings need. */
export type ImageSummary = Omit<ImageRow, 'manifest'> & { tags: string[] };

export interface BlobRef {
  digest: string;
  size: number;
  mediaType: string;
  foreign: boolean;
}

export interface ParsedManifest {
  mediaType: string;
  isIndex: boolean;
  config?: BlobRef;
  layers: BlobRef[];
  children: string[];
  artifactMediaType?: string;
  /** The digest an OCI manifest or index names in `subject` (what the referrers API indexes by). */
  subject?: string;
}

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function blobRef(v: unknown, where: string): BlobRef {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ImageProblem('manifest-invalid', `${where} must be an object`);
  const r = v as Record<string, unknown>;
  if (typeof r.digest !== 'string' || !DIGEST_RE.test(r.digest)) {
    throw new ImageProblem('manifest-invalid', `${where}.digest must be a sha256 digest`);
  }
  if (typeof r.size !== 'number' || !Number.isInteger(r.size) || r.size < 0) {
    throw new ImageProblem('manifest-invalid', `${where}.size must be a non-negative integer`);
  }
  if (typeof r.mediaType !== 'string' || r.mediaType === '') {
    throw new ImageProblem('manifest-invalid', `${where}.mediaType must be a string`);
  }
  return { digest: r.digest, size: r.size, mediaType: r.mediaType, foreign: FOREIGN_LAYER.test(r.mediaType) };
}

/**
 * Reads a manifest as ECR would before accepting it: Docker schema 2 and OCI
 * image manifests, Docker manifest lists and OCI indexes. `declared` is the
 * media type the client named (PutImage's imageManifestMediaType or the
 * registry's Content-Type); the manifest's own mediaType wins when present,
 * and the two must agree.
 */
export function parseManifest(text: string, declared?: string): ParsedManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ImageProblem('manifest-invalid', 'the manifest is not valid JSON');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new ImageProblem('manifest-invalid', 'the manifest must be a JSON object');
  }
  const m = json as Record<string, unknown>;
  const declaredType = declared?.split(';')[0]?.trim() || undefined;
  const own = typeof m.mediaType === 'string' ? m.mediaType : undefined;
  if (m.schemaVersion === 1 || declaredType === MEDIA_TYPES.dockerV1 || declaredType === MEDIA_TYPES.dockerV1Signed) {
    throw new ImageProblem('unsupported-media-type', 'Docker image manifest schema 1 is not supported by this emulator');
  }
  if (m.schemaVersion !== 2) throw new ImageProblem('manifest-invalid', 'schemaVersion must be 2');
  if (own && declaredType && declaredType !== 'application/json' && own !== declaredType) {
    throw new ImageProblem(
      'manifest-invalid',
      `the manifest's mediaType '${own}' does not match the declared media type '${declaredType}'`,
    );
  }
  const guessed = Array.isArray(m.manifests) ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest;
  const mediaType = own ?? (declaredType && declaredType !== 'application/json' ? declaredType : guessed);
  // OCI image spec 1.1 gives manifests and indexes an optional `subject` descriptor; Docker's formats have none.
  const isOci = mediaType === MEDIA_TYPES.ociManifest || mediaType === MEDIA_TYPES.ociIndex;
  const subject = isOci && m.subject !== undefined ? blobRef(m.subject, 'subject').digest : undefined;

  if (INDEX_TYPES.has(mediaType)) {
    if (!Array.isArray(m.manifests)) throw new ImageProblem('manifest-invalid', 'manifests must be a list');
    const children = m.manifests.map((c, i) => blobRef(c, `manifests[${i}]`).digest);
    return { mediaType, isIndex: true, layers: [], children: [...new Set(children)], subject };
  }
  if (!IMAGE_TYPES.has(mediaType)) {
    throw new ImageProblem('unsupported-media-type', `unsupported manifest media type '${mediaType}'`);
  }
  const config = blobRef(m.config, 'config');
  const layersRaw = m.layers ?? [];
  if (!Array.isArray(layersRaw)) throw new ImageProblem('manifest-invalid', 'layers must be a list');
  const layers = layersRaw.map((l, i) => blobRef(l, `layers[${i}]`));
  const artifactType = typeof m.artifactType === 'string' ? m.artifactType : undefined;
  return { mediaType, isIndex: false, config, layers, children: [], artifactMediaType: artifactType ?? config.mediaType, subject };
}

export function repositoryNotFound(name: string, registryId: string): AwsError {
  return new AwsError(
    'RepositoryNotFoundException',
    `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
  );
}

export function requireRepository(env: EmulatorEnv, region: string, name: string): RepositoryRow {
  const row = getRepository(env.db, region, name);
  if (!row) throw repositoryNotFound(name, env.accountId);
  return row;
}

function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}

/** Whether `tag` may not be moved once set, given the repository's mutability and exclusions. */
export function tagIsImmutable(repo: RepositoryRow, tag: string): boolean {
  const filters = repo.tag_mutability_exclusions
    ? (JSON.parse(repo.tag_mutability_exclusions) as { filter: string }[])
    : [];
  const excluded = filters.some((f) => wildcardMatch(f.filter, tag));
  switch (repo.tag_mutability) {
    case 'IMMUTABLE':
      return true;
    case 'IMMUTABLE_WITH_EXCLUSION':
      return !excluded;
    case 'MUTABLE_WITH_EXCLUSION':
      return excluded;
    default:
      return false;
  }
}

export function getImage(db: Database.Database, region: string, repo: string, digest: string): ImageRow | undefined {
  return db
    .prepare('SELECT * FROM ecr_images WHERE region = ? AND repository_name = ? AND digest = ?')
    .get(region, repo, digest) as ImageRow | undefined;
}

export function digestForTag(db: Database.Database, region: string, repo: string, tag: string): string | undefined {
  const row = db
    .prepare('SELECT digest FROM ecr_image_tags WHERE region = ? AND repository_name = ? AND tag = ?')
    .get(region, repo, tag) as { digest: string } | undefined;
  return row?.digest;
}

export function tagsOf(db: Database.Database, region: string, repo: string, digest: string): string[] {
  const rows = db
    .prepare('SELECT tag FROM ecr_image_tags WHERE region = ? AND repository_name = ? AND digest = ? ORDER BY tag')
    .all(region, repo, digest) as { tag: string }[];
  return rows.map((r) => r.tag);
}

/** Which of `digests` the repository holds as layers (uploaded or mounted blobs). */
export function presentLayers(db: Database.Database, region: string, repo: string, digests: string[]): Map<string, { size: number; mediaType: string | null }> {
  const out = new Map<string, { size: number; mediaType: string | null }>();
  // SQLite's default host-parameter limit is generous, but chunk anyway for huge manifests.
  for (let i = 0; i < digests.length; i += 500) {
    const chunk = digests.slice(i, i + 500);
    const rows = db
      .prepare(
        `SELECT digest, size_bytes, media_type FROM ecr_layers
         WHERE region = ? AND repository_name = ? AND digest IN (${chunk.map(() => '?').join(',')})`,
      )
      .all(region, repo, ...chunk) as { digest: string; size_bytes: number; media_type: string | null }[];
    for (const r of rows) out.set(r.digest, { size: r.size_bytes, mediaType: r.media_type });
  }
  return out;
}

export function addLayer(
  env: EmulatorEnv,
  region: string,
  repo: string,
  digest: string,
  size: number,
  mediaType: string | null = null,
): void {
  env.db
    .prepare(
      `INSERT INTO ecr_layers (region, repository_name, digest, size_bytes, media_type, created_at_ms)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (region, repository_name, digest) DO UPDATE SET media_type = COALESCE(ecr_layers.media_type, excluded.media_type)`,
    )
    .run(region, repo, digest, size, mediaType, env.now());
}

// ---------------------------------------------------------------- push rules both ECR registries apply
// (ECR Public keeps its images in its own tables, but refuses a push as ECR does.)

/** The manifest's digest, refused when the caller expected another (PutImage's imageDigest, a registry PUT by digest). */
export function checkedDigest(manifest: string, expected: string | undefined): string {
  const digest = sha256Digest(manifest);
  if (expected !== undefined && expected !== digest) {
    throw new ImageProblem('digest-mismatch', `Provided image digest '${expected}' does not match the digest of the image manifest '${digest}'.`);
  }
  return digest;
}

/** The refusal of a push that would change nothing: the image, and the tag if one is given, are already there. */
export function imageExists(accountId: string, repository: string, digest: string, tag: string | undefined): ImageProblem {
  return new ImageProblem(
    'image-exists',
    tag === undefined
      ? `Image with digest '${digest}' already exists in the repository with name '${repository}' in registry with id '${accountId}'`
      : `Image with digest '${digest}' and tag '${tag}' already exists in the repository with name '${repository}' in registry with id '${accountId}'`,
  );
}

/** An index's size, the sum of its images', once every image it lists is in the repository. */
export function indexSize(children: readonly string[], found: ReadonlyMap<string, number>): number {
  const missing = children.filter((c) => !found.has(c));
  if (missing.length) {
    throw new ImageProblem('children-missing', `Manifest references images that do not exist in the repository: ${missing.join(', ')}`, missing);
  }
  return [...found.values()].reduce((s, n) => s + n, 0);
}

/** The blobs an image manifest needs from the repository (its config and layers, not foreign layers). */
export function neededBlobs(parsed: ParsedManifest): string[] {
  return [...new Set([parsed.config, ...parsed.layers].filter((b): b is BlobRef => b !== undefined && !b.foreign).map((b) => b.digest))];
}

/**
 * An image's size once every blob it needs is in the repository: ECR reports
 * the compressed layer bytes it stores, so sizes come from the blobs, not
 * from the manifest's claims (foreign layers, never uploaded, count as claimed).
 */
export function imageSize(parsed: ParsedManifest, have: ReadonlyMap<string, { size: number }>, repository: string, accountId: string): number {
  const missing = neededBlobs(parsed).filter((d) => !have.has(d));
  if (missing.length) {
    throw new ImageProblem(
      'blobs-missing',
      `Layers with digests '[${missing.join(', ')}]' required for pushing image into repository with name '${repository}' in the registry with id '${accountId}' do not exist`,
      missing,
    );
  }
  return parsed.layers.reduce((s, l) => s + (l.foreign ? l.size : (have.get(l.digest)?.size ?? l.size)), 0);
}

export interface PutImageArgs {
  region: string;
  repository: string;
  manifest: string;
  mediaType?: string;
  tag?: string;
  /** The digest the caller expects (PutImage's imageDigest, or a registry PUT by digest). */
  digest?: string;
  /** The registry re-accepts an identical push; the API answers ImageAlreadyExistsException. */
  idempotent: boolean;
  /** Seed only: a push time in the past. */
  pushedAtMs?: number;
  /** A copy made by replication, which is not replicated again. */
  replicated?: boolean;
}

export interface PutImageResult {
  digest: string;
  mediaType: string;
  created: boolean;
  /** The manifest's `subject` digest, when it has one. */
  subject?: string;
}

/** Stores a manifest (and moves or adds a tag) in one transaction, enforcing ECR's rules. */
export function putImage(env: EmulatorEnv, a: PutImageArgs): PutImageResult {
  const db = env.db;
  if (a.tag !== undefined && !TAG_RE.test(a.tag)) {
    throw new ImageProblem('tag-invalid', `Invalid parameter at 'imageTag' failed to satisfy constraint: 'must match ${TAG_RE.source}'`);
  }
  if (a.tag !== undefined && DIGEST_RE.test(a.tag)) {
    throw new ImageProblem('tag-invalid', 'an image tag may not look like a digest');
  }
  const parsed = parseManifest(a.manifest, a.mediaType);
  const digest = checkedDigest(a.manifest, a.digest);

  const run = db.transaction((): PutImageResult => {
    const repo = requireRepository(env, a.region, a.repository);
    const now = env.now();
    const existing = getImage(db, a.region, a.repository, digest);
    const tagged = a.tag === undefined ? undefined : digestForTag(db, a.region, a.repository, a.tag);

    if (existing && (a.tag === undefined || tagged === digest)) {
      if (a.idempotent) return { digest, mediaType: existing.media_type, created: false, subject: parsed.subject };
      throw imageExists(env.accountId, a.repository, digest, a.tag);
    }
    if (a.tag !== undefined && tagged !== undefined && tagged !== digest && tagIsImmutable(repo, a.tag)) {
      throw new ImageProblem(
        'tag-immutable',
        `The image tag '${a.tag}' already exists in the '${a.repository}' repository and cannot be overwritten because the repository is immutable.`,
      );
    }

    let size = 0;
    if (!existing) {
      if (parsed.isIndex) {
        const children = parsed.children;
        const found = children.length
          ? (db
              .prepare(
                `SELECT digest, size_bytes FROM ecr_images WHERE region = ? AND repository_name = ?
                 AND digest IN (${children.map(() => '?').join(',')})`,
              )
              .all(a.region, a.repository, ...children) as { digest: string; size_bytes: number }[])
          : [];
        size = indexSize(children, new Map(found.map((f) => [f.digest, f.size_bytes])));
      } else {
        size = imageSize(parsed, presentLayers(db, a.region, a.repository, neededBlobs(parsed)), a.repository, env.accountId);
      }
      // The repository's own scan on push, or a registry scanning rule that matches it.
      const scan = scansOnPush(env, a.region, a.repository, repo.scan_on_push === 1);
      db.prepare(
        `INSERT INTO ecr_images (region, repository_name, digest, manifest, media_type, size_bytes, pushed_at_ms,
           artifact_media_type, last_pull_ms, scan_started_ms, scan_status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      ).run(
        a.region,
        a.repository,
        digest,
        a.manifest,
        parsed.mediaType,
        size,
        a.pushedAtMs ?? now,
        parsed.artifactMediaType ?? null,
        scan ? (a.pushedAtMs ?? now) : null,
        scan ? (parsed.isIndex ? 'UNSUPPORTED_IMAGE' : 'STARTED') : null,
      );
      if (parsed.isIndex) {
        const ins = db.prepare(
          'INSERT OR IGNORE INTO ecr_image_refs (region, repository_name, parent_digest, child_digest) VALUES (?, ?, ?, ?)',
        );
        for (const c of parsed.children) ins.run(a.region, a.repository, digest, c);
      }
    }
    if (a.tag !== undefined) {
      db.prepare(
        `INSERT INTO ecr_image_tags (region, repository_name, tag, digest, tagged_at_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (region, repository_name, tag) DO UPDATE SET digest = excluded.digest, tagged_at_ms = excluded.tagged_at_ms`,
      ).run(a.region, a.repository, a.tag, digest, a.pushedAtMs ?? now);
    }
    return { digest, mediaType: existing?.media_type ?? parsed.mediaType, created: !existing, subject: parsed.subject };
  });
  const result = run.immediate();
  // Copies go to the regions the registry's replication rules name (model/replication.ts).
  if (!a.replicated) replicateImage(env, a, result.digest);
  return result;
}

export interface ResolvedId {
  id: ImageId;
  image?: ImageRow;
  failureCode?: string;
  failureReason?: string;
}

/** Finds the image an id names, or the ImageFailure code and reason ECR would give. */
export function resolveImageId(db: Database.Database, region: string, repo: string, id: ImageId): ResolvedId {
  if (id.imageDigest === undefined && id.imageTag === undefined) {
    return { id, failureCode: 'MissingDigestAndTag', failureReason: 'Invalid request parameters: both tag and digest cannot be null' };
  }
  if (id.imageDigest !== undefined && !DIGEST_RE.test(id.imageDigest)) {
    return { id, failureCode: 'InvalidImageDigest', failureReason: 'Invalid request parameters: image digest should satisfy the regex \'sha256:[a-f0-9]{64}\'' };
  }
  if (id.imageTag !== undefined && !TAG_RE.test(id.imageTag)) {
    return { id, failureCode: 'InvalidImageTag', failureReason: 'Invalid request parameters: image tag should satisfy the regex \'[a-zA-Z0-9-_.]+\'' };
  }
  let digest = id.imageDigest;
  if (id.imageTag !== undefined) {
    const tagged = digestForTag(db, region, repo, id.imageTag);
    if (tagged === undefined) return { id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
    if (digest !== undefined && digest !== tagged) {
      return { id, failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Invalid request parameters: given tag does not match the given digest' };
    }
    digest = tagged;
  }
  const image = digest === undefined ? undefined : getImage(db, region, repo, digest);
  if (!image) return { id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
  return { id, image };
}

export interface DeleteOutcome {
  deleted: ImageId[];
  failures: { imageId: ImageId; failureCode: string; failureReason: string }[];
}

/**
 * ECR's delete semantics: a tag removes that tag, and the image too once it
 * has no tag left; a digest removes the image with every tag. An image a
 * manifest list in the repository still points to is refused.
 */
export function deleteImages(env: EmulatorEnv, region: string, repo: string, ids: ImageId[]): DeleteOutcome {
  const db = env.db;
  const run = db.transaction((): DeleteOutcome => {
    requireRepository(env, region, repo);
    const out: DeleteOutcome = { deleted: [], failures: [] };
    const referenced = (digest: string) =>
      db
        .prepare('SELECT 1 FROM ecr_image_refs WHERE region = ? AND repository_name = ? AND child_digest = ? AND parent_digest != ? LIMIT 1')
        .get(region, repo, digest, digest) !== undefined;
    const removeImage = (digest: string) =>
      db.prepare('DELETE FROM ecr_images WHERE region = ? AND repository_name = ? AND digest = ?').run(region, repo, digest);
    for (const id of ids) {
      const r = resolveImageId(db, region, repo, id);
      if (!r.image) {
        out.failures.push({ imageId: id, failureCode: r.failureCode ?? 'ImageNotFound', failureReason: r.failureReason ?? 'Requested image not found' });
        continue;
      }
      const digest = r.image.digest;
      const tags = tagsOf(db, region, repo, digest);
      if (id.imageTag !== undefined && id.imageDigest === undefined) {
        const lastTag = tags.length === 1;
        if (lastTag && referenced(digest)) {
          out.failures.push({ imageId: id, failureCode: 'ImageReferencedByManifestList', failureReason: 'Requested image is referenced by a manifest list' });
          continue;
        }
        db.prepare('DELETE FROM ecr_image_tags WHERE region = ? AND repository_name = ? AND tag = ?').run(region, repo, id.imageTag);
        if (lastTag) removeImage(digest);
        out.deleted.push({ imageDigest: digest, imageTag: id.imageTag });
        continue;
      }
      if (referenced(digest)) {
        out.failures.push({ imageId: id, failureCode: 'ImageReferencedByManifestList', failureReason: 'Requested image is referenced by a manifest list' });
        continue;
      }
      removeImage(digest);
      if (tags.length === 0) out.deleted.push({ imageDigest: digest });
      for (const t of tags) out.deleted.push({ imageDigest: digest, imageTag: t });
    }
    return out;
  });
  return run.immediate();
}

/**
 * Records pulls (BatchGetImage, registry manifest GET) for
 * lastRecordedPullTime, and counts them in CloudWatch's AWS/ECR
 * RepositoryPullCount (dimension RepositoryName, one per manifest pulled).
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-repository-metrics.html
 */
export function recordPull(env: EmulatorEnv, region: string, repo: string, digests: string[]): void {
  if (digests.length === 0) return;
  const now = env.now();
  const stmt = env.db.prepare('UPDATE ecr_images SET last_pull_ms = ? WHERE region = ? AND repository_name = ? AND digest = ?');
  env.db.transaction(() => {
    for (const d of digests) stmt.run(now, region, repo, d);
    const n = digests.length;
    putSample(env, region, 'AWS/ECR', 'RepositoryPullCount', [{ Name: 'RepositoryName', Value: repo }], 'Count', now, { count: n, sum: n, min: 1, max: 1 });
  })();
}

export type TagStatus = 'TAGGED' | 'UNTAGGED' | 'ANY';

const SUMMARY_COLUMNS = `i.region, i.repository_name, i.digest, i.media_type, i.size_bytes, i.pushed_at_ms,
  i.artifact_media_type, i.last_pull_ms, i.scan_started_ms, i.scan_status,
  (SELECT json_group_array(t.tag) FROM ecr_image_tags t
     WHERE t.region = i.region AND t.repository_name = i.repository_name AND t.digest = i.digest) AS tags_json`;

type SummaryRow = Omit<ImageSummary, 'tags'> & { tags_json: string };

function toSummary(r: SummaryRow): ImageSummary {
  const { tags_json, ...rest } = r;
  const tags = (JSON.parse(tags_json) as string[]).sort();
  return { ...rest, tags };
}

function tagClause(status: TagStatus): string {
  const exists = 'EXISTS (SELECT 1 FROM ecr_image_tags t WHERE t.region = i.region AND t.repository_name = i.repository_name AND t.digest = i.digest)';
  if (status === 'TAGGED') return `AND ${exists}`;
  if (status === 'UNTAGGED') return `AND NOT ${exists}`;
  return '';
}

/**
 * One page of a repository's images in digest order (stable under inserts,
 * so a token stays valid while pushes happen). One query per page: tags are
 * gathered by a correlated subquery over the tag index.
 */
export function pageImages(
  db: Database.Database,
  region: string,
  repo: string,
  status: TagStatus,
  after: string | undefined,
  limit: number,
): ImageSummary[] {
  const rows = db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM ecr_images i
       WHERE i.region = ? AND i.repository_name = ? AND i.digest > ? ${tagClause(status)}
       ORDER BY i.digest LIMIT ?`,
    )
    .all(region, repo, after ?? '', limit) as SummaryRow[];
  return rows.map(toSummary);
}

export function allImages(db: Database.Database, region: string, repo: string): ImageSummary[] {
  const rows = db
    .prepare(`SELECT ${SUMMARY_COLUMNS} FROM ecr_images i WHERE i.region = ? AND i.repository_name = ?`)
    .all(region, repo) as SummaryRow[];
  return rows.map(toSummary);
}

export function summariesFor(db: Database.Database, region: string, repo: string, digests: string[]): ImageSummary[] {
  if (digests.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM ecr_images i WHERE i.region = ? AND i.repository_name = ?
       AND i.digest IN (${digests.map(() => '?').join(',')})`,
    )
    .all(region, repo, ...digests) as SummaryRow[];
  const byDigest = new Map(rows.map((r) => [r.digest, toSummary(r)]));
  return digests.map((d) => byDigest.get(d)).filter((s): s is ImageSummary => s !== undefined);
}

/**
 * The OCI manifests and indexes of a repository whose `subject` is `digest`,
 * oldest push first. Nothing else records the subject, so this reads it out
 * of the stored manifests (every stored manifest parsed as JSON on the way in).
 */
export function findReferrers(
  db: Database.Database,
  region: string,
  repo: string,
  digest: string,
): Pick<ImageRow, 'digest' | 'manifest' | 'media_type'>[] {
  return db
    .prepare(
      `SELECT digest, manifest, media_type FROM ecr_images
       WHERE region = ? AND repository_name = ? AND media_type IN (?, ?)
         AND (CASE WHEN json_valid(manifest) THEN json_extract(manifest, '$.subject.digest') END) = ?
       ORDER BY pushed_at_ms, digest`,
    )
    .all(region, repo, MEDIA_TYPES.ociManifest, MEDIA_TYPES.ociIndex, digest) as Pick<ImageRow, 'digest' | 'manifest' | 'media_type'>[];
}
