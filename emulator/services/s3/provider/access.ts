import type { S3 } from '@aws-sdk/client-s3';
import type { Providers } from '../../../core/wire/service';
import {
  deleteOwnership,
  getBucketAcl,
  getObjectAcl,
  getOwnership,
  putBucketAcl,
  putObjectAcl,
  putOwnership,
} from '../model/acl';
import { versioningOf } from '../model/store';
import { s3Resource } from './common';

/** Object Ownership and ACLs of buckets and objects. */
export const accessProviders: Providers<S3> = {
  GetBucketOwnershipControls: {
    resource: s3Resource,
    handler: (input, ctx) => ({ OwnershipControls: { Rules: getOwnership(ctx.env.db, input.Bucket) } }),
  },
  PutBucketOwnershipControls: {
    resource: s3Resource,
    handler(input, ctx) {
      putOwnership(ctx.env.db, input.Bucket, ctx.env.accountId, input.OwnershipControls?.Rules);
      return {};
    },
  },
  DeleteBucketOwnershipControls: {
    iamAction: 's3:PutBucketOwnershipControls',
    resource: s3Resource,
    handler(input, ctx) {
      deleteOwnership(ctx.env.db, input.Bucket);
      return {};
    },
  },

  GetBucketAcl: {
    resource: s3Resource,
    handler: (input, ctx) => getBucketAcl(ctx.env.db, input.Bucket, ctx.env.accountId),
  },
  PutBucketAcl: {
    resource: s3Resource,
    handler(input, ctx) {
      putBucketAcl(ctx.env.db, input.Bucket, ctx.env.accountId, input);
      return {};
    },
  },

  GetObjectAcl: {
    iamAction: 's3:GetObjectAcl',
    resource: s3Resource,
    handler(input, ctx) {
      const acl = getObjectAcl(ctx.env.db, ctx.env.accountId, input.Bucket, input.Key, input.VersionId);
      // x-amz-version-id is sent once a bucket has had versioning configured, as on GET.
      const versioned = acl.versionId !== 'null' || versioningOf(ctx.env.db, input.Bucket ?? '') !== null;
      if (versioned) ctx.response.headers['x-amz-version-id'] = acl.versionId;
      return { Owner: acl.Owner, Grants: acl.Grants };
    },
  },
  PutObjectAcl: {
    resource: s3Resource,
    handler(input, ctx) {
      const versionId = putObjectAcl(ctx.env.db, ctx.env.accountId, input.Bucket, input.Key, input.VersionId, input);
      if (versionId !== 'null' || versioningOf(ctx.env.db, input.Bucket ?? '') !== null) ctx.response.headers['x-amz-version-id'] = versionId;
      return {};
    },
  },
};
