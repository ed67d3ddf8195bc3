import type { ECRPUBLIC, ImageDetail, ImageFailure, Repository, RepositoryCatalogData } from '@aws-sdk/client-ecr-public';
import { AwsError } from '../../core/errors';
import { requestTagContext } from '../../core/policy';
import type { RequestContext } from '../../core/types';
import type { Providers } from '../../core/wire/service';
import { ImageProblem } from '../ecr/store';
import { loginToken } from './model/auth';
import { deleteImages, describeImages, describeImageTags, putImage, type ImageSummary } from './model/images';
import { checkLayers, completeLayerUpload, MAX_PART_BYTES, PART_SIZE, startUpload, sweepUploads, uploadLayerPart } from './model/layers';
import { checkRegistryRef, registry, registryArn, registryUri, repositoryArn, repositoryUri, setDisplayName } from './model/registry';
import {
  catalogDataOf,
  createRepository,
  deletePolicy,
  deleteRepository,
  describeRepositories,
  getPolicy,
  listTags,
  putCatalogData,
  requireRepository,
  setPolicy,
  tagResource,
  untagResource,
  type RepositoryRow,
  type StoredCatalogData,
} from './model/repositories';
import { logoUrl } from './registry/logos';

/** ECR Public's operations, one thin typed function each over the rules in model/. */

const host = (ctx: RequestContext) => (typeof ctx.headers.host === 'string' ? ctx.headers.host : undefined);

function toRepository(ctx: RequestContext, row: RepositoryRow): Repository {
  return {
    repositoryArn: repositoryArn(ctx.env, row.name),
    registryId: ctx.env.accountId,
    repositoryName: row.name,
    repositoryUri: repositoryUri(ctx.env, host(ctx), row.name),
    createdAt: new Date(row.created_at_ms),
  };
}

function toCatalogData(ctx: RequestContext, c: StoredCatalogData): RepositoryCatalogData {
  const { logoSha256, ...text } = c;
  // marketplaceCertified is AWS's own mark for Marketplace sellers; never set here.
  return { ...text, ...(logoSha256 ? { logoUrl: logoUrl(host(ctx), logoSha256) } : {}), marketplaceCertified: false };
}

function toImageDetail(ctx: RequestContext, s: ImageSummary): ImageDetail {
  return {
    registryId: ctx.env.accountId,
    repositoryName: s.repository_name,
    imageDigest: s.digest,
    ...(s.tags.length ? { imageTags: s.tags } : {}),
    imageSizeInBytes: s.size_bytes,
    imagePushedAt: new Date(s.pushed_at_ms),
    imageManifestMediaType: s.media_type,
    ...(s.artifact_media_type ? { artifactMediaType: s.artifact_media_type } : {}),
  };
}

/** Denials name the repository's ARN. */
const repositoryResource = (input: { repositoryName?: string }, ctx: RequestContext) =>
  input.repositoryName ? repositoryArn(ctx.env, input.repositoryName) : '*';
const registryResource = (_input: unknown, ctx: RequestContext) => registryArn(ctx.env);

/** The API's words for a manifest the model refuses. */
function imageError(p: ImageProblem): AwsError {
  switch (p.kind) {
    case 'blobs-missing':
      return new AwsError('LayersNotFoundException', p.message);
    case 'children-missing':
      return new AwsError('ReferencedImagesNotFoundException', p.message);
    case 'image-exists':
      return new AwsError('ImageAlreadyExistsException', p.message);
    case 'digest-mismatch':
      return new AwsError('ImageDigestDoesNotMatchException', p.message);
    default:
      return new AwsError('InvalidParameterException', `Invalid parameter at 'imageManifest' failed to satisfy constraint: '${p.message}'`);
  }
}

