import { describe, expect, it } from 'vitest';
import { DISTRIBUTION_ARN, partitionOf } from './aws-ids';
import { createDistributionSchema, defaultRootObjectProblems, distributionArnSchema, distributionIdSchema, invalidationSchema, originAccessIdSchema, webAclArnSchema } from './cloudfront';
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

// CloudFront's model types every id as a plain string (GetDistributionRequest.Id,
// GetOriginAccessControlRequest.Id, GetCloudFrontOriginAccessIdentityRequest.Id:
// shape "string", no pattern, no length), so Berth must take any id another
// implementation mints, and refuse only what cannot be one URL path segment.
describe('CloudFront ids and ARNs, as the API model allows them', () => {
  const fromElsewhere = ['S11A16G5KZMEQD', 'd1234abcd', 'abc-123_x.y~z', 'E1', 'X'.repeat(128), '1234567890'];
  const unsafe = ['', '.', '..', 'a/b', '/', 'a b', 'a\tb', 'a\u0000b', 'a?b', 'a#b', 'a%2Fb', 'X'.repeat(129), 'é'];

  it('takes ids that do not look like AWS’s own', () => {
    for (const id of fromElsewhere) {
      expect(distributionIdSchema.safeParse(id).success, id).toBe(true);
      expect(originAccessIdSchema.safeParse(id).success, id).toBe(true);
      expect(distributionArnSchema.safeParse(`arn:aws:cloudfront::123456789012:distribution/${id}`).success, id).toBe(true);
    }
  });

  it('refuses what cannot safely be one URL path segment', () => {
    for (const id of unsafe) {
      expect(distributionIdSchema.safeParse(id).success, JSON.stringify(id)).toBe(false);
      expect(originAccessIdSchema.safeParse(id).success, JSON.stringify(id)).toBe(false);
      expect(DISTRIBUTION_ARN.test(`arn:aws:cloudfront::123456789012:distribution/${id}`), JSON.stringify(id)).toBe(false);
    }
  });

  it('takes ARNs in the China and GovCloud partitions, and refuses what is not an ARN', () => {
    for (const partition of ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso-b']) {
      const arn = `arn:${partition}:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE`;
      expect(distributionArnSchema.safeParse(arn).success, arn).toBe(true);
      expect(partitionOf(arn)).toBe(partition);
      const acl = `arn:${partition}:wafv2:us-east-1:123456789012:global/webacl/core/0f0e8a52-6f6b-4b8e-9d4e-1234567890ab`;
      expect(webAclArnSchema.safeParse(acl).success, acl).toBe(true);
    }
    expect(distributionArnSchema.safeParse('arn:aws:cloudfront::12345:distribution/E1').success).toBe(false);
    expect(distributionArnSchema.safeParse('arn:aws:s3:::bucket').success).toBe(false);
    expect(distributionArnSchema.safeParse('arn:aws:cloudfront::123456789012:distribution/E1/../x').success).toBe(false);
    // A REGIONAL web ACL cannot front a distribution.
    expect(webAclArnSchema.safeParse('arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/core/0f0e8a52-6f6b-4b8e-9d4e-1234567890ab').success).toBe(false);
    expect(partitionOf('not an arn')).toBeNull();
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

// What CloudFront's and WAFv2's models constrain comes from models/aws-constraints.json.
describe('CloudFront fields the models constrain', () => {
  const base = { callerReference: crypto.randomUUID(), bucket: 'site-bucket', originAccess: 'oac', defaultRootObject: '', viewerProtocolPolicy: 'redirect-to-https', priceClass: 'PriceClass_100', comment: '', waf: 'off' };
  const withTags = (tags: unknown) => createDistributionSchema.safeParse({ ...base, tags: JSON.stringify(tags) });

  it('takes tag keys and values in any script, as TagKey and TagValue allow', () => {
    expect(withTags([{ key: 'équipe', value: 'données/2026 = ok' }, { key: 'team:web', value: '' }]).success).toBe(true);
  });

  it('refuses tag characters and lengths the model refuses, in sentences', () => {
    const bad = withTags([{ key: 'a#b', value: 'x' }, { key: 'k'.repeat(129), value: 'x' }, { key: 'ok', value: 'v'.repeat(257) }, { key: 'ok2', value: 'semi;colon' }]);
    expect(bad.error?.issues.map((i) => i.message)).toEqual([
      'A tag key has 1–128 characters: letters, digits, spaces and _ . : / = + - @.',
      'A tag key has 1–128 characters: letters, digits, spaces and _ . : / = + - @.',
      'A tag value has at most 256 characters: letters, digits, spaces and _ . : / = + - @.',
      'A tag value has at most 256 characters: letters, digits, spaces and _ . : / = + - @.',
    ]);
  });

  it('takes a web ACL whose name and id WAFv2’s model allows, and no other', () => {
    const arn = (name: string, id: string) => `arn:aws:wafv2:us-east-1:123456789012:global/webacl/${name}/${id}`;
    const id = '0f0e8a52-6f6b-4b8e-9d4e-1234567890ab';
    expect(webAclArnSchema.safeParse(arn('Core_Protections-1', id)).success).toBe(true);
    expect(webAclArnSchema.safeParse(arn('n'.repeat(128), id)).success).toBe(true);
    expect(webAclArnSchema.safeParse(arn('n'.repeat(129), id)).success).toBe(false);
    expect(webAclArnSchema.safeParse(arn('core.acl', id)).success).toBe(false);
    expect(webAclArnSchema.safeParse(arn('core', '0f0e8a52')).success).toBe(false);
  });
});
