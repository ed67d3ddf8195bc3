import { describe, expect, it } from 'vitest';
import { trustsOnlyServices } from './who-can';

const trust = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('service roles', () => {
  it('is a role only AWS services may assume', () => {
    expect(trustsOnlyServices(trust({ Effect: 'Allow', Principal: { Service: ['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }))).toBe(true);
    // A Deny does not make anyone a truster.
    expect(trustsOnlyServices(trust({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }, { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }))).toBe(true);
  });

  it('is not one when a person, an account or a federated identity may assume it too', () => {
    expect(trustsOnlyServices(trust({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com', AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }))).toBe(false);
    expect(trustsOnlyServices(trust({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }, { Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/x' }, Action: 'sts:AssumeRoleWithWebIdentity' }))).toBe(false);
    expect(trustsOnlyServices(trust({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }))).toBe(false);
    expect(trustsOnlyServices(trust({ Effect: 'Allow', NotPrincipal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }))).toBe(false);
    expect(trustsOnlyServices('not json')).toBe(false);
    expect(trustsOnlyServices(trust())).toBe(false);
  });
});