export const providers: Providers<ECRPUBLIC> = {
  CreateRepository: {
    accessChecks: (input, ctx) => [{ action: 'ecr-public:CreateRepository', resource: repositoryResource(input, ctx), context: requestTagContext(input.tags) }],
    async handler(input, ctx) {
      const row = await createRepository(ctx.env, { ...input, repositoryName: input.repositoryName! });
      return { repository: toRepository(ctx, row), catalogData: toCatalogData(ctx, catalogDataOf(row)) };
    },
  },

  DescribeRepositories: {
    // Each named repository is authorized on its own ARN; a listing of all of them on `*`.
    accessChecks: (input, ctx) =>
      input.repositoryNames?.length
        ? input.repositoryNames.map((repositoryName) => ({ action: 'ecr-public:DescribeRepositories', resource: repositoryResource({ repositoryName }, ctx) }))
        : [{ action: 'ecr-public:DescribeRepositories', resource: '*' }],
    handler(input, ctx) {
      const page = describeRepositories(ctx.env, input);
      return { repositories: page.repositories.map((r) => toRepository(ctx, r)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
  },

  DeleteRepository: {
    resource: repositoryResource,
    handler(input, ctx) {
      const row = deleteRepository(ctx.env, { ...input, repositoryName: input.repositoryName! });
      sweepUploads(ctx.env);
      return { repository: toRepository(ctx, row) };
    },
  },

  GetRepositoryCatalogData: {
    resource: repositoryResource,
    handler(input, ctx) {
      const row = requireRepository(ctx.env, input.repositoryName!, input.registryId);
      return { catalogData: toCatalogData(ctx, catalogDataOf(row)) };
    },
  },

  PutRepositoryCatalogData: {
    resource: repositoryResource,
    async handler(input, ctx) {
      const c = await putCatalogData(ctx.env, input.repositoryName!, input.registryId, input.catalogData ?? {});
      return { catalogData: toCatalogData(ctx, c) };
    },
  },

  GetRegistryCatalogData: {
    resource: registryResource,
    handler(_input, ctx) {
      const r = registry(ctx.env);
      return { registryCatalogData: r.display_name !== null ? { displayName: r.display_name } : {} };
    },
  },

  PutRegistryCatalogData: {
    resource: registryResource,
    handler(input, ctx) {
      const r = setDisplayName(ctx.env, input.displayName);
      return { registryCatalogData: r.display_name !== null ? { displayName: r.display_name } : {} };
    },
  },

  /**
   * The account's one registry with its default alias. `verified` is the
   * Gallery's "verified account" badge, which AWS grants on request only.
   * https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_DescribeRegistries.html
   */
  DescribeRegistries: {
    resource: registryResource,
    handler(_input, ctx) {
      const r = registry(ctx.env);
      // No registry is listed before the first repository gives it an alias.
      if (r.alias === null) return { registries: [] };
      return {
        registries: [
          {
            registryId: r.registry_id,
            registryArn: registryArn(ctx.env),
            registryUri: registryUri(ctx.env, host(ctx)),
            verified: false,
            aliases: [{ name: r.alias, status: 'ACTIVE', primaryRegistryAlias: true, defaultRegistryAlias: true }],
          },
        ],
      };
    },
  },

  GetAuthorizationToken: {
    resource: registryResource,
    handler(_input, ctx) {
      // Only a signed caller reaches a provider.
      return { authorizationData: loginToken(ctx.env, ctx.principal!) };
    },
  },

  DescribeImages: {
    resource: repositoryResource,
    handler(input, ctx) {
      const page = describeImages(ctx.env, { ...input, repositoryName: input.repositoryName! });
      return { imageDetails: page.images.map((s) => toImageDetail(ctx, s)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
  },

  DescribeImageTags: {
    resource: repositoryResource,
    handler(input, ctx) {
      const page = describeImageTags(ctx.env, { ...input, repositoryName: input.repositoryName! });
      return {
        imageTagDetails: page.tags.map((t) => {
          // ReferencedImageDetail: an ImageDetail without the repository and tag members.
          const d = toImageDetail(ctx, { ...t.image, tags: [] });
          const imageDetail = {
            imageDigest: d.imageDigest,
            imageSizeInBytes: d.imageSizeInBytes,
            imagePushedAt: d.imagePushedAt,
            imageManifestMediaType: d.imageManifestMediaType,
            ...(d.artifactMediaType ? { artifactMediaType: d.artifactMediaType } : {}),
          };
          return { imageTag: t.tag, createdAt: new Date(t.createdAtMs), imageDetail };
        }),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },
  },

  BatchDeleteImage: {
    resource: repositoryResource,
    handler(input, ctx) {
      const out = deleteImages(ctx.env, input.repositoryName!, input.registryId, input.imageIds ?? []);
      // The model's failure codes are what resolve() produces; the SDK types them as its enum.
      return { imageIds: out.deleted, failures: out.failures as ImageFailure[] };
    },
  },

  SetRepositoryPolicy: {
    resource: repositoryResource,
    handler(input, ctx) {
      const policyText = setPolicy(ctx.env, input.repositoryName!, input.registryId, input.policyText!);
      return { registryId: ctx.env.accountId, repositoryName: input.repositoryName, policyText };
    },
  },

  GetRepositoryPolicy: {
    resource: repositoryResource,
    handler(input, ctx) {
      const policyText = getPolicy(ctx.env, input.repositoryName!, input.registryId);
      return { registryId: ctx.env.accountId, repositoryName: input.repositoryName, policyText };
    },
  },

  DeleteRepositoryPolicy: {
    resource: repositoryResource,
    handler(input, ctx) {
      const policyText = deletePolicy(ctx.env, input.repositoryName!, input.registryId);
      return { registryId: ctx.env.accountId, repositoryName: input.repositoryName, policyText };
    },
  },

  TagResource: {
    accessChecks: (input) => [{ action: 'ecr-public:TagResource', resource: input.resourceArn ?? '*', context: requestTagContext(input.tags) }],
    handler(input, ctx) {
      tagResource(ctx.env, input.resourceArn!, input.tags ?? []);
      return {};
    },
  },

  UntagResource: {
    accessChecks: (input) => [{ action: 'ecr-public:UntagResource', resource: input.resourceArn ?? '*', context: requestTagContext(undefined, input.tagKeys) }],
    handler(input, ctx) {
      untagResource(ctx.env, input.resourceArn!, input.tagKeys ?? []);
      return {};
    },
  },

  ListTagsForResource: {
    resource: (input) => input.resourceArn ?? '*',
    handler(input, ctx) {
      return { tags: listTags(ctx.env, input.resourceArn!) };
    },
  },

  InitiateLayerUpload: {
    resource: repositoryResource,
    handler(input, ctx) {
      checkRegistryRef(ctx.env, input.registryId);
      return { uploadId: startUpload(ctx.env, input.repositoryName!), partSize: PART_SIZE };
    },
  },

  UploadLayerPart: {
    resource: repositoryResource,
    // A part of up to the model's 20 MiB LayerPartBlob arrives base64-encoded inside JSON.
    maxBodyBytes: Math.ceil((MAX_PART_BYTES * 4) / 3) + 64 * 1024,
    async handler(input, ctx) {
      checkRegistryRef(ctx.env, input.registryId);
      const repositoryName = input.repositoryName!;
      const lastByteReceived = await uploadLayerPart(ctx.env, repositoryName, {
        uploadId: input.uploadId!,
        partFirstByte: input.partFirstByte!,
        partLastByte: input.partLastByte!,
        layerPartBlob: input.layerPartBlob!,
      });
      return { registryId: ctx.env.accountId, repositoryName, uploadId: input.uploadId!.toLowerCase(), lastByteReceived };
    },
  },

  CompleteLayerUpload: {
    resource: repositoryResource,
    async handler(input, ctx) {
      checkRegistryRef(ctx.env, input.registryId);
      const repositoryName = input.repositoryName!;
      const layerDigest = await completeLayerUpload(ctx.env, repositoryName, { uploadId: input.uploadId!, layerDigests: input.layerDigests! });
      return { registryId: ctx.env.accountId, repositoryName, uploadId: input.uploadId!.toLowerCase(), layerDigest };
    },
  },

  BatchCheckLayerAvailability: {
    resource: repositoryResource,
    handler(input, ctx) {
      checkRegistryRef(ctx.env, input.registryId);
      return checkLayers(ctx.env, input.repositoryName!, input.registryId, input.layerDigests!);
    },
  },

  PutImage: {
    resource: repositoryResource,
    // A manifest of up to the model's 4 MiB ImageManifest, JSON-escaped inside JSON.
    maxBodyBytes: 6 * 1024 * 1024,
    handler(input, ctx) {
      checkRegistryRef(ctx.env, input.registryId);
      const repositoryName = input.repositoryName!;
      try {
        const r = putImage(ctx.env, {
          repository: repositoryName,
          manifest: input.imageManifest!,
          mediaType: input.imageManifestMediaType,
          tag: input.imageTag,
          digest: input.imageDigest,
          idempotent: false,
        });
        return {
          image: {
            registryId: ctx.env.accountId,
            repositoryName,
            imageId: { imageDigest: r.digest, ...(input.imageTag !== undefined ? { imageTag: input.imageTag } : {}) },
            imageManifest: input.imageManifest,
            imageManifestMediaType: r.mediaType,
          },
        };
      } catch (err) {
        if (err instanceof ImageProblem) throw imageError(err);
        throw err;
      }
    },
  },
};
