import './constraints/iam';
import { codePoints, memberShape, satisfies, stringRule } from './aws-model';

// The rules of the "push from CI" forms, zod-free so the form's browser bundle
// can check as the person types (the action's zod schema in ./ci.ts is the
// check that counts, and says the same sentences).

// IAM's own name rules, from its current API model (models/aws-constraints.json).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
const ROLE_NAME = stringRule('iam', memberShape('iam', 'CreateRoleRequest', 'RoleName'));
const USER_NAME = stringRule('iam', memberShape('iam', 'CreateUserRequest', 'UserName'));

function iamNameProblems(rule: ReturnType<typeof stringRule>, value: string, what: string): string[] {
  if (satisfies(rule, value)) return [];
  const problems: string[] = [];
  const n = codePoints(value);
  if (rule.min !== undefined && n < rule.min) problems.push(`Enter a ${what}.`);
  if (rule.max !== undefined && n > rule.max) problems.push(`Use at most ${rule.max} characters.`);
  if (n && !/^[\w+=,.@-]*$/.test(value)) problems.push('Use only letters, digits and + = , . @ _ -');
  if (!problems.length) problems.push(`IAM does not accept this ${what}.`);
  return problems;
}

export const roleNameProblems = (v: string) => iamNameProblems(ROLE_NAME, v, 'role name');
export const userNameProblems = (v: string) => iamNameProblems(USER_NAME, v, 'user name');

/**
 * A GitHub account or organization name: letters, digits and single hyphens,
 * not at either end, at most 39 characters (GitHub's sign-up form says so;
 * older accounts may have other names, which GitHub still shows as they are).
 */
export function githubOwnerProblems(owner: string): string[] {
  if (!owner) return ['Enter the GitHub account or organization that owns the repository.'];
  const problems: string[] = [];
  if (owner.length > 39) problems.push('GitHub account names have at most 39 characters.');
  if (/[^A-Za-z0-9-]/.test(owner)) problems.push('Use only letters, digits and hyphens.');
  if (/^-|-$/.test(owner)) problems.push('Start and end with a letter or digit.');
  if (/--/.test(owner)) problems.push('Use single hyphens only.');
  return problems;
}

/** A GitHub repository name: letters, digits, `.`, `_` and `-`, at most 100 characters, not "." or "..". */
export function githubRepoProblems(repo: string): string[] {
  if (!repo) return ['Enter the repository name.'];
  const problems: string[] = [];
  if (repo.length > 100) problems.push('GitHub repository names have at most 100 characters.');
  if (/[^A-Za-z0-9._-]/.test(repo)) problems.push('Use only letters, digits and . _ -');
  if (repo === '.' || repo === '..') problems.push('“.” and “..” are not repository names.');
  return problems;
}

/**
 * A branch name as git accepts it (git check-ref-format), which is all that
 * can appear after refs/heads/ in GitHub's subject claim. `*` and `?` are
 * among the refused, so the name cannot act as a wildcard anywhere.
 * https://git-scm.com/docs/git-check-ref-format
 */
export function branchProblems(branch: string): string[] {
  if (!branch) return ['Enter the branch that deploys, e.g. main.'];
  const problems: string[] = [];
  if (branch.length > 255) problems.push('Use at most 255 characters.');
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(branch)) problems.push('Git branch names cannot hold spaces or any of ~ ^ : ? * [ \\');
  if (/\.\.|@\{|\/\/|^\/|\/$|\.$|\.lock$|(^|\/)\./.test(branch) || branch === '@' || /\.lock\//.test(branch)) {
    problems.push('Git refuses this branch name (“..”, “@{”, “//”, a leading “/” or “.”, or a trailing “/”, “.” or “.lock”).');
  }
  return problems;
}
