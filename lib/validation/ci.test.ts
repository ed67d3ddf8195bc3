import { describe, expect, it } from 'vitest';
import { ecrCiRoleSchema, siteCiUserSchema } from './ci';
import { branchProblems, githubOwnerProblems, githubRepoProblems, roleNameProblems, userNameProblems } from './ci-rules';

const good = { region: 'us-east-1', repository: 'team/web', owner: 'octo-org', repo: 'octo.repo_2', branch: 'release/v1.2', roleName: 'github-web' };

describe('the push-from-CI form', () => {
  it('takes well-formed GitHub and IAM names', () => {
    expect(ecrCiRoleSchema.safeParse(good).success).toBe(true);
    expect(siteCiUserSchema.safeParse({ id: 'E2ABCDEFGHIJKL', owner: 'a', repo: 'b', branch: 'main', userName: 'ci+deploy@x' }).success).toBe(true);
  });

  it('refuses each bad field by name', () => {
    const r = ecrCiRoleSchema.safeParse({ ...good, owner: '-bad', repo: 'a/b', branch: 'feature/*', roleName: 'has space' });
    expect(r.success).toBe(false);
    const fields = new Set(r.error!.issues.map((i) => i.path[0]));
    expect([...fields].sort()).toEqual(['branch', 'owner', 'repo', 'roleName']);
  });

  it('turns hostile values into field errors, never a throw', () => {
    for (const v of [undefined, null, 42, ['a'], { a: 1 }, 'x'.repeat(100_000)]) {
      expect(() => ecrCiRoleSchema.safeParse({ ...good, owner: v, branch: v, roleName: v })).not.toThrow();
      expect(ecrCiRoleSchema.safeParse({ ...good, owner: v }).success).toBe(false);
    }
  });
});

describe('GitHub names', () => {
  it('owner: letters, digits, single inner hyphens, 39 at most', () => {
    expect(githubOwnerProblems('octo-org')).toEqual([]);
    expect(githubOwnerProblems('')).not.toEqual([]);
    expect(githubOwnerProblems('a--b')).not.toEqual([]);
    expect(githubOwnerProblems('a_b')).not.toEqual([]);
    expect(githubOwnerProblems('x'.repeat(40))).not.toEqual([]);
  });
  it('repository: letters, digits and . _ -, not . or ..', () => {
    expect(githubRepoProblems('my.site-v2_x')).toEqual([]);
    expect(githubRepoProblems('..')).not.toEqual([]);
    expect(githubRepoProblems('a b')).not.toEqual([]);
  });
  it('branch: what git check-ref-format accepts, so never a wildcard', () => {
    for (const ok of ['main', 'release/v1.2', 'feature/ünï', 'a-b_c']) expect(branchProblems(ok), ok).toEqual([]);
    for (const bad of ['', 'a*', 'a?', 'a b', 'a..b', '/a', 'a/', 'a.lock', '.a', 'a/.b', 'a@{b', '@', 'a:b', 'a\\b', 'a//b']) expect(branchProblems(bad), bad).not.toEqual([]);
  });
});

describe('IAM names, from IAM’s model', () => {
  it('role and user names: 1 to 64 of [\\w+=,.@-]', () => {
    expect(roleNameProblems('github-web+ci=1,2.3@x_y')).toEqual([]);
    expect(roleNameProblems('x'.repeat(64))).toEqual([]);
    expect(roleNameProblems('x'.repeat(65))).toEqual(['Use at most 64 characters.']);
    expect(roleNameProblems('')).toEqual(['Enter a role name.']);
    expect(roleNameProblems('a/b')).not.toEqual([]);
    expect(userNameProblems('a b')).not.toEqual([]);
  });
});
