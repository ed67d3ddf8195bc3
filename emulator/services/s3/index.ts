import * as schemas from '@aws-sdk/client-s3/dist-es/schemas/schemas_0.js';
import { applyMigrations } from '../../core/db';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { isS3ControlRequest, refuseS3Control } from './control-guard';
import { serveCors } from './cors-preflight';
import { toPathStyle } from './names';
import { S3_NS } from './namespace';
import { accessProviders } from './provider/access';
import { bucketConfigProviders } from './provider/bucket-config';
import { bucketProviders } from './provider/buckets';
import { multipartProviders } from './provider/multipart';
import { bucketContextOf } from './model/abac';
import { resourcePolicyOf } from './model/access-policy';
import { objectProviders } from './provider/objects';
import { S3_MIGRATIONS } from './schema';
import { seedS3 } from './seed';
import { serveWebsite, websiteTarget } from './website';

const model = loadServiceModel(schemas, {
  protocol: 'restXml',
  version: '2006-03-01',
  xmlNamespace: S3_NS,
  hostLabelsFirst: true,
});

/**
 * S3: every operation a typed provider over the rules in model/, routed by
 * S3's model. The website endpoints and CORS preflights (OPTIONS, which is
 * not an operation of the API) are answered before routing.
 */
export const s3 = defineModelService({
  name: 's3',
  signingName: 's3',
  model,
  xmlFlavor: 's3',
  providers: { ...bucketProviders, ...bucketConfigProviders, ...accessProviders, ...objectProviders, ...multipartProviders },
  anonymousAllowed: true,
  // A version read (s3:VersionId) is weighed with that version's ACL.
  resourcePolicy: (env, arn, check) => {
    const v = check?.context?.['s3:VersionId'];
    return resourcePolicyOf(env.db, arn, typeof v === 'string' ? v : undefined);
  },
  resourceContext: (env, arn) => bucketContextOf(env.db, arn),
  rewritePath: toPathStyle,
  serveRaw: (env, req, res, info) =>
    isS3ControlRequest(req, info)
      ? refuseS3Control(res, info)
      : websiteTarget(info.host, info.path)
        ? serveWebsite(env, req, res, info)
        : serveCors(env, req, res, info),
  migrate(db) {
    applyMigrations(db, 's3', S3_MIGRATIONS);
  },
  seed: seedS3,
});

export { evaluateBucketPolicy, isPolicyPublic, type PolicyDecision, type PolicyPrincipal, type PolicyRequest } from './model/policy';
export { anonymousAllowed } from './model/access-policy';
export { effectivePublicAccessBlock, publicAccessBlockOf } from './model/public-access';
export { policyOf } from './model/bucket-policy';
export { websitePathUrl, websiteUrl } from './website';
