import type { ECR } from '@aws-sdk/client-ecr';
import { AwsError } from '../../../core/errors';
import type { Providers } from '../../../core/wire/service';
import { authorizationData, selfUrl } from '../auth';
import { checkLayers, completeLayerUpload, downloadUrlForLayer, initiateLayerUpload, MAX_PART_BYTES, uploadLayerPart } from '../layers';
import { ruleForRepository } from '../model/pull-through';
import { getRepository } from '../repositories';
import { checkRepositoryRef } from '../settings';
import { repositoryResource } from './common';

/** Layer uploads and downloads through the API, and registry credentials. */
export const layerProviders: Providers<ECR> = {
  InitiateLayerUpload: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      return initiateLayerUpload(ctx.env, ctx.region, repositoryName);
    },
  },

  UploadLayerPart: {
    resource: repositoryResource,
    // A part of up to 20 MiB arrives base64-encoded inside JSON.
    maxBodyBytes: Math.ceil((MAX_PART_BYTES * 4) / 3) + 64 * 1024,
    async handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const r = await uploadLayerPart(ctx.env, ctx.region, repositoryName, input);
      return { registryId: ctx.env.accountId, repositoryName, ...r };
    },
  },

  CompleteLayerUpload: {
    resource: repositoryResource,
    async handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const r = await completeLayerUpload(ctx.env, ctx.region, repositoryName, input);
      return { registryId: ctx.env.accountId, repositoryName, ...r };
    },
  },

  BatchCheckLayerAvailability: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      return checkLayers(ctx.env, ctx.region, repositoryName, input.layerDigests);
    },
  },

  GetDownloadUrlForLayer: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      if (!getRepository(ctx.env.db, ctx.region, repositoryName)) {
        // A layer of a pull through cache repository not cached yet would come from the upstream.
        const rule = ruleForRepository(ctx.env, ctx.region, repositoryName);
        if (rule) {
          throw new AwsError(
            'UnableToGetUpstreamLayerException',
            `The layer could not be fetched from the upstream registry '${rule.upstreamRegistryUrl}' of the pull through cache rule '${rule.ecrRepositoryPrefix}': the Berth emulator cannot reach upstream registries.`,
          );
        }
      }
      const downloadUrl = downloadUrlForLayer(ctx.env, selfUrl(ctx), ctx.region, repositoryName, input.layerDigest);
      return { downloadUrl, layerDigest: input.layerDigest };
    },
  },

  GetAuthorizationToken(input, ctx) {
    if (!ctx.principal) throw new Error('GetAuthorizationToken reached without a principal');
    const data = authorizationData(ctx.env, ctx.principal, ctx.region, selfUrl(ctx), input.registryIds);
    return {
      authorizationData: data.map((d) => ({
        authorizationToken: d.authorizationToken,
        expiresAt: new Date(d.expiresAtMs),
        proxyEndpoint: d.proxyEndpoint,
      })),
    };
  },
};
