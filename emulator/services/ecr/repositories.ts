import type Database from 'better-sqlite3';
import { AwsError } from '../../core/errors';
import type { EmulatorEnv, Reply, RequestContext } from '../../core/types';
import {
  checkModelString,
  checkRegistryId,
  checkRepositoryName,
  memberShapeName,
  modelEnum,
  modelShape,
  invalidParameter,
  optArray,
  optBoolean,
  optInteger,
  optObject,
  optString,
  parseTags,
  reqString,
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
  tagMutabilityExclusions?: { filterType: string; filter: string }[];
  scanOnPush?: boolean;
  encryptionType?: string;
  kmsKey?: string;
  tags?: Tag[];
}

// The enums and lengths below are the model's (models/aws-constraints.json).
export const MUTABILITY = modelEnum(memberShapeName('CreateRepositoryRequest', 'imageTagMutability'));
const ENCRYPTION = modelEnum(memberShapeName('EncryptionConfiguration', 'encryptionType'));
const KMS_KEY = memberShapeName('EncryptionConfiguration', 'kmsKey');
const EXCLUSION_FILTERS = modelShape(memberShapeName('CreateRepositoryRequest', 'imageTagMutabilityExclusionFilters'));
const EXCLUSION_FILTER_TYPES = modelEnum(memberShapeName('ImageTagMutabilityExclusionFilter', 'filterType'));
const EXCLUSION_FILTER = memberShapeName('ImageTagMutabilityExclusionFilter', 'filter');
const NAME_LIST = modelShape(memberShapeName('DescribeRepositoriesRequest', 'repositoryNames'));
const MAX_RESULTS = modelShape(memberShapeName('DescribeRepositoriesRequest', 'maxResults'));

export function repositoryArn(region: string, registryId: string, name: string): string {
  return `arn:aws:ecr:${region}:${registryId}:repository/${name}`;
}

/** The JSON `Repository` shape; JSON 1.1 timestamps are epoch seconds. */
export function toRepository(row: RepositoryRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    repositoryArn: repositoryArn(row.region, row.registry_id, row.name),
    registryId: row.registry_id,
    repositoryName: row.name,
    repositoryUri: `${row.registry_id}.dkr.ecr.${row.region}.amazonaws.com/${row.name}`,
    createdAt: row.created_at_ms / 1000,
    imageTagMutability: row.tag_mutability,
    imageScanningConfiguration: { scanOnPush: row.scan_on_push === 1 },
    encryptionConfiguration:
      row.kms_key === null
        ? { encryptionType: row.encryption_type }
        : { encryptionType: row.encryption_type, kmsKey: row.kms_key },
  };
  if (row.tag_mutability_exclusions) {
    out.imageTagMutabilityExclusionFilters = JSON.parse(row.tag_mutability_exclusions) as unknown;
  }
  return out;
}

export function getRepository(db: Database.Database, region: string, name: string): RepositoryRow | undefined {
  return db.prepare('SELECT * FROM ecr_repositories WHERE region = ? AND name = ?').get(region, name) as
    | RepositoryRow
    | undefined;
}

