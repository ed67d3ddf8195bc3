import { describe, expect, it } from 'vitest';
import { bucketNameProblems, bucketTagsSchema, createBucketSchema, deleteObjectsSchema, objectKeySchema, versioningSchema } from './s3';
import constraints from '@/models/aws-constraints.json';

describe('bucket names', () => {
  // Every kind of name the user guide allows, account regional namespace names included.
  it.each(['abc', 'my-site.example.com', 'berth-demo-assets', 'a'.repeat(63), 'mybucket-123456789012-us-east-1-an', 'a--b', '1.2.3', 'xn-a', 'b-s3', '000'])('accepts %s', (n) => {
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

describe('JSON-valued fields', () => {
  it('a tag list or a selected row that is not JSON is a field error, not a thrown JSON.parse', () => {
    const tags = bucketTagsSchema.safeParse({ bucket: 'site', tags: '[{"key":', basis: '' });
    expect(tags.error?.issues).toEqual([expect.objectContaining({ path: ['tags'], message: 'The tag list could not be read (it is not valid JSON). Reload the page and try again.' })]);
    const rows = deleteObjectsSchema.safeParse({ bucket: 'site', items: ['{"key":"a.txt"}', '{oops'] });
    expect(rows.error?.issues.map((i) => i.path)).toEqual([['items', 1]]);
  });

  it('still reads what the forms send', () => {
    expect(bucketTagsSchema.parse({ bucket: 'site', tags: '', basis: '' }).tags).toEqual([]);
    expect(bucketTagsSchema.parse({ bucket: 'site', tags: '[{"key":" team ","value":"web"}]', basis: '[]' }).tags).toEqual([{ key: 'team', value: 'web' }]);
    expect(deleteObjectsSchema.parse({ bucket: 'site', items: '{"key":"a.txt","versionId":"v1"}' }).items).toEqual([{ key: 'a.txt', versionId: 'v1' }]);
  });
});

describe('what S3’s model says, and what it leaves to the user guide', () => {
  it('has no rule of its own for bucket names: the guide’s rules are the only ones', () => {
    expect((constraints.services.s3.shapes as Record<string, unknown>).BucketName).toBeUndefined();
    expect(constraints.services.s3.members.CreateBucketRequest).not.toHaveProperty('Bucket');
  });
  it('takes the versioning states of BucketVersioningStatus', () => {
    for (const status of constraints.services.s3.shapes.BucketVersioningStatus.values) {
      expect(versioningSchema.safeParse({ bucket: 'site', status }).success, status).toBe(true);
    }
    expect(versioningSchema.safeParse({ bucket: 'site', status: 'Disabled' }).success).toBe(false);
  });
  it('takes a one-character key and refuses an empty one (ObjectKey has min 1)', () => {
    expect(objectKeySchema.safeParse('a').success).toBe(true);
    expect(objectKeySchema.safeParse('').error?.issues[0]?.message).toBe('Give the object a name.');
  });
});
