import type { ECR } from '@aws-sdk/client-ecr';
import type { Providers } from '../../../core/wire/service';
import {
  deleteLifecyclePolicy,
  getLifecyclePolicy,
  lifecyclePreview,
  putLifecyclePolicy,
  startLifecyclePreview,
  type StoredPolicy,
} from '../lifecycle';
import { checkRepositoryRef } from '../settings';
import { repositoryResource } from './common';

function policyOutput(registryId: string, repositoryName: string, p: StoredPolicy) {
  return {
    registryId,
    repositoryName,
    lifecyclePolicyText: p.text,
    ...(p.lastEvaluatedAtMs !== undefined ? { lastEvaluatedAt: new Date(p.lastEvaluatedAtMs) } : {}),
  };
}

/** Lifecycle policies and their previews. */
export const lifecycleProviders: Providers<ECR> = {
  PutLifecyclePolicy: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const text = putLifecyclePolicy(ctx.env, ctx.region, repositoryName, input.lifecyclePolicyText);
      return { registryId: ctx.env.accountId, repositoryName, lifecyclePolicyText: text };
    },
  },

  GetLifecyclePolicy: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      return policyOutput(ctx.env.accountId, repositoryName, getLifecyclePolicy(ctx.env, ctx.region, repositoryName));
    },
  },

  DeleteLifecyclePolicy: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      return policyOutput(ctx.env.accountId, repositoryName, deleteLifecyclePolicy(ctx.env, ctx.region, repositoryName));
    },
  },

  StartLifecyclePolicyPreview: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const text = startLifecyclePreview(ctx.env, ctx.region, repositoryName, input.lifecyclePolicyText);
      // The evaluation is done already; like ECR, the start call itself reports IN_PROGRESS.
      return { registryId: ctx.env.accountId, repositoryName, lifecyclePolicyText: text, status: 'IN_PROGRESS' };
    },
  },

  GetLifecyclePolicyPreview: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const page = lifecyclePreview(ctx.env, ctx.region, repositoryName, { ...input, tagStatus: input.filter?.tagStatus });
      return {
        registryId: ctx.env.accountId,
        repositoryName,
        lifecyclePolicyText: page.policy,
        status: 'COMPLETE',
        previewResults: page.results.map((r) => ({
          ...(r.imageTags.length ? { imageTags: r.imageTags } : {}),
          imageDigest: r.imageDigest,
          imagePushedAt: new Date(r.imagePushedAtMs),
          action: { type: 'EXPIRE' },
          appliedRulePriority: r.appliedRulePriority,
        })),
        summary: { expiringImageTotalCount: page.expiringTotal },
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },
  },
};
