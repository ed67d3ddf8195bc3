import type { Repository } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../../core/types';
import { repositoryArn, type RepositoryRow } from '../repositories';

/**
 * What the ECR providers share: the ARN access-denied messages name, and a
 * stored repository in the SDK's `Repository` shape.
 */

/** Repository-scoped calls: a denial names the repository's ARN. */
export function repositoryResource(input: { registryId?: string; repositoryName?: string }, ctx: RequestContext): string {
  const name = input.repositoryName;
  return typeof name === 'string' ? repositoryArn(ctx.region, input.registryId ?? ctx.env.accountId, name) : '*';
}

/** Registry-scoped calls (settings, rules, templates): a denial names the registry. */
export function registryResource(_input: unknown, ctx: RequestContext): string {
  return `arn:aws:ecr:${ctx.region}:${ctx.env.accountId}:registry/${ctx.env.accountId}`;
}

export function toRepository(row: RepositoryRow): Repository {
  return {
    repositoryArn: repositoryArn(row.region, row.registry_id, row.name),
    registryId: row.registry_id,
    repositoryName: row.name,
    repositoryUri: `${row.registry_id}.dkr.ecr.${row.region}.amazonaws.com/${row.name}`,
    createdAt: new Date(row.created_at_ms),
    imageTagMutability: row.tag_mutability as Repository['imageTagMutability'],
    ...(row.tag_mutability_exclusions
      ? { imageTagMutabilityExclusionFilters: JSON.parse(row.tag_mutability_exclusions) as Repository['imageTagMutabilityExclusionFilters'] }
      : {}),
    imageScanningConfiguration: { scanOnPush: row.scan_on_push === 1 },
    encryptionConfiguration: {
      encryptionType: row.encryption_type as 'AES256',
      ...(row.kms_key !== null ? { kmsKey: row.kms_key } : {}),
    },
  };
}

/** The caller's ARN for messages; a provider is only reached signed. */
export function callerArn(ctx: RequestContext): string {
  return ctx.principal?.arn ?? 'anonymous';
}
