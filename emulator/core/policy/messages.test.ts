import { describe, expect, it } from 'vitest';
import { accessDeniedMessage as legacyMessage } from '../errors';
import { authorize } from './evaluate';
import { callerFromArn } from './match';
import { accessDeniedMessage, messageForResult, type AccessDeniedInput } from './messages';
import { parsePolicy } from './parse';

const bob = 'arn:aws:iam::123456789012:user/bob';
const repo = 'arn:aws:ecr:us-east-1:123456789012:repository/team/api';
const session = 'arn:aws:sts::123456789012:assumed-role/ci/session';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html, word for word.
describe('access-denied sentences', () => {
  const cases: [string, AccessDeniedInput, string][] = [
    [
      'no identity-based policy allows',
      { principalArn: bob, action: 'ecr:InitiateLayerUpload', resource: repo, reason: { kind: 'implicit', policyType: 'identity' } },
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: ecr:InitiateLayerUpload on resource: arn:aws:ecr:us-east-1:123456789012:repository/team/api because no identity-based policy allows the ecr:InitiateLayerUpload action',
    ],
    [
      'an explicit deny in an identity-based policy (the User Guide example)',
      {
        principalArn: 'arn:aws:iam::123456789012:user/JohnDoe',
        action: 'codedeploy:ListDeployments',
        resource: 'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*',
        reason: { kind: 'explicit', policyType: 'identity' },
      },
      'User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in an identity-based policy',
    ],
    [
      'an explicit deny in a resource-based policy (the User Guide example)',
      {
        principalArn: 'arn:aws:iam::123456789012:user/JohnDoe',
        action: 'secretsmanager:GetSecretValue',
        resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:*',
        reason: { kind: 'explicit', policyType: 'resource' },
      },
      'User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:* with an explicit deny in a resource-based policy',
    ],
    [
      'no resource-based policy allows, an action with no resource (the User Guide example)',
      { principalArn: 'arn:aws:iam::123456789012:user/JohnDoe', action: 'secretsmanager:GetSecretValue', reason: { kind: 'implicit', policyType: 'resource' } },
      'User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: secretsmanager:GetSecretValue because no resource-based policy allows the secretsmanager:GetSecretValue action',
    ],
    [
      'no identity-based policy allows, no resource named (the User Guide example)',
      { principalArn: 'arn:aws:iam::123456789012:user/JohnDoe', action: 'codecommit:ListRepositories', reason: { kind: 'implicit', policyType: 'identity' } },
      'User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codecommit:ListRepositories because no identity-based policy allows the codecommit:ListRepositories action',
    ],
    [
      'resource "*" is printed, as ECR does for GetAuthorizationToken',
      { principalArn: bob, action: 'ecr:GetAuthorizationToken', resource: '*', reason: { kind: 'implicit', policyType: 'identity' } },
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action',
    ],
    [
      'no permissions boundary allows (the User Guide example)',
      {
        principalArn: 'arn:aws:iam::123456789012:user/JohnDoe',
        action: 'codedeploy:ListDeployments',
        resource: 'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*',
        reason: { kind: 'implicit', policyType: 'boundary' },
      },
      'User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* because no permissions boundary allows the codedeploy:ListDeployments action',
    ],
    [
      'an explicit deny in a permissions boundary (the User Guide example)',
      { principalArn: 'arn:aws:iam::777788889999:user/JohnDoe', action: 'sagemaker:ListModels', reason: { kind: 'explicit', policyType: 'boundary' } },
      'User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: sagemaker:ListModels with an explicit deny in a permissions boundary',
    ],
    [
      'an SCP, even when its deny is implicit (the User Guide example)',
      { principalArn: 'arn:aws:iam::777788889999:user/JohnDoe', action: 'codecommit:ListRepositories', reason: { kind: 'implicit', policyType: 'scp' } },
      'User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: codecommit:ListRepositories with an explicit deny in a service control policy',
    ],
    [
      'an explicit deny in the role trust policy (the User Guide example)',
      { principalArn: 'arn:aws:iam::777788889999:user/JohnDoe', action: 'sts:AssumeRole', reason: { kind: 'explicit', policyType: 'trust' } },
      'User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: sts:AssumeRole with an explicit deny in the role trust policy',
    ],
    [
      'AssumeRole refused by the trust policy: no reason',
      { principalArn: bob, action: 'sts:AssumeRole', resource: 'arn:aws:iam::123456789012:role/ci', reason: { kind: 'implicit', policyType: 'trust' } },
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/ci',
    ],
    [
      'the variant without a reason',
      { principalArn: bob, action: 'ecr:PutImage', resource: repo },
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: ecr:PutImage on resource: arn:aws:ecr:us-east-1:123456789012:repository/team/api',
    ],
    [
      'an assumed-role session',
      { principalArn: session, action: 'ecr:InitiateLayerUpload', resource: repo, reason: { kind: 'explicit', policyType: 'resource' } },
      'User: arn:aws:sts::123456789012:assumed-role/ci/session is not authorized to perform: ecr:InitiateLayerUpload on resource: arn:aws:ecr:us-east-1:123456789012:repository/team/api with an explicit deny in a resource-based policy',
    ],
    [
      'S3 quotes the resource',
      { principalArn: bob, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', reason: { kind: 'implicit', policyType: 'identity' }, quoteResource: true },
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" because no identity-based policy allows the s3:GetObject action',
    ],
  ];
  it.each(cases)('%s', (_what, input, expected) => {
    expect(accessDeniedMessage(input)).toBe(expected);
  });

  it("matches the emulator's existing sentence (core/errors.ts) for the implicit identity case", () => {
    expect(accessDeniedMessage({ principalArn: bob, action: 'ecr:PutImage', resource: repo, reason: { kind: 'implicit', policyType: 'identity' } })).toBe(
      legacyMessage(bob, 'ecr:PutImage', repo),
    );
  });
});

describe('messageForResult', () => {
  const deny = {
    source: { id: 'repo', type: 'resource' as const },
    policy: parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'ecr:*' }] }), 'resource'),
  };
  it('words a decision', () => {
    const caller = callerFromArn(session);
    const r = authorize({ caller, action: 'ecr:InitiateLayerUpload', resource: repo, resourcePolicy: deny });
    expect(messageForResult(r, { principalArn: session, action: 'ecr:InitiateLayerUpload', resource: repo })).toBe(
      `User: ${session} is not authorized to perform: ecr:InitiateLayerUpload on resource: ${repo} with an explicit deny in a resource-based policy`,
    );
    const none = authorize({ caller, action: 'ecr:InitiateLayerUpload', resource: repo });
    expect(messageForResult(none, { principalArn: session, action: 'ecr:InitiateLayerUpload', resource: repo })).toMatch(
      /because no identity-based policy allows the ecr:InitiateLayerUpload action$/,
    );
  });
  it('gives nothing for an allow', () => {
    const allow = {
      source: { id: 'p', type: 'user' as const },
      policy: parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }), 'identity'),
    };
    const r = authorize({ caller: callerFromArn(bob), action: 'ecr:PutImage', resource: repo, identityPolicies: [allow] });
    expect(messageForResult(r, { principalArn: bob, action: 'ecr:PutImage', resource: repo })).toBeUndefined();
  });
});
