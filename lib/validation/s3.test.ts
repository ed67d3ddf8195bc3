import { describe, expect, it } from 'vitest';
import { bucketNameProblems, createBucketSchema } from './s3';

describe('bucket names', () => {
  it.each(['abc', 'my-site.example.com', 'berth-demo-assets', 'a'.repeat(63)])('accepts %s', (n) => {
    expect(bucketNameProblems(n)).toEqual([]);
  });
  it.each([
    ['ab', 'Use at least 3 characters.'],
    ['a'.repeat(64), 'Use at most 63 characters.'],
    ['My-Bucket', 'Use lowercase letters only.'],
    ['my_bucket', 'Use only lowercase letters, digits, dots and hyphens.'],
    ['-bucket', 'Start and end with a letter or digit.'],
    ['my..bucket', 'Do not put two dots next to each other.'],
    ['192.168.5.4', 'A bucket name cannot look like an IP address.'],
    ['xn--bucket', 'Names starting with xn--, sthree- or amzn-s3-demo- are reserved.'],
    ['bucket-s3alias', 'This ending is reserved by S3.'],
  ])('refuses %s', (n, message) => {
    expect(bucketNameProblems(n)).toContain(message);
  });
  it('reads the create form', () => {
    expect(createBucketSchema.parse({ region: 'eu-west-1', name: 'site', versioning: 'on', blockPublicAccess: 'on' })).toEqual({
      region: 'eu-west-1',
      name: 'site',
      versioning: true,
      blockPublicAccess: true,
    });
    expect(createBucketSchema.safeParse({ region: 'moon-1', name: 'site' }).success).toBe(false);
  });
});
