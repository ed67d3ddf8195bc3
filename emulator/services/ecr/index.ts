import { applyMigrations } from '../../core/db';
import { AwsError } from '../../core/errors';
import { jsonProtocol } from '../../core/protocols/json';
import type { ServiceDefinition } from '../../core/types';
import {
  createRepositoryHandler,
  deleteRepositoryHandler,
  describeRepositoriesHandler,
  insertRepository,
  repositoryResource,
} from './repositories';
import { ECR_MIGRATIONS } from './schema';

/** Demo repositories a first start creates, so the console's first screen is not empty. */
const SEED_REPOSITORIES = [
  { name: 'demo-app-repo' },
  { name: 'team/api', tagMutability: 'IMMUTABLE', scanOnPush: true },
  { name: 'team/web' },
  { name: 'empty-repo' },
];

export const ecr: ServiceDefinition = {
  name: 'ecr',
  signingName: 'ecr',
  protocol: jsonProtocol(),
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
  // The Docker registry API (docker push/pull) will live here.
  pathPrefixes: ['/v2/'],
  operations: [
    { name: 'CreateRepository', write: true, resource: repositoryResource, handler: createRepositoryHandler },
    { name: 'DescribeRepositories', write: false, handler: describeRepositoriesHandler },
    { name: 'DeleteRepository', write: true, resource: repositoryResource, handler: deleteRepositoryHandler },
  ],
  migrate(db) {
    applyMigrations(db, 'ecr', ECR_MIGRATIONS);
  },
  seed({ env, region }) {
    for (const r of SEED_REPOSITORIES) {
      try {
        insertRepository(env, { region, ...r });
      } catch (err) {
        // A re-run after an interrupted seed finds some already there.
        if (!(err instanceof AwsError && err.code === 'RepositoryAlreadyExistsException')) throw err;
      }
    }
  },
};
