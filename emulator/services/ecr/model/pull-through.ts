import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { decodePageToken, encodePageToken, invalidParameter } from '../validation';

/**
 * Pull through cache rules: a repository prefix in this registry that caches
 * images of an upstream registry.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 *
 * The emulator keeps and checks the rules, but it never reaches the internet,
 * so it cannot fetch anything from an upstream registry. A pull of an image
 * under a rule's prefix that is not already in the registry answers the way
 * ECR answers when the upstream cannot be reached
 * (UnableToGetUpstreamImageException / UnableToGetUpstreamLayerException), and
 * ValidatePullThroughCacheRule reports the rule as not valid for that reason.
 */

export interface PullThroughRule {
  ecrRepositoryPrefix: string;
  upstreamRegistryUrl: string;
  upstreamRegistry: string;
  upstreamRepositoryPrefix?: string;
  credentialArn?: string;
  customRoleArn?: string;
  createdAtMs: number;
  updatedAtMs: number;
}

interface Row {
  prefix: string;
  upstream_url: string;
  upstream_registry: string;
  upstream_prefix: string | null;
  credential_arn: string | null;
  custom_role_arn: string | null;
  created_at_ms: number;
  updated_at_ms: number;
}

function fromRow(r: Row): PullThroughRule {
  return {
    ecrRepositoryPrefix: r.prefix,
    upstreamRegistryUrl: r.upstream_url,
    upstreamRegistry: r.upstream_registry,
    ...(r.upstream_prefix !== null ? { upstreamRepositoryPrefix: r.upstream_prefix } : {}),
    ...(r.credential_arn !== null ? { credentialArn: r.credential_arn } : {}),
    ...(r.custom_role_arn !== null ? { customRoleArn: r.custom_role_arn } : {}),
    createdAtMs: r.created_at_ms,
    updatedAtMs: r.updated_at_ms,
  };
}

interface Upstream {
  name: string;
  /** Host of the registry, or a test for hosts that vary per customer. */
  host: string | RegExp;
  /** Needs a Secrets Manager secret (credentialArn) with the upstream's credentials. */
  secret: boolean;
}

/**
 * The upstream registries ECR supports and the URL each takes, from the
 * CreatePullThroughCacheRule reference: Docker Hub, GitHub, GitLab, Azure and
 * Chainguard need a Secrets Manager secret; ECR upstreams use an IAM role.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreatePullThroughCacheRule.html
 */
