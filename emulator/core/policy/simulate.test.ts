import { describe, expect, it } from 'vitest';
import { MalformedPolicyError } from './parse';
import { contextKeysForPolicies, simulatePolicies, SimulationInputError } from './simulate';

const dynamo =
  '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';

// awscli/examples/iam/simulate-custom-policy.rst
describe('SimulateCustomPolicy: the AWS CLI examples', () => {
  it('Example 1: allowed after the date, with the statement position', () => {
    const out = simulatePolicies({
      PolicyInputList: [dynamo],
      ActionNames: ['dynamodb:CreateBackup'],
      ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2019-04-25T11:00:00Z'], ContextKeyType: 'date' }],
    });
    expect(out).toEqual({
      EvaluationResults: [
        {
          EvalActionName: 'dynamodb:CreateBackup',
          EvalResourceName: '*',
          EvalDecision: 'allowed',
          MatchedStatements: [
            { SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } },
          ],
          MissingContextValues: [],
        },
      ],
      IsTruncated: false,
    });
  });

  it('Example 2: implicitly denied before the date', () => {
    const out = simulatePolicies({
      PolicyInputList: [dynamo],
      ActionNames: ['dynamodb:CreateBackup'],
      ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2014-04-25T11:00:00Z'], ContextKeyType: 'date' }],
    });
    expect(out.EvaluationResults).toEqual([
      { EvalActionName: 'dynamodb:CreateBackup', EvalResourceName: '*', EvalDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: [] },
    ]);
  });

  it('reports the condition key it lacked', () => {
    const out = simulatePolicies({ PolicyInputList: [dynamo], ActionNames: ['dynamodb:CreateBackup'] });
    expect(out.EvaluationResults?.[0]).toMatchObject({ EvalDecision: 'implicitDeny', MissingContextValues: ['aws:CurrentTime'] });
  });
});

