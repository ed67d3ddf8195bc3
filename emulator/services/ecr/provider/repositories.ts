import type { ECR } from '@aws-sdk/client-ecr';
import type { Providers } from '../../../core/wire/service';
import { requestTagContext } from '../../../core/policy';
import { sweepUploads } from '../layers';
import { createRepository, deleteRepository, describeRepositories } from '../repositories';
import {
  checkRepositoryRef,
  deleteRepositoryPolicy,
  getRepositoryPolicy,
  listTags,
  putImageTagMutability,
  putScanOnPush,
  setRepositoryPolicy,
  tagRepository,
  untagRepository,
} from '../settings';
import { invalidParameter } from '../validation';
import { callerArn, repositoryResource, toRepository } from './common';

/** Repositories and their settings: mutability, scan on push, policy, tags. */
export const repositoryProviders: Providers<ECR> = {
  CreateRepository: {
    // Tags given with the create are aws:RequestTag/<key> and aws:TagKeys.
    accessChecks: (input, ctx) => [{ action: 'ecr:CreateRepository', resource: repositoryResource(input, ctx), context: requestTagContext(input.tags) }],
    handler(input, ctx) {
      if (input.repositoryName === undefined) throw invalidParameter('repositoryName', 'must not be null');
      const row = createRepository(ctx.env, ctx.region, callerArn(ctx), { ...input, repositoryName: input.repositoryName });
      return { repository: toRepository(row) };
    },
  },

  DescribeRepositories: {
    // Each named repository is authorized on its own ARN; a listing of all of them on `*`.
    accessChecks: (input, ctx) =>
      input.repositoryNames?.length
        ? input.repositoryNames.map((repositoryName) => ({
            action: 'ecr:DescribeRepositories',
            resource: repositoryResource({ registryId: input.registryId, repositoryName }, ctx),
          }))
        : [{ action: 'ecr:DescribeRepositories', resource: '*' }],
    handler(input, ctx) {
      const page = describeRepositories(ctx.env, ctx.region, input);
      return { repositories: page.repositories.map(toRepository), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
  },

  DeleteRepository: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const row = deleteRepository(ctx.env, ctx.region, { ...input, repositoryName });
      // Partial uploads of the deleted repository lose their rows by cascade; drop their files too.
      sweepUploads(ctx.env);
      return { repository: toRepository(row) };
    },
  },

  PutImageTagMutability: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const exclusions = putImageTagMutability(ctx.env, ctx.region, repositoryName, input.imageTagMutability, input.imageTagMutabilityExclusionFilters);
      return {
        registryId: ctx.env.accountId,
        repositoryName,
        imageTagMutability: input.imageTagMutability,
        ...(exclusions ? { imageTagMutabilityExclusionFilters: exclusions as { filterType: 'WILDCARD'; filter: string }[] } : {}),
      };
    },
  },

  PutImageScanningConfiguration: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const cfg = input.imageScanningConfiguration;
      if (!cfg) throw invalidParameter('imageScanningConfiguration', 'must not be null');
      const scanOnPush = cfg.scanOnPush ?? false;
      putScanOnPush(ctx.env, ctx.region, repositoryName, scanOnPush);
      return { registryId: ctx.env.accountId, repositoryName, imageScanningConfiguration: { scanOnPush } };
    },
  },

  SetRepositoryPolicy: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const policyText = setRepositoryPolicy(ctx.env, ctx.region, repositoryName, input.policyText);
      return { registryId: ctx.env.accountId, repositoryName, policyText };
    },
  },

  GetRepositoryPolicy: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      return { registryId: ctx.env.accountId, repositoryName, policyText: getRepositoryPolicy(ctx.env, ctx.region, repositoryName) };
    },
  },

  DeleteRepositoryPolicy: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      return { registryId: ctx.env.accountId, repositoryName, policyText: deleteRepositoryPolicy(ctx.env, ctx.region, repositoryName) };
    },
  },

  TagResource: {
    accessChecks: (input, ctx) => [
      {
        action: 'ecr:TagResource',
        resource: input.resourceArn ?? `arn:aws:ecr:${ctx.region}:${ctx.env.accountId}:repository/*`,
        context: requestTagContext(input.tags),
      },
    ],
    handler(input, ctx) {
      tagRepository(ctx.env, ctx.region, input.resourceArn, input.tags);
      return {};
    },
  },

  UntagResource: {
    // Untagging names keys only: aws:TagKeys.
    accessChecks: (input, ctx) => [
      {
        action: 'ecr:UntagResource',
        resource: input.resourceArn ?? `arn:aws:ecr:${ctx.region}:${ctx.env.accountId}:repository/*`,
        context: requestTagContext(undefined, input.tagKeys),
      },
    ],
    handler(input, ctx) {
      untagRepository(ctx.env, ctx.region, input.resourceArn, input.tagKeys);
      return {};
    },
  },

  ListTagsForResource(input, ctx) {
    return { tags: listTags(ctx.env, ctx.region, input.resourceArn) };
  },
};
