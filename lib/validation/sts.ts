import './constraints/sts';
import { boundsOf, memberShape, satisfies, stringRule } from './aws-model';

// The rules of STS AssumeRole's inputs that Berth fills in itself when
// BERTH_ASSUME_ROLE_ARN is set (lib/aws/role-sessions.ts), from AWS's model:
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html

export const ROLE_ARN = stringRule('sts', memberShape('sts', 'AssumeRoleRequest', 'RoleArn'));
export const EXTERNAL_ID = stringRule('sts', memberShape('sts', 'AssumeRoleRequest', 'ExternalId'));
export const SOURCE_IDENTITY = stringRule('sts', memberShape('sts', 'AssumeRoleRequest', 'SourceIdentity'));
export const ROLE_SESSION_NAME = stringRule('sts', memberShape('sts', 'AssumeRoleRequest', 'RoleSessionName'));
export const DURATION_SECONDS = boundsOf('sts', memberShape('sts', 'AssumeRoleRequest', 'DurationSeconds'));

/** An IAM role's ARN (what AssumeRole's model allows is wider: any printable text). */
export const ROLE_ARN_SHAPE = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export { satisfies };
