import { z } from 'zod';
import { distributionIdSchema } from './cloudfront';
import { repositoryNameSchema } from './ecr';
import { branchProblems, githubOwnerProblems, githubRepoProblems, roleNameProblems, userNameProblems } from './ci-rules';
import { regionField } from './fields';

// The "push from CI" actions' inputs. Every value is checked here before any
// AWS call: the GitHub names end up inside a trust policy's condition, the
// IAM names in CreateRole / CreateUser.

function checked(problems: (v: string) => string[]) {
  return z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      for (const message of problems(v)) ctx.addIssue({ code: 'custom', message });
    });
}

const github = {
  owner: checked(githubOwnerProblems),
  repo: checked(githubRepoProblems),
  branch: checked(branchProblems),
};

const ecrTarget = { region: regionField, repository: repositoryNameSchema };
const siteTarget = { id: distributionIdSchema };

export const ecrCiRoleSchema = z.object({ ...ecrTarget, ...github, roleName: checked(roleNameProblems) });
export const ecrCiUserSchema = z.object({ ...ecrTarget, ...github, userName: checked(userNameProblems) });
export const siteCiRoleSchema = z.object({ ...siteTarget, ...github, roleName: checked(roleNameProblems) });
export const siteCiUserSchema = z.object({ ...siteTarget, ...github, userName: checked(userNameProblems) });

export type GithubFields = { owner: string; repo: string; branch: string };
