import { describe, expect, it } from 'vitest';
import { createRepositorySchema, deleteImagesSchema, deleteRepositorySchema, repositoryNameProblems, REPOSITORY_NAME_PATTERN } from './ecr';

describe('repository names', () => {
  it.each(['ab', 'demo-app-repo', 'team/api', 'a.b_c-d/e2/f', 'x'.repeat(256)])('accepts %s', (name) => {
    expect(repositoryNameProblems(name)).toEqual([]);
    expect(REPOSITORY_NAME_PATTERN.test(name)).toBe(true);
  });

  it.each([
    ['a', 'Use at least 2 characters.'],
    ['x'.repeat(257), 'Use at most 256 characters.'],
    ['Team/API', 'Use lowercase letters only.'],
    ['team api', 'Use only letters, digits, and . _ - /'],
    ['-team', 'Start and end with a letter or digit.'],
    ['team/', 'Start and end with a letter or digit.'],
    ['team//api', 'Put a letter or digit between separators (no "--", "//", "-/" and so on).'],
    ['team-/api', 'Put a letter or digit between separators (no "--", "//", "-/" and so on).'],
  ])('refuses %s with a sentence', (name, message) => {
    expect(repositoryNameProblems(name)).toContain(message);
  });
});

describe('createRepositorySchema', () => {
  it('reads a form: checkbox, defaults, trimming', () => {
    expect(createRepositorySchema.parse({ name: ' web ', scanOnPush: 'on' })).toEqual({
      name: 'web',
      tagMutability: 'MUTABLE',
      scanOnPush: true,
      encryption: 'AES256',
      kmsKey: undefined,
    });
  });
  it('wants KMS for a KMS key, and a key that looks like one', () => {
    expect(createRepositorySchema.safeParse({ name: 'web', kmsKey: 'alias/x' }).success).toBe(false);
    expect(createRepositorySchema.safeParse({ name: 'web', encryption: 'KMS', kmsKey: 'nonsense' }).success).toBe(false);
    expect(createRepositorySchema.safeParse({ name: 'web', encryption: 'KMS', kmsKey: 'alias/ecr' }).success).toBe(true);
  });
});

describe('destructive inputs', () => {
  it('needs the typed name to match', () => {
    expect(deleteRepositorySchema.safeParse({ name: 'team/api', confirm: 'team/ap' }).success).toBe(false);
    expect(deleteRepositorySchema.parse({ name: 'team/api', confirm: 'team/api', force: 'on' }).force).toBe(true);
  });
  it('takes one or many digests and refuses anything else', () => {
    const d = `sha256:${'a'.repeat(64)}`;
    expect(deleteImagesSchema.parse({ name: 'web', digests: d }).digests).toEqual([d]);
    expect(deleteImagesSchema.safeParse({ name: 'web', digests: ['latest'] }).success).toBe(false);
    expect(deleteImagesSchema.safeParse({ name: 'web', digests: [] }).success).toBe(false);
  });
});
