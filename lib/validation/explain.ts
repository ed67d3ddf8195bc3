import { z } from 'zod';
import { checkbox, many } from './fields';

// "Why was this denied?": the fix an admin applies. The form names where the
// grant goes and what it grants; the server rebuilds the statements from these
// (never takes a document from the form) and checks them against the action
// set, so a forged form can grant no more than the page offered.

const ARN_MAX = 2048;
export const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
/** A user or role ARN (IAM's own), path allowed. */
export const PRINCIPAL_ARN = /^arn:[a-z0-9-]+:iam::\d{12}:(user|role)\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,128}$/;
/** An ECR repository or S3 bucket/object ARN, or "*". */
export const RESOURCE_ARN = /^(\*|arn:[a-z0-9-]+:(ecr:[a-z0-9-]+:\d{12}:repository\/[a-z0-9][a-z0-9._/-]*|s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?))$/;
const GROUP = /^[\w+=,.@-]{1,128}$/;

export const applyFixSchema = z
  .object({
    target: z.enum(['user', 'role', 'group', 'repository', 'bucket']),
    group: z.string().regex(GROUP, 'Not an IAM group name.').optional().or(z.literal('').transform(() => undefined)),
    principal: z.string().max(ARN_MAX).regex(PRINCIPAL_ARN, 'Not an IAM user or role ARN.'),
    action: z.string().max(128).regex(IAM_ACTION, 'Not an IAM action (service:Action).'),
    resource: z.string().max(ARN_MAX).regex(RESOURCE_ARN, 'Not an ECR repository or S3 ARN.'),
    grant: many(z.string().max(128).regex(IAM_ACTION, 'Not an IAM action.')).pipe(z.array(z.string()).min(1, 'Nothing to grant.').max(16)),
    withLogin: checkbox,
    /** The hash of the resource policy the diff was made from (resource-policy targets). */
    baseHash: z.string().regex(/^[0-9a-f]{32}$/).optional().or(z.literal('').transform(() => undefined)),
  })
  .superRefine((v, ctx) => {
    if (v.target === 'group' && !v.group) ctx.addIssue({ code: 'custom', path: ['group'], message: 'Name the group.' });
    if ((v.target === 'repository' || v.target === 'bucket') && !v.baseHash) ctx.addIssue({ code: 'custom', path: ['baseHash'], message: 'Reload the page: the policy’s version is missing.' });
    if (v.target === 'user' || v.target === 'group') {
      if (!/:user\//.test(v.principal)) ctx.addIssue({ code: 'custom', path: ['principal'], message: 'Only a user has this kind of policy.' });
    }
    if (v.target === 'role' && !/:role\//.test(v.principal)) ctx.addIssue({ code: 'custom', path: ['principal'], message: 'Only a role has this kind of policy.' });
    if (v.target === 'repository' && !/:ecr:/.test(v.resource)) ctx.addIssue({ code: 'custom', path: ['resource'], message: 'Not a repository ARN.' });
    if (v.target === 'bucket' && !/:s3:::/.test(v.resource)) ctx.addIssue({ code: 'custom', path: ['resource'], message: 'Not an S3 ARN.' });
  });

export type ApplyFixInput = z.output<typeof applyFixSchema>;
