import * as cloudfrontSchemas from '@aws-sdk/client-cloudfront/dist-es/schemas/schemas_0.js';
import * as s3Schemas from '@aws-sdk/client-s3/dist-es/schemas/schemas_0.js';
import { describe, expect, it } from 'vitest';
import { loadServiceModel } from './model';
import { RestRouter } from './routes';

/** Routing by the real models' HTTP bindings, as the SDK and the AWS CLI address S3 and CloudFront. */
const s3 = new RestRouter(loadServiceModel(s3Schemas, { protocol: 'restXml', version: '2006-03-01', hostLabelsFirst: true }));
const cloudfront = new RestRouter(loadServiceModel(cloudfrontSchemas, { protocol: 'restXml', version: '2020-05-31' }));

function pick(router: RestRouter, method: string, target: string, headers: Record<string, string> = {}) {
  const q = target.indexOf('?');
  const path = q >= 0 ? target.slice(0, q) : target;
  const query = new URLSearchParams(q >= 0 ? target.slice(q + 1) : '');
  const hit = router.match(method, path, query, headers);
  return hit && { op: hit.op.name, params: hit.params };
}

describe('REST routing from the models', () => {
  it('tells S3 operations on the same path apart by query literals and required members', () => {
    expect(pick(s3, 'GET', '/')?.op).toBe('ListBuckets');
    expect(pick(s3, 'GET', '/b')?.op).toBe('ListObjects');
    expect(pick(s3, 'GET', '/b/')?.op).toBe('ListObjects');
    expect(pick(s3, 'GET', '/b?list-type=2&prefix=a')?.op).toBe('ListObjectsV2');
    expect(pick(s3, 'GET', '/b?location')?.op).toBe('GetBucketLocation');
    expect(pick(s3, 'GET', '/b?tagging')?.op).toBe('GetBucketTagging');
    expect(pick(s3, 'GET', '/b/k?tagging')?.op).toBe('GetObjectTagging');
    expect(pick(s3, 'GET', '/b/k?uploadId=u')?.op).toBe('ListParts');
    expect(pick(s3, 'GET', '/b/k?versionId=v')?.op).toBe('GetObject');
    expect(pick(s3, 'PUT', '/b/k')?.op).toBe('PutObject');
    expect(pick(s3, 'PUT', '/b/k', { 'x-amz-copy-source': 'a/b' })?.op).toBe('CopyObject');
    expect(pick(s3, 'PUT', '/b/k?partNumber=1&uploadId=u')?.op).toBe('UploadPart');
    expect(pick(s3, 'PUT', '/b/k?partNumber=1&uploadId=u', { 'x-amz-copy-source': 'a/b' })?.op).toBe('UploadPartCopy');
    expect(pick(s3, 'POST', '/b/k?uploads')?.op).toBe('CreateMultipartUpload');
    expect(pick(s3, 'POST', '/b/k?uploadId=u')?.op).toBe('CompleteMultipartUpload');
    expect(pick(s3, 'DELETE', '/b/k?uploadId=u')?.op).toBe('AbortMultipartUpload');
    expect(pick(s3, 'POST', '/b?delete')?.op).toBe('DeleteObjects');
    // The literal decides even when a required header is missing: GetObjectAttributes refuses it, GetObject must not serve it.
    expect(pick(s3, 'GET', '/b/k?attributes')?.op).toBe('GetObjectAttributes');
    expect(pick(s3, 'HEAD', '/b')?.op).toBe('HeadBucket');
    expect(pick(s3, 'HEAD', '/b/k')?.op).toBe('HeadObject');
  });

  it('decodes labels, lets a greedy key span slashes and keeps dots, and refuses bad escapes', () => {
    expect(pick(s3, 'GET', '/b/dir/a%20file..txt')).toEqual({ op: 'GetObject', params: { Bucket: 'b', Key: 'dir/a file..txt' } });
    expect(pick(s3, 'GET', '/%E0%A4%A')).toBeUndefined();
  });

  it('routes CloudFront paths, literals and labels', () => {
    expect(pick(cloudfront, 'GET', '/2020-05-31/distribution')?.op).toBe('ListDistributions');
    expect(pick(cloudfront, 'POST', '/2020-05-31/distribution')?.op).toBe('CreateDistribution');
    expect(pick(cloudfront, 'POST', '/2020-05-31/distribution?WithTags')?.op).toBe('CreateDistributionWithTags');
    expect(pick(cloudfront, 'GET', '/2020-05-31/distribution/E123/config')).toEqual({ op: 'GetDistributionConfig', params: { Id: 'E123' } });
    expect(pick(cloudfront, 'GET', '/2020-05-31/distribution/E123/invalidation/I9')).toEqual({
      op: 'GetInvalidation',
      params: { DistributionId: 'E123', Id: 'I9' },
    });
    expect(pick(cloudfront, 'POST', '/2020-05-31/tagging?Operation=Tag&Resource=arn')?.op).toBe('TagResource');
    expect(pick(cloudfront, 'POST', '/2020-05-31/tagging?Operation=Untag&Resource=arn')?.op).toBe('UntagResource');
    expect(pick(cloudfront, 'GET', '/2020-05-31/nothing-here')).toBeUndefined();
  });
});
