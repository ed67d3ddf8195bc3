import * as schemas from '@aws-sdk/client-ecr-public/dist-es/schemas/schemas_0.js';
import { parseAuth } from '../../core/credentials';
import { applyMigrations } from '../../core/db';
import { AwsError } from '../../core/errors';
import type { ProtocolAdapter, ServiceDefinition } from '../../core/types';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { invalidParameter } from '../ecr/validation';
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
  migrate(db) {
    applyMigrations(db, 'ecr-public', ECR_PUBLIC_MIGRATIONS);
  },
  seed: seedEcrPublic,
  serveRaw,
});

/**
 * AWS serves ECR Public's API in us-east-1 only: there is no endpoint in any
 * other region, so a client configured for one fails before it reaches AWS.
 * The emulator has one endpoint for every region, so it has to answer a call
 * signed for another region itself: with UnsupportedCommandException, the
 * model's error for "The action isn't supported in this Region.", naming the
 * region, rather than serving the registry there.
 * https://docs.aws.amazon.com/general/latest/gr/ecr-public.html
 */
function usEast1Only(base: ProtocolAdapter): ProtocolAdapter {
  return {
    ...base,
    async resolve(pre, service) {
      const auth = parseAuth(pre.headers, pre.query);
      const region = auth.kind === 'credential' ? auth.credential.region : undefined;
      if (region !== undefined && region !== ECR_PUBLIC_REGION) {
        throw new AwsError(
          'UnsupportedCommandException',
          `The action isn't supported in this Region. Amazon ECR Public's API is only in ${ECR_PUBLIC_REGION}, not '${region}'.`,
        );
      }
      return base.resolve(pre, service);
    },
  };
}

/** Amazon ECR Public: its JSON 1.1 API, and (serveRaw) the public registry that serves its repositories. */
export const ecrPublic: ServiceDefinition = { ...api, protocol: usEast1Only(api.protocol) };
