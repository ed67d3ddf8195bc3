import { applyMigrations } from '../../core/db';
import * as schemas from '@aws-sdk/client-ecr/dist-es/schemas/schemas_0.js';
import type { OperationDefinition, RequestContext, ServiceDefinition } from '../../core/types';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { getAuthorizationTokenHandler } from './auth';
import {
  batchDeleteImageHandler,
  batchGetImageHandler,
  describeImagesHandler,
  listImagesHandler,
  putImageHandler,
} from './images';
import {
  batchCheckLayerAvailabilityHandler,
  completeLayerUploadHandler,
  getDownloadUrlForLayerHandler,
  initiateLayerUploadHandler,
  MAX_PART_BYTES,
  sweepUploads,
  uploadLayerPartHandler,
} from './layers';
import {
  deleteLifecyclePolicyHandler,
  getLifecyclePolicyHandler,
  getLifecyclePolicyPreviewHandler,
  putLifecyclePolicyHandler,
  startLifecyclePolicyPreviewHandler,
} from './lifecycle';
import { ecrProtocol } from './protocol';
import { registryOperation } from './registry';
import {
  createRepositoryHandler,
  deleteRepositoryHandler,
  describeRepositoriesHandler,
  repositoryResource,
} from './repositories';
import { describeImageScanFindingsHandler, startImageScanHandler } from './scanning';
import { ECR_MIGRATIONS } from './schema';
import { seedEcr } from './seed';
import {
  arnResource,
  deleteRepositoryPolicyHandler,
  getRepositoryPolicyHandler,
  listTagsForResourceHandler,
  putImageScanningConfigurationHandler,
  putImageTagMutabilityHandler,
  setRepositoryPolicyHandler,
  tagResourceHandler,
  untagResourceHandler,
} from './settings';

/** A repository-scoped operation: access-denied messages name the repository's ARN. */
function op(name: string, write: boolean, handler: OperationDefinition['handler'], extra: Partial<OperationDefinition> = {}): OperationDefinition {
  return { name, write, resource: repositoryResource, handler, ...extra };
}

function deleteRepositoryAndUploads(ctx: RequestContext) {
  const reply = deleteRepositoryHandler(ctx);
  // Partial uploads of the deleted repository lose their rows by cascade; drop their files too.
  sweepUploads(ctx.env);
  return reply;
}

const model = loadServiceModel(schemas, {
  protocol: 'awsJson1_1',
  version: '2015-09-21',
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
});

const api = defineModelService({
  name: 'ecr',
  signingName: 'ecr',
  model,
  providers: {},
  // The Docker registry API (docker/skopeo push and pull) shares the port. Only `/v2/`:
  // a bare `/v2` prefix would also capture path-style S3 buckets such as `v2-assets`.
  pathPrefixes: ['/v2/'],
  legacy: [
    op('CreateRepository', true, createRepositoryHandler),
    { name: 'DescribeRepositories', write: false, handler: describeRepositoriesHandler },
    op('DeleteRepository', true, deleteRepositoryAndUploads),
    op('PutImageTagMutability', true, putImageTagMutabilityHandler),
    op('PutImageScanningConfiguration', true, putImageScanningConfigurationHandler),
    { name: 'TagResource', write: true, resource: arnResource, handler: tagResourceHandler },
    { name: 'UntagResource', write: true, resource: arnResource, handler: untagResourceHandler },
    { name: 'ListTagsForResource', write: false, handler: listTagsForResourceHandler },

    op('DescribeImages', false, describeImagesHandler),
    op('ListImages', false, listImagesHandler),
    op('BatchGetImage', false, batchGetImageHandler),
    op('BatchDeleteImage', true, batchDeleteImageHandler),
    // PutImage carries a manifest of up to 4 MiB.
    op('PutImage', true, putImageHandler, { maxBodyBytes: 6 * 1024 * 1024 }),
    op('InitiateLayerUpload', true, initiateLayerUploadHandler),
    // A part of up to 20 MiB arrives base64-encoded inside JSON.
    op('UploadLayerPart', true, uploadLayerPartHandler, { maxBodyBytes: Math.ceil((MAX_PART_BYTES * 4) / 3) + 64 * 1024 }),
    op('CompleteLayerUpload', true, completeLayerUploadHandler),
    op('BatchCheckLayerAvailability', false, batchCheckLayerAvailabilityHandler),
    op('GetDownloadUrlForLayer', false, getDownloadUrlForLayerHandler),

    { name: 'GetAuthorizationToken', write: false, handler: getAuthorizationTokenHandler },
    op('SetRepositoryPolicy', true, setRepositoryPolicyHandler),
    op('GetRepositoryPolicy', false, getRepositoryPolicyHandler),
    op('DeleteRepositoryPolicy', true, deleteRepositoryPolicyHandler),
    op('PutLifecyclePolicy', true, putLifecyclePolicyHandler),
    op('GetLifecyclePolicy', false, getLifecyclePolicyHandler),
    op('DeleteLifecyclePolicy', true, deleteLifecyclePolicyHandler),
    op('StartLifecyclePolicyPreview', true, startLifecyclePolicyPreviewHandler),
    op('GetLifecyclePolicyPreview', false, getLifecyclePolicyPreviewHandler),

    op('StartImageScan', true, startImageScanHandler),
    op('DescribeImageScanFindings', false, describeImageScanFindingsHandler),
  ],
  migrate(db) {
    applyMigrations(db, 'ecr', ECR_MIGRATIONS);
  },
  seed: seedEcr,
});

/** The ECR API, plus the Docker registry API on `/v2/`, which is not AWS's API and keeps its own shapes. */
export const ecr: ServiceDefinition = { ...api, protocol: ecrProtocol(registryOperation, api.protocol) };
