import type { ECR, ImageTagMutability, RCTAppliedFor, RepositoryCreationTemplate } from '@aws-sdk/client-ecr';
import type { Providers } from '../../../core/wire/service';
import { createTemplate, deleteTemplate, describeTemplates, updateTemplate, type Template } from '../model/templates';
import { registryResource } from './common';

/**
 * Repository creation templates.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepositoryCreationTemplate.html
 */

function toTemplate(t: Template): RepositoryCreationTemplate {
  return {
    prefix: t.prefix,
    ...(t.description !== undefined ? { description: t.description } : {}),
    ...(t.encryptionConfiguration ? { encryptionConfiguration: t.encryptionConfiguration as RepositoryCreationTemplate['encryptionConfiguration'] } : {}),
    resourceTags: t.resourceTags ?? [],
    ...(t.imageTagMutability !== undefined ? { imageTagMutability: t.imageTagMutability as ImageTagMutability } : {}),
    ...(t.imageTagMutabilityExclusionFilters
      ? { imageTagMutabilityExclusionFilters: t.imageTagMutabilityExclusionFilters as RepositoryCreationTemplate['imageTagMutabilityExclusionFilters'] }
      : {}),
    ...(t.repositoryPolicy !== undefined ? { repositoryPolicy: t.repositoryPolicy } : {}),
    ...(t.lifecyclePolicy !== undefined ? { lifecyclePolicy: t.lifecyclePolicy } : {}),
    appliedFor: t.appliedFor as RCTAppliedFor[],
    ...(t.customRoleArn !== undefined ? { customRoleArn: t.customRoleArn } : {}),
    createdAt: new Date(t.createdAtMs),
    updatedAt: new Date(t.updatedAtMs),
  };
}

export const templateProviders: Providers<ECR> = {
  CreateRepositoryCreationTemplate: {
    resource: registryResource,
    handler(input, ctx) {
      return { registryId: ctx.env.accountId, repositoryCreationTemplate: toTemplate(createTemplate(ctx.env, ctx.region, input)) };
    },
  },

  DescribeRepositoryCreationTemplates: {
    resource: registryResource,
    handler(input, ctx) {
      const page = describeTemplates(ctx.env, ctx.region, input);
      return {
        registryId: ctx.env.accountId,
        repositoryCreationTemplates: page.templates.map(toTemplate),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },
  },

  UpdateRepositoryCreationTemplate: {
    resource: registryResource,
    handler(input, ctx) {
      return { registryId: ctx.env.accountId, repositoryCreationTemplate: toTemplate(updateTemplate(ctx.env, ctx.region, input)) };
    },
  },

  DeleteRepositoryCreationTemplate: {
    resource: registryResource,
    handler(input, ctx) {
      return { registryId: ctx.env.accountId, repositoryCreationTemplate: toTemplate(deleteTemplate(ctx.env, ctx.region, input.prefix)) };
    },
  },
};
