import { applyMigrations } from '../../core/db';
import * as schemas from '@aws-sdk/client-s3/dist-es/schemas/schemas_0.js';
import type { OperationDefinition, RequestContext, RestRoute } from '../../core/types';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import {
  abortMultipartUploadHandler,
  completeMultipartUploadHandler,
  createMultipartUploadHandler,
  listMultipartUploadsHandler,
  listPartsHandler,
  uploadPartCopyHandler,
  uploadPartHandler,
} from './multipart';
import { deleteObjectTaggingHandler, getObjectTaggingHandler, putObjectTaggingHandler } from './object-tags';
import {
  copyObjectHandler,
  deleteObjectHandler,
  deleteObjectsHandler,
  getObjectHandler,
  listObjectVersionsHandler,
  listObjectsHandler,
  listObjectsV2Handler,
  putObjectHandler,
} from './objects';
import { serveCors } from './cors-preflight';
import { accessProviders } from './provider/access';
import { bucketConfigProviders } from './provider/bucket-config';
import { objectProviders } from './provider/objects';
import { anonymousAllowed } from './model/public-access';
import { bucketProviders } from './provider/buckets';
import { seedS3 } from './seed';
import { serveWebsite, websiteTarget } from './website';
import { toPathStyle } from './names';
import { S3_NS } from './namespace';
import { S3_MIGRATIONS } from './schema';

/** Anonymous access: allowed when the bucket policy grants everyone `action` and Block Public Access allows it. */
function publicFor(action: (ctx: RequestContext) => string, resource: (ctx: RequestContext) => string) {
  return (ctx: RequestContext) => anonymousAllowed(ctx.env.db, ctx.params.Bucket ?? '', action(ctx), resource(ctx));
}

const objectArn = (ctx: RequestContext) => `arn:aws:s3:::${ctx.params.Bucket ?? ''}/${ctx.params.Key ?? ''}`;
const bucketArn = (ctx: RequestContext) => `arn:aws:s3:::${ctx.params.Bucket ?? ''}`;
const bucketResource = (ctx: RequestContext) => (ctx.params.Bucket ? bucketArn(ctx) : '*');
const readAction = (ctx: RequestContext) => (ctx.query.has('versionId') ? 's3:GetObjectVersion' : 's3:GetObject');

type Route = RestRoute;
function op(
  name: string,
  write: boolean,
  http: Route,
  handler: OperationDefinition['handler'],
  extra: Partial<OperationDefinition> = {},
): OperationDefinition {
  return {
    name,
    write,
    http,
    resource: http.path.includes('{Key+}') ? objectArn : bucketResource,
    ...extra,
    handler,
  };
}

const B = '/{Bucket}';
const K = '/{Bucket}/{Key+}';

const model = loadServiceModel(schemas, {
  protocol: 'restXml',
  version: '2006-03-01',
  xmlNamespace: S3_NS,
  hostLabelsFirst: true,
});

export const s3 = defineModelService({
  name: 's3',
  signingName: 's3',
  model,
  xmlFlavor: 's3',
  providers: { ...bucketProviders, ...bucketConfigProviders, ...accessProviders, ...objectProviders },
  anonymousAllowed: true,
  rewritePath: toPathStyle,
  serveRaw: (env, req, res, info) => (websiteTarget(info.host, info.path) ? serveWebsite(env, req, res, info) : serveCors(env, req, res, info)),
  legacy: [
    op('ListObjects', false, { method: 'GET', path: B }, listObjectsHandler, {
      iamAction: 's3:ListBucket',
      allowAnonymous: publicFor(() => 's3:ListBucket', bucketArn),
    }),
    op('ListObjectsV2', false, { method: 'GET', path: B, query: { 'list-type': '2' } }, listObjectsV2Handler, {
      iamAction: 's3:ListBucket',
      allowAnonymous: publicFor(() => 's3:ListBucket', bucketArn),
    }),
    op('ListObjectVersions', false, { method: 'GET', path: B, query: { versions: true } }, listObjectVersionsHandler, {
      iamAction: 's3:ListBucketVersions',
      allowAnonymous: publicFor(() => 's3:ListBucketVersions', bucketArn),
    }),
    op('DeleteObjects', true, { method: 'POST', path: B, query: { delete: true } }, deleteObjectsHandler, { iamAction: 's3:DeleteObject' }),

    op('PutObject', true, { method: 'PUT', path: K }, putObjectHandler, { streamBody: true }),
    op('CopyObject', true, { method: 'PUT', path: K, headers: ['x-amz-copy-source'] }, copyObjectHandler, { iamAction: 's3:PutObject' }),
    op('GetObject', false, { method: 'GET', path: K }, getObjectHandler, {
      iamAction: 's3:GetObject',
      allowAnonymous: publicFor(readAction, objectArn),
    }),
    op('HeadObject', false, { method: 'HEAD', path: K }, getObjectHandler, {
      iamAction: 's3:GetObject',
      allowAnonymous: publicFor(readAction, objectArn),
    }),
    op('DeleteObject', true, { method: 'DELETE', path: K }, deleteObjectHandler),
    op('GetObjectTagging', false, { method: 'GET', path: K, query: { tagging: true } }, getObjectTaggingHandler, {
      iamAction: 's3:GetObjectTagging',
    }),
    op('PutObjectTagging', true, { method: 'PUT', path: K, query: { tagging: true } }, putObjectTaggingHandler, {
      iamAction: 's3:PutObjectTagging',
    }),
    op('DeleteObjectTagging', true, { method: 'DELETE', path: K, query: { tagging: true } }, deleteObjectTaggingHandler, {
      iamAction: 's3:DeleteObjectTagging',
    }),

    op('CreateMultipartUpload', true, { method: 'POST', path: K, query: { uploads: true } }, createMultipartUploadHandler, { iamAction: 's3:PutObject' }),
    op('UploadPart', true, { method: 'PUT', path: K, query: { partNumber: true, uploadId: true } }, uploadPartHandler, {
      iamAction: 's3:PutObject',
      streamBody: true,
    }),
    // The copy header is what tells UploadPartCopy from UploadPart (the more specific route wins).
    op(
      'UploadPartCopy',
      true,
      { method: 'PUT', path: K, query: { partNumber: true, uploadId: true }, headers: ['x-amz-copy-source'] },
      uploadPartCopyHandler,
      { iamAction: 's3:PutObject' },
    ),
    op('CompleteMultipartUpload', true, { method: 'POST', path: K, query: { uploadId: true } }, completeMultipartUploadHandler, {
      iamAction: 's3:PutObject',
      maxBodyBytes: 4 * 1024 * 1024,
    }),
    op('AbortMultipartUpload', true, { method: 'DELETE', path: K, query: { uploadId: true } }, abortMultipartUploadHandler),
    op('ListParts', false, { method: 'GET', path: K, query: { uploadId: true } }, listPartsHandler, { iamAction: 's3:ListMultipartUploadParts' }),
    op('ListMultipartUploads', false, { method: 'GET', path: B, query: { uploads: true } }, listMultipartUploadsHandler, {
      iamAction: 's3:ListBucketMultipartUploads',
    }),

  ],
  migrate(db) {
    applyMigrations(db, 's3', S3_MIGRATIONS);
  },
  seed: seedS3,
});

export { evaluateBucketPolicy, isPolicyPublic, type PolicyDecision, type PolicyPrincipal, type PolicyRequest } from './model/policy';
export { anonymousAllowed, publicAccessBlockOf } from './model/public-access';
export { policyOf } from './model/bucket-policy';
export { websitePathUrl, websiteUrl } from './website';
