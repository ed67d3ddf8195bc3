// Bucket-policy templates. Pure: the editor inserts them in the browser.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html
//
// A bucket's ARN carries the partition (arn:aws-cn:s3:::…, arn:aws-us-gov:s3:::…):
// callers pass the one Berth's own identity lives in, or it is read from the
// distribution or identity ARN the statement names, never assumed to be "aws".
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-arn-format.html

import { DISTRIBUTION_ARN, distributionIdOf, partitionOf } from './aws-ids';
import type { Statement } from './policy';

export { DISTRIBUTION_ARN };

const bucketArn = (partition: string, bucket: string) => `arn:${partition}:s3:::${bucket}`;

/** Anyone may read every object: what a bucket serving a website directly needs. */
export function publicReadStatement(bucket: string, partition: string): Statement {
  return { Sid: 'PublicReadForWebsite', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${bucketArn(partition, bucket)}/*` };
}

/** Only one CloudFront distribution, through Origin Access Control, may read objects. */
export function cloudFrontOnlyStatement(bucket: string, distributionArn: string): Statement {
  return {
    Sid: 'AllowCloudFrontServicePrincipalReadOnly',
    Effect: 'Allow',
    Principal: { Service: 'cloudfront.amazonaws.com' },
    Action: 's3:GetObject',
    Resource: `${bucketArn(partitionOf(distributionArn) ?? 'aws', bucket)}/*`,
    Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
  };
}

/** Refuse every request that does not use TLS. */
export function denyInsecureTransportStatement(bucket: string, partition: string): Statement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn(partition, bucket), `${bucketArn(partition, bucket)}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** A statement id from an id of any shape: IAM allows only letters and digits in a Sid. */
function sidPart(id: string, fallback: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '') || fallback;
}

/** The statement that lets one distribution (by OAC) or one OAI read a bucket; its Sid names the distribution so several can share a bucket. */
export function distributionReadStatement(bucket: string, who: { distributionArn: string } | { oaiArn: string; oaiId: string }): Statement {
  if ('oaiArn' in who) {
    const resource = `${bucketArn(partitionOf(who.oaiArn) ?? 'aws', bucket)}/*`;
    return { Sid: `BerthCloudFrontOAI${sidPart(who.oaiId, '')}`, Effect: 'Allow', Principal: { AWS: who.oaiArn }, Action: 's3:GetObject', Resource: resource };
  }
  const id = distributionIdOf(who.distributionArn) ?? '';
  return { ...cloudFrontOnlyStatement(bucket, who.distributionArn), Sid: `BerthCloudFront${sidPart(id, 'Distribution')}` };
}

/**
 * Takes one distribution (matched by AWS:SourceArn) or one OAI (matched by
 * principal) out of a bucket policy's Allow statements: a statement that
 * names only it goes; one that lists several loses just that entry. Deny
 * statements are never touched. Returns the new policy (null when nothing is
 * left) and how many statements changed.
 */
export function withoutDistribution(policy: string, who: { distributionArn?: string; oaiArn?: string }): { policy: string | null; removed: number } {
  if (!policy.trim()) return { policy: null, removed: 0 };
  const doc = JSON.parse(policy) as { Version?: string; Id?: string; Statement?: Statement | Statement[] };
  const all = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  let changed = 0;
  const kept: Statement[] = [];
  for (const s of all) {
    const next = s.Effect === 'Allow' ? withoutReader(s, who) : s;
    if (next !== s) changed++;
    if (next) kept.push(next);
  }
  if (changed === 0) return { policy: JSON.stringify(doc, null, 2), removed: 0 };
  if (kept.length === 0) return { policy: null, removed: changed };
  return { policy: JSON.stringify({ ...doc, Statement: kept }, null, 2), removed: changed };
}

/** The statement without this reader: the same object if it does not name it, null if it named only it. */
function withoutReader(s: Statement, who: { distributionArn?: string; oaiArn?: string }): Statement | null {
  if (who.oaiArn && s.Principal && typeof s.Principal === 'object') {
    const p = s.Principal as Record<string, unknown>;
    const aws = p.AWS;
    if (aws === who.oaiArn) return Object.keys(p).length === 1 ? null : { ...s, Principal: { ...p, AWS: undefined } };
    if (Array.isArray(aws) && aws.includes(who.oaiArn)) {
      const rest = aws.filter((a) => a !== who.oaiArn);
      return rest.length ? { ...s, Principal: { ...p, AWS: rest } } : null;
    }
  }
  if (who.distributionArn && s.Condition && typeof s.Condition === 'object') {
    const cond = s.Condition as Record<string, Record<string, unknown>>;
    for (const [op, block] of Object.entries(cond)) {
      if (!block || typeof block !== 'object') continue;
      const key = Object.keys(block).find((k) => k.toLowerCase() === 'aws:sourcearn');
      if (!key) continue;
      const v = block[key];
      if (v === who.distributionArn) return null;
      if (Array.isArray(v) && v.includes(who.distributionArn)) {
        const rest = v.filter((a) => a !== who.distributionArn);
        if (!rest.length) return null;
        return { ...s, Condition: { ...cond, [op]: { ...block, [key]: rest } } };
      }
    }
  }
  return s;
}
