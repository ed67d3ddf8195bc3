import { applyMigrations } from '../../core/db';
import * as schemas from '@aws-sdk/client-s3/dist-es/schemas/schemas_0.js';
import type { OperationDefinition, RequestContext, RestRoute } from '../../core/types';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import {
  bucketResource,
  createBucketHandler,
  deleteBucketHandler,
  getBucketLocationHandler,
  headBucketHandler,
  listBucketsHandler,
} from './buckets';
import {
  anonymousAllowed,
  deleteBucketPolicyHandler,
  deleteBucketTaggingHandler,
  deleteBucketWebsiteHandler,
  deletePublicAccessBlockHandler,
  getBucketPolicyHandler,
  getBucketPolicyStatusHandler,
  getBucketTaggingHandler,
  getBucketVersioningHandler,
  getBucketWebsiteHandler,
  getPublicAccessBlockHandler,
  putBucketPolicyHandler,
  putBucketTaggingHandler,
  putBucketVersioningHandler,
  putBucketWebsiteHandler,
  putPublicAccessBlockHandler,
} from './config';
import { deleteBucketEncryptionHandler, getBucketEncryptionHandler, putBucketEncryptionHandler } from './encryption';
import { serveCors } from './cors-preflight';
import { accessProviders } from './provider/access';
import { bucketConfigProviders } from './provider/bucket-config';
import { multipartProviders } from './provider/multipart';
import { objectProviders } from './provider/objects';
import { seedS3 } from './seed';
import { serveWebsite, websiteTarget } from './website';
import { toPathStyle } from './names';
import { S3_MIGRATIONS } from './schema';

/** Anonymous access: allowed when the bucket policy grants everyone `action` and Block Public Access allows it. */
function publicFor(action: (ctx: RequestContext) => string, resource: (ctx: RequestContext) => string) {
  return (ctx: RequestContext) => anonymousAllowed(ctx.env.db, ctx.params.Bucket ?? '', action(ctx), resource(ctx));
}

const objectArn = (ctx: RequestContext) => `arn:aws:s3:::${ctx.params.Bucket ?? ''}/${ctx.params.Key ?? ''}`;
const bucketArn = (ctx: RequestContext) => `arn:aws:s3:::${ctx.params.Bucket ?? ''}`;

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

const model = loadServiceModel(schemas, {
  protocol: 'restXml',
  version: '2006-03-01',
  xmlNamespace: 'http://s3.amazonaws.com/doc/2006-03-01/',
  hostLabelsFirst: true,
});

export const s3 = defineModelService({
  name: 's3',
  signingName: 's3',
  model,
  xmlFlavor: 's3',
  providers: { ...bucketConfigProviders, ...accessProviders, ...objectProviders, ...multipartProviders },
  anonymousAllowed: true,
  rewritePath: toPathStyle,
  serveRaw: (env, req, res, info) => (websiteTarget(info.host, info.path) ? serveWebsite(env, req, res, info) : serveCors(env, req, res, info)),
  legacy: [
    op('ListBuckets', false, { method: 'GET', path: '/' }, listBucketsHandler, { iamAction: 's3:ListAllMyBuckets', resource: undefined }),
    op('CreateBucket', true, { method: 'PUT', path: B }, createBucketHandler),
    op('HeadBucket', false, { method: 'HEAD', path: B }, headBucketHandler, {
      iamAction: 's3:ListBucket',
      allowAnonymous: publicFor(() => 's3:ListBucket', bucketArn),
    }),
    op('GetBucketLocation', false, { method: 'GET', path: B, query: { location: true } }, getBucketLocationHandler),
    op('DeleteBucket', true, { method: 'DELETE', path: B }, deleteBucketHandler),

    op('GetBucketVersioning', false, { method: 'GET', path: B, query: { versioning: true } }, getBucketVersioningHandler),
    op('PutBucketVersioning', true, { method: 'PUT', path: B, query: { versioning: true } }, putBucketVersioningHandler),
    op('GetBucketWebsite', false, { method: 'GET', path: B, query: { website: true } }, getBucketWebsiteHandler),
    op('PutBucketWebsite', true, { method: 'PUT', path: B, query: { website: true } }, putBucketWebsiteHandler),
    op('DeleteBucketWebsite', true, { method: 'DELETE', path: B, query: { website: true } }, deleteBucketWebsiteHandler),
    op('GetBucketPolicy', false, { method: 'GET', path: B, query: { policy: true } }, getBucketPolicyHandler),
    op('PutBucketPolicy', true, { method: 'PUT', path: B, query: { policy: true } }, putBucketPolicyHandler, { maxBodyBytes: 20 * 1024 }),
    op('DeleteBucketPolicy', true, { method: 'DELETE', path: B, query: { policy: true } }, deleteBucketPolicyHandler),
    op('GetBucketPolicyStatus', false, { method: 'GET', path: B, query: { policyStatus: true } }, getBucketPolicyStatusHandler),
    op('GetPublicAccessBlock', false, { method: 'GET', path: B, query: { publicAccessBlock: true } }, getPublicAccessBlockHandler, {
      iamAction: 's3:GetBucketPublicAccessBlock',
    }),
    op('PutPublicAccessBlock', true, { method: 'PUT', path: B, query: { publicAccessBlock: true } }, putPublicAccessBlockHandler, {
      iamAction: 's3:PutBucketPublicAccessBlock',
    }),
    op('DeletePublicAccessBlock', true, { method: 'DELETE', path: B, query: { publicAccessBlock: true } }, deletePublicAccessBlockHandler, {
      iamAction: 's3:PutBucketPublicAccessBlock',
    }),
    op('GetBucketEncryption', false, { method: 'GET', path: B, query: { encryption: true } }, getBucketEncryptionHandler, {
      iamAction: 's3:GetEncryptionConfiguration',
    }),
    op('PutBucketEncryption', true, { method: 'PUT', path: B, query: { encryption: true } }, putBucketEncryptionHandler, {
      iamAction: 's3:PutEncryptionConfiguration',
    }),
    op('DeleteBucketEncryption', true, { method: 'DELETE', path: B, query: { encryption: true } }, deleteBucketEncryptionHandler, {
      iamAction: 's3:PutEncryptionConfiguration',
    }),
    op('GetBucketTagging', false, { method: 'GET', path: B, query: { tagging: true } }, getBucketTaggingHandler),
    op('PutBucketTagging', true, { method: 'PUT', path: B, query: { tagging: true } }, putBucketTaggingHandler),
    op('DeleteBucketTagging', true, { method: 'DELETE', path: B, query: { tagging: true } }, deleteBucketTaggingHandler, {
      iamAction: 's3:PutBucketTagging',
    }),
  ],
  migrate(db) {
    applyMigrations(db, 's3', S3_MIGRATIONS);
  },
  seed: seedS3,
});

export { evaluateBucketPolicy, isPolicyPublic, type PolicyDecision, type PolicyPrincipal, type PolicyRequest } from './policy';
export { websitePathUrl, websiteUrl } from './website';
