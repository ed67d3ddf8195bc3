import { describe, expect, it } from 'vitest';
import { createDistributionSchema, defaultRootObjectProblems, invalidationSchema } from './cloudfront';
import { distributionReadStatement, withoutDistribution } from './s3-policy';
import { withStatement } from './policy';

const ID = 'E2ABCDEFGHIJKL';
const ARN = `arn:aws:cloudfront::123456789012:distribution/${ID}`;

describe('CloudFront inputs', () => {
  it('refuses a default root object with a leading slash, and accepts none', () => {
    expect(defaultRootObjectProblems('/index.html')).toEqual(['Leave out the leading “/”: write index.html, not /index.html.']);
    expect(defaultRootObjectProblems('')).toEqual([]);
    expect(defaultRootObjectProblems('index.html')).toEqual([]);
  });

  it('checks invalidation paths one per line, deduplicated', () => {
    const ok = invalidationSchema.safeParse({ id: ID, callerReference: crypto.randomUUID(), paths: '/index.html\n/img/*\n/index.html\n' });
    expect(ok.success && ok.data.paths).toEqual(['/index.html', '/img/*']);
    const bad = invalidationSchema.safeParse({ id: ID, callerReference: crypto.randomUUID(), paths: 'index.html\n/a*/b' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toEqual(['“index.html” must start with “/”.', '“/a*/b”: “*” may only be the last character.']);
  });

  it('needs a web ACL only when one is to be used', () => {
    const base = { callerReference: crypto.randomUUID(), bucket: 'site-bucket', originAccess: 'oac', defaultRootObject: 'index.html', viewerProtocolPolicy: 'redirect-to-https', priceClass: 'PriceClass_100', comment: '', tags: '[]' };
    expect(createDistributionSchema.safeParse({ ...base, waf: 'off' }).success).toBe(true);
    expect(createDistributionSchema.safeParse({ ...base, waf: 'existing' }).success).toBe(false);
    expect(createDistributionSchema.safeParse({ ...base, waf: 'existing', webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/core/0f0e8a52-6f6b-4b8e-9d4e-1234567890ab' }).success).toBe(true);
  });
});

describe('bucket policy statements for a distribution', () => {
  it('adds one statement per distribution and takes exactly that one out again', () => {
    const other = `arn:aws:cloudfront::123456789012:distribution/E9OTHERDIST`;
    let policy = withStatement('', distributionReadStatement('b', { distributionArn: ARN }));
    policy = withStatement(policy, distributionReadStatement('b', { distributionArn: other }));
    expect(JSON.parse(policy).Statement).toHaveLength(2);
    const out = withoutDistribution(policy, { distributionArn: ARN });
    expect(out.removed).toBe(1);
    expect(JSON.parse(out.policy!).Statement[0].Condition.StringEquals['AWS:SourceArn']).toBe(other);
    expect(withoutDistribution(out.policy!, { distributionArn: other })).toEqual({ policy: null, removed: 1 });
  });

  it('takes one ARN out of a shared statement and never touches a Deny', () => {
    const other = `arn:aws:cloudfront::123456789012:distribution/E9OTHERDIST`;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Shared', Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'AWS:SourceArn': [ARN, other] } } },
        { Sid: 'NoOldOnes', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'AWS:SourceArn': ARN } } },
      ],
    });
    const out = withoutDistribution(policy, { distributionArn: ARN });
    expect(out.removed).toBe(1);
    const doc = JSON.parse(out.policy!);
    expect(doc.Statement[0].Condition.StringEquals['AWS:SourceArn']).toEqual([other]);
    expect(doc.Statement[1].Sid).toBe('NoOldOnes');
  });
});
