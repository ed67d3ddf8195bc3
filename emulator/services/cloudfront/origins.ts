import type Database from 'better-sqlite3';
import { getBucket } from '../s3/model/buckets';
import { policyOf } from '../s3/model/bucket-policy';
import { evaluateBucketPolicy, isPolicyPublic, type PolicyDecision, type PolicyPrincipal } from '../s3/model/policy';
import { anonymousAllowed } from '../s3/model/access-policy';
import { effectivePublicAccessBlock } from '../s3/model/public-access';
import { latestRow, type ObjectRow } from '../s3/model/store';
import { ARCHIVED_CLASSES } from '../s3/model/store';
import type { Origin } from '@aws-sdk/client-cloudfront';
import { getOac, getOai, oaiIdOf, oaiPrincipalArn } from './model/store';

/**
 * The S3 REST endpoint forms CloudFront accepts for an S3 origin:
 * bucket.s3.amazonaws.com, bucket.s3.<region>.amazonaws.com,
 * bucket.s3-<region>.amazonaws.com and bucket.s3.dualstack.<region>.amazonaws.com.
 * Website endpoints (s3-website) are custom origins and give undefined.
 */
export function s3BucketOfDomain(domain: string): string | undefined {
  const d = domain.toLowerCase();
  const patterns = [
    /^(.+)\.s3\.amazonaws\.com$/,
    /^(.+)\.s3\.dualstack\.[a-z0-9-]+\.amazonaws\.com$/,
    /^(.+)\.s3\.(?!dualstack\.)[a-z0-9-]+\.amazonaws\.com$/,
    /^(.+)\.s3-(?!website)[a-z0-9-]+\.amazonaws\.com$/,
  ];
  for (const re of patterns) {
    const m = re.exec(d);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/** Who an origin request reaches S3 as, per the origin's access settings. */
export interface OriginIdentity {
  kind: 'oac' | 'oai' | 'anonymous';
  principals: PolicyPrincipal[];
  context: Record<string, string>;
}

export function originIdentity(db: Database.Database, origin: Origin, distributionArn: string, accountId: string, viewerSigned: boolean): OriginIdentity {
  const oac = origin.OriginAccessControlId ? getOac(db, origin.OriginAccessControlId) : undefined;
  if (oac) {
    const behavior = (JSON.parse(oac.config_json) as { SigningBehavior: string }).SigningBehavior;
    // `never` sends the request unsigned; `no-override` keeps a viewer's own Authorization header.
    const signs = behavior === 'always' || behavior === 'always-amz-auth' || (behavior === 'no-override' && !viewerSigned);
    if (signs) {
      return {
        kind: 'oac',
        principals: [{ type: 'Service', id: 'cloudfront.amazonaws.com' }],
        context: { 'AWS:SourceArn': distributionArn, 'AWS:SourceAccount': accountId },
      };
    }
  }
  const oai = getOai(db, oaiIdOf(origin.S3OriginConfig?.OriginAccessIdentity));
  if (oai) {
    return {
      kind: 'oai',
      principals: [
        { type: 'AWS', id: oaiPrincipalArn(oai.id) },
        { type: 'CanonicalUser', id: oai.canonical_user_id },
      ],
      context: {},
    };
  }
  return { kind: 'anonymous', principals: [{ type: 'anonymous' }], context: {} };
}

/** Whether the identity may perform `action` on `resourceArn` in `bucket`, as S3 decides it. */
export function originAllowed(db: Database.Database, bucket: string, who: OriginIdentity, action: string, resourceArn: string): boolean {
  if (who.kind === 'anonymous') return anonymousAllowed(db, bucket, action, resourceArn);
  const policy = policyOf(db, bucket);
  // RestrictPublicBuckets limits a bucket with a public policy to service
  // principals and the owner's account: an OAC (a service principal) passes, an OAI does not.
  if (who.kind === 'oai' && effectivePublicAccessBlock(db, bucket).RestrictPublicBuckets && isPolicyPublic(policy)) return false;
  const decisions: PolicyDecision[] = who.principals.map((principal) =>
    evaluateBucketPolicy(policy, { principal, action, resourceArn, context: who.context }),
  );
  if (decisions.includes('Deny')) return false;
  return decisions.includes('Allow');
}

export type OriginRead =
  | { kind: 'object'; row: ObjectRow }
  | { kind: 'error'; status: number; code: string; message: string; fields?: Record<string, string> };

/** What S3 answers CloudFront's GET for `key`: the object, or S3's error (404 only when ListBucket is allowed). */
export function readFromS3(db: Database.Database, bucket: string, key: string, who: OriginIdentity): OriginRead {
  if (!getBucket(db, bucket)) {
    return { kind: 'error', status: 404, code: 'NoSuchBucket', message: 'The specified bucket does not exist', fields: { BucketName: bucket } };
  }
  const denied: OriginRead = { kind: 'error', status: 403, code: 'AccessDenied', message: 'Access Denied' };
  const latest = key === '' ? undefined : latestRow(db, bucket, key);
  const row = latest && !latest.is_delete_marker ? latest : undefined;
  if (!row) {
    const mayList = originAllowed(db, bucket, who, 's3:ListBucket', `arn:aws:s3:::${bucket}`);
    if (!mayList) return denied;
    return { kind: 'error', status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.', fields: { Key: key } };
  }
  if (!originAllowed(db, bucket, who, 's3:GetObject', `arn:aws:s3:::${bucket}/${key}`)) return denied;
  if (ARCHIVED_CLASSES.includes(row.storage_class)) {
    return { kind: 'error', status: 403, code: 'InvalidObjectState', message: "The operation is not valid for the object's storage class", fields: { StorageClass: row.storage_class } };
  }
  return { kind: 'object', row };
}
