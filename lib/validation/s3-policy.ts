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
