import type { S3 } from '@aws-sdk/client-s3';
import type { Providers } from '../../../core/wire/service';
import { getLogging, getNotification, putLogging, putNotification } from '../model/bucket-config';
import { deleteCors, getCors, putCors } from '../model/cors';
import { deleteLifecycle, getLifecycle, putLifecycle } from '../model/lifecycle';
import { s3Resource } from './common';

/** Bucket configuration sub-resources: lifecycle, CORS, logging and event notifications. */
export const bucketConfigProviders: Providers<S3> = {
  PutBucketLifecycleConfiguration: {
    iamAction: 's3:PutLifecycleConfiguration',
    resource: s3Resource,
    handler(input, ctx) {
      const stored = putLifecycle(ctx.env.db, input.Bucket, input.LifecycleConfiguration?.Rules, input.TransitionDefaultMinimumObjectSize);
      return { TransitionDefaultMinimumObjectSize: stored.minimumObjectSize };
    },
  },
  GetBucketLifecycleConfiguration: {
    iamAction: 's3:GetLifecycleConfiguration',
    resource: s3Resource,
    handler(input, ctx) {
      const stored = getLifecycle(ctx.env.db, input.Bucket);
      return { Rules: stored.rules, TransitionDefaultMinimumObjectSize: stored.minimumObjectSize };
    },
  },
  DeleteBucketLifecycle: {
    iamAction: 's3:PutLifecycleConfiguration',
    resource: s3Resource,
    handler(input, ctx) {
      deleteLifecycle(ctx.env.db, input.Bucket);
      return {};
    },
  },

  PutBucketCors: {
    iamAction: 's3:PutBucketCORS',
    resource: s3Resource,
    handler(input, ctx) {
      putCors(ctx.env.db, input.Bucket, input.CORSConfiguration?.CORSRules);
      return {};
    },
  },
  GetBucketCors: {
    iamAction: 's3:GetBucketCORS',
    resource: s3Resource,
    handler: (input, ctx) => ({ CORSRules: getCors(ctx.env.db, input.Bucket) }),
  },
  DeleteBucketCors: {
    iamAction: 's3:PutBucketCORS',
    resource: s3Resource,
    handler(input, ctx) {
      deleteCors(ctx.env.db, input.Bucket);
      return {};
    },
  },

  PutBucketLogging: {
    resource: s3Resource,
    handler(input, ctx) {
      putLogging(ctx.env.db, input.Bucket, ctx.env.accountId, input.BucketLoggingStatus?.LoggingEnabled);
      return {};
    },
  },
  GetBucketLogging: {
    resource: s3Resource,
    handler(input, ctx) {
      const enabled = getLogging(ctx.env.db, input.Bucket);
      return enabled ? { LoggingEnabled: enabled } : {};
    },
  },

  PutBucketNotificationConfiguration: {
    iamAction: 's3:PutBucketNotification',
    resource: s3Resource,
    handler(input, ctx) {
      putNotification(ctx.env.db, input.Bucket, input.NotificationConfiguration);
      return {};
    },
  },
  GetBucketNotificationConfiguration: {
    iamAction: 's3:GetBucketNotification',
    resource: s3Resource,
    handler: (input, ctx) => getNotification(ctx.env.db, input.Bucket),
  },
};
