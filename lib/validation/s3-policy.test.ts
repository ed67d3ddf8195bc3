import { describe, expect, it } from 'vitest';
import { policyProblems, withStatement } from './policy';
import { cloudFrontOnlyStatement, denyInsecureTransportStatement, distributionReadStatement, publicReadStatement } from './s3-policy';

describe('bucket policy templates', () => {
  it('are valid resource policies that merge without duplicates', () => {
    let text = withStatement('', publicReadStatement('site', 'aws'));
    text = withStatement(text, denyInsecureTransportStatement('site', 'aws'));
    text = withStatement(text, cloudFrontOnlyStatement('site', 'arn:aws:cloudfront::123456789012:distribution/E2ABC'));
    text = withStatement(text, publicReadStatement('site', 'aws'));
    const doc = JSON.parse(text);
    expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['DenyInsecureTransport', 'AllowCloudFrontServicePrincipalReadOnly', 'PublicReadForWebsite']);
    expect(policyProblems(text, 'resource')).toEqual([]);
  });
  it('scope reads to the bucket and writes the CloudFront condition', () => {
    expect(publicReadStatement('b', 'aws').Resource).toBe('arn:aws:s3:::b/*');
    expect(cloudFrontOnlyStatement('b', 'arn:aws:cloudfront::1:distribution/E1').Condition).toEqual({ StringEquals: { 'AWS:SourceArn': 'arn:aws:cloudfront::1:distribution/E1' } });
  });

  it('name the bucket in the partition they are given or that the reader’s ARN names', () => {
    expect(publicReadStatement('b', 'aws-cn').Resource).toBe('arn:aws-cn:s3:::b/*');
    expect(denyInsecureTransportStatement('b', 'aws-us-gov').Resource).toEqual(['arn:aws-us-gov:s3:::b', 'arn:aws-us-gov:s3:::b/*']);
    expect(cloudFrontOnlyStatement('b', 'arn:aws-cn:cloudfront::123456789012:distribution/E1').Resource).toBe('arn:aws-cn:s3:::b/*');
    const oai = distributionReadStatement('b', { oaiId: 'E2OAI', oaiArn: 'arn:aws-us-gov:iam::cloudfront:user/CloudFront Origin Access Identity E2OAI' });
    expect(oai.Resource).toBe('arn:aws-us-gov:s3:::b/*');
  });
  it('make a valid Sid from a distribution id of any shape', () => {
    const s = distributionReadStatement('b', { distributionArn: 'arn:aws:cloudfront::123456789012:distribution/d-1a2b.3c' });
    expect(s.Sid).toBe('BerthCloudFrontd1a2b3c');
    expect(policyProblems(withStatement('', s), 'resource')).toEqual([]);
  });
});
