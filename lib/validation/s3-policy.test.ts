import { describe, expect, it } from 'vitest';
import { policyProblems, withStatement } from './policy';
import { cloudFrontOnlyStatement, denyInsecureTransportStatement, publicReadStatement } from './s3-policy';

describe('bucket policy templates', () => {
  it('are valid resource policies that merge without duplicates', () => {
    let text = withStatement('', publicReadStatement('site'));
    text = withStatement(text, denyInsecureTransportStatement('site'));
    text = withStatement(text, cloudFrontOnlyStatement('site', 'arn:aws:cloudfront::123456789012:distribution/E2ABC'));
    text = withStatement(text, publicReadStatement('site'));
    const doc = JSON.parse(text);
    expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['DenyInsecureTransport', 'AllowCloudFrontServicePrincipalReadOnly', 'PublicReadForWebsite']);
    expect(policyProblems(text, 'resource')).toEqual([]);
  });
  it('scope reads to the bucket and writes the CloudFront condition', () => {
    expect(publicReadStatement('b').Resource).toBe('arn:aws:s3:::b/*');
    expect(cloudFrontOnlyStatement('b', 'arn:aws:cloudfront::1:distribution/E1').Condition).toEqual({ StringEquals: { 'AWS:SourceArn': 'arn:aws:cloudfront::1:distribution/E1' } });
  });
});
