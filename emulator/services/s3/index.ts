import { applyMigrations } from '../../core/db';
import { AwsError } from '../../core/errors';
import { restXmlProtocol } from '../../core/protocols/rest-xml';
import type { ServiceDefinition } from '../../core/types';
import {
  bucketResource,
  createBucketHandler,
  deleteBucketHandler,
  getBucketLocationHandler,
  headBucketHandler,
  insertBucket,
  listBucketsHandler,
} from './buckets';
import { toPathStyle } from './names';
import { S3_MIGRATIONS } from './schema';

/**
 * Query keys that select a different S3 operation on the same path
 * (`GET /bucket?tagging` is GetBucketTagging, not ListObjects). A route only
 * matches a request carrying one of these if it names it.
 */
const SUBRESOURCES = [
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering',
  'inventory', 'legal-hold', 'lifecycle', 'list-type', 'location', 'logging', 'metadataConfiguration',
  'metadataTable', 'metrics', 'notification', 'object-lock', 'ownershipControls', 'policy', 'policyStatus',
  'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention', 'select', 'session', 'tagging',
  'torrent', 'uploadId', 'uploads', 'versioning', 'versions', 'website',
] as const;

const SEED_BUCKETS = ['berth-demo-assets', 'berth-demo-site', 'berth-demo-logs'];

export const s3: ServiceDefinition = {
  name: 's3',
  signingName: 's3',
  protocol: restXmlProtocol('s3'),
  anonymousAllowed: true,
  reservedQueryKeys: SUBRESOURCES,
  rewritePath: toPathStyle,
  operations: [
    {
      name: 'ListBuckets',
      write: false,
      iamAction: 's3:ListAllMyBuckets',
      http: { method: 'GET', path: '/' },
      handler: listBucketsHandler,
    },
    {
      name: 'CreateBucket',
      write: true,
      resource: bucketResource,
      http: { method: 'PUT', path: '/{Bucket}' },
      handler: createBucketHandler,
    },
    {
      name: 'HeadBucket',
      write: false,
      iamAction: 's3:ListBucket',
      resource: bucketResource,
      http: { method: 'HEAD', path: '/{Bucket}' },
      handler: headBucketHandler,
    },
    {
      name: 'GetBucketLocation',
      write: false,
      resource: bucketResource,
      http: { method: 'GET', path: '/{Bucket}', query: { location: true } },
      handler: getBucketLocationHandler,
    },
    {
      name: 'DeleteBucket',
      write: true,
      resource: bucketResource,
      http: { method: 'DELETE', path: '/{Bucket}' },
      handler: deleteBucketHandler,
    },
  ],
  migrate(db) {
    applyMigrations(db, 's3', S3_MIGRATIONS);
  },
  seed({ env, region }) {
    for (const name of SEED_BUCKETS) {
      try {
        insertBucket(env, { name, region });
      } catch (err) {
        if (!(err instanceof AwsError && err.code === 'BucketAlreadyOwnedByYou')) throw err;
      }
    }
  },
};
