import type { ResourcePolicy } from '../../../core/authorize';
import { resourceTagContext, type ContextInput } from '../../../core/policy';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { decodePageToken, encodePageToken, invalidParameter, parseTags, type Tag } from '../../ecr/validation';
import { assignAlias, isOwnRegistry } from './registry';

/**
 * Public repositories: name, catalog data (what the Amazon ECR Public Gallery
 * shows), repository policy and tags. Unlike private ECR there is no tag
 * mutability, scanning or encryption setting to keep.
 * https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_CreateRepository.html
 */

export interface RepositoryRow {
  name: string;
  created_at_ms: number;
  catalog_data: string;
  policy: string | null;
  tags: string;
}

/** Catalog data as stored: the input's text fields, and the logo by its blob's sha256. */
export interface StoredCatalogData {
  description?: string;
  architectures?: string[];
  operatingSystems?: string[];
  aboutText?: string;
  usageText?: string;
  logoSha256?: string;
}

interface CatalogDataInput {
  description?: string;
  architectures?: string[];
  operatingSystems?: string[];
  logoImageBlob?: Uint8Array;
  aboutText?: string;
  usageText?: string;
}

export function notFound(env: EmulatorEnv, name: string, registryId = env.accountId): AwsError {
  return new AwsError(
    'RepositoryNotFoundException',
    `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
  );
}

export function getRepository(env: EmulatorEnv, name: string): RepositoryRow | undefined {
  return env.db.prepare('SELECT * FROM ecr_public_repositories WHERE name = ?').get(name) as RepositoryRow | undefined;
}

/** The repository, or RepositoryNotFoundException; another account's registry holds none the caller can see. */
export function requireRepository(env: EmulatorEnv, name: string, registryId?: string): RepositoryRow {
  if (!isOwnRegistry(env, registryId)) throw notFound(env, name, registryId);
  const row = getRepository(env, name);
  if (!row) throw notFound(env, name);
  return row;
}

/**
 * Catalog data, stored as given. The architecture and operating system
 * values the Gallery knows (`ARM`, `ARM 64`, `x86`, `x86-64`; `Linux`,
 * `Windows`) are not enforced: AWS keeps other values too, it only leaves
 * them out of Gallery searches.
 * https://docs.aws.amazon.com/AmazonECR/latest/public/public-repository-catalog-data.html
 */
async function storeCatalogData(env: EmulatorEnv, input: CatalogDataInput | undefined): Promise<StoredCatalogData> {
  if (!input) return {};
  const out: StoredCatalogData = {};
  if (input.description !== undefined) out.description = input.description;
  if (input.architectures !== undefined) out.architectures = [...input.architectures];
  if (input.operatingSystems !== undefined) out.operatingSystems = [...input.operatingSystems];
  if (input.aboutText !== undefined) out.aboutText = input.aboutText;
  if (input.usageText !== undefined) out.usageText = input.usageText;
  if (input.logoImageBlob !== undefined && input.logoImageBlob.byteLength > 0) {
    const data = Buffer.from(input.logoImageBlob.buffer, input.logoImageBlob.byteOffset, input.logoImageBlob.byteLength);
    out.logoSha256 = (await env.blobs.put(data)).sha256;
  }
  return out;
}

export function catalogDataOf(row: RepositoryRow): StoredCatalogData {
  return JSON.parse(row.catalog_data) as StoredCatalogData;
}

interface CreateArgs {
  repositoryName: string;
  catalogData?: CatalogDataInput;
  tags?: { Key?: string; Value?: string }[];
}

export async function createRepository(env: EmulatorEnv, a: CreateArgs): Promise<RepositoryRow> {
  const tags = parseTags(a.tags);
  const catalog = await storeCatalogData(env, a.catalogData);
  // The first repository gives the registry its default alias.
  assignAlias(env);
  const row: RepositoryRow = {
    name: a.repositoryName,
    created_at_ms: env.now(),
    catalog_data: JSON.stringify(catalog),
    policy: null,
    tags: JSON.stringify(tags),
  };
  const info = env.db
    .prepare(
      `INSERT INTO ecr_public_repositories (name, created_at_ms, catalog_data, policy, tags)
       VALUES (@name, @created_at_ms, @catalog_data, @policy, @tags) ON CONFLICT (name) DO NOTHING`,
    )
    .run(row);
  if (info.changes === 0) {
    throw new AwsError(
      'RepositoryAlreadyExistsException',
      `The repository with name '${a.repositoryName}' already exists in the registry with id '${env.accountId}'`,
    );
  }
  return row;
}

export interface RepositoryPage {
  repositories: RepositoryRow[];
  nextToken?: string;
}

/** DescribeRepositories: by name (each must exist), or a page in name order (100 unless maxResults says). */
export function describeRepositories(
  env: EmulatorEnv,
  a: { registryId?: string; repositoryNames?: string[]; nextToken?: string; maxResults?: number },
): RepositoryPage {
  if (a.repositoryNames !== undefined) {
    if (a.nextToken !== undefined || a.maxResults !== undefined) {
      throw invalidParameter('maxResults', 'nextToken and maxResults cannot be used together with repositoryNames');
    }
    return { repositories: a.repositoryNames.map((n) => requireRepository(env, n, a.registryId)) };
  }
  // Another account's public repositories are not listed through this API.
  if (!isOwnRegistry(env, a.registryId)) return { repositories: [] };
  const limit = a.maxResults ?? 100;
  let after = '';
  if (a.nextToken !== undefined) {
    const t = decodePageToken(a.nextToken);
    if (typeof t.after !== 'string') throw invalidParameter('nextToken', 'must be a token returned by a previous call');
    after = t.after;
  }
  const rows = env.db
    .prepare('SELECT * FROM ecr_public_repositories WHERE name > ? ORDER BY name LIMIT ?')
    .all(after, limit + 1) as RepositoryRow[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { repositories: page, ...(rows.length > limit && last ? { nextToken: encodePageToken({ after: last.name }) } : {}) };
}

/** DeleteRepository: refused while images remain, unless `force`, which takes the images, layers and uploads with it. */
export function deleteRepository(env: EmulatorEnv, a: { repositoryName: string; registryId?: string; force?: boolean }): RepositoryRow {
  const run = env.db.transaction((): RepositoryRow => {
    const row = requireRepository(env, a.repositoryName, a.registryId);
    const images = env.db.prepare('SELECT COUNT(*) AS n FROM ecr_public_images WHERE repository_name = ?').get(a.repositoryName) as { n: number };
    if (!a.force && images.n > 0) {
      throw new AwsError(
        'RepositoryNotEmptyException',
        `The repository with name '${a.repositoryName}' in registry with id '${env.accountId}' cannot be deleted because it still contains images`,
      );
    }
    // Tags and references go with their images, images, layers and uploads with the repository (ON DELETE CASCADE).
    env.db.prepare('DELETE FROM ecr_public_image_tags WHERE repository_name = ?').run(a.repositoryName);
    env.db.prepare('DELETE FROM ecr_public_images WHERE repository_name = ?').run(a.repositoryName);
    env.db.prepare('DELETE FROM ecr_public_repositories WHERE name = ?').run(a.repositoryName);
    return row;
  });
  return run.immediate();
}

/** PutRepositoryCatalogData replaces the repository's catalog data with the one given. */
export async function putCatalogData(env: EmulatorEnv, name: string, registryId: string | undefined, input: CatalogDataInput): Promise<StoredCatalogData> {
  requireRepository(env, name, registryId);
  const catalog = await storeCatalogData(env, input);
  env.db.prepare('UPDATE ecr_public_repositories SET catalog_data = ? WHERE name = ?').run(JSON.stringify(catalog), name);
  return catalog;
}

function invalidPolicy(why: string): AwsError {
  return new AwsError('InvalidParameterException', `Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided: ${why}'`);
}

/**
 * The checks a repository policy gets before it is stored: a JSON object
 * with a known Version and statements that each have an Effect, a principal
 * and `ecr-public:` actions. Policies are kept, not evaluated.
 */
function validatePolicy(text: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalidPolicy('the policy is not valid JSON');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalidPolicy('the policy must be a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.Version !== '2012-10-17' && d.Version !== '2008-10-17') throw invalidPolicy('"Version" must be "2012-10-17" or "2008-10-17"');
  const statements = Array.isArray(d.Statement) ? d.Statement : d.Statement && typeof d.Statement === 'object' ? [d.Statement] : [];
  if (statements.length === 0) throw invalidPolicy('"Statement" must be a statement or a non-empty list of statements');
  statements.forEach((s: unknown, i) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw invalidPolicy(`Statement[${i}] must be an object`);
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw invalidPolicy(`Statement[${i}].Effect must be "Allow" or "Deny"`);
    if (st.Principal === undefined && st.NotPrincipal === undefined) throw invalidPolicy(`Statement[${i}] needs a Principal`);
    const actions = st.Action ?? st.NotAction;
    if (actions === undefined) throw invalidPolicy(`Statement[${i}] needs an Action`);
    for (const a of Array.isArray(actions) ? actions : [actions]) {
      if (typeof a !== 'string' || !(a === '*' || /^ecr-public:[A-Za-z*?]+$/.test(a))) {
        throw invalidPolicy(`Statement[${i}] action ${JSON.stringify(a)} is not an ECR Public action (ecr-public:...)`);
      }
    }
  });
}

export function setPolicy(env: EmulatorEnv, name: string, registryId: string | undefined, text: string): string {
  requireRepository(env, name, registryId);
  validatePolicy(text);
  env.db.prepare('UPDATE ecr_public_repositories SET policy = ? WHERE name = ?').run(text, name);
  return text;
}

export function getPolicy(env: EmulatorEnv, name: string, registryId: string | undefined): string {
  const row = requireRepository(env, name, registryId);
  if (row.policy === null) {
    throw new AwsError(
      'RepositoryPolicyNotFoundException',
      `Repository policy does not exist for the repository with name '${name}' in the registry with id '${env.accountId}'`,
    );
  }
  return row.policy;
}

export function deletePolicy(env: EmulatorEnv, name: string, registryId: string | undefined): string {
  const text = getPolicy(env, name, registryId);
  env.db.prepare('UPDATE ecr_public_repositories SET policy = NULL WHERE name = ?').run(name);
  return text;
}

const ARN_RE = /^arn:aws:ecr-public::([0-9]{12}):repository\/(.+)$/;

/** The repository a resourceArn names; ECR Public tags repositories only. */
function fromArn(env: EmulatorEnv, arn: string): RepositoryRow {
  const m = ARN_RE.exec(arn);
  if (!m?.[1] || !m[2]) {
    throw new AwsError('InvalidParameterException', `Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN: ${arn}'`);
  }
  const row = m[1] === env.accountId ? getRepository(env, m[2]) : undefined;
  if (!row) {
    throw new AwsError('RepositoryNotFoundException', `The repository with name '${m[2]}' does not exist in the registry with id '${m[1]}'`);
  }
  return row;
}

export function listTags(env: EmulatorEnv, arn: string): Tag[] {
  return JSON.parse(fromArn(env, arn).tags) as Tag[];
}

/** TagResource adds or overwrites by key; the 50-tag limit counts the result. */
export function tagResource(env: EmulatorEnv, arn: string, add: { Key?: string; Value?: string }[]): void {
  const row = fromArn(env, arn);
  const incoming = parseTags(add);
  const merged = new Map((JSON.parse(row.tags) as Tag[]).map((t) => [t.Key, t.Value]));
  for (const t of incoming) merged.set(t.Key, t.Value);
  const all = parseTags([...merged].map(([Key, Value]) => ({ Key, Value })));
  env.db.prepare('UPDATE ecr_public_repositories SET tags = ? WHERE name = ?').run(JSON.stringify(all), row.name);
}

export function untagResource(env: EmulatorEnv, arn: string, keys: string[]): void {
  const row = fromArn(env, arn);
  const drop = new Set(keys);
  const kept = (JSON.parse(row.tags) as Tag[]).filter((t) => !drop.has(t.Key));
  env.db.prepare('UPDATE ecr_public_repositories SET tags = ? WHERE name = ?').run(JSON.stringify(kept), row.name);
}

/** A public repository's policy (SetRepositoryPolicy), by the repository's ARN, for authorizing requests on it. */
export function publicRepositoryPolicyOf(env: EmulatorEnv, arn: string): ResourcePolicy | undefined {
  const m = /^arn:aws:ecr-public::(\d{12}):repository\/(.+)$/.exec(arn);
  if (!m || m[1] !== env.accountId) return undefined;
  const policy = getRepository(env, m[2]!)?.policy;
  return policy ? { document: policy } : undefined;
}

/** A public repository's tags as `aws:ResourceTag/<key>`, for conditions on requests to it. */
export function publicRepositoryContextOf(env: EmulatorEnv, arn: string): ContextInput | undefined {
  const m = /^arn:aws:ecr-public::(\d{12}):repository\/(.+)$/.exec(arn);
  if (!m || m[1] !== env.accountId) return undefined;
  const row = env.db.prepare('SELECT tags FROM ecr_public_repositories WHERE name = ?').get(m[2]) as { tags: string } | undefined;
  if (!row) return undefined;
  const tags: Record<string, string> = {};
  for (const t of JSON.parse(row.tags) as { Key: string; Value: string }[]) tags[t.Key] = t.Value;
  return resourceTagContext(tags);
}
