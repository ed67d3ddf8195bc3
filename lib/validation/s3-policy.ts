// Bucket-policy templates. Pure: the editor inserts them in the browser.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html

import type { Statement } from './policy';

/** Anyone may read every object: what a bucket serving a website directly needs. */
export function publicReadStatement(bucket: string): Statement {
  return { Sid: 'PublicReadForWebsite', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` };
}

/** Only one CloudFront distribution, through Origin Access Control, may read objects. */
export function cloudFrontOnlyStatement(bucket: string, distributionArn: string): Statement {
  return {
    Sid: 'AllowCloudFrontServicePrincipalReadOnly',
    Effect: 'Allow',
    Principal: { Service: 'cloudfront.amazonaws.com' },
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${bucket}/*`,
    Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
  };
}

/** Refuse every request that does not use TLS. */
export function denyInsecureTransportStatement(bucket: string): Statement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

export const DISTRIBUTION_ARN = /^arn:aws:cloudfront::\d{12}:distribution\/[A-Z0-9]+$/;

/** The statement that lets one distribution (by OAC) or one OAI read a bucket; its Sid names the distribution so several can share a bucket. */
export function distributionReadStatement(bucket: string, who: { distributionArn: string } | { oaiArn: string; oaiId: string }): Statement {
  if ('oaiArn' in who) {
    return { Sid: `BerthCloudFrontOAI${who.oaiId}`, Effect: 'Allow', Principal: { AWS: who.oaiArn }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` };
  }
  const id = who.distributionArn.split('/').pop() ?? '';
  return { ...cloudFrontOnlyStatement(bucket, who.distributionArn), Sid: `BerthCloudFront${/^[A-Z0-9]+$/.test(id) ? id : 'Distribution'}` };
}

/**
 * Removes the statements that grant reads to one distribution (matched by
 * AWS:SourceArn) or one OAI (matched by principal). Returns the new policy,
 * or null when nothing is left, and how many statements went.
 */
export function withoutDistribution(policy: string, who: { distributionArn?: string; oaiArn?: string }): { policy: string | null; removed: number } {
  if (!policy.trim()) return { policy: null, removed: 0 };
  const doc = JSON.parse(policy) as { Version?: string; Id?: string; Statement?: Statement | Statement[] };
  const all = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const mentions = (s: Statement) => {
    const text = JSON.stringify([s.Condition ?? null, s.Principal ?? null]);
    return Boolean((who.distributionArn && text.includes(JSON.stringify(who.distributionArn))) || (who.oaiArn && text.includes(JSON.stringify(who.oaiArn))));
  };
  const kept = all.filter((s) => !mentions(s));
  if (kept.length === 0) return { policy: null, removed: all.length };
  return { policy: JSON.stringify({ ...doc, Statement: kept }, null, 2), removed: all.length - kept.length };
}
