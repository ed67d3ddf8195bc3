import type Database from 'better-sqlite3';
import type { ResourcePolicy } from '../../../core/authorize';
import { aclPolicyOf } from './acl';
import { policyOf } from './bucket-policy';
import { getBucket } from './buckets';
import { evaluateBucketPolicy, isPolicyPublic, type PolicyRequest } from './policy';
import { effectivePublicAccessBlock } from './public-access';

/**
 * What S3 weighs beside the caller's own policies for a request on a bucket
 * or object: the bucket policy, the ACL grants that count, and Block Public
 * Access (the bucket's and the account's settings, the stricter of each).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html
 */

function splitS3Arn(resourceArn: string): { bucket: string; key?: string } | undefined {
  if (!resourceArn.startsWith('arn:aws:s3:::')) return undefined;
  const rest = resourceArn.slice('arn:aws:s3:::'.length);
  const slash = rest.indexOf('/');
  return slash >= 0 ? { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) } : { bucket: rest };
}

/**
 * The bucket policy and ACL grants that govern a bucket or object ARN, for
 * request authorization, with RestrictPublicBuckets as it applies; the ACL
 * of `versionId` when a request names one, else of the latest version.
 */
export function resourcePolicyOf(db: Database.Database, resourceArn: string, versionId?: string): ResourcePolicy | undefined {
  const at = splitS3Arn(resourceArn);
  if (!at) return undefined;
  const policy = policyOf(db, at.bucket) ?? undefined;
  const acl = aclPolicyOf(db, at.bucket, at.key, versionId);
  if (!policy && !acl) return undefined;
  return {
    ...(policy ? { document: policy } : {}),
    ...(acl ? { additional: [acl] } : {}),
    restrictPublic: effectivePublicAccessBlock(db, at.bucket).RestrictPublicBuckets,
  };
}

/**
 * Whether an unsigned request may perform `action` on `resourceArn` in
 * `bucket`, for the paths outside the API's authorization (website
 * endpoints, CloudFront's anonymous origin reads): no Deny in the bucket
 * policy, and an Allow for everyone in it (unless RestrictPublicBuckets is
 * on while it is public) or in an AllUsers ACL grant (unless
 * IgnorePublicAcls).
 */
export function anonymousAllowed(
  db: Database.Database,
  bucket: string,
  action: string,
  resourceArn: string,
  context?: PolicyRequest['context'],
): boolean {
  if (!getBucket(db, bucket)) return false;
  const policy = policyOf(db, bucket) ?? undefined;
  const request: PolicyRequest = { principal: { type: 'anonymous' }, action, resourceArn, context };
  const byPolicy = policy ? evaluateBucketPolicy(policy, request) : 'ImplicitDeny';
  if (byPolicy === 'Deny') return false;
  const restricted = policy !== undefined && effectivePublicAccessBlock(db, bucket).RestrictPublicBuckets && isPolicyPublic(policy);
  if (byPolicy === 'Allow' && !restricted) return true;
  const acl = aclPolicyOf(db, bucket, splitS3Arn(resourceArn)?.key);
  return acl !== undefined && evaluateBucketPolicy(acl, request) === 'Allow';
}
