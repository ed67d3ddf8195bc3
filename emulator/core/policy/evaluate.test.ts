import { describe, expect, it } from 'vitest';
import { authorize, type AuthorizationRequest, type LoadedPolicy, type PolicySource } from './evaluate';
import { callerFromArn, type Caller } from './match';
import { parsePolicy, type PolicyKind } from './parse';

let n = 0;
function policy(doc: object, kind: PolicyKind = 'identity', source?: Partial<PolicySource>): LoadedPolicy {
  n++;
  return {
    source: { id: source?.id ?? `p${n}`, type: source?.type ?? (kind === 'identity' ? 'user' : 'resource') },
    policy: parsePolicy(JSON.stringify({ Version: '2012-10-17', ...doc }), kind),
  };
}

const A = '111111111111';
const B = '222222222222';
const carlos = callerFromArn(`arn:aws:iam::${A}:user/carlossalazar`);

// The User Guide's same-account example: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html#policies_evaluation_example
describe('the User Guide example within one account', () => {
  const carlosIdentity = policy({
    Statement: [
      {
        Sid: 'AllowS3ListRead',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:GetAccountPublicAccessBlock', 's3:ListAccessPoints', 's3:ListAllMyBuckets'],
        Resource: 'arn:aws:s3:::*',
      },
      { Sid: 'AllowS3Self', Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'] },
      { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*' },
    ],
  });
  const bucketPolicy = policy(
    {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${A}:user/carlossalazar` },
          Action: 's3:*',
          Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'],
        },
      ],
    },
    'resource',
  );
  const base = { caller: carlos, identityPolicies: [carlosIdentity], resourcePolicy: bucketPolicy };

  it('denies saving to carlossalazar-logs: the identity policy denies log buckets', () => {
    const r = authorize({ ...base, action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar-logs' });
    expect(r.decision).toBe('explicitDeny');
    expect(r.reason).toEqual({ kind: 'explicit', policyType: 'identity' });
    expect(r.matchedStatements.map((s) => s.sid)).toEqual(['DenyS3Logs']);
  });

  it('allows saving to carlossalazar: both policies allow', () => {
    const r = authorize({ ...base, action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar/notes.txt' });
    expect(r.decision).toBe('allowed');
    expect(r.allowedBy).toBe('both');
    expect(r.matchedStatements.map((s) => s.sid ?? s.source.type)).toEqual(['AllowS3Self', 'resource']);
  });

  it('still allows when only the bucket policy allows (same account)', () => {
    const r = authorize({ ...base, identityPolicies: [], action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar/notes.txt' });
    expect(r.decision).toBe('allowed');
    expect(r.allowedBy).toBe('resource');
  });

  it('still allows when only the identity policy allows (same account)', () => {
    const r = authorize({ ...base, resourcePolicy: undefined, action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar/notes.txt' });
    expect(r).toMatchObject({ decision: 'allowed', allowedBy: 'identity' });
  });

  it('implicitly denies what nothing allows', () => {
    const r = authorize({ ...base, action: 's3:PutObject', resource: 'arn:aws:s3:::someone-else/x' });
    expect(r).toMatchObject({ decision: 'implicitDeny', reason: { kind: 'implicit', policyType: 'identity' }, matchedStatements: [] });
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html#policies_evaluation_example-cross-account
describe('the User Guide example across accounts', () => {
  const identity = policy({
    Statement: [
      { Sid: 'AllowS3ListRead', Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
      { Sid: 'AllowS3ProductionObjectActions', Effect: 'Allow', Action: 's3:*Object*', Resource: 'arn:aws:s3:::Production/*' },
      { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: ['arn:aws:s3:::*log*', 'arn:aws:s3:::*log*/*'] },
    ],
  });
  const production = policy(
    {
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject*', 's3:PutObject*', 's3:ReplicateObject', 's3:RestoreObject'],
          Principal: { AWS: `arn:aws:iam::${A}:user/carlossalazar` },
          Resource: 'arn:aws:s3:::Production/*',
        },
      ],
    },
    'resource',
  );
  const req = { caller: carlos, identityPolicies: [identity], resourceAccount: B };

  it('denies Production-logs: an explicit deny in the trusted account', () => {
    const r = authorize({ ...req, action: 's3:PutObject', resource: 'arn:aws:s3:::Production-logs/f' });
    expect(r).toMatchObject({ decision: 'explicitDeny', crossAccount: true, reason: { policyType: 'identity' } });
  });

  it('allows Production: both accounts allow', () => {
    const r = authorize({ ...req, resourcePolicy: production, action: 's3:PutObject', resource: 'arn:aws:s3:::Production/f' });
    expect(r).toMatchObject({ decision: 'allowed', allowedBy: 'both', crossAccount: true });
  });

  it('denies deleting in Production: the bucket policy does not allow it', () => {
    const r = authorize({ ...req, resourcePolicy: production, action: 's3:DeleteObject', resource: 'arn:aws:s3:::Production/f' });
    expect(r).toMatchObject({ decision: 'implicitDeny', reason: { kind: 'implicit', policyType: 'resource' } });
  });

  it('denies when only the bucket policy allows (cross-account needs both)', () => {
    const r = authorize({ ...req, identityPolicies: [], resourcePolicy: production, action: 's3:PutObject', resource: 'arn:aws:s3:::Production/f' });
    expect(r).toMatchObject({ decision: 'implicitDeny', reason: { policyType: 'identity' } });
  });

  it('a bucket policy naming only the account still counts across accounts', () => {
    const toAccount = policy({ Statement: [{ Effect: 'Allow', Principal: { AWS: A }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::Production/*' }] }, 'resource');
    expect(authorize({ ...req, resourcePolicy: toAccount, action: 's3:PutObject', resource: 'arn:aws:s3:::Production/f' }).decision).toBe('allowed');
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html#AccessPolicyLanguage_Interplay
describe('explicit and implicit denies (AllowGetList / DenyReports)', () => {
  const p = policy({
    Statement: [
      { Sid: 'AllowGetList', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
      { Sid: 'DenyReports', Effect: 'Deny', Action: 'iam:*Report', Resource: '*' },
    ],
  });
  const reports = policy({ Statement: [{ Effect: 'Allow', Action: 'iam:GenerateCredentialReport', Resource: '*' }] });
  it.each([
    ['iam:GetUser', 'allowed'],
    ['iam:ListRoles', 'allowed'],
    ['iam:CreatePolicy', 'implicitDeny'],
    ['iam:GetOrganizationsAccessReport', 'explicitDeny'],
    ['iam:GenerateCredentialReport', 'explicitDeny'],
  ])('%s → %s', (action, decision) => {
    expect(authorize({ caller: carlos, identityPolicies: [p, reports], action, resource: '*' }).decision).toBe(decision);
  });
});

describe('resource-policy allows within one account, by principal (the User Guide table)', () => {
  const boundary = policy({ Statement: [{ Effect: 'Allow', Action: 'ecr:BatchGetImage', Resource: '*' }] }, 'identity', { id: 'boundary', type: 'none' });
  const repo = 'arn:aws:ecr:us-east-1:111111111111:repository/team/api';
  const allowTo = (principal: string) =>
    policy({ Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'ecr:InitiateLayerUpload' }] }, 'resource');
  const session = callerFromArn(`arn:aws:sts::${A}:assumed-role/ci/build-1`);
  const run = (caller: Caller, principal: string, withBoundary: boolean) =>
    authorize({
      caller,
      action: 'ecr:InitiateLayerUpload',
      resource: repo,
      resourcePolicy: allowTo(principal),
      permissionsBoundary: withBoundary ? boundary : undefined,
    });
  it.each([
    ['the user ARN, no boundary', carlos, `arn:aws:iam::${A}:user/carlossalazar`, false, 'allowed'],
    ['the user ARN, despite a boundary that does not allow', carlos, `arn:aws:iam::${A}:user/carlossalazar`, true, 'allowed'],
    ['the session ARN, despite the boundary', session, `arn:aws:sts::${A}:assumed-role/ci/build-1`, true, 'allowed'],
    ['the role ARN, no boundary', session, `arn:aws:iam::${A}:role/ci`, false, 'allowed'],
    ['the role ARN, limited by the boundary', session, `arn:aws:iam::${A}:role/ci`, true, 'implicitDeny'],
    ['only the account: the identity policy must allow', carlos, A, false, 'implicitDeny'],
    ['only the root ARN: the identity policy must allow', carlos, `arn:aws:iam::${A}:root`, false, 'implicitDeny'],
    ['"*"', carlos, '*', false, 'allowed'],
  ])('%s → %s', (_what, caller, principal, withBoundary, decision) => {
    expect(run(caller, principal, withBoundary).decision).toBe(decision);
  });

  it('a resource policy naming the account allows once the identity policy allows too', () => {
    const identity = policy({ Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: repo }] });
    const r = authorize({ caller: carlos, action: 'ecr:InitiateLayerUpload', resource: repo, identityPolicies: [identity], resourcePolicy: allowTo(A) });
    expect(r).toMatchObject({ decision: 'allowed', allowedBy: 'identity' });
  });
});

describe('permissions boundaries', () => {
  const identity = policy({ Statement: [{ Effect: 'Allow', Action: ['s3:*', 'ecr:*'], Resource: '*' }] });
  const boundary = policy({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }] }, 'identity', {
    id: 'PermissionsBoundaryPolicyInputList.1',
    type: 'none',
  });
  const req = (action: string): AuthorizationRequest => ({ caller: carlos, action, resource: '*', identityPolicies: [identity], permissionsBoundary: boundary });
  it('allows what both allow', () => {
    expect(authorize(req('s3:GetObject'))).toMatchObject({ decision: 'allowed', details: { identity: 'allowed', boundary: 'allowed' } });
  });
  it('implicitly denies what the boundary leaves out, naming the boundary', () => {
    expect(authorize(req('ecr:CreateRepository'))).toMatchObject({ decision: 'implicitDeny', reason: { kind: 'implicit', policyType: 'boundary' } });
  });
  it('explicitly denies what the boundary denies, without listing boundary statements', () => {
    const r = authorize(req('s3:DeleteBucket'));
    expect(r).toMatchObject({ decision: 'explicitDeny', reason: { kind: 'explicit', policyType: 'boundary' }, matchedStatements: [] });
  });
});

describe('role trust policies must allow', () => {
  const roleArn = `arn:aws:iam::${A}:role/ci`;
  const trust = (principal: object) => policy({ Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] }, 'trust');
  const canAssume = policy({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }] });
  const other = callerFromArn(`arn:aws:iam::${B}:user/dev`);
  const assume = (caller: Caller, principal: object, identity: LoadedPolicy[] = []) =>
    authorize({ caller, action: 'sts:AssumeRole', resource: roleArn, resourceAccount: A, resourcePolicy: trust(principal), resourcePolicyMustAllow: true, identityPolicies: identity });
  it.each([
    ['a trust policy naming the user, no identity policy', carlos, { AWS: `arn:aws:iam::${A}:user/carlossalazar` }, [], 'allowed'],
    ['a trust policy naming the account, no identity policy', carlos, { AWS: A }, [], 'implicitDeny'],
    ['a trust policy naming the account, with an identity policy', carlos, { AWS: A }, [canAssume], 'allowed'],
    ['a trust policy naming someone else, with an identity policy', carlos, { AWS: `arn:aws:iam::${A}:user/alice` }, [canAssume], 'implicitDeny'],
    ['another account named, no identity policy there', other, { AWS: B }, [], 'implicitDeny'],
    ['another account named, with its identity policy', other, { AWS: B }, [canAssume], 'allowed'],
    ['another account user named, with its identity policy', other, { AWS: `arn:aws:iam::${B}:user/dev` }, [canAssume], 'allowed'],
    ['another account user named, no identity policy', other, { AWS: `arn:aws:iam::${B}:user/dev` }, [], 'implicitDeny'],
    ['a service', { type: 'Service', service: 'ecs-tasks.amazonaws.com' } as Caller, { Service: 'ecs-tasks.amazonaws.com' }, [], 'allowed'],
  ])('%s → %s', (_what, caller, principal, identity, decision) => {
    expect(assume(caller, principal, identity).decision).toBe(decision);
  });

  it('a refusal by the trust policy carries the trust reason', () => {
    expect(assume(carlos, { AWS: `arn:aws:iam::${A}:user/alice` }, [canAssume]).reason).toEqual({ kind: 'implicit', policyType: 'trust' });
  });

  it('web identity federation with conditions on the token', () => {
    const provider = `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`;
    const p = policy(
      {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: provider },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/berth:*' },
            },
          },
        ],
      },
      'trust',
    );
    const run = (sub: string) =>
      authorize({
        caller: { type: 'Federated', provider },
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: roleArn,
        resourcePolicy: p,
        resourcePolicyMustAllow: true,
        context: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': sub },
      }).decision;
    expect(run('repo:acme/berth:ref:refs/heads/main')).toBe('allowed');
    expect(run('repo:evil/berth:ref:refs/heads/main')).toBe('implicitDeny');
  });
});

describe('conditions and context in decisions', () => {
  // The User Guide's Bool example: deny S3 without TLS.
  const denyInsecure = policy(
    {
      Statement: [
        { Sid: 'BooleanExample', Action: 's3:*', Effect: 'Deny', Principal: '*', Resource: ['arn:aws:s3:::DOC-EXAMPLE-BUCKET', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    },
    'resource',
  );
  const allowAll = policy({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
  it.each([
    [false, 'explicitDeny'],
    [true, 'allowed'],
  ])('aws:SecureTransport=%s → %s', (secure, decision) => {
    const r = authorize({
      caller: carlos,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/x',
      identityPolicies: [allowAll],
      resourcePolicy: denyInsecure,
      context: { 'aws:SecureTransport': secure },
    });
    expect(r.decision).toBe(decision);
    if (decision === 'explicitDeny') expect(r.reason).toEqual({ kind: 'explicit', policyType: 'resource' });
  });

  it('policy variables in identity policies: each user gets their own home prefix', () => {
    const home = policy({
      Statement: [
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/'] } } },
        { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::b/home/${aws:username}', 'arn:aws:s3:::b/home/${aws:username}/*'] },
      ],
    });
    const run = (action: string, resource: string, context: Record<string, string>) =>
      authorize({ caller: carlos, identityPolicies: [home], action, resource, context }).decision;
    expect(run('s3:GetObject', 'arn:aws:s3:::b/home/carlossalazar/a.txt', { 'aws:username': 'carlossalazar' })).toBe('allowed');
    expect(run('s3:GetObject', 'arn:aws:s3:::b/home/alice/a.txt', { 'aws:username': 'carlossalazar' })).toBe('implicitDeny');
    expect(run('s3:ListBucket', 'arn:aws:s3:::b', { 'aws:username': 'carlossalazar', 's3:prefix': 'home/carlossalazar/' })).toBe('allowed');
    expect(run('s3:ListBucket', 'arn:aws:s3:::b', { 'aws:username': 'carlossalazar', 's3:prefix': 'home/alice/' })).toBe('implicitDeny');
    const r = authorize({ caller: carlos, identityPolicies: [home], action: 's3:GetObject', resource: 'arn:aws:s3:::b/home/x/a' });
    expect(r.missingContextValues).toEqual(['aws:username']);
  });

  it('Version 2008-10-17 leaves ${aws:username} literal', () => {
    const old = {
      source: { id: 'old', type: 'user' as const },
      policy: parsePolicy(JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:username}/*' }] }), 'identity'),
    };
    const r = authorize({ caller: carlos, identityPolicies: [old], action: 's3:GetObject', resource: 'arn:aws:s3:::b/carlossalazar/x', context: { 'aws:username': 'carlossalazar' } });
    expect(r.decision).toBe('implicitDeny');
  });

  it('tags: aws:PrincipalTag against ecr:ResourceTag', () => {
    const p = policy({
      Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*', Condition: { StringEquals: { 'ecr:ResourceTag/team': '${aws:PrincipalTag/team}' } } }],
    });
    const run = (context: Record<string, string>) => authorize({ caller: carlos, identityPolicies: [p], action: 'ecr:PutImage', resource: '*', context }).decision;
    expect(run({ 'aws:PrincipalTag/team': 'api', 'ecr:ResourceTag/team': 'api' })).toBe('allowed');
    expect(run({ 'aws:PrincipalTag/team': 'web', 'ecr:ResourceTag/team': 'api' })).toBe('implicitDeny');
    expect(run({ 'ecr:ResourceTag/team': 'api' })).toBe('implicitDeny');
  });

  it('NotAction and NotResource', () => {
    const p = policy({
      Statement: [
        { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::ok', 'arn:aws:s3:::ok/*'] },
      ],
    });
    const run = (action: string, resource: string) => authorize({ caller: carlos, identityPolicies: [p], action, resource }).decision;
    expect(run('ecr:PutImage', '*')).toBe('allowed');
    expect(run('iam:CreateUser', '*')).toBe('implicitDeny');
    expect(run('s3:GetObject', 'arn:aws:s3:::ok/x')).toBe('allowed');
    expect(run('s3:GetObject', 'arn:aws:s3:::other/x')).toBe('explicitDeny');
  });

  it('NotPrincipal with Deny protects everyone but the named principals', () => {
    const p = policy(
      {
        Statement: [
          { Effect: 'Allow', Principal: { AWS: A }, Action: 's3:*', Resource: 'arn:aws:s3:::b/*' },
          { Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${A}:user/carlossalazar`, `arn:aws:iam::${A}:root`] }, Action: 's3:*', Resource: 'arn:aws:s3:::b/*' },
        ],
      },
      'resource',
    );
    const allowAllS3 = policy({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    const run = (arn: string) => authorize({ caller: callerFromArn(arn), identityPolicies: [allowAllS3], resourcePolicy: p, action: 's3:GetObject', resource: 'arn:aws:s3:::b/x' }).decision;
    expect(run(`arn:aws:iam::${A}:user/carlossalazar`)).toBe('allowed');
    expect(run(`arn:aws:iam::${A}:user/alice`)).toBe('explicitDeny');
  });
});

