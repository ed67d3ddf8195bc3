import type { BucketLocationConstraint, S3 } from '@aws-sdk/client-s3';
import type { Providers } from '../../../core/wire/service';
import { requestTagContext } from '../../../core/policy';
import { getAbac, putAbac } from '../model/abac';
import { deleteBucketPolicy, getBucketPolicy, bucketPolicyIsPublic, putBucketPolicy } from '../model/bucket-policy';
import { deleteBucketTags, getBucketTags, putBucketTags } from '../model/bucket-tags';
import {
  OWNER_DISPLAY_NAME,
  bucketArn,
  bucketOrThrow,
  canonicalUserId,
  createBucket,
  deleteBucket,
  listBuckets,
} from '../model/buckets';
import { deleteBucketEncryption, getBucketEncryption, putBucketEncryption } from '../model/encryption';
import { deletePublicAccessBlock, getPublicAccessBlock, putPublicAccessBlock } from '../model/public-access';
import { getVersioning, putVersioning } from '../model/versioning';
import { deleteWebsite, getWebsite, putWebsite } from '../model/website-config';
import { S3_NS } from '../namespace';
import { s3Resource } from './common';

/**
 * Buckets and their settings: versioning, website, policy, Block Public
 * Access, tags and default encryption. Each function reads the typed input,
 * asks the model and returns the SDK's output shape.
 */
