import { describe, expect, it } from 'vitest';
import { arnOf, isBucketArn, needsAccount, resourceOfCall, s3Arn } from './resources';

const self = { account: '123456789012', partition: 'aws' };

describe('the resource of a call', () => {
  it('takes the ARN an output states', () => {
    const ref = resourceOfCall('ECR', 'CreateRepository', 'eu-west-1', { repositoryName: 'team/api' }, { repository: { repositoryArn: 'arn:aws:ecr:eu-west-1:111122223333:repository/team/api' } });
    expect(ref).toEqual({ arn: 'arn:aws:ecr:eu-west-1:111122223333:repository/team/api' });
    expect(needsAccount(ref!)).toBe(false);
  });

  it('completes an ECR repository with the registry id it names, else Berth’s own account', () => {
    expect(arnOf(resourceOfCall('ECR', 'BatchDeleteImage', 'eu-west-1', { repositoryName: 'api', registryId: '999988887777' })!, self)).toBe('arn:aws:ecr:eu-west-1:999988887777:repository/api');
    const ref = resourceOfCall('ECR', 'PutImageTagMutability', 'us-east-2', { repositoryName: 'api' })!;
    expect(needsAccount(ref)).toBe(true);
    expect(arnOf(ref, self)).toBe('arn:aws:ecr:us-east-2:123456789012:repository/api');
    expect(arnOf(resourceOfCall('ECR_PUBLIC', 'DeleteRepository', 'us-east-1', { repositoryName: 'pub' })!, self)).toBe('arn:aws:ecr-public::123456789012:repository/pub');
  });

  it('names S3 buckets and objects without an account, in Berth’s partition', () => {
    expect(arnOf(resourceOfCall('S3', 'PutBucketVersioning', 'eu-west-1', { Bucket: 'site' })!, null)).toBe('arn:aws:s3:::site');
    expect(arnOf(resourceOfCall('S3', 'GetObject', 'eu-west-1', { Bucket: 'site', Key: 'a/b.txt' })!, { account: '1', partition: 'aws-cn' })).toBe('arn:aws-cn:s3:::site/a/b.txt');
    expect(needsAccount(resourceOfCall('S3', 'GetObject', 'eu-west-1', { Bucket: 'site', Key: 'k' })!)).toBe(false);
  });

  it('names a distribution only for distribution operations (CloudFront ids name many kinds of thing)', () => {
    expect(arnOf(resourceOfCall('CLOUDFRONT', 'UpdateDistribution', 'us-east-1', { Id: 'E2ABC' })!, self)).toBe('arn:aws:cloudfront::123456789012:distribution/E2ABC');
    expect(arnOf(resourceOfCall('CLOUDFRONT', 'CreateInvalidation', 'us-east-1', { DistributionId: 'E2ABC' })!, self)).toBe('arn:aws:cloudfront::123456789012:distribution/E2ABC');
    expect(resourceOfCall('CLOUDFRONT', 'DeleteOriginAccessControl', 'us-east-1', { Id: 'OAC1' })).toBeNull();
    expect(resourceOfCall('CLOUDFRONT', 'CreateDistributionWithTags', 'us-east-1', {}, { Distribution: { ARN: 'arn:aws:cloudfront::123456789012:distribution/E9' } })).toEqual({ arn: 'arn:aws:cloudfront::123456789012:distribution/E9' });
  });

  it('has no resource for calls about none', () => {
    expect(resourceOfCall('STS', 'GetCallerIdentity', 'us-east-1', {})).toBeNull();
    expect(resourceOfCall('S3', 'ListBuckets', 'us-east-1', {})).toBeNull();
  });

  it('tells a bucket’s ARN from an object’s and from other services’', () => {
    expect(isBucketArn(s3Arn('site'))).toBe(true);
    expect(isBucketArn(s3Arn('site', 'index.html'))).toBe(false);
    expect(isBucketArn('arn:aws:ecr:eu-west-1:123456789012:repository/site')).toBe(false);
  });
});
