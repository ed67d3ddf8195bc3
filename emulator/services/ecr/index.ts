import * as schemas from '@aws-sdk/client-ecr/dist-es/schemas/schemas_0.js';
import { applyMigrations } from '../../core/db';
import type { ServiceDefinition } from '../../core/types';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { ecrProtocol } from './protocol';
import { providers } from './provider';
import { registryOperation } from './registry';
import { repositoryContextOf, repositoryPolicyOf } from './repository-policy';
import { ECR_MIGRATIONS } from './schema';
import { seedEcr } from './seed';
import { invalidParameter } from './validation';

const model = loadServiceModel(schemas, {
  protocol: 'awsJson1_1',
  version: '2015-09-21',
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
});

const api = defineModelService({
  name: 'ecr',
  signingName: 'ecr',
  model,
  providers,
  // ECR words a request that breaks its model as InvalidParameterException,
  // "Invalid parameter at '<member>' failed to satisfy constraint: '<why>'",
  // one member at a time (the first the layer finds).
  validation: (violations) => invalidParameter(violations[0]?.path ?? '', violations[0]?.constraint ?? 'invalid'),
  // The Docker registry API (docker/skopeo push and pull) shares the port. Only `/v2/`:
  // a bare `/v2` prefix would also capture path-style S3 buckets such as `v2-assets`.
  pathPrefixes: ['/v2/'],
  resourcePolicy: repositoryPolicyOf,
  resourceContext: repositoryContextOf,
  migrate(db) {
    applyMigrations(db, 'ecr', ECR_MIGRATIONS);
  },
  seed: seedEcr,
});

/** The ECR API, plus the Docker registry API on `/v2/`, which is not AWS's API and keeps its own shapes. */
export const ecr: ServiceDefinition = { ...api, protocol: ecrProtocol(registryOperation, api.protocol) };