const UPSTREAMS: readonly Upstream[] = [
  { name: 'ecr-public', host: 'public.ecr.aws', secret: false },
  { name: 'k8s', host: 'registry.k8s.io', secret: false },
  { name: 'quay', host: 'quay.io', secret: false },
  { name: 'docker-hub', host: 'registry-1.docker.io', secret: true },
  { name: 'github-container-registry', host: 'ghcr.io', secret: true },
  { name: 'gitlab-container-registry', host: 'registry.gitlab.com', secret: true },
  { name: 'azure-container-registry', host: /^[a-z0-9]+\.azurecr\.io$/, secret: true },
  { name: 'chainguard', host: 'cgr.dev', secret: true },
  { name: 'ecr', host: /^[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/, secret: false },
];

function unsupported(url: string): AwsError {
  return new AwsError('UnsupportedUpstreamRegistryException', `The specified upstream registry '${url}' isn't supported.`);
}

/** Which upstream a URL names (an https:// scheme and a trailing slash are tolerated). */
function upstreamFor(url: string): Upstream {
  const host = url.replace(/^https:\/\//, '').replace(/\/+$/, '');
  const hit = UPSTREAMS.find((u) => (typeof u.host === 'string' ? u.host === host : u.host.test(host)));
  if (!hit) throw unsupported(url);
  return hit;
}

/** "There is always an assumed / applied to the end of the prefix": `ecr-public/` and `ecr-public` are one prefix. */
function normalPrefix(prefix: string): string {
  return prefix === 'ROOT' ? prefix : prefix.replace(/\/+$/, '');
}

function notFound(env: EmulatorEnv, prefix: string): AwsError {
  return new AwsError(
    'PullThroughCacheRuleNotFoundException',
    `The pull through cache rule with prefix '${prefix}' does not exist in the registry with id '${env.accountId}'`,
  );
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw invalidParameter(field, 'must not be null');
  return value;
}

/** The service quota on pull through cache rules per registry. */
const MAX_RULES = 50;

export interface NewRule {
  ecrRepositoryPrefix?: string;
  upstreamRegistryUrl?: string;
  upstreamRegistry?: string;
  credentialArn?: string;
  customRoleArn?: string;
  upstreamRepositoryPrefix?: string;
}

/** CreatePullThroughCacheRule. */
export function createRule(env: EmulatorEnv, region: string, a: NewRule): PullThroughRule {
  const prefix = normalPrefix(required(a.ecrRepositoryPrefix, 'ecrRepositoryPrefix'));
  const url = required(a.upstreamRegistryUrl, 'upstreamRegistryUrl');
  const upstream = upstreamFor(url);
  if (a.upstreamRegistry !== undefined && a.upstreamRegistry !== upstream.name) {
    throw invalidParameter('upstreamRegistry', `'${a.upstreamRegistry}' does not match the upstream registry URL '${url}', which is ${upstream.name}`);
  }
  if (upstream.secret && a.credentialArn === undefined) {
    throw invalidParameter('credentialArn', `A Secrets Manager secret is required for the upstream registry ${upstream.name}`);
  }
  if (a.upstreamRepositoryPrefix !== undefined && upstream.name !== 'ecr') {
    throw invalidParameter('upstreamRepositoryPrefix', 'An upstream repository prefix can only be used with an Amazon ECR upstream registry');
  }
  const now = env.now();
  const run = env.db.transaction((): PullThroughRule => {
    const { n } = env.db.prepare('SELECT COUNT(*) AS n FROM ecr_pull_through_rules WHERE region = ?').get(region) as { n: number };
    const exists = env.db.prepare('SELECT 1 FROM ecr_pull_through_rules WHERE region = ? AND prefix = ?').get(region, prefix);
    if (exists) {
      throw new AwsError(
        'PullThroughCacheRuleAlreadyExistsException',
        `A pull through cache rule with prefix '${prefix}' already exists in the registry with id '${env.accountId}'`,
      );
    }
    if (n >= MAX_RULES) {
      throw new AwsError('LimitExceededException', `The registry already has the maximum of ${MAX_RULES} pull through cache rules.`);
    }
    env.db
      .prepare(
        `INSERT INTO ecr_pull_through_rules (region, prefix, upstream_url, upstream_registry, upstream_prefix, credential_arn,
           custom_role_arn, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(region, prefix, url, upstream.name, a.upstreamRepositoryPrefix ?? null, a.credentialArn ?? null, a.customRoleArn ?? null, now, now);
    return getRule(env, region, prefix);
  });
  return run.immediate();
}

export function getRule(env: EmulatorEnv, region: string, rawPrefix: string): PullThroughRule {
  const prefix = normalPrefix(rawPrefix);
  const r = env.db.prepare('SELECT * FROM ecr_pull_through_rules WHERE region = ? AND prefix = ?').get(region, prefix) as Row | undefined;
  if (!r) throw notFound(env, prefix);
  return fromRow(r);
}

/** DescribePullThroughCacheRules: the named rules (each must exist), or a page in prefix order. */
export function describeRules(
  env: EmulatorEnv,
  region: string,
  a: { ecrRepositoryPrefixes?: string[]; nextToken?: string; maxResults?: number },
): { rules: PullThroughRule[]; nextToken?: string } {
  if (a.ecrRepositoryPrefixes !== undefined) {
    return { rules: a.ecrRepositoryPrefixes.map((p) => getRule(env, region, p)) };
  }
  // The model bounds maxResults (the wire layer checks it); ECR's default page is 100.
  const limit = a.maxResults ?? 100;
  const after = a.nextToken === undefined ? '' : decodePageToken(a.nextToken).after;
  if (typeof after !== 'string') throw invalidParameter('nextToken', 'must be a token returned by a previous call');
  const rows = env.db
    .prepare('SELECT * FROM ecr_pull_through_rules WHERE region = ? AND prefix > ? ORDER BY prefix LIMIT ?')
    .all(region, after, limit + 1) as Row[];
  const page = rows.slice(0, limit).map(fromRow);
  const last = page.at(-1);
  return { rules: page, ...(rows.length > limit && last ? { nextToken: encodePageToken({ after: last.ecrRepositoryPrefix }) } : {}) };
}

/** UpdatePullThroughCacheRule: a new secret or role for an existing rule. */
export function updateRule(env: EmulatorEnv, region: string, a: { ecrRepositoryPrefix?: string; credentialArn?: string; customRoleArn?: string }): PullThroughRule {
  const rule = getRule(env, region, required(a.ecrRepositoryPrefix, 'ecrRepositoryPrefix'));
  if (a.credentialArn === undefined && a.customRoleArn === undefined) {
    throw invalidParameter('credentialArn', 'Either credentialArn or customRoleArn must be specified');
  }
  env.db
    .prepare(
      `UPDATE ecr_pull_through_rules SET credential_arn = COALESCE(?, credential_arn), custom_role_arn = COALESCE(?, custom_role_arn),
         updated_at_ms = ? WHERE region = ? AND prefix = ?`,
    )
    .run(a.credentialArn ?? null, a.customRoleArn ?? null, env.now(), region, rule.ecrRepositoryPrefix);
  return getRule(env, region, rule.ecrRepositoryPrefix);
}

export function deleteRule(env: EmulatorEnv, region: string, prefix: string | undefined): PullThroughRule {
  const rule = getRule(env, region, required(prefix, 'ecrRepositoryPrefix'));
  env.db.prepare('DELETE FROM ecr_pull_through_rules WHERE region = ? AND prefix = ?').run(region, rule.ecrRepositoryPrefix);
  return rule;
}

/** Why the emulator can never validate a rule against its upstream. */
export const UNREACHABLE =
  'The upstream registry could not be reached: the Berth emulator has no network access to upstream registries, so it cannot authenticate to one or pull from it.';

/**
 * ValidatePullThroughCacheRule: ECR would read the secret and log in to the
 * upstream; the emulator can do neither, so a rule that exists is reported
 * as not valid, with the reason.
 */
export function validateRule(env: EmulatorEnv, region: string, prefix: string | undefined): { rule: PullThroughRule; isValid: boolean; failure: string } {
  const rule = getRule(env, region, required(prefix, 'ecrRepositoryPrefix'));
  return { rule, isValid: false, failure: UNREACHABLE };
}

/** The rule whose prefix covers a repository name (ROOT covers every name), if any. */
export function ruleForRepository(env: EmulatorEnv, region: string, repository: string): PullThroughRule | undefined {
  const rows = env.db.prepare('SELECT * FROM ecr_pull_through_rules WHERE region = ? ORDER BY length(prefix) DESC').all(region) as Row[];
  const hit = rows.find((r) => (r.prefix === 'ROOT' ? true : repository.startsWith(`${r.prefix}/`)));
  return hit ? fromRow(hit) : undefined;
}
