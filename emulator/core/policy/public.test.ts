import { describe, expect, it } from 'vitest';
import { isPublicPolicy } from './public';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const get = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
describe('isPublicPolicy', () => {
  const cases: [string, string, boolean][] = [
    // The S3 User Guide's three public examples.
    ['Federated graph.facebook.com', policy({ Principal: { Federated: 'graph.facebook.com' }, Resource: '*', Action: 's3:PutObject', Effect: 'Allow' }), true],
    ['Principal "*"', policy({ Principal: '*', Resource: '*', Action: 's3:PutObject', Effect: 'Allow' }), true],
    ['aws:SourceVpc with a wildcard', policy({ Principal: '*', Resource: '*', Action: 's3:PutObject', Effect: 'Allow', Condition: { StringLike: { 'aws:SourceVpc': 'vpc-*' } } }), true],
    // … and the fix it gives: a fixed aws:SourceVpc.
    ['aws:SourceVpc fixed', policy({ Principal: '*', Resource: '*', Action: 's3:PutObject', Effect: 'Allow', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-91237329' } } }), false],
    ['{"AWS":"*"}', policy({ ...get, Principal: { AWS: '*' } }), true],
    ['an account', policy({ ...get, Principal: { AWS: '123456789012' } }), false],
    ['a role ARN', policy({ ...get, Principal: { AWS: 'arn:aws:iam::123456789012:role/ci' } }), false],
    ['a service principal (CloudFront OAC)', policy({ ...get, Principal: { Service: 'cloudfront.amazonaws.com' } }), false],
    ['a canonical user (an origin access identity)', policy({ ...get, Principal: { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' } }), false],
    ['a public Deny only', policy({ ...get, Effect: 'Deny', Principal: '*' }), false],
    ['one public statement among private ones', policy({ ...get, Principal: { AWS: '123456789012' } }, { ...get, Principal: '*' }), true],
    ['NotPrincipal with Allow', policy({ ...get, NotPrincipal: { AWS: '123456789012' } }), true],
    ['aws:SourceIp a /24', policy({ ...get, Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }), false],
    ['aws:SourceIp a /8', policy({ ...get, Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), false],
    ['aws:SourceIp 0.0.0.0/1 is too broad', policy({ ...get, Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } } }), true],
    ['aws:SourceIp, one broad range among narrow ones', policy({ ...get, Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '0.0.0.0/0'] } } }), true],
    ['aws:SourceIp an IPv6 /64', policy({ ...get, Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/64' } } }), false],
    ['aws:SourceIp an IPv6 /16 is too broad', policy({ ...get, Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '2001::/16' } } }), true],
    ['NotIpAddress does not narrow', policy({ ...get, Principal: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }), true],
    ['aws:SourceArn fixed (CloudFront OAC with "*")', policy({ ...get, Principal: '*', Condition: { StringEquals: { 'AWS:SourceArn': 'arn:aws:cloudfront::123456789012:distribution/E1' } } }), false],
    ['aws:SourceArn with a wildcard', policy({ ...get, Principal: '*', Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudfront::*:distribution/*' } } }), true],
    ['aws:SourceAccount fixed', policy({ ...get, Principal: '*', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }), false],
    ['aws:PrincipalOrgID fixed', policy({ ...get, Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }), false],
    ['aws:SourceVpce with a policy variable', policy({ ...get, Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': '${aws:username}' } } }), true],
    ['StringNotEquals does not narrow', policy({ ...get, Principal: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }), true],
    ['IfExists does not narrow', policy({ ...get, Principal: '*', Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } }), true],
    ['a key S3 does not list does not narrow', policy({ ...get, Principal: '*', Condition: { StringEquals: { 's3:prefix': 'home/' } } }), true],
    ['Bool aws:SecureTransport does not narrow', policy({ ...get, Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), true],
    ['aws:userid fixed', policy({ ...get, Principal: '*', Condition: { StringEquals: { 'aws:userid': 'AIDAEXAMPLE' } } }), false],
    ['aws:userid "AROLEID:*"', policy({ ...get, Principal: '*', Condition: { StringLike: { 'aws:userid': 'AROAEXAMPLE:*' } } }), true],
    ['s3:DataAccessPointArn with a wildcard access point name', policy({ ...get, Principal: '*', Condition: { StringLike: { 's3:DataAccessPointArn': 'arn:aws:s3:us-west-2:123456789012:accesspoint/*' } } }), false],
    ['s3:DataAccessPointArn with a wildcard account', policy({ ...get, Principal: '*', Condition: { StringLike: { 's3:DataAccessPointArn': 'arn:aws:s3:us-west-2:*:accesspoint/*' } } }), true],
  ];
  it.each(cases)('%s → %s', (_what, doc, expected) => {
    expect(isPublicPolicy(doc)).toBe(expected);
  });
});
