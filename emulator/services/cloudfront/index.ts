import { applyMigrations } from '../../core/db';
import { restXmlProtocol } from '../../core/protocols/rest-xml';
import type { ServiceDefinition } from '../../core/types';
import { listDistributionsHandler } from './distributions';
import { CLOUDFRONT_MIGRATIONS } from './schema';

const API = '/2020-05-31';

export const cloudfront: ServiceDefinition = {
  name: 'cloudfront',
  signingName: 'cloudfront',
  protocol: restXmlProtocol('cloudfront'),
  // CloudFront is global; its API is signed for, and answers in, us-east-1.
  fixedRegion: 'us-east-1',
  pathPrefixes: [`${API}/`],
  operations: [
    {
      name: 'ListDistributions',
      write: false,
      http: { method: 'GET', path: `${API}/distribution` },
      handler: listDistributionsHandler,
    },
  ],
  migrate(db) {
    applyMigrations(db, 'cloudfront', CLOUDFRONT_MIGRATIONS);
  },
};
