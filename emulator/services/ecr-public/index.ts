import * as schemas from '@aws-sdk/client-ecr-public/dist-es/schemas/schemas_0.js';
import { parseAuth } from '../../core/credentials';
import { applyMigrations } from '../../core/db';
import { AwsError } from '../../core/errors';
import type { ProtocolAdapter, ServiceDefinition } from '../../core/types';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { invalidParameter } from '../ecr/validation';
import { publicRepositoryContextOf, publicRepositoryPolicyOf } from './model/repositories';
import { providers } from './provider';
import { serveRaw } from './registry/serve';
import { ECR_PUBLIC_MIGRATIONS } from './schema';
import { seedEcrPublic } from './seed';

/** The one region ECR Public's API exists in (api.ecr-public.us-east-1.amazonaws.com). */
const ECR_PUBLIC_REGION = 'us-east-1';

const model = loadServiceModel(schemas, {
  protocol: 'awsJson1_1',
  version: '2020-10-30',
  targetPrefix: 'SpencerFrontendService',
});

const api = defineModelService({
  name: 'ecr-public',
  signingName: 'ecr-public',
  model,
  providers,
  // ECR Public words a request that breaks its model as ECR does, with InvalidParameterException.
  validation: (violations) => invalidParameter(violations[0]?.path ?? '', violations[0]?.constraint ?? 'invalid'),
  fixedRegion: ECR_PUBLIC_REGION,
  resourcePolicy: publicRepositoryPolicyOf,
  resourceContext: publicRepositoryContextOf,
  migrate(db) {
    applyMigrations(db, 'ecr-public', ECR_PUBLIC_MIGRATIONS);
  },
  seed: seedEcrPublic,
  serveRaw,
});

/**
 * Where ECR Public answers. AWS has its API endpoint in us-east-1 (and one
 * in us-west-2); a client set to any other region fails before reaching AWS
 * ("Could not connect to the endpoint URL", aws/aws-cli#5917). Logging in
 * works in us-east-1 only: elsewhere GetAuthorizationToken is
 * UnsupportedCommandException "GetAuthorizationToken command is only
 * supported in us-east-1." (as reported in aws/aws-cdk#24244). The emulator
 * has one endpoint for every region, so it answers a call signed for any
 * region but us-east-1 that way, for every operation: what else the us-west-2
 * endpoint serves is not documented, and the registry is one, global.
 * https://docs.aws.amazon.com/general/latest/gr/ecr-public.html
 */
function usEast1Only(base: ProtocolAdapter): ProtocolAdapter {
  return {
    ...base,
    async resolve(pre, service) {
      const resolved = await base.resolve(pre, service);
      const auth = parseAuth(pre.headers, pre.query);
      const region = auth.kind === 'credential' ? auth.credential.region : undefined;
      if (region !== undefined && region !== ECR_PUBLIC_REGION) {
        throw new AwsError('UnsupportedCommandException', `${resolved.name} command is only supported in ${ECR_PUBLIC_REGION}.`);
      }
      return resolved;
    },
  };
}

/** Amazon ECR Public: its JSON 1.1 API, and (serveRaw) the public registry that serves its repositories. */
export const ecrPublic: ServiceDefinition = { ...api, protocol: usEast1Only(api.protocol) };
