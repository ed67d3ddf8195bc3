import { AwsError } from '../../core/errors';
import type { Reply, RequestContext } from '../../core/types';
import { repositoryInput } from './images';
import { getRepository, MUTABILITY, parseExclusions, repositoryArn } from './repositories';
import { repositoryNotFound, requireRepository } from './store';
import {
  checkModelString,
  invalidParameter,
  memberShapeName,
  optArray,
  optBoolean,
  optObject,
  optString,
  parseTags,
  reqString,
  type Tag,
} from './validation';

/** Repository settings: tag mutability, scan on push, repository policy, resource tags. */

export function putImageTagMutabilityHandler(ctx: RequestContext): Reply {
  const repo = repositoryInput(ctx);
  const mutability = reqString(ctx.input, 'imageTagMutability');
  if (!MUTABILITY.includes(mutability)) {
    throw invalidParameter('imageTagMutability', `Member must satisfy enum value set: [${MUTABILITY.join(', ')}]`);
  }
  const exclusions = parseExclusions(optArray(ctx.input, 'imageTagMutabilityExclusionFilters'));
  if (mutability.endsWith('_WITH_EXCLUSION') && !exclusions) {
    throw invalidParameter('imageTagMutabilityExclusionFilters', `must be specified when imageTagMutability is ${mutability}`);
  }
  if (exclusions && !mutability.endsWith('_WITH_EXCLUSION')) {
    throw invalidParameter('imageTagMutabilityExclusionFilters', 'can only be specified with MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION');
  }
  requireRepository(ctx.env, ctx.region, repo);
  ctx.env.db
    .prepare('UPDATE ecr_repositories SET tag_mutability = ?, tag_mutability_exclusions = ? WHERE region = ? AND name = ?')
    .run(mutability, exclusions ? JSON.stringify(exclusions) : null, ctx.region, repo);
  return {
    json: {
      registryId: ctx.env.accountId,
      repositoryName: repo,
      imageTagMutability: mutability,
      ...(exclusions ? { imageTagMutabilityExclusionFilters: exclusions } : {}),
    },
  };
}

export function putImageScanningConfigurationHandler(ctx: RequestContext): Reply {
  const repo = repositoryInput(ctx);
  const cfg = optObject(ctx.input, 'imageScanningConfiguration');
  if (!cfg) throw invalidParameter('imageScanningConfiguration', 'must not be null');
  const scanOnPush = optBoolean(cfg, 'scanOnPush') ?? false;
  requireRepository(ctx.env, ctx.region, repo);
  ctx.env.db.prepare('UPDATE ecr_repositories SET scan_on_push = ? WHERE region = ? AND name = ?').run(scanOnPush ? 1 : 0, ctx.region, repo);
  return { json: { registryId: ctx.env.accountId, repositoryName: repo, imageScanningConfiguration: { scanOnPush } } };
}

function invalidPolicy(detail: string): AwsError {
  return new AwsError(
    'InvalidParameterException',
    `Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided: ${detail}'`,
  );
}

/** Checks the IAM policy grammar ECR insists on: Version, and statements with Effect, a principal and actions. */
export function validateRepositoryPolicy(text: string): void {
  checkModelString(text, 'policyText', memberShapeName('SetRepositoryPolicyRequest', 'policyText'));
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalidPolicy('the policy is not valid JSON');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalidPolicy('the policy must be a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.Version !== '2012-10-17' && d.Version !== '2008-10-17') {
    throw invalidPolicy('"Version" must be "2012-10-17" or "2008-10-17"');
  }
  const statements = Array.isArray(d.Statement) ? d.Statement : d.Statement && typeof d.Statement === 'object' ? [d.Statement] : undefined;
  if (!statements || statements.length === 0) throw invalidPolicy('"Statement" must be a statement or a non-empty list of statements');
  const sids = new Set<string>();
  statements.forEach((s, i) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw invalidPolicy(`Statement[${i}] must be an object`);
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw invalidPolicy(`Statement[${i}].Effect must be "Allow" or "Deny"`);
    if (st.Principal === undefined && st.NotPrincipal === undefined) throw invalidPolicy(`Statement[${i}] needs a Principal`);
    if (st.Action === undefined && st.NotAction === undefined) throw invalidPolicy(`Statement[${i}] needs an Action`);
    if (st.Sid !== undefined) {
      if (typeof st.Sid !== 'string') throw invalidPolicy(`Statement[${i}].Sid must be a string`);
      if (sids.has(st.Sid)) throw invalidPolicy(`Statement ids must be unique ("${st.Sid}" repeats)`);
      sids.add(st.Sid);
    }
    const actions = st.Action ?? st.NotAction;
    const list = Array.isArray(actions) ? actions : [actions];
    for (const a of list) {
      if (typeof a !== 'string' || !(a === '*' || /^ecr:[A-Za-z*?]+$/.test(a))) {
        throw invalidPolicy(`Statement[${i}] action ${JSON.stringify(a)} is not an ECR action (ecr:...)`);
      }
    }
  });
}

