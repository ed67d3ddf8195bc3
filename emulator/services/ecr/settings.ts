import { AwsError } from '../../core/errors';
import type { EmulatorEnv } from '../../core/types';
import { checkMutability, getRepository, type ExclusionFilter } from './repositories';
import { repositoryNotFound, requireRepository } from './store';
import { checkModelString, checkRegistryId, checkRepositoryName, invalidParameter, memberShapeName, parseTags, type Tag } from './validation';

/** Repository settings: tag mutability, scan on push, repository policy, resource tags. */

/** The registryId/repositoryName pair every repository-scoped call starts with; returns the name. */
export function checkRepositoryRef(a: { registryId?: string; repositoryName?: string }): string {
  checkRegistryId(a.registryId);
  const name = a.repositoryName;
  if (name === undefined) throw invalidParameter('repositoryName', 'must not be null');
  checkRepositoryName(name);
  return name;
}

export function putImageTagMutability(
  env: EmulatorEnv,
  region: string,
  repo: string,
  mutability: string | undefined,
  rawExclusions: { filterType?: string; filter?: string }[] | undefined,
): ExclusionFilter[] | undefined {
  if (mutability === undefined) throw invalidParameter('imageTagMutability', 'must not be null');
  const exclusions = checkMutability(mutability, rawExclusions);
  requireRepository(env, region, repo);
  env.db
    .prepare('UPDATE ecr_repositories SET tag_mutability = ?, tag_mutability_exclusions = ? WHERE region = ? AND name = ?')
    .run(mutability, exclusions ? JSON.stringify(exclusions) : null, region, repo);
  return exclusions;
}

export function putScanOnPush(env: EmulatorEnv, region: string, repo: string, scanOnPush: boolean): void {
  requireRepository(env, region, repo);
  env.db.prepare('UPDATE ecr_repositories SET scan_on_push = ? WHERE region = ? AND name = ?').run(scanOnPush ? 1 : 0, region, repo);
}

function invalidPolicy(detail: string, kind: string): AwsError {
  return new AwsError(
    'InvalidParameterException',
    `Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid ${kind} policy provided: ${detail}'`,
  );
}

/**
 * Checks the IAM policy grammar ECR insists on: Version, and statements with
 * Effect, a principal and ECR actions. Repository and registry policies share it.
 */
export function validateRepositoryPolicy(text: string, kind: 'repository' | 'registry' = 'repository'): void {
  const invalid = (detail: string) => invalidPolicy(detail, kind);
  checkModelString(text, 'policyText', memberShapeName(kind === 'registry' ? 'PutRegistryPolicyRequest' : 'SetRepositoryPolicyRequest', 'policyText'));
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid('the policy is not valid JSON');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('the policy must be a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.Version !== '2012-10-17' && d.Version !== '2008-10-17') {
    throw invalid('"Version" must be "2012-10-17" or "2008-10-17"');
  }
  const statements = Array.isArray(d.Statement) ? d.Statement : d.Statement && typeof d.Statement === 'object' ? [d.Statement] : undefined;
  if (!statements || statements.length === 0) throw invalid('"Statement" must be a statement or a non-empty list of statements');
  const sids = new Set<string>();
  statements.forEach((s, i) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw invalid(`Statement[${i}] must be an object`);
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw invalid(`Statement[${i}].Effect must be "Allow" or "Deny"`);
    if (st.Principal === undefined && st.NotPrincipal === undefined) throw invalid(`Statement[${i}] needs a Principal`);
    if (st.Action === undefined && st.NotAction === undefined) throw invalid(`Statement[${i}] needs an Action`);
    if (st.Sid !== undefined) {
      if (typeof st.Sid !== 'string') throw invalid(`Statement[${i}].Sid must be a string`);
      if (sids.has(st.Sid)) throw invalid(`Statement ids must be unique ("${st.Sid}" repeats)`);
      sids.add(st.Sid);
    }
    const actions = st.Action ?? st.NotAction;
    const list = Array.isArray(actions) ? actions : [actions];
    for (const a of list) {
      if (typeof a !== 'string' || !(a === '*' || /^ecr:[A-Za-z*?]+$/.test(a))) {
        throw invalid(`Statement[${i}] action ${JSON.stringify(a)} is not an ECR action (ecr:...)`);
      }
    }
  });
}

