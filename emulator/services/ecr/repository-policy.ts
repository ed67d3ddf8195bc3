import type { ResourcePolicy } from '../../core/authorize';
import { resourceTagContext, type ContextInput } from '../../core/policy';
import type { EmulatorEnv } from '../../core/types';

const REPOSITORY_ARN = /^arn:aws:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/;

const REGISTRY_ARN = /^arn:aws:ecr:([a-z0-9-]+):(\d{12}):registry\/\d{12}$/;

/**
 * The resource-based policies of a request on a repository (or on the
 * registry itself, for the registry-scoped calls): the repository's policy
 * (SetRepositoryPolicy) and the region's registry policy (PutRegistryPolicy).
 * The registry policy counts in every ECR request under the extended
 * registry policy scope, V2, which is the default and the only value
 * PutAccountSetting takes for REGISTRY_POLICY_SCOPE ("Amazon ECR allows all
 * ECR actions in the policy and enforces the registry policy in all ECR
 * requests"); the legacy V1 reading (ReplicateImage,
 * BatchImportUpstreamImage and CreateRepository only) is not modelled.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 */
export function repositoryPolicyOf(env: EmulatorEnv, arn: string): ResourcePolicy | undefined {
  const repo = REPOSITORY_ARN.exec(arn);
  const registry = repo ? undefined : REGISTRY_ARN.exec(arn);
  const m = repo ?? registry;
  if (!m || m[2] !== env.accountId) return undefined;
  const own = repo
    ? (env.db.prepare('SELECT repository_policy AS p FROM ecr_repositories WHERE region = ? AND name = ?').get(m[1], repo[3]) as { p: string | null } | undefined)?.p
    : undefined;
  const registryPolicy = (env.db.prepare('SELECT policy FROM ecr_registry_settings WHERE region = ?').get(m[1]) as { policy: string | null } | undefined)?.policy;
  if (!own && !registryPolicy) return undefined;
  return { ...(own ? { document: own } : {}), ...(registryPolicy ? { additional: [registryPolicy] } : {}) };
}


/**
 * A repository's tags as condition keys, `aws:ResourceTag/<key>` and ECR's own
 * `ecr:ResourceTag/<key>` (the repository resource type carries both in the
 * Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html).
 */
export function repositoryContextOf(env: EmulatorEnv, arn: string): ContextInput | undefined {
  const m = REPOSITORY_ARN.exec(arn);
  if (!m || m[2] !== env.accountId) return undefined;
  const row = env.db.prepare('SELECT tags FROM ecr_repositories WHERE region = ? AND name = ?').get(m[1], m[3]) as { tags: string } | undefined;
  if (!row) return undefined;
  const tags: Record<string, string> = {};
  for (const t of JSON.parse(row.tags) as { Key: string; Value: string }[]) tags[t.Key] = t.Value;
  return resourceTagContext(tags, 'ecr');
}
