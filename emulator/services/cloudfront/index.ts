import { applyMigrations } from '../../core/db';
import * as schemas from '@aws-sdk/client-cloudfront/dist-es/schemas/schemas_0.js';
import type { OperationDefinition, RequestContext, RestRoute } from '../../core/types';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { API } from './common';
import {
  createDistributionHandler,
  createDistributionWithTagsHandler,
  deleteDistributionHandler,
  getDistributionConfigHandler,
  getDistributionHandler,
  listDistributionsHandler,
  updateDistributionHandler,
} from './distributions';
import { edgeDomain, serveEdge } from './edge';
import { createInvalidationHandler, getInvalidationHandler, listInvalidationsHandler } from './invalidations';
import {
  createOaiHandler,
  createOriginAccessControlHandler,
  deleteOaiHandler,
  deleteOriginAccessControlHandler,
  getOaiConfigHandler,
  getOaiHandler,
  getOriginAccessControlConfigHandler,
  getOriginAccessControlHandler,
  listOaisHandler,
  listOriginAccessControlsHandler,
  updateOaiHandler,
  updateOriginAccessControlHandler,
} from './origin-access';
import { CLOUDFRONT_MIGRATIONS } from './schema';
import { seedCloudFront } from './seed';
import { listTagsForResourceHandler, tagResourceHandler, untagResourceHandler } from './tagging';

const arn = (kind: string) => (ctx: RequestContext) =>
  `arn:aws:cloudfront::${ctx.env.accountId}:${kind}/${ctx.params.Id ?? ctx.params.DistributionId ?? '*'}`;
const distributionResource = arn('distribution');
const oacResource = arn('origin-access-control');
const oaiResource = arn('origin-access-identity');
const taggedResource = (ctx: RequestContext) => ctx.query.get('Resource') ?? '*';

function op(
  name: string,
  write: boolean,
  http: RestRoute,
  handler: OperationDefinition['handler'],
  resource: (ctx: RequestContext) => string,
  extra: Partial<OperationDefinition> = {},
): OperationDefinition {
  return { name, write, http, handler, resource, ...extra };
}

const D = `${API}/distribution`;
const OAC = `${API}/origin-access-control`;
const OAI = `${API}/origin-access-identity/cloudfront`;

const model = loadServiceModel(schemas, {
  protocol: 'restXml',
  version: '2020-05-31',
  xmlNamespace: 'http://cloudfront.amazonaws.com/doc/2020-05-31/',
});

export const cloudfront = defineModelService({
  name: 'cloudfront',
  signingName: 'cloudfront',
  model,
  xmlFlavor: 'cloudfront',
  providers: {},
  // CloudFront is global; its API is signed for, and answers in, us-east-1.
  fixedRegion: 'us-east-1',
  pathPrefixes: [`${API}/`],
  // Requests to a distribution's domain (d….cloudfront.localhost) are the edge, not the API.
  serveRaw: (env, req, res, info) => (edgeDomain(info.host) ? serveEdge(env, req, res, info) : false),
  legacy: [
    op('CreateDistribution', true, { method: 'POST', path: D }, createDistributionHandler, distributionResource),
    op('CreateDistributionWithTags', true, { method: 'POST', path: D, query: { WithTags: true } }, createDistributionWithTagsHandler, distributionResource, {
      // IAM has no separate action: it takes CreateDistribution (and TagResource).
      iamAction: 'cloudfront:CreateDistribution',
    }),
    op('ListDistributions', false, { method: 'GET', path: D }, listDistributionsHandler, distributionResource),
    op('GetDistribution', false, { method: 'GET', path: `${D}/{Id}` }, getDistributionHandler, distributionResource),
    op('GetDistributionConfig', false, { method: 'GET', path: `${D}/{Id}/config` }, getDistributionConfigHandler, distributionResource),
    op('UpdateDistribution', true, { method: 'PUT', path: `${D}/{Id}/config` }, updateDistributionHandler, distributionResource),
    op('DeleteDistribution', true, { method: 'DELETE', path: `${D}/{Id}` }, deleteDistributionHandler, distributionResource),

    op('CreateInvalidation', true, { method: 'POST', path: `${D}/{DistributionId}/invalidation` }, createInvalidationHandler, distributionResource),
    op('ListInvalidations', false, { method: 'GET', path: `${D}/{DistributionId}/invalidation` }, listInvalidationsHandler, distributionResource),
    op('GetInvalidation', false, { method: 'GET', path: `${D}/{DistributionId}/invalidation/{Id}` }, getInvalidationHandler, (ctx) =>
      `arn:aws:cloudfront::${ctx.env.accountId}:distribution/${ctx.params.DistributionId ?? '*'}`,
    ),

    op('CreateOriginAccessControl', true, { method: 'POST', path: OAC }, createOriginAccessControlHandler, oacResource),
    op('ListOriginAccessControls', false, { method: 'GET', path: OAC }, listOriginAccessControlsHandler, oacResource),
    op('GetOriginAccessControl', false, { method: 'GET', path: `${OAC}/{Id}` }, getOriginAccessControlHandler, oacResource),
    op('GetOriginAccessControlConfig', false, { method: 'GET', path: `${OAC}/{Id}/config` }, getOriginAccessControlConfigHandler, oacResource),
    op('UpdateOriginAccessControl', true, { method: 'PUT', path: `${OAC}/{Id}/config` }, updateOriginAccessControlHandler, oacResource),
    op('DeleteOriginAccessControl', true, { method: 'DELETE', path: `${OAC}/{Id}` }, deleteOriginAccessControlHandler, oacResource),

    op('CreateCloudFrontOriginAccessIdentity', true, { method: 'POST', path: OAI }, createOaiHandler, oaiResource),
    op('ListCloudFrontOriginAccessIdentities', false, { method: 'GET', path: OAI }, listOaisHandler, oaiResource),
    op('GetCloudFrontOriginAccessIdentity', false, { method: 'GET', path: `${OAI}/{Id}` }, getOaiHandler, oaiResource),
    op('GetCloudFrontOriginAccessIdentityConfig', false, { method: 'GET', path: `${OAI}/{Id}/config` }, getOaiConfigHandler, oaiResource),
    op('UpdateCloudFrontOriginAccessIdentity', true, { method: 'PUT', path: `${OAI}/{Id}/config` }, updateOaiHandler, oaiResource),
    op('DeleteCloudFrontOriginAccessIdentity', true, { method: 'DELETE', path: `${OAI}/{Id}` }, deleteOaiHandler, oaiResource),

    op('TagResource', true, { method: 'POST', path: `${API}/tagging`, query: { Operation: 'Tag' } }, tagResourceHandler, taggedResource),
    op('UntagResource', true, { method: 'POST', path: `${API}/tagging`, query: { Operation: 'Untag' } }, untagResourceHandler, taggedResource),
    op('ListTagsForResource', false, { method: 'GET', path: `${API}/tagging` }, listTagsForResourceHandler, taggedResource),
  ],
  migrate(db) {
    applyMigrations(db, 'cloudfront', CLOUDFRONT_MIGRATIONS);
  },
  seed: seedCloudFront,
});

export { edgeUrl } from './edge';
export { distributionsUsingWebAcl } from './store';
