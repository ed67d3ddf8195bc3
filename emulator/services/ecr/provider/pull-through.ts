import type { ECR, UpstreamRegistry } from '@aws-sdk/client-ecr';
import type { Providers } from '../../../core/wire/service';
import { createRule, deleteRule, describeRules, updateRule, validateRule, type PullThroughRule } from '../model/pull-through';
import { checkRegistryId } from '../validation';
import { registryResource } from './common';

/**
 * Pull through cache rules. The emulator keeps them but cannot reach any
 * upstream registry (see model/pull-through.ts).
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreatePullThroughCacheRule.html
 */

function common(r: PullThroughRule, registryId: string) {
  return {
    ecrRepositoryPrefix: r.ecrRepositoryPrefix,
    registryId,
    ...(r.credentialArn !== undefined ? { credentialArn: r.credentialArn } : {}),
    ...(r.customRoleArn !== undefined ? { customRoleArn: r.customRoleArn } : {}),
    ...(r.upstreamRepositoryPrefix !== undefined ? { upstreamRepositoryPrefix: r.upstreamRepositoryPrefix } : {}),
  };
}

function full(r: PullThroughRule, registryId: string) {
  return {
    ...common(r, registryId),
    upstreamRegistryUrl: r.upstreamRegistryUrl,
    upstreamRegistry: r.upstreamRegistry as UpstreamRegistry,
    createdAt: new Date(r.createdAtMs),
  };
}

export const pullThroughProviders: Providers<ECR> = {
  CreatePullThroughCacheRule: {
    resource: registryResource,
    handler(input, ctx) {
      checkRegistryId(input.registryId);
      return full(createRule(ctx.env, ctx.region, input), ctx.env.accountId);
    },
  },

  DescribePullThroughCacheRules: {
    resource: registryResource,
    handler(input, ctx) {
      checkRegistryId(input.registryId);
      const page = describeRules(ctx.env, ctx.region, input);
      return {
        pullThroughCacheRules: page.rules.map((r) => ({ ...full(r, ctx.env.accountId), updatedAt: new Date(r.updatedAtMs) })),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },
  },

  UpdatePullThroughCacheRule: {
    resource: registryResource,
    handler(input, ctx) {
      checkRegistryId(input.registryId);
      const r = updateRule(ctx.env, ctx.region, input);
      return { ...common(r, ctx.env.accountId), updatedAt: new Date(r.updatedAtMs) };
    },
  },

  DeletePullThroughCacheRule: {
    resource: registryResource,
    handler(input, ctx) {
      checkRegistryId(input.registryId);
      const r = deleteRule(ctx.env, ctx.region, input.ecrRepositoryPrefix);
      return { ...common(r, ctx.env.accountId), upstreamRegistryUrl: r.upstreamRegistryUrl, createdAt: new Date(r.createdAtMs) };
    },
  },

  ValidatePullThroughCacheRule: {
    resource: registryResource,
    handler(input, ctx) {
      checkRegistryId(input.registryId);
      const { rule, isValid, failure } = validateRule(ctx.env, ctx.region, input.ecrRepositoryPrefix);
      return { ...common(rule, ctx.env.accountId), upstreamRegistryUrl: rule.upstreamRegistryUrl, isValid, failure };
    },
  },
};