describe('callers without identity policies', () => {
  const publicRead = policy({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }] }, 'resource');
  const oac = policy(
    {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::site/*',
          Condition: { StringEquals: { 'AWS:SourceArn': `arn:aws:cloudfront::${A}:distribution/E1` } },
        },
      ],
    },
    'resource',
  );
  it('anonymous callers are allowed only by a public resource policy', () => {
    expect(authorize({ caller: { type: 'anonymous' }, action: 's3:GetObject', resource: 'arn:aws:s3:::site/i.html', resourcePolicy: publicRead }).decision).toBe('allowed');
    const r = authorize({ caller: { type: 'anonymous' }, action: 's3:PutObject', resource: 'arn:aws:s3:::site/i.html', resourcePolicy: publicRead });
    expect(r).toMatchObject({ decision: 'implicitDeny', reason: { policyType: 'resource' } });
    expect(authorize({ caller: { type: 'anonymous' }, action: 's3:GetObject', resource: 'arn:aws:s3:::site/i.html' }).decision).toBe('implicitDeny');
  });

  it('CloudFront origin access control: the service principal with aws:SourceArn', () => {
    const cf: Caller = { type: 'Service', service: 'cloudfront.amazonaws.com' };
    const run = (dist: string) =>
      authorize({ caller: cf, action: 's3:GetObject', resource: 'arn:aws:s3:::site/i.html', resourcePolicy: oac, context: { 'aws:SourceArn': `arn:aws:cloudfront::${A}:distribution/${dist}` } }).decision;
    expect(run('E1')).toBe('allowed');
    expect(run('E2')).toBe('implicitDeny');
  });

  it('the root user needs no identity policy in its own account but is stopped by a Deny', () => {
    const root = callerFromArn(`arn:aws:iam::${A}:root`);
    expect(authorize({ caller: root, action: 'ecr:DeleteRepository', resource: `arn:aws:ecr:us-east-1:${A}:repository/x` }).decision).toBe('allowed');
    const deny = policy({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::site/*' }] }, 'resource');
    expect(authorize({ caller: root, action: 's3:GetObject', resource: 'arn:aws:s3:::site/x', resourcePolicy: deny }).decision).toBe('explicitDeny');
  });

  it('another account’s root user needs that account’s resource policy', () => {
    const root = callerFromArn(`arn:aws:iam::${B}:root`);
    const toB = policy({ Statement: [{ Effect: 'Allow', Principal: { AWS: B }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }] }, 'resource');
    expect(authorize({ caller: root, action: 's3:GetObject', resource: 'arn:aws:s3:::site/x', resourceAccount: A }).decision).toBe('implicitDeny');
    expect(authorize({ caller: root, action: 's3:GetObject', resource: 'arn:aws:s3:::site/x', resourceAccount: A, resourcePolicy: toB }).decision).toBe('allowed');
    expect(authorize({ caller: root, action: 's3:PutObject', resource: 'arn:aws:s3:::site/x', resourceAccount: A, resourcePolicy: toB })).toMatchObject({
      decision: 'implicitDeny',
      reason: { kind: 'implicit', policyType: 'resource' },
    });
  });
});

describe('service control policies', () => {
  const allowAll = policy({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  const scpAll = policy({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'identity', { type: 'none' });
  const scpNoIam = policy({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:*', Resource: '*' }] }, 'identity', { type: 'none' });
  const scpS3Only = policy({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }, 'identity', { type: 'none' });
  const run = (action: string, levels: LoadedPolicy[][]) => authorize({ caller: carlos, identityPolicies: [allowAll], action, resource: '*', serviceControlPolicies: levels });
  it('every level must allow', () => {
    expect(run('s3:GetObject', [[scpAll], [scpS3Only]])).toMatchObject({ decision: 'allowed', details: { organizations: true } });
    expect(run('ecr:PutImage', [[scpAll], [scpS3Only]])).toMatchObject({ decision: 'implicitDeny', reason: { kind: 'explicit', policyType: 'scp' }, details: { organizations: false } });
  });
  it('a Deny in an SCP is an explicit deny', () => {
    expect(run('iam:CreateUser', [[scpNoIam]])).toMatchObject({ decision: 'explicitDeny', reason: { kind: 'explicit', policyType: 'scp' }, matchedStatements: [] });
  });
});

describe('details per policy type', () => {
  it('reports each type’s own decision', () => {
    const identity = policy({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const bucket = policy({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/secret' }] }, 'resource');
    const r = authorize({ caller: carlos, identityPolicies: [identity], resourcePolicy: bucket, action: 's3:GetObject', resource: 'arn:aws:s3:::b/secret' });
    expect(r.details).toEqual({ identity: 'allowed', resource: 'explicitDeny' });
    const ok = authorize({ caller: carlos, identityPolicies: [identity], resourcePolicy: bucket, action: 's3:GetObject', resource: 'arn:aws:s3:::b/open' });
    expect(ok.details).toEqual({ identity: 'allowed', resource: 'implicitDeny' });
  });
});
