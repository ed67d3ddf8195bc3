import { describe, expect, it } from 'vitest';
import {
  createRepositorySchema,
  deleteImagesSchema,
  deleteRepositorySchema,
  lifecyclePolicySchema,
  repositoryNameProblems,
  repositoryNameSchema,
  repositoryPolicySchema,
  REPOSITORY_NAME_PATTERN,
} from './ecr';
import constraints from '@/models/aws-constraints.json';

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
    ['team//api', 'Put a letter or digit between the separators in “//”.'],
    ['team-/api', 'Put a letter or digit between the separators in “-/”.'],
    ['team._api', 'Put a letter or digit between the separators in “._”.'],
  ])('refuses %s with a sentence', (name, message) => {
    expect(repositoryNameProblems(name)).toContain(message);
  });
});

// ECR's model of 2026 (RepositoryName's pattern) takes "__" and runs of "-"
// between letters, as the OCI distribution spec does; the hand copy of the 2022
// model Berth had before refused them. The schema must follow the model.
describe('repository names as the current ECR model has them', () => {
  const accept = (name: string) => repositoryNameSchema.safeParse(name).success;

  it('takes its rule from models/aws-constraints.json', () => {
    const rule = constraints.services.ecr.shapes.RepositoryName;
    expect(REPOSITORY_NAME_PATTERN.source).toBe(new RegExp(rule.pattern, 'u').source);
    expect([rule.min, rule.max]).toEqual([2, 256]);
  });

  it.each(['team__api', 'a/b', 'team.api-1', 'team--api', 'org/team__api/v2', 'ab'])('accepts %s', (name) => {
    expect(accept(name)).toBe(true);
    expect(repositoryNameProblems(name)).toEqual([]);
  });

  it.each(['Team', '-a', 'x'.repeat(257), 'a', 'team___api', 'team_-api', 'a//b', 'a/', 'té'])('refuses %s', (name) => {
    expect(accept(name)).toBe(false);
    expect(repositoryNameProblems(name).length).toBeGreaterThan(0);
  });

  it('never refuses a name the model accepts, and explains every one it refuses', () => {
    const model = new RegExp(constraints.services.ecr.shapes.RepositoryName.pattern, 'u');
    const pieces = ['a', 'z', '0', '.', '_', '__', '-', '--', '/', 'A', ' '];
    for (let i = 0; i < 3000; i++) {
      let name = '';
      for (let n = 2 + (i % 7); n > 0; n--) name += pieces[(i * 7 + n * 13 + Math.floor(i / (n + 1))) % pieces.length];
      const ok = model.test(name) && name.length >= 2 && name.length <= 256;
      expect(repositoryNameProblems(name).length === 0, name).toBe(ok);
    }
  });
});

describe('policy lengths from the model', () => {
  const ref = { region: 'eu-west-1', name: 'web' };
  it('refuses a repository policy longer than RepositoryPolicyText allows, in one sentence', () => {
    const max = constraints.services.ecr.shapes.RepositoryPolicyText.max;
    const r = repositoryPolicySchema.safeParse({ ...ref, policy: 'x'.repeat(max + 1) });
    expect(r.error?.issues.map((i) => i.message)).toEqual(['A repository policy can be at most 10,240 characters.']);
  });
  it('refuses a lifecycle policy longer than LifecyclePolicyText allows', () => {
    const max = constraints.services.ecr.shapes.LifecyclePolicyText.max;
    const r = lifecyclePolicySchema.safeParse({ ...ref, policy: 'x'.repeat(max + 1) });
    expect(r.error?.issues.map((i) => i.message)).toEqual(['A lifecycle policy can be at most 30,720 characters.']);
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
    // A multi-Region key id (mrk-…) is a key id too.
    expect(createRepositorySchema.safeParse({ name: 'web', encryption: 'KMS', kmsKey: `mrk-${'0a'.repeat(16)}` }).success).toBe(true);
  });
  it('offers only settings the model still has', () => {
    expect(createRepositorySchema.safeParse({ name: 'web', tagMutability: 'IMMUTABLE' }).success).toBe(true);
    expect(createRepositorySchema.safeParse({ name: 'web', tagMutability: 'SOMETIMES' }).success).toBe(false);
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