describe('SimulatePrincipalPolicy', () => {
  const user = 'arn:aws:iam::123456789012:user/alejandro';
  const listRepos = `{
    "Version": "2012-10-17",
    "Statement": {
        "Effect": "Allow",
        "Action": "codecommit:ListRepositories",
        "Resource": "*"
        }
}`;
  it('the AWS CLI example: one inline policy allows ListRepositories', () => {
    const out = simulatePolicies({
      PolicySourceArn: user,
      principalPolicies: [{ document: listRepos, source: { id: 'Grant-Access-To-CodeCommit-ListRepo', type: 'user' } }],
      ActionNames: ['codecommit:ListRepositories'],
    });
    expect(out.EvaluationResults).toEqual([
      {
        EvalActionName: 'codecommit:ListRepositories',
        EvalResourceName: '*',
        EvalDecision: 'allowed',
        MatchedStatements: [
          { SourcePolicyId: 'Grant-Access-To-CodeCommit-ListRepo', SourcePolicyType: 'user', StartPosition: { Line: 3, Column: 19 }, EndPosition: { Line: 7, Column: 10 } },
        ],
        MissingContextValues: [],
      },
    ]);
  });

  const repo = (name: string) => `arn:aws:ecr:us-east-1:123456789012:repository/${name}`;
  const ecrPolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Push', Effect: 'Allow', Action: ['ecr:InitiateLayerUpload', 'ecr:PutImage'], Resource: 'arn:aws:ecr:*:123456789012:repository/team/*' },
      { Sid: 'NoProd', Effect: 'Deny', Action: 'ecr:PutImage', Resource: 'arn:aws:ecr:*:123456789012:repository/team/prod' },
    ],
  });

  it('one result per action, with a result per resource and the most restrictive decision on top', () => {
    const out = simulatePolicies({
      PolicySourceArn: user,
      principalPolicies: [{ document: ecrPolicy, source: { id: 'ecr-push', type: 'user-managed' } }],
      ActionNames: ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:DeleteRepository'],
      ResourceArns: [repo('team/api'), repo('team/prod')],
      resourceTemplate: (a) => (a.startsWith('ecr:') ? 'arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}' : undefined),
    });
    const [put, upload, del] = out.EvaluationResults ?? [];
    expect(put).toMatchObject({
      EvalActionName: 'ecr:PutImage',
      EvalResourceName: 'arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}',
      EvalDecision: 'explicitDeny',
      EvalDecisionDetails: {},
    });
    expect(put?.MatchedStatements).toHaveLength(1); // only the Deny decided the top level
    expect(put?.ResourceSpecificResults?.map((r) => [r.EvalResourceName, r.EvalResourceDecision, r.MatchedStatements?.length])).toEqual([
      [repo('team/api'), 'allowed', 1],
      [repo('team/prod'), 'explicitDeny', 1],
    ]);
    expect(upload).toMatchObject({ EvalDecision: 'allowed' });
    expect(upload?.ResourceSpecificResults?.every((r) => r.EvalResourceDecision === 'allowed')).toBe(true);
    expect(del).toMatchObject({ EvalDecision: 'implicitDeny', MatchedStatements: [] });
  });

  it('a resource policy in the same account: the bucket policy alone allows', () => {
    const bucketPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: user }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
    });
    const out = simulatePolicies({ PolicySourceArn: user, principalPolicies: [], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::b/k'], ResourcePolicy: bucketPolicy });
    expect(out.EvaluationResults?.[0]).toMatchObject({
      EvalDecision: 'allowed',
      EvalDecisionDetails: {},
      MatchedStatements: [{ SourcePolicyId: 'ResourcePolicy', SourcePolicyType: 'resource' }],
    });
  });

  it('cross-account: both sides must allow, and EvalDecisionDetails says which did', () => {
    const bucketPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
    });
    const identity = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    const run = (policies: string[], action: string) =>
      simulatePolicies({
        PolicySourceArn: user,
        principalPolicies: policies.map((d, i) => ({ document: d, source: { id: `p${i}`, type: 'user' as const } })),
        ActionNames: [action],
        ResourceArns: ['arn:aws:s3:::b/k'],
        ResourcePolicy: bucketPolicy,
        ResourceOwner: 'arn:aws:iam::999999999999:root',
      }).EvaluationResults?.[0];
    expect(run([identity], 's3:GetObject')).toMatchObject({ EvalDecision: 'allowed', EvalDecisionDetails: { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' } });
    expect(run([], 's3:GetObject')).toMatchObject({ EvalDecision: 'implicitDeny', EvalDecisionDetails: { 'IAM Policy': 'implicitDeny', 'Resource Policy': 'allowed' } });
    expect(run([identity], 's3:PutObject')).toMatchObject({ EvalDecision: 'implicitDeny', EvalDecisionDetails: { 'IAM Policy': 'allowed', 'Resource Policy': 'implicitDeny' } });
  });

  it('CallerArn simulates another caller with these policies', () => {
    const bucketPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/bob' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
    });
    const run = (CallerArn?: string) =>
      simulatePolicies({ PolicySourceArn: user, ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::b/k'], ResourcePolicy: bucketPolicy, CallerArn }).EvaluationResults?.[0]?.EvalDecision;
    expect(run('arn:aws:iam::123456789012:user/bob')).toBe('allowed');
    expect(run()).toBe('implicitDeny');
  });

  it('takes only an IAM user as the caller, and needs one with a resource policy', () => {
    const bucketPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/app' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
    });
    const role = 'arn:aws:iam::123456789012:role/app';
    const base = { ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::b/k'], ResourcePolicy: bucketPolicy };
    // A role's policies with a resource policy: the role is not a caller.
    expect(() => simulatePolicies({ ...base, PolicySourceArn: role })).toThrow(
      new SimulationInputError('CallerArn is required when a ResourcePolicy is included and the PolicySourceArn is not the ARN of an IAM user.'),
    );
    for (const caller of [role, 'arn:aws:sts::123456789012:assumed-role/app/s', 'arn:aws:iam::123456789012:group/devs']) {
      expect(() => simulatePolicies({ ...base, PolicySourceArn: role, CallerArn: caller })).toThrow(
        new SimulationInputError(`Invalid CallerArn: ${caller}. CallerArn must be the ARN of an IAM user.`),
      );
    }
    expect(() => simulatePolicies({ ...base, PolicyInputList: [] })).toThrow(new SimulationInputError('CallerArn is required when a ResourcePolicy is included.'));
    // A user as the caller with the role's policies is fine; without a resource policy the role needs no caller.
    expect(simulatePolicies({ ...base, PolicySourceArn: role, CallerArn: 'arn:aws:iam::123456789012:user/bob' }).EvaluationResults?.[0]?.EvalDecision).toBe('implicitDeny');
    expect(simulatePolicies({ ActionNames: ['s3:GetObject'], PolicySourceArn: role }).EvaluationResults?.[0]?.EvalDecision).toBe('implicitDeny');
  });

  it('a permissions boundary from the input list replaces the entity’s and is reported', () => {
    const identity = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const boundary = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    const out = simulatePolicies({
      PolicySourceArn: user,
      principalPolicies: [{ document: identity, source: { id: 'admin', type: 'aws-managed' } }],
      principalBoundary: { document: identity, source: { id: 'old-boundary', type: 'aws-managed' } },
      PermissionsBoundaryPolicyInputList: [boundary],
      ActionNames: ['s3:GetObject', 'ecr:PutImage'],
    });
    expect(out.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalDecision, r.PermissionsBoundaryDecisionDetail])).toEqual([
      ['s3:GetObject', 'allowed', { AllowedByPermissionsBoundary: true }],
      ['ecr:PutImage', 'implicitDeny', { AllowedByPermissionsBoundary: false }],
    ]);
    expect(out.EvaluationResults?.[0]?.MatchedStatements).toEqual([expect.objectContaining({ SourcePolicyId: 'admin', SourcePolicyType: 'aws-managed' })]);
  });

  it('service control policies per level, reported as OrganizationsDecisionDetail', () => {
    const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const s3Only = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    const out = simulatePolicies({
      PolicyInputList: [allowAll],
      OrderedOrganizationPolicyInputList: [{ ServiceControlPolicyInputList: [allowAll] }, { ServiceControlPolicyInputList: [s3Only] }],
      ActionNames: ['s3:GetObject', 'ecr:PutImage'],
    });
    expect(out.EvaluationResults?.map((r) => [r.EvalDecision, r.OrganizationsDecisionDetail?.AllowedByOrganizations])).toEqual([
      ['allowed', true],
      ['implicitDeny', false],
    ]);
  });

  it('context entries: list types keep every value, single types the first', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ecr:TagResource', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } } }],
    });
    const run = (values: string[], type: 'stringList' | 'string') =>
      simulatePolicies({ PolicyInputList: [policy], ActionNames: ['ecr:TagResource'], ContextEntries: [{ ContextKeyName: 'aws:TagKeys', ContextKeyValues: values, ContextKeyType: type }] })
        .EvaluationResults?.[0]?.EvalDecision;
    expect(run(['team', 'env'], 'stringList')).toBe('allowed');
    expect(run(['team', 'owner'], 'stringList')).toBe('implicitDeny');
    expect(run(['team', 'owner'], 'string')).toBe('allowed');
  });

  it('pages with MaxItems and Marker', () => {
    const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const actions = ['s3:A', 's3:B', 's3:C'];
    const first = simulatePolicies({ PolicyInputList: [allowAll], ActionNames: actions, MaxItems: 2 });
    expect(first.EvaluationResults?.map((r) => r.EvalActionName)).toEqual(['s3:A', 's3:B']);
    expect(first).toMatchObject({ IsTruncated: true, Marker: '2' });
    const second = simulatePolicies({ PolicyInputList: [allowAll], ActionNames: actions, MaxItems: 2, Marker: first.Marker });
    expect(second.EvaluationResults?.map((r) => r.EvalActionName)).toEqual(['s3:C']);
    expect(second.IsTruncated).toBe(false);
  });

  it.each([
    ['a wildcard action', { PolicyInputList: [dynamo], ActionNames: ['dynamodb:*'] }],
    ['no actions', { PolicyInputList: [dynamo], ActionNames: [] }],
    ['two permissions boundaries', { PolicyInputList: [dynamo], ActionNames: ['dynamodb:GetItem'], PermissionsBoundaryPolicyInputList: [dynamo, dynamo] }],
    ['a resource policy with no caller', { PolicyInputList: [dynamo], ActionNames: ['s3:GetObject'], ResourcePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}' }],
    ['a bad Marker', { PolicyInputList: [dynamo], ActionNames: ['dynamodb:GetItem'], Marker: 'x' }],
  ])('refuses %s with InvalidInput', (_what, input) => {
    expect(() => simulatePolicies(input)).toThrow(SimulationInputError);
  });

  it('refuses a malformed input policy with MalformedPolicyDocument', () => {
    expect(() => simulatePolicies({ PolicyInputList: ['{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}'], ActionNames: ['s3:GetObject'] })).toThrow(
      MalformedPolicyError,
    );
  });
});

// awscli/examples/iam/get-context-keys-for-custom-policy.rst
describe('GetContextKeysFor*Policy', () => {
  it('the AWS CLI example: a variable in Resource and a condition key', () => {
    const doc =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}';
    expect(contextKeysForPolicies([doc])).toEqual(['aws:username', 'aws:CurrentTime']);
  });

  it('collects across policies once each, variables in condition values too', () => {
    const a = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefix': "home/${aws:username}/${aws:PrincipalTag/team, 'none'}" } } },
        { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      ],
    });
    const b = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${AWS:UserName}/${*}' }] });
    expect(contextKeysForPolicies([a, b])).toEqual(['s3:prefix', 'aws:username', 'aws:PrincipalTag/team', 'aws:SecureTransport', 'aws:SourceIp']);
  });

  it('Version 2008-10-17 has no variables', () => {
    const old = JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:username}' }] });
    expect(contextKeysForPolicies([old])).toEqual([]);
  });
});