function policyNotFound(ctx: RequestContext, repo: string): AwsError {
  return new AwsError(
    'RepositoryPolicyNotFoundException',
    `Repository policy does not exist for the repository with name '${repo}' in the registry with id '${ctx.env.accountId}'`,
  );
}

export function setRepositoryPolicyHandler(ctx: RequestContext): Reply {
  const repo = repositoryInput(ctx);
  const text = reqString(ctx.input, 'policyText');
  optBoolean(ctx.input, 'force');
  validateRepositoryPolicy(text);
  requireRepository(ctx.env, ctx.region, repo);
  ctx.env.db.prepare('UPDATE ecr_repositories SET repository_policy = ? WHERE region = ? AND name = ?').run(text, ctx.region, repo);
  return { json: { registryId: ctx.env.accountId, repositoryName: repo, policyText: text } };
}

function currentPolicy(ctx: RequestContext, repo: string): string {
  requireRepository(ctx.env, ctx.region, repo);
  const row = ctx.env.db
    .prepare('SELECT repository_policy FROM ecr_repositories WHERE region = ? AND name = ?')
    .get(ctx.region, repo) as { repository_policy: string | null };
  if (row.repository_policy === null) throw policyNotFound(ctx, repo);
  return row.repository_policy;
}

export function getRepositoryPolicyHandler(ctx: RequestContext): Reply {
  const repo = repositoryInput(ctx);
  return { json: { registryId: ctx.env.accountId, repositoryName: repo, policyText: currentPolicy(ctx, repo) } };
}

export function deleteRepositoryPolicyHandler(ctx: RequestContext): Reply {
  const repo = repositoryInput(ctx);
  const text = currentPolicy(ctx, repo);
  ctx.env.db.prepare('UPDATE ecr_repositories SET repository_policy = NULL WHERE region = ? AND name = ?').run(ctx.region, repo);
  return { json: { registryId: ctx.env.accountId, repositoryName: repo, policyText: text } };
}

const ARN_RE = /^arn:aws:ecr:([a-z0-9-]+):([0-9]{12}):repository\/(.+)$/;

/** The repository a resourceArn names, or ECR's errors for a malformed or unknown one. */
function repositoryFromArn(ctx: RequestContext): { name: string; tags: Tag[] } {
  const arn = reqString(ctx.input, 'resourceArn');
  const m = ARN_RE.exec(arn);
  if (!m?.[1] || !m[2] || !m[3]) {
    throw new AwsError('InvalidParameterException', `Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN: ${arn}'`);
  }
  const [, region, account, name] = m;
  const row = region === ctx.region && account === ctx.env.accountId ? getRepository(ctx.env.db, ctx.region, name) : undefined;
  if (!row) throw repositoryNotFound(name, account);
  return { name, tags: JSON.parse(row.tags) as Tag[] };
}

export function listTagsForResourceHandler(ctx: RequestContext): Reply {
  return { json: { tags: repositoryFromArn(ctx).tags } };
}

export function tagResourceHandler(ctx: RequestContext): Reply {
  const { name, tags } = repositoryFromArn(ctx);
  const raw = optArray(ctx.input, 'tags');
  if (raw === undefined) throw invalidParameter('tags', 'must not be null');
  const adding = parseTags(raw);
  const merged = new Map(tags.map((t) => [t.Key, t.Value]));
  for (const t of adding) merged.set(t.Key, t.Value);
  if (merged.size > 50) {
    throw new AwsError('TooManyTagsException', 'The list of tags on the repository is over the limit. The maximum number of tags that can be applied to a repository is 50.');
  }
  const next = [...merged].map(([Key, Value]) => ({ Key, Value }));
  ctx.env.db.prepare('UPDATE ecr_repositories SET tags = ? WHERE region = ? AND name = ?').run(JSON.stringify(next), ctx.region, name);
  return { json: {} };
}

export function untagResourceHandler(ctx: RequestContext): Reply {
  const { name, tags } = repositoryFromArn(ctx);
  const keys = optArray(ctx.input, 'tagKeys');
  if (keys === undefined) throw invalidParameter('tagKeys', 'must not be null');
  for (const k of keys) {
    if (typeof k !== 'string' || k.length < 1 || k.length > 128) {
      throw new AwsError('InvalidTagParameterException', 'Each tag key must be a string of 1 to 128 characters.');
    }
  }
  const next = tags.filter((t) => !keys.includes(t.Key));
  ctx.env.db.prepare('UPDATE ecr_repositories SET tags = ? WHERE region = ? AND name = ?').run(JSON.stringify(next), ctx.region, name);
  return { json: {} };
}

/** The ARN named in access-denied messages of ARN-addressed calls. */
export function arnResource(ctx: RequestContext): string {
  const arn = optString(ctx.input, 'resourceArn');
  return arn ?? repositoryArn(ctx.region, ctx.env.accountId, '*');
}