export const bucketProviders: Providers<S3> = {
  ListBuckets: {
    iamAction: 's3:ListAllMyBuckets',
    handler(input, ctx) {
      const page = listBuckets(ctx.env.db, {
        maxBuckets: input.MaxBuckets,
        continuationToken: input.ContinuationToken,
        prefix: input.Prefix,
        region: input.BucketRegion,
      });
      return {
        Buckets: page.buckets.map((b) => ({
          Name: b.name,
          CreationDate: new Date(b.created_at_ms),
          BucketRegion: b.region,
          BucketArn: bucketArn(b.name),
        })),
        Owner: { ID: canonicalUserId(ctx.env.accountId), DisplayName: OWNER_DISPLAY_NAME },
        ContinuationToken: page.continuationToken,
        Prefix: input.Prefix,
      };
    },
  },
  CreateBucket: {
    // Tags given with the create are aws:RequestTag/<key> and aws:TagKeys
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/buckets-tagging.html).
    accessChecks: (input) => [{ action: 's3:CreateBucket', resource: s3Resource(input), context: requestTagContext(input.CreateBucketConfiguration?.Tags) }],
    handler(input, ctx) {
      const b = createBucket(ctx.env, {
        name: input.Bucket ?? '',
        endpointRegion: ctx.region,
        config: input.CreateBucketConfiguration,
        objectOwnership: input.ObjectOwnership,
        acl: input.ACL,
        objectLock: input.ObjectLockEnabledForBucket,
      });
      return { Location: `/${b.name}`, BucketArn: bucketArn(b.name) };
    },
  },
  HeadBucket: {
    iamAction: 's3:ListBucket',
    resource: s3Resource,
    // A public bucket policy may let anyone list, and so head, the bucket.
    handler(input, ctx) {
      const b = bucketOrThrow(ctx.env.db, input.Bucket);
      return { BucketRegion: b.region, AccessPointAlias: false, BucketArn: bucketArn(b.name) };
    },
  },
  GetBucketLocation: {
    resource: s3Resource,
    handler(input, ctx) {
      const b = bucketOrThrow(ctx.env.db, input.Bucket);
      // us-east-1 reads as an empty constraint, for historical reasons.
      const constraint = b.region === 'us-east-1' ? '' : b.region;
      // S3 answers the bare <LocationConstraint> element, not the output
      // structure wrapping it that the model describes (the SDK reads it with
      // a customization), so this one document is written here.
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
      const ns = `xmlns="${S3_NS}"`;
      const text = constraint.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      ctx.response.body =
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        (text === '' ? `<LocationConstraint ${ns}/>` : `<LocationConstraint ${ns}>${text}</LocationConstraint>`);
      return { LocationConstraint: constraint === '' ? undefined : (constraint as BucketLocationConstraint) };
    },
  },
  DeleteBucket: {
    resource: s3Resource,
    handler(input, ctx) {
      deleteBucket(ctx.env.db, input.Bucket ?? '');
      return {};
    },
  },

  GetBucketVersioning: {
    resource: s3Resource,
    handler: (input, ctx) => ({ Status: getVersioning(ctx.env.db, input.Bucket) }),
  },
  PutBucketVersioning: {
    resource: s3Resource,
    handler(input, ctx) {
      putVersioning(ctx.env.db, input.Bucket, input.VersioningConfiguration);
      return {};
    },
  },

  GetBucketWebsite: {
    resource: s3Resource,
    handler: (input, ctx) => getWebsite(ctx.env.db, input.Bucket),
  },
  PutBucketWebsite: {
    resource: s3Resource,
    handler(input, ctx) {
      putWebsite(ctx.env.db, input.Bucket, input.WebsiteConfiguration);
      return {};
    },
  },
  DeleteBucketWebsite: {
    resource: s3Resource,
    handler(input, ctx) {
      deleteWebsite(ctx.env.db, input.Bucket);
      return {};
    },
  },

  GetBucketPolicy: {
    resource: s3Resource,
    handler(input, ctx) {
      ctx.response.headers['Content-Type'] = 'application/json';
      return { Policy: getBucketPolicy(ctx.env.db, input.Bucket) };
    },
  },
  PutBucketPolicy: {
    resource: s3Resource,
    // S3's limit on a bucket policy: https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html
    maxBodyBytes: 20 * 1024,
    handler(input, ctx) {
      putBucketPolicy(ctx.env.db, input.Bucket, input.Policy, ctx.principal?.arn ?? 'anonymous');
      // S3 answers 204 No Content here (the API reference's sample response), where the model names no code.
      ctx.response.status = 204;
      return {};
    },
  },
  DeleteBucketPolicy: {
    resource: s3Resource,
    handler(input, ctx) {
      deleteBucketPolicy(ctx.env.db, input.Bucket);
      return {};
    },
  },
  GetBucketPolicyStatus: {
    resource: s3Resource,
    handler: (input, ctx) => ({ PolicyStatus: { IsPublic: bucketPolicyIsPublic(ctx.env.db, input.Bucket) } }),
  },

  GetPublicAccessBlock: {
    iamAction: 's3:GetBucketPublicAccessBlock',
    resource: s3Resource,
    handler: (input, ctx) => ({ PublicAccessBlockConfiguration: getPublicAccessBlock(ctx.env.db, input.Bucket) }),
  },
  PutPublicAccessBlock: {
    iamAction: 's3:PutBucketPublicAccessBlock',
    resource: s3Resource,
    handler(input, ctx) {
      putPublicAccessBlock(ctx.env.db, input.Bucket, input.PublicAccessBlockConfiguration);
      return {};
    },
  },
  DeletePublicAccessBlock: {
    iamAction: 's3:PutBucketPublicAccessBlock',
    resource: s3Resource,
    handler(input, ctx) {
      deletePublicAccessBlock(ctx.env.db, input.Bucket);
      return {};
    },
  },

  GetBucketAbac: {
    iamAction: 's3:GetBucketABAC',
    resource: s3Resource,
    handler: (input, ctx) => ({ AbacStatus: getAbac(ctx.env.db, input.Bucket) }),
  },
  PutBucketAbac: {
    iamAction: 's3:PutBucketABAC',
    resource: s3Resource,
    handler(input, ctx) {
      putAbac(ctx.env.db, input.Bucket, input.AbacStatus);
      return {};
    },
  },

  GetBucketTagging: {
    resource: s3Resource,
    handler: (input, ctx) => ({ TagSet: getBucketTags(ctx.env.db, input.Bucket) }),
  },
  PutBucketTagging: {
    resource: s3Resource,
    handler(input, ctx) {
      putBucketTags(ctx.env.db, input.Bucket, input.Tagging?.TagSet);
      // S3 answers 204 No Content here (the API reference's sample response), where the model names no code.
      ctx.response.status = 204;
      return {};
    },
  },
  DeleteBucketTagging: {
    iamAction: 's3:PutBucketTagging',
    resource: s3Resource,
    handler(input, ctx) {
      deleteBucketTags(ctx.env.db, input.Bucket);
      return {};
    },
  },

  GetBucketEncryption: {
    iamAction: 's3:GetEncryptionConfiguration',
    resource: s3Resource,
    handler: (input, ctx) => ({ ServerSideEncryptionConfiguration: getBucketEncryption(ctx.env.db, input.Bucket) }),
  },
  PutBucketEncryption: {
    iamAction: 's3:PutEncryptionConfiguration',
    resource: s3Resource,
    handler(input, ctx) {
      putBucketEncryption(ctx.env.db, input.Bucket, input.ServerSideEncryptionConfiguration);
      return {};
    },
  },
  DeleteBucketEncryption: {
    iamAction: 's3:PutEncryptionConfiguration',
    resource: s3Resource,
    handler(input, ctx) {
      deleteBucketEncryption(ctx.env.db, input.Bucket);
      return {};
    },
  },
};
