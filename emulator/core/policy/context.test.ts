import { describe, expect, it } from 'vitest';
import { RequestContext } from './conditions';
import { globalContext } from './context';
import { authorize } from './evaluate';
import { callerFromArn } from './match';
import { parsePolicy } from './parse';

const now = new Date('2026-12-01T10:00:00Z');

describe('globalContext: the User Guide’s principal key values', () => {
  it('an IAM user', () => {
    expect(
      globalContext(
        { arn: 'arn:aws:iam::123456789012:user/team/bob', uniqueId: 'AIDAEXAMPLEBOB', tags: { team: 'api' } },
        { now, secureTransport: true, sourceIp: '203.0.113.9', region: 'eu-west-1' },
      ),
    ).toEqual({
      'aws:CurrentTime': '2026-12-01T10:00:00.000Z',
      'aws:EpochTime': '1796119200',
      'aws:SecureTransport': true,
      'aws:SourceIp': '203.0.113.9',
      'aws:RequestedRegion': 'eu-west-1',
      'aws:PrincipalAccount': '123456789012',
      'aws:PrincipalType': 'User',
      'aws:username': 'bob',
      'aws:userid': 'AIDAEXAMPLEBOB',
      'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/team/bob',
      'aws:PrincipalTag/team': 'api',
    });
  });

  it('a role session: the role ARN as aws:PrincipalArn, role-id:session as aws:userid, no aws:username', () => {
    const ctx = globalContext(
      {
        arn: 'arn:aws:sts::123456789012:assumed-role/ci/build-7',
        roleArn: 'arn:aws:iam::123456789012:role/deploy/ci',
        uniqueId: 'AROAEXAMPLECI',
        sourceIdentity: 'alice',
        tokenIssueTime: new Date('2026-12-01T09:00:00Z'),
      },
      { now, secureTransport: false },
    );
    expect(ctx).toMatchObject({
      'aws:PrincipalType': 'AssumedRole',
      'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/deploy/ci',
      'aws:userid': 'AROAEXAMPLECI:build-7',
      'aws:SourceIdentity': 'alice',
      'aws:TokenIssueTime': '2026-12-01T09:00:00.000Z',
      'aws:SecureTransport': false,
    });
    expect(ctx['aws:username']).toBeUndefined();
  });

  it('the account root user', () => {
    expect(globalContext({ arn: 'arn:aws:iam::123456789012:root' }, { now, secureTransport: true })).toMatchObject({
      'aws:PrincipalType': 'Account',
      'aws:userid': '123456789012',
      'aws:PrincipalArn': 'arn:aws:iam::123456789012:root',
    });
  });

  it('a federated user', () => {
    expect(globalContext({ arn: 'arn:aws:sts::123456789012:federated-user/carol' }, { now, secureTransport: true })).toMatchObject({
      'aws:PrincipalType': 'FederatedUser',
      'aws:userid': '123456789012:carol',
    });
  });

  it('an anonymous request', () => {
    expect(globalContext({}, { now, secureTransport: true })).toMatchObject({
      'aws:PrincipalType': 'Anonymous',
      'aws:userid': 'anonymous',
      'aws:PrincipalAccount': 'anonymous',
    });
  });

  it('request tags become aws:RequestTag/… and aws:TagKeys', () => {
    const ctx = new RequestContext(globalContext({}, { now, secureTransport: true, requestTags: { team: 'api', env: 'prod' } }));
    expect(ctx.get('aws:requesttag/TEAM')).toEqual(['api']);
    expect(ctx.get('aws:TagKeys')).toEqual(['team', 'env']);
  });

  it('feeds a decision: a user may tag only with their own team', () => {
    const p = {
      source: { id: 'tagging', type: 'user' as const },
      policy: parsePolicy(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'ecr:CreateRepository',
              Resource: '*',
              Condition: { StringEquals: { 'aws:RequestTag/team': '${aws:PrincipalTag/team}' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } },
            },
          ],
        }),
        'identity',
      ),
    };
    const arn = 'arn:aws:iam::123456789012:user/bob';
    const run = (requestTags: Record<string, string>) =>
      authorize({
        caller: callerFromArn(arn),
        identityPolicies: [p],
        action: 'ecr:CreateRepository',
        resource: '*',
        context: globalContext({ arn, tags: { team: 'api' } }, { now, secureTransport: true, requestTags }),
      }).decision;
    expect(run({ team: 'api' })).toBe('allowed');
    expect(run({ team: 'web' })).toBe('implicitDeny');
    expect(run({ team: 'api', cost: '1' })).toBe('implicitDeny');
  });
});
