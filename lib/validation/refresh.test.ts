import { describe, expect, it } from 'vitest';
import { readTags } from '@/lib/aws/read-cache-tags';
import { refreshReadsSchema } from './refresh';

describe('what a Refresh may ask for', () => {
  it('includes the public repositories and a public repository’s images', () => {
    const tags = [readTags.publicRepositories(), readTags.publicImages('berth-demo/hello')];
    expect(refreshReadsSchema.safeParse({ tags }).success).toBe(true);
  });

  it('refuses anything else under ecr-public', () => {
    for (const tag of ['ecr-public:secrets', 'ecr-public:images:', 'ecr-public:images:../x', 'ecr-public:images:A']) {
      expect(refreshReadsSchema.safeParse({ tags: [tag] }).success, tag).toBe(false);
    }
  });
});

describe('the Activity tabs’ Refresh', () => {
  it('may ask for CloudTrail’s activity, and nothing else under cloudtrail', () => {
    expect(refreshReadsSchema.safeParse({ tags: [readTags.activity()] }).success).toBe(true);
    for (const tag of ['cloudtrail:trails', 'cloudtrail:activity:x', 'cloudtrail:']) {
      expect(refreshReadsSchema.safeParse({ tags: [tag] }).success, tag).toBe(false);
    }
  });
});