function notFound(name: string, registryId: string): AwsError {
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

export function parseExclusions(raw: unknown[] | undefined): { filterType: string; filter: string }[] | undefined {
  if (raw === undefined) return undefined;
  const [lo, hi] = [EXCLUSION_FILTERS.min ?? 0, EXCLUSION_FILTERS.max ?? Infinity];
  if (raw.length < lo || raw.length > hi) {
    throw invalidParameter('imageTagMutabilityExclusionFilters', `must have between ${lo} and ${hi} filters`);
  }
  return raw.map((f) => {
    const rec = (f && typeof f === 'object' ? f : {}) as Record<string, unknown>;
    if (typeof rec.filterType !== 'string' || !EXCLUSION_FILTER_TYPES.includes(rec.filterType)) {
      throw invalidParameter(
        'imageTagMutabilityExclusionFilters.filterType',
        `Member must satisfy enum value set: [${EXCLUSION_FILTER_TYPES.join(', ')}]`,
      );
    }
    if (typeof rec.filter !== 'string') throw invalidParameter('imageTagMutabilityExclusionFilters.filter', 'must not be null');
    checkModelString(rec.filter, 'imageTagMutabilityExclusionFilters.filter', EXCLUSION_FILTER);
    return { filterType: rec.filterType, filter: rec.filter };
  });
}

export function createRepositoryHandler(ctx: RequestContext): Reply {
  const input = ctx.input;
  const registryId = optString(input, 'registryId');
  checkRegistryId(registryId);
  const name = reqString(input, 'repositoryName');
  checkRepositoryName(name);
  const mutability = optString(input, 'imageTagMutability');
  if (mutability !== undefined && !MUTABILITY.includes(mutability)) {
    throw invalidParameter('imageTagMutability', `Member must satisfy enum value set: [${MUTABILITY.join(', ')}]`);
  }
  const exclusions = parseExclusions(optArray(input, 'imageTagMutabilityExclusionFilters'));
  if (mutability?.endsWith('_WITH_EXCLUSION') && !exclusions) {
    throw invalidParameter('imageTagMutabilityExclusionFilters', `must be specified when imageTagMutability is ${mutability}`);
  }
  if (exclusions && !mutability?.endsWith('_WITH_EXCLUSION')) {
    throw invalidParameter('imageTagMutabilityExclusionFilters', 'can only be specified with MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION');
  }
  const scanning = optObject(input, 'imageScanningConfiguration');
  const scanOnPush = scanning ? optBoolean(scanning, 'scanOnPush') : undefined;
  const encryption = optObject(input, 'encryptionConfiguration');
  let encryptionType: string | undefined;
  let kmsKey: string | undefined;
  if (encryption) {
    encryptionType = optString(encryption, 'encryptionType');
    if (encryptionType === undefined) throw invalidParameter('encryptionConfiguration.encryptionType', 'must not be null');
    if (!ENCRYPTION.includes(encryptionType)) {
      throw invalidParameter(
        'encryptionConfiguration.encryptionType',
        `Member must satisfy enum value set: [${ENCRYPTION.join(', ')}]`,
      );
    }
    kmsKey = optString(encryption, 'kmsKey');
    if (kmsKey !== undefined && encryptionType === 'AES256') {
      throw invalidParameter('encryptionConfiguration.kmsKey', 'kmsKey can only be specified when encryptionType is KMS or KMS_DSSE');
    }
    if (kmsKey !== undefined) checkModelString(kmsKey, 'encryptionConfiguration.kmsKey', KMS_KEY);
  }
  const tags = parseTags(optArray(input, 'tags'));
  if (registryId !== undefined && registryId !== ctx.env.accountId) {
    // Pushing into another account's registry needs a registry policy this emulator never grants.
    throw new AwsError(
      'AccessDeniedException',
      `User: ${ctx.principal?.arn ?? 'anonymous'} is not authorized to perform: ecr:CreateRepository on resource: ${repositoryArn(ctx.region, registryId, name)} because no resource-based policy allows the ecr:CreateRepository action`,
    );
  }
  const row = insertRepository(ctx.env, {
    region: ctx.region,
    name,
    tagMutability: mutability,
    tagMutabilityExclusions: exclusions,
    scanOnPush,
    encryptionType,
    kmsKey,
    tags,
  });
  return { json: { repository: toRepository(row) } };
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

export function describeRepositoriesHandler(ctx: RequestContext): Reply {
  const input = ctx.input;
  const registryId = optString(input, 'registryId');
  checkRegistryId(registryId);
  const names = optArray(input, 'repositoryNames');
  const nextToken = optString(input, 'nextToken');
  const maxResults = optInteger(input, 'maxResults');
  const foreign = registryId !== undefined && registryId !== ctx.env.accountId;
  const db = ctx.env.db;

  if (names !== undefined) {
    const [lo, hi] = [NAME_LIST.min ?? 0, NAME_LIST.max ?? Infinity];
    if (names.length < lo || names.length > hi) {
      throw invalidParameter('repositoryNames', `must have between ${lo} and ${hi} items`);
    }
    if (nextToken !== undefined || maxResults !== undefined) {
      throw invalidParameter('maxResults', 'nextToken and maxResults cannot be used together with repositoryNames');
    }
    // Every name is validated before any is looked up, as AWS validates a whole request first.
    names.forEach((n, i) => {
      if (typeof n !== 'string') throw invalidParameter(`repositoryNames.${i + 1}`, 'must be a string');
      checkRepositoryName(n, `repositoryNames.${i + 1}`);
    });
    const repositories = (names as string[]).map((n) => {
      const row = foreign ? undefined : getRepository(db, ctx.region, n);
      if (!row) throw notFound(n, registryId ?? ctx.env.accountId);
      return toRepository(row);
    });
    return { json: { repositories } };
  }

  if (maxResults !== undefined && (maxResults < (MAX_RESULTS.min ?? 1) || maxResults > (MAX_RESULTS.max ?? 1000))) {
    throw invalidParameter('maxResults', `must be between ${MAX_RESULTS.min ?? 1} and ${MAX_RESULTS.max ?? 1000}`);
  }
  if (foreign) return { json: { repositories: [] } };
  // Without maxResults ECR pages at 100 and hands back a token.
  const limit = maxResults ?? 100;
  const after = nextToken === undefined ? undefined : decodeToken(nextToken).after;
  const rows = (
    after === undefined
      ? db.prepare('SELECT * FROM ecr_repositories WHERE region = ? ORDER BY name LIMIT ?').all(ctx.region, limit + 1)
      : db
          .prepare('SELECT * FROM ecr_repositories WHERE region = ? AND name > ? ORDER BY name LIMIT ?')
          .all(ctx.region, after, limit + 1)
  ) as RepositoryRow[];
  const page = rows.slice(0, limit);
  const out: Record<string, unknown> = { repositories: page.map(toRepository) };
  const last = page.at(-1);
  if (rows.length > limit && last) out.nextToken = encodeToken({ after: last.name });
  return { json: out };
}

export function countImages(db: Database.Database, region: string, name: string): number {
  const row = db
    .prepare('SELECT COUNT(*) AS n FROM ecr_images WHERE region = ? AND repository_name = ?')
    .get(region, name) as { n: number };
  return row.n;
}

export function deleteRepositoryHandler(ctx: RequestContext): Reply {
  const input = ctx.input;
  const registryId = optString(input, 'registryId');
  checkRegistryId(registryId);
  const name = reqString(input, 'repositoryName');
  checkRepositoryName(name);
  const force = optBoolean(input, 'force') ?? false;
  const db = ctx.env.db;
  if (registryId !== undefined && registryId !== ctx.env.accountId) throw notFound(name, registryId);

  const remove = db.transaction((): RepositoryRow => {
    const row = getRepository(db, ctx.region, name);
    if (!row) throw notFound(name, ctx.env.accountId);
    if (!force && countImages(db, ctx.region, name) > 0) {
      throw new AwsError(
        'RepositoryNotEmptyException',
        `The repository with name '${name}' in registry with id '${ctx.env.accountId}' cannot be deleted because it still contains images`,
      );
    }
    // Tags, images, manifest references, layers, uploads and previews go with it (foreign keys
    // cascade); blobs stay in the content-addressed store, which other repositories may share.
    db.prepare('DELETE FROM ecr_image_tags WHERE region = ? AND repository_name = ?').run(ctx.region, name);
    db.prepare('DELETE FROM ecr_images WHERE region = ? AND repository_name = ?').run(ctx.region, name);
    db.prepare('DELETE FROM ecr_repositories WHERE region = ? AND name = ?').run(ctx.region, name);
    return row;
  });
  const row = remove.immediate();
  return { json: { repository: toRepository(row) } };
}

/** The ARN an access-denied message names, read from the request body. */
export function repositoryResource(ctx: RequestContext): string {
  const name = ctx.input.repositoryName;
  const registry = typeof ctx.input.registryId === 'string' ? ctx.input.registryId : ctx.env.accountId;
  return typeof name === 'string' ? repositoryArn(ctx.region, registry, name) : '*';
}
