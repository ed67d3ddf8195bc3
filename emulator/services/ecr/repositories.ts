import type Database from 'better-sqlite3';
import { AwsError } from '../../core/errors';
import type { EmulatorEnv } from '../../core/types';
import {
  checkModelString,
  checkRegistryId,
  checkRepositoryName,
  invalidParameter,
  memberShapeName,
  modelEnum,
  modelShape,
  parseTags,
  type Tag,
} from './validation';

export interface RepositoryRow {
  region: string;
  name: string;
  registry_id: string;
  created_at_ms: number;
  tag_mutability: string;
  tag_mutability_exclusions: string | null;
  scan_on_push: number;
  encryption_type: string;
  kms_key: string | null;
  tags: string;
}

export interface NewRepository {
  region: string;
  name: string;
  tagMutability?: string;
  tagMutabilityExclusions?: ExclusionFilter[];
  scanOnPush?: boolean;
  encryptionType?: string;
  kmsKey?: string;
  tags?: Tag[];
}

// The enums and lengths below are the model's (models/aws-constraints.json).
export const MUTABILITY = modelEnum(memberShapeName('CreateRepositoryRequest', 'imageTagMutability'));
export const ENCRYPTION = modelEnum(memberShapeName('EncryptionConfiguration', 'encryptionType'));
const KMS_KEY = memberShapeName('EncryptionConfiguration', 'kmsKey');
const EXCLUSION_FILTERS = modelShape(memberShapeName('CreateRepositoryRequest', 'imageTagMutabilityExclusionFilters'));
const EXCLUSION_FILTER_TYPES = modelEnum(memberShapeName('ImageTagMutabilityExclusionFilter', 'filterType'));
const EXCLUSION_FILTER = memberShapeName('ImageTagMutabilityExclusionFilter', 'filter');
const NAME_LIST = modelShape(memberShapeName('DescribeRepositoriesRequest', 'repositoryNames'));
const MAX_RESULTS = modelShape(memberShapeName('DescribeRepositoriesRequest', 'maxResults'));

export function repositoryArn(region: string, registryId: string, name: string): string {
  return `arn:aws:ecr:${region}:${registryId}:repository/${name}`;
}

export function getRepository(db: Database.Database, region: string, name: string): RepositoryRow | undefined {
  return db.prepare('SELECT * FROM ecr_repositories WHERE region = ? AND name = ?').get(region, name) as
    | RepositoryRow
    | undefined;
}

