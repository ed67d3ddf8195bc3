import type { ResourcePolicy } from '../../core/authorize';
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