function policyNotFound(env: EmulatorEnv, repo: string): AwsError {
  return new AwsError(
    'RepositoryPolicyNotFoundException',
    `Repository policy does not exist for the repository with name '${repo}' in the registry with id '${env.accountId}'`,
  );
}

export function setRepositoryPolicy(env: EmulatorEnv, region: string, repo: string, text: string | undefined): string {
  if (text === undefined) throw invalidParameter('policyText', 'must not be null');
  validateRepositoryPolicy(text);
  requireRepository(env, region, repo);
  env.db.prepare('UPDATE ecr_repositories SET repository_policy = ? WHERE region = ? AND name = ?').run(text, region, repo);
  return text;
}

export function getRepositoryPolicy(env: EmulatorEnv, region: string, repo: string): string {
  requireRepository(env, region, repo);
  const row = env.db
    .prepare('SELECT repository_policy FROM ecr_repositories WHERE region = ? AND name = ?')
    .get(region, repo) as { repository_policy: string | null };
  if (row.repository_policy === null) throw policyNotFound(env, repo);
  return row.repository_policy;
}

export function deleteRepositoryPolicy(env: EmulatorEnv, region: string, repo: string): string {
  const text = getRepositoryPolicy(env, region, repo);
  env.db.prepare('UPDATE ecr_repositories SET repository_policy = NULL WHERE region = ? AND name = ?').run(region, repo);
  return text;
}

const ARN_RE = /^arn:aws:ecr:([a-z0-9-]+):([0-9]{12}):repository\/(.+)$/;

/** The repository a resourceArn names, or ECR's errors for a malformed or unknown one. */
function repositoryFromArn(env: EmulatorEnv, region: string, arn: string | undefined): { name: string; tags: Tag[] } {
  if (arn === undefined) throw invalidParameter('resourceArn', 'must not be null');
  const m = ARN_RE.exec(arn);
  if (!m?.[1] || !m[2] || !m[3]) {
    throw new AwsError('InvalidParameterException', `Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN: ${arn}'`);
  }
  const [, arnRegion, account, name] = m;
  const row = arnRegion === region && account === env.accountId ? getRepository(env.db, region, name) : undefined;
  if (!row) throw repositoryNotFound(name, account);
  return { name, tags: JSON.parse(row.tags) as Tag[] };
}

export function listTags(env: EmulatorEnv, region: string, arn: string | undefined): Tag[] {
  return repositoryFromArn(env, region, arn).tags;
}

export function tagRepository(env: EmulatorEnv, region: string, arn: string | undefined, raw: { Key?: string; Value?: string }[] | undefined): void {
  const { name, tags } = repositoryFromArn(env, region, arn);
  if (raw === undefined) throw invalidParameter('tags', 'must not be null');
  const adding = parseTags(raw);
  const merged = new Map(tags.map((t) => [t.Key, t.Value]));
  for (const t of adding) merged.set(t.Key, t.Value);
  if (merged.size > 50) {
    throw new AwsError('TooManyTagsException', 'The list of tags on the repository is over the limit. The maximum number of tags that can be applied to a repository is 50.');
  }
  const next = [...merged].map(([Key, Value]) => ({ Key, Value }));
  env.db.prepare('UPDATE ecr_repositories SET tags = ? WHERE region = ? AND name = ?').run(JSON.stringify(next), region, name);
}

export function untagRepository(env: EmulatorEnv, region: string, arn: string | undefined, keys: string[] | undefined): void {
  const { name, tags } = repositoryFromArn(env, region, arn);
  if (keys === undefined) throw invalidParameter('tagKeys', 'must not be null');
  for (const k of keys) {
    if (typeof k !== 'string' || k.length < 1 || k.length > 128) {
      throw new AwsError('InvalidTagParameterException', 'Each tag key must be a string of 1 to 128 characters.');
    }
  }
  const next = tags.filter((t) => !keys.includes(t.Key));
  env.db.prepare('UPDATE ecr_repositories SET tags = ? WHERE region = ? AND name = ?').run(JSON.stringify(next), region, name);
}
