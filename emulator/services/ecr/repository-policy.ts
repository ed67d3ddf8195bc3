import type { ResourcePolicy } from '../../core/authorize';
import { resourceTagContext, type ContextInput } from '../../core/policy';
import type { EmulatorEnv } from '../../core/types';

const REPOSITORY_ARN = /^arn:aws:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/;

/**
 * A repository's policy (SetRepositoryPolicy), for authorizing requests on
 * the repository's ARN: the API's and the registry's pushes and pulls.
 */
export function repositoryPolicyOf(env: EmulatorEnv, arn: string): ResourcePolicy | undefined {
  const m = REPOSITORY_ARN.exec(arn);
  if (!m || m[2] !== env.accountId) return undefined;
  const row = env.db.prepare('SELECT repository_policy AS p FROM ecr_repositories WHERE region = ? AND name = ?').get(m[1], m[3]) as
    | { p: string | null }
    | undefined;
  return row?.p ? { document: row.p } : undefined;
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
