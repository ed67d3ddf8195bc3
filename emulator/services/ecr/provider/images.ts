import type { ECR, ImageDetail, ImageFailureCode, ImageScanStatus } from '@aws-sdk/client-ecr';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import type { Providers } from '../../../core/wire/service';
import { batchDeleteImages, batchGetImages, describeImages, listImages, putImageApi } from '../images';
import { ruleForRepository } from '../model/pull-through';
import { replicationStatuses } from '../model/replication';
import { getRepository } from '../repositories';
import { findingsFor, locateImage, scanFindings, scanState, severityCounts, sourceUpdatedMs, startImageScan, type ScanState } from '../scanning';
import { checkRepositoryRef } from '../settings';
import type { ImageSummary } from '../store';
import { repositoryResource } from './common';

/** Images: push (PutImage), listings, pulls (BatchGetImage), deletion and scans. */

function scanStatus(st: ScanState): ImageScanStatus {
  return { status: st.status, description: st.description };
}

function toImageDetail(env: EmulatorEnv, img: ImageSummary): ImageDetail {
  const st = scanState(env, img);
  return {
    registryId: env.accountId,
    repositoryName: img.repository_name,
    imageDigest: img.digest,
    ...(img.tags.length ? { imageTags: img.tags } : {}),
    imagePushedAt: new Date(img.pushed_at_ms),
    imageSizeInBytes: img.size_bytes,
    imageManifestMediaType: img.media_type,
    ...(img.artifact_media_type ? { artifactMediaType: img.artifact_media_type } : {}),
    ...(img.last_pull_ms !== null ? { lastRecordedPullTime: new Date(img.last_pull_ms) } : {}),
    imageStatus: 'ACTIVE',
    ...(st ? { imageScanStatus: scanStatus(st) } : {}),
    ...(st?.status === 'COMPLETE' && st.completedAtMs !== undefined
      ? {
          imageScanFindingsSummary: {
            imageScanCompletedAt: new Date(st.completedAtMs),
            vulnerabilitySourceUpdatedAt: new Date(sourceUpdatedMs(st.completedAtMs)),
            findingSeverityCounts: severityCounts(findingsFor(img.digest)),
          },
        }
      : {}),
  };
}

/**
 * A repository under a pull through cache rule that is not in the registry
 * yet would be created by fetching from the upstream, which the emulator
 * cannot reach: answer as ECR does when the upstream fails.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchGetImage.html
 */
function checkUpstream(env: EmulatorEnv, region: string, repo: string): void {
  if (getRepository(env.db, region, repo)) return;
  const rule = ruleForRepository(env, region, repo);
  if (!rule) return;
  throw new AwsError(
    'UnableToGetUpstreamImageException',
    `The image could not be pulled from the upstream registry '${rule.upstreamRegistryUrl}' of the pull through cache rule '${rule.ecrRepositoryPrefix}': the Berth emulator cannot reach upstream registries.`,
  );
}

export const imageProviders: Providers<ECR> = {
  PutImage: {
    resource: repositoryResource,
    // A manifest of up to 4 MiB, escaped inside JSON.
    maxBodyBytes: 6 * 1024 * 1024,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const r = putImageApi(ctx.env, ctx.region, repositoryName, input);
      return {
        image: {
          registryId: ctx.env.accountId,
          repositoryName,
          imageId: { imageDigest: r.digest, ...(input.imageTag !== undefined ? { imageTag: input.imageTag } : {}) },
          imageManifest: input.imageManifest,
          imageManifestMediaType: r.mediaType,
        },
      };
    },
  },

  DescribeImages: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const page = describeImages(ctx.env, ctx.region, repositoryName, { ...input, tagStatus: input.filter?.tagStatus });
      return { imageDetails: page.images.map((i) => toImageDetail(ctx.env, i)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
  },

  ListImages: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const page = listImages(ctx.env, ctx.region, repositoryName, { ...input, tagStatus: input.filter?.tagStatus });
      return { imageIds: page.ids, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
  },

  BatchGetImage: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      checkUpstream(ctx.env, ctx.region, repositoryName);
      const out = batchGetImages(ctx.env, ctx.region, repositoryName, input);
      return {
        images: out.images.map((i) => ({
          registryId: ctx.env.accountId,
          repositoryName,
          imageId: i.imageId,
          imageManifest: i.manifest,
          imageManifestMediaType: i.mediaType,
        })),
        failures: out.failures.map((f) => ({ ...f, failureCode: f.failureCode as ImageFailureCode })),
      };
    },
  },

  BatchDeleteImage: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const out = batchDeleteImages(ctx.env, ctx.region, repositoryName, input.imageIds);
      return { imageIds: out.deleted, failures: out.failures.map((f) => ({ ...f, failureCode: f.failureCode as ImageFailureCode })) };
    },
  },

  StartImageScan: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const { image, state } = startImageScan(ctx.env, ctx.region, repositoryName, input.imageId);
      return {
        registryId: ctx.env.accountId,
        repositoryName,
        imageId: { imageDigest: image.digest, ...(input.imageId?.imageTag !== undefined ? { imageTag: input.imageId.imageTag } : {}) },
        imageScanStatus: scanStatus(state),
      };
    },
  },

  DescribeImageScanFindings: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const page = scanFindings(ctx.env, ctx.region, repositoryName, input);
      const c = page.complete;
      return {
        registryId: ctx.env.accountId,
        repositoryName,
        imageId: { imageDigest: page.image.digest, ...(input.imageId?.imageTag !== undefined ? { imageTag: input.imageId.imageTag } : {}) },
        imageScanStatus: scanStatus(page.state),
        ...(c
          ? {
              imageScanFindings: {
                imageScanCompletedAt: new Date(c.completedAtMs),
                vulnerabilitySourceUpdatedAt: new Date(c.sourceUpdatedAtMs),
                findingSeverityCounts: c.counts,
                findings: c.findings,
              },
              ...(c.nextToken ? { nextToken: c.nextToken } : {}),
            }
          : {}),
      };
    },
  },

  // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImageReplicationStatus.html
  DescribeImageReplicationStatus: {
    resource: repositoryResource,
    handler(input, ctx) {
      const repositoryName = checkRepositoryRef(input);
      const image = locateImage(ctx.env, ctx.region, repositoryName, input.imageId);
      return {
        repositoryName,
        imageId: { imageDigest: image.digest, ...(input.imageId?.imageTag !== undefined ? { imageTag: input.imageId.imageTag } : {}) },
        replicationStatuses: replicationStatuses(ctx.env, ctx.region, repositoryName, image.digest),
      };
    },
  },
};