export function notFound(name: string, registryId: string): AwsError {
  return new AwsError(
    'RepositoryNotFoundException',
    `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
  );
}

/** Inserts a repository; shared by the API and the seed so both obey the same rules. */
export function insertRepository(env: EmulatorEnv, r: NewRepository): RepositoryRow {
  const encryptionType = r.encryptionType ?? 'AES256';
  // AWS fills in its managed key when KMS is asked for without one.
  const kmsKey =
    encryptionType === 'AES256' ? null : (r.kmsKey ?? `arn:aws:kms:${r.region}:${env.accountId}:alias/aws/ecr`);
  const row: RepositoryRow = {
    region: r.region,
    name: r.name,
    registry_id: env.accountId,
    created_at_ms: env.now(),
    tag_mutability: r.tagMutability ?? 'MUTABLE',
    tag_mutability_exclusions: r.tagMutabilityExclusions?.length ? JSON.stringify(r.tagMutabilityExclusions) : null,
    scan_on_push: r.scanOnPush ? 1 : 0,
    encryption_type: encryptionType,
    kms_key: kmsKey,
    tags: JSON.stringify(r.tags ?? []),
  };
  const info = env.db
    .prepare(
      `INSERT INTO ecr_repositories
         (region, name, registry_id, created_at_ms, tag_mutability, tag_mutability_exclusions,
          scan_on_push, encryption_type, kms_key, tags)
       VALUES (@region, @name, @registry_id, @created_at_ms, @tag_mutability, @tag_mutability_exclusions,
          @scan_on_push, @encryption_type, @kms_key, @tags)
       ON CONFLICT (region, name) DO NOTHING`,
    )
    .run(row);
  if (info.changes === 0) {
    throw new AwsError(
      'RepositoryAlreadyExistsException',
      `The repository with name '${r.name}' already exists in the registry with id '${env.accountId}'`,
    );
  }
  return row;
}

export interface ExclusionFilter {
  filterType: string;
  filter: string;
}

/** The wildcard filters that exempt tags from (or subject them to) immutability, as the model allows them. */
export function checkExclusions(raw: { filterType?: string; filter?: string }[] | undefined, field = 'imageTagMutabilityExclusionFilters'): ExclusionFilter[] | undefined {
  if (raw === undefined) return undefined;
  const [lo, hi] = [EXCLUSION_FILTERS.min ?? 0, EXCLUSION_FILTERS.max ?? Infinity];
  if (raw.length < lo || raw.length > hi) throw invalidParameter(field, `must have between ${lo} and ${hi} filters`);
  return raw.map((f) => {
    if (f.filterType === undefined || !EXCLUSION_FILTER_TYPES.includes(f.filterType)) {
      throw invalidParameter(`${field}.filterType`, `Member must satisfy enum value set: [${EXCLUSION_FILTER_TYPES.join(', ')}]`);
    }
    if (f.filter === undefined) throw invalidParameter(`${field}.filter`, 'must not be null');
    checkModelString(f.filter, `${field}.filter`, EXCLUSION_FILTER);
    return { filterType: f.filterType, filter: f.filter };
  });
}

/**
 * Tag mutability and its exclusion filters go together: the *_WITH_EXCLUSION
 * settings need filters and the plain ones refuse them.
 */
export function checkMutability(
  mutability: string | undefined,
  rawExclusions: { filterType?: string; filter?: string }[] | undefined,
): ExclusionFilter[] | undefined {
  if (mutability !== undefined && !MUTABILITY.includes(mutability)) {
    throw invalidParameter('imageTagMutability', `Member must satisfy enum value set: [${MUTABILITY.join(', ')}]`);
  }
  const exclusions = checkExclusions(rawExclusions);
  if (mutability?.endsWith('_WITH_EXCLUSION') && !exclusions) {
    throw invalidParameter('imageTagMutabilityExclusionFilters', `must be specified when imageTagMutability is ${mutability}`);
  }
  if (exclusions && !mutability?.endsWith('_WITH_EXCLUSION')) {
    throw invalidParameter('imageTagMutabilityExclusionFilters', 'can only be specified with MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION');
  }
  return exclusions;
}

/** AES256 takes no key; KMS and KMS_DSSE take an optional one (AWS's managed key when absent). */
export function checkEncryption(
  cfg: { encryptionType?: string; kmsKey?: string } | undefined,
  field = 'encryptionConfiguration',
): { encryptionType?: string; kmsKey?: string } {
  if (!cfg) return {};
  const { encryptionType, kmsKey } = cfg;
  if (encryptionType === undefined) throw invalidParameter(`${field}.encryptionType`, 'must not be null');
  if (!ENCRYPTION.includes(encryptionType)) {
    throw invalidParameter(`${field}.encryptionType`, `Member must satisfy enum value set: [${ENCRYPTION.join(', ')}]`);
  }
  if (kmsKey !== undefined && encryptionType === 'AES256') {
    throw invalidParameter(`${field}.kmsKey`, 'kmsKey can only be specified when encryptionType is KMS or KMS_DSSE');
  }
  if (kmsKey !== undefined) checkModelString(kmsKey, `${field}.kmsKey`, KMS_KEY);
  return { encryptionType, kmsKey };
}

export interface CreateRepositoryArgs {
  registryId?: string;
  repositoryName: string;
  imageTagMutability?: string;
  imageTagMutabilityExclusionFilters?: { filterType?: string; filter?: string }[];
  imageScanningConfiguration?: { scanOnPush?: boolean };
  encryptionConfiguration?: { encryptionType?: string; kmsKey?: string };
  tags?: { Key?: string; Value?: string }[];
}

/**
 * CreateRepository's rules.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
 */
export function createRepository(env: EmulatorEnv, region: string, callerArn: string, a: CreateRepositoryArgs): RepositoryRow {
  checkRegistryId(a.registryId);
  checkRepositoryName(a.repositoryName);
  const exclusions = checkMutability(a.imageTagMutability, a.imageTagMutabilityExclusionFilters);
  const { encryptionType, kmsKey } = checkEncryption(a.encryptionConfiguration);
  const tags = parseTags(a.tags);
  if (a.registryId !== undefined && a.registryId !== env.accountId) {
    // Pushing into another account's registry needs a registry policy this emulator never grants.
    throw new AwsError(
      'AccessDeniedException',
      `User: ${callerArn} is not authorized to perform: ecr:CreateRepository on resource: ${repositoryArn(region, a.registryId, a.repositoryName)} because no resource-based policy allows the ecr:CreateRepository action`,
    );
  }
  return insertRepository(env, {
    region,
    name: a.repositoryName,
    tagMutability: a.imageTagMutability,
    tagMutabilityExclusions: exclusions,
    scanOnPush: a.imageScanningConfiguration?.scanOnPush,
    encryptionType,
    kmsKey,
    tags,
  });
}

export interface RepositoryPage {
  repositories: RepositoryRow[];
  nextToken?: string;
}

/**
 * DescribeRepositories: by name (every name must exist), or a page in name
 * order (100 by default). Another registry's repositories are never visible.
 */
export function describeRepositories(
  env: EmulatorEnv,
  region: string,
  a: { registryId?: string; repositoryNames?: string[]; nextToken?: string; maxResults?: number },
): RepositoryPage {
  checkRegistryId(a.registryId);
  const { repositoryNames: names, nextToken, maxResults } = a;
  const foreign = a.registryId !== undefined && a.registryId !== env.accountId;
  const db = env.db;

  if (names !== undefined) {
    const [lo, hi] = [NAME_LIST.min ?? 0, NAME_LIST.max ?? Infinity];
    if (names.length < lo || names.length > hi) {
      throw invalidParameter('repositoryNames', `must have between ${lo} and ${hi} items`);
    }
    if (nextToken !== undefined || maxResults !== undefined) {
      throw invalidParameter('maxResults', 'nextToken and maxResults cannot be used together with repositoryNames');
    }
    // Every name is validated before any is looked up, as AWS validates a whole request first.
    names.forEach((n, i) => checkRepositoryName(n, `repositoryNames.${i + 1}`));
    const repositories = names.map((n) => {
      const row = foreign ? undefined : getRepository(db, region, n);
      if (!row) throw notFound(n, a.registryId ?? env.accountId);
      return row;
    });
    return { repositories };
  }

  if (maxResults !== undefined && (maxResults < (MAX_RESULTS.min ?? 1) || maxResults > (MAX_RESULTS.max ?? 1000))) {
    throw invalidParameter('maxResults', `must be between ${MAX_RESULTS.min ?? 1} and ${MAX_RESULTS.max ?? 1000}`);
  }
  if (foreign) return { repositories: [] };
  // Without maxResults ECR pages at 100 and hands back a token.
  const limit = maxResults ?? 100;
  const after = nextToken === undefined ? undefined : decodeToken(nextToken).after;
  const rows = (
    after === undefined
      ? db.prepare('SELECT * FROM ecr_repositories WHERE region = ? ORDER BY name LIMIT ?').all(region, limit + 1)
      : db.prepare('SELECT * FROM ecr_repositories WHERE region = ? AND name > ? ORDER BY name LIMIT ?').all(region, after, limit + 1)
  ) as RepositoryRow[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { repositories: page, ...(rows.length > limit && last ? { nextToken: encodeToken({ after: last.name }) } : {}) };
}

interface PageToken {
  after: string;
}

function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(s: string): PageToken {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && typeof (v as PageToken).after === 'string') return v as PageToken;
  } catch {
    // fall through to the error below
  }
  throw invalidParameter('nextToken', 'must be a token returned by a previous call');
}

export function countImages(db: Database.Database, region: string, name: string): number {
  const row = db
    .prepare('SELECT COUNT(*) AS n FROM ecr_images WHERE region = ? AND repository_name = ?')
    .get(region, name) as { n: number };
  return row.n;
}

/**
 * DeleteRepository: refuses a repository with images unless forced. Tags,
 * images, manifest references, layers, uploads and previews go with it
 * (foreign keys cascade); blobs stay in the content-addressed store, which
 * other repositories may share.
 */
export function deleteRepository(env: EmulatorEnv, region: string, a: { registryId?: string; repositoryName: string; force?: boolean }): RepositoryRow {
  checkRegistryId(a.registryId);
  const name = a.repositoryName;
  checkRepositoryName(name);
  const db = env.db;
  if (a.registryId !== undefined && a.registryId !== env.accountId) throw notFound(name, a.registryId);
  const remove = db.transaction((): RepositoryRow => {
    const row = getRepository(db, region, name);
    if (!row) throw notFound(name, env.accountId);
    if (!a.force && countImages(db, region, name) > 0) {
      throw new AwsError(
        'RepositoryNotEmptyException',
        `The repository with name '${name}' in registry with id '${env.accountId}' cannot be deleted because it still contains images`,
      );
    }
    db.prepare('DELETE FROM ecr_image_tags WHERE region = ? AND repository_name = ?').run(region, name);
    db.prepare('DELETE FROM ecr_images WHERE region = ? AND repository_name = ?').run(region, name);
    db.prepare('DELETE FROM ecr_repositories WHERE region = ? AND name = ?').run(region, name);
    return row;
  });
  return remove.immediate();
}
