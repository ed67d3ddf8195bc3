import type { CloudFront } from '@aws-sdk/client-cloudfront';
import * as schemas from '@aws-sdk/client-cloudfront/dist-es/schemas/schemas_0.js';
import { applyMigrations } from '../../core/db';
import { AwsError } from '../../core/errors';
import type { RequestContext } from '../../core/types';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService, type Providers } from '../../core/wire/service';
import { validationMessage, type Violation } from '../../core/wire/validate';
import { edgeDomain, serveEdge } from './edge';
import { API, invalidIfMatch, malformed } from './model/common';
import { CLOUDFRONT_MIGRATIONS } from './model/schema';
import { seedCloudFront } from './model/seed';
import { distributionProviders } from './provider/distributions';
import { functionProviders } from './provider/functions';
import { invalidationProviders } from './provider/invalidations';
import { originAccessProviders } from './provider/origin-access';
import { policyProviders } from './provider/policies';
import { taggingProviders } from './provider/tagging';

const model = loadServiceModel(schemas, {
  protocol: 'restXml',
  version: '2020-05-31',
  xmlNamespace: 'http://cloudfront.amazonaws.com/doc/2020-05-31/',
});

const providers: Providers<CloudFront> = {
  ...distributionProviders,
  ...invalidationProviders,
  ...originAccessProviders,
  ...taggingProviders,
  ...policyProviders,
  ...functionProviders,
};

/**
 * How CloudFront refuses a request that breaks its model (required members
 * from the SDK schema; lengths, patterns and enums from models/aws-constraints.json):
 * a missing required element is MalformedInput (its XML schema check), a
 * missing If-Match where the model requires one is InvalidIfMatchVersion, a
 * bad tag is InvalidTagging, a value outside an enum is MalformedInput, and
 * other constraints are InvalidArgument.
 */
function refuse(violations: readonly Violation[], _operation: string, ctx: RequestContext): AwsError {
  const first = violations[0]!;
  // A create or update sent with no body at all.
  if (ctx.body.length === 0 && (ctx.method === 'POST' || ctx.method === 'PUT') && first.constraint === 'Member must not be null') {
    return new AwsError('MissingBody', 'This operation requires a body. Ensure that the body is present and the Content-Type header is set.', 400);
  }
  // Paths name members as AWS's front ends do, first letter lower-case ('ifMatch', 'tags.items.1.member.key').
  if (/^ifMatch$/i.test(first.path)) return invalidIfMatch();
  // A tag key or value outside TagKey/TagValue is CloudFront's InvalidTagging, as its other tag refusals are.
  if (/(^|\.)(tags|tagKeys)\./i.test(first.path)) return new AwsError('InvalidTagging', validationMessage(violations), 400);
  if (first.constraint === 'Member must not be null') {
    return malformed(`Unexpected complex element termination: the required element ${first.path} is missing.`);
  }
  if (first.constraint.startsWith('Member must satisfy enum')) return malformed(validationMessage(violations));
  return new AwsError('InvalidArgument', validationMessage(violations), 400);
}

export const cloudfront = defineModelService({
  name: 'cloudfront',
  signingName: 'cloudfront',
  model,
  xmlFlavor: 'cloudfront',
  providers,
  validation: refuse,
  // CloudFront is global; its API is signed for, and answers in, us-east-1.
  fixedRegion: 'us-east-1',
  pathPrefixes: [`${API}/`],
  // Requests to a distribution's domain (d….cloudfront.localhost) are the edge, not the API.
  serveRaw: (env, req, res, info) => (edgeDomain(info.host) ? serveEdge(env, req, res, info) : false),
  migrate(db) {
    applyMigrations(db, 'cloudfront', CLOUDFRONT_MIGRATIONS);
  },
  seed: seedCloudFront,
});

export { edgeUrl } from './edge';
export { distributionsUsingWebAcl } from './model/store';
