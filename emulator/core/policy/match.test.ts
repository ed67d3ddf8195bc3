import { describe, expect, it } from 'vitest';
import {
  actionMatches,
  arnLike,
  callerFromArn,
  notPrincipalExcludes,
  principalKind,
  principalMatches,
  resourceMatches,
  substitute,
  wildcardMatch,
  type Caller,
} from './match';
import type { PrincipalSpec } from './parse';

const vars: Record<string, string> = { 'aws:username': 'bob', 'aws:principaltag/team': 'api', 'aws:userid': 'AIDAEXAMPLE' };
const lookup = (k: string) => vars[k.toLowerCase()];

describe('wildcards', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything/at:all', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'ac', true],
    ['a*c', 'ab', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['a.c', 'abc', false],
    ['a+b', 'a+b', true],
    ['(x)', '(x)', true],
    ['*log*', 'carlossalazar-logs', true],
    ['*log*', 'carlossalazar', false],
    ['**', 'x', true],
    ['a*b*c', 'a-b-b-c', true],
    ['a*b*c', 'a-c-b', false],
  ])('%s ~ %s → %s', (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected);
  });
});

describe('wildcards on hostile input', () => {
  it('many stars against a long value finish (no exponential backtracking)', () => {
    const value = 'a'.repeat(5000);
    expect(wildcardMatch('*a*a*a*a*a*a*a*a*a*a*a*a*b', value)).toBe(false);
    expect(wildcardMatch('*a*a*a*a*a*a*a*a*a*a*a*a*', value)).toBe(true);
  });
});

describe('actions compare without regard to case', () => {
  it.each([
    ['s3:GetObject', 's3:GetObject', true],
    ['s3:getobject', 's3:GetObject', true],
    ['S3:Get*', 's3:GetObjectVersion', true],
    ['s3:*Object*', 's3:PutObjectAcl', true],
    ['iam:*Report', 'iam:GetOrganizationsAccessReport', true],
    ['iam:*Report', 'iam:GetReportTemplate', false],
    ['ecr:*', 'ecr:InitiateLayerUpload', true],
    ['ecr:*', 'ecr-public:GetAuthorizationToken', false],
    ['*', 'sts:AssumeRole', true],
    ['s3:Get?bject', 's3:GetObject', true],
    ['s3:List*', 's3:GetObject', false],
  ])('%s ~ %s → %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});

describe('resources', () => {
  it.each([
    ['*', 'arn:aws:s3:::b/k', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/k/with:colon', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b', false],
    ['arn:aws:s3:::B/*', 'arn:aws:s3:::b/k', false],
    ['arn:aws:s3:::*log*', 'arn:aws:s3:::carlossalazar-logs', true],
    ['arn:aws:ecr:*:123456789012:repository/team/*', 'arn:aws:ecr:us-east-1:123456789012:repository/team/api', true],
    ['arn:aws:ecr:*:123456789012:repository/team/*', 'arn:aws:ecr:us-east-1:999999999999:repository/team/api', false],
    // A wildcard in a leading part stays in that part.
    ['arn:aws:ecr:*:repository/x', 'arn:aws:ecr:us-east-1:123456789012:repository/x', false],
    ['arn:aws:s3:::b/home/${aws:username}/*', 'arn:aws:s3:::b/home/bob/notes.txt', true],
    ['arn:aws:s3:::b/home/${aws:username}/*', 'arn:aws:s3:::b/home/alice/notes.txt', false],
    ['arn:aws:s3:::b-${aws:PrincipalTag/team}', 'arn:aws:s3:::b-api', true],
    ["arn:aws:s3:::b-${aws:PrincipalTag/missing, 'company-wide'}", 'arn:aws:s3:::b-company-wide', true],
    ['arn:aws:s3:::b/${*}', 'arn:aws:s3:::b/*', true],
    ['arn:aws:s3:::b/${*}', 'arn:aws:s3:::b/x', false],
    ['arn:aws:s3:::b/${?}${$}', 'arn:aws:s3:::b/?$', true],
  ])('%s ~ %s → %s', (pattern, resource, expected) => {
    expect(resourceMatches(pattern, resource, lookup).match).toBe(expected);
  });

  it('a variable with no value matches no resource and is reported missing', () => {
    expect(resourceMatches('arn:aws:s3:::b/${aws:PrincipalTag/dept}/*', 'arn:aws:s3:::b/x/y', lookup)).toEqual({
      match: false,
      missing: ['aws:PrincipalTag/dept'],
    });
  });

  it('without variables (Version 2008-10-17) ${...} is literal text', () => {
    expect(resourceMatches('arn:aws:s3:::b/${aws:username}', 'arn:aws:s3:::b/${aws:username}', undefined).match).toBe(true);
    expect(resourceMatches('arn:aws:s3:::b/${aws:username}', 'arn:aws:s3:::b/bob', undefined).match).toBe(false);
  });

  it('a value substituted for a variable is literal, never a wildcard', () => {
    const star = (k: string) => (k === 'aws:username' ? '*' : undefined);
    expect(resourceMatches('arn:aws:s3:::b/${aws:username}', 'arn:aws:s3:::b/anything', star).match).toBe(false);
    expect(resourceMatches('arn:aws:s3:::b/${aws:username}', 'arn:aws:s3:::b/*', star).match).toBe(true);
  });
});

describe('substitute', () => {
  it('keeps literal pieces, wildcards and defaults apart', () => {
    expect(substitute("a*${aws:username}-${x, 'd'}?", lookup)).toEqual({
      pieces: [{ lit: 'a' }, { star: true }, { lit: 'bob' }, { lit: '-' }, { lit: 'd' }, { one: true }],
      missing: [],
    });
  });
});

describe('ARN condition matching works part by part', () => {
  const lit = (s: string) => substitute(s, undefined).pieces;
  it.each([
    ['arn:aws:sns:*:111122223333:finance/*', 'arn:aws:sns:us-east-2:111122223333:finance/doc.txt', true],
    // The User Guide's example: StringLike would match, ArnLike does not.
    ['arn:aws:someservice:*:111122223333:finance/*', 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt', false],
    ['arn:aws:cloudfront::123456789012:distribution/E1', 'arn:aws:cloudfront::123456789012:distribution/E1', true],
    ['arn:aws:cloudfront::123456789012:distribution/E1', 'arn:aws:cloudfront::123456789012:distribution/E2', false],
    ['arn:aws:iam::*:role/ci', 'arn:aws:iam::123456789012:role/ci', true],
    ['arn:aws:iam::*:role/ci', 'not-an-arn', false],
    ['arn:aws:s3:::b/a:b', 'arn:aws:s3:::b/a:b', true],
  ])('%s ~ %s → %s', (pattern, value, expected) => {
    expect(arnLike(lit(pattern), value)).toBe(expected);
  });
});

describe('principals', () => {
  const user = callerFromArn('arn:aws:iam::123456789012:user/bob', { userId: 'AIDAEXAMPLEBOB' });
  const session = callerFromArn('arn:aws:sts::123456789012:assumed-role/ci/build-7');
  const pathSession = callerFromArn('arn:aws:sts::123456789012:assumed-role/ci/build-7', { roleArn: 'arn:aws:iam::123456789012:role/team/ci' });
  const root = callerFromArn('arn:aws:iam::123456789012:root');
  const other = callerFromArn('arn:aws:iam::999999999999:user/eve');
  const anon: Caller = { type: 'anonymous' };
  const cf: Caller = { type: 'Service', service: 'cloudfront.amazonaws.com' };
  const gh: Caller = { type: 'Federated', provider: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' };

  it('derives the role of a session from its ARN', () => {
    expect(session).toMatchObject({ type: 'AWS', account: '123456789012', roleArn: 'arn:aws:iam::123456789012:role/ci' });
    expect(principalKind('arn:aws:iam::123456789012:root')).toBe('root');
    expect(principalKind('arn:aws:sts::123456789012:federated-user/bob')).toBe('federated-user');
    expect(principalKind('arn:aws:iam::123456789012:role/x')).toBe('role');
    expect(principalKind('nonsense')).toBe('other');
  });

  const table: [string, PrincipalSpec, Caller, string][] = [
    ['"*" names everyone', '*', anon, 'direct'],
    ['"*" names a service', '*', cf, 'direct'],
    ['{"AWS":"*"} names anonymous callers', { AWS: ['*'] }, anon, 'direct'],
    ['{"AWS":"*"} names users', { AWS: ['*'] }, user, 'direct'],
    ['{"AWS":"*"} does not name a service', { AWS: ['*'] }, cf, 'none'],
    ['an account id names its users (through the account)', { AWS: ['123456789012'] }, user, 'account'],
    ['a root ARN names its users (through the account)', { AWS: ['arn:aws:iam::123456789012:root'] }, session, 'account'],
    ['an account id does not name another account', { AWS: ['123456789012'] }, other, 'none'],
    ['an account id does not name anonymous callers', { AWS: ['123456789012'] }, anon, 'none'],
    ['a user ARN names that user', { AWS: ['arn:aws:iam::123456789012:user/bob'] }, user, 'direct'],
    ['a user ARN is case-sensitive', { AWS: ['arn:aws:iam::123456789012:user/Bob'] }, user, 'none'],
    ['a unique id names that user', { AWS: ['AIDAEXAMPLEBOB'] }, user, 'direct'],
    ['a role ARN names its sessions (through the role)', { AWS: ['arn:aws:iam::123456789012:role/ci'] }, session, 'role'],
    ['a role ARN with a path names sessions of that role', { AWS: ['arn:aws:iam::123456789012:role/team/ci'] }, pathSession, 'role'],
    ['a pathless role ARN does not name a role with a path', { AWS: ['arn:aws:iam::123456789012:role/ci'] }, pathSession, 'none'],
    ['a session ARN names that session', { AWS: ['arn:aws:sts::123456789012:assumed-role/ci/build-7'] }, session, 'direct'],
    ['another session ARN does not', { AWS: ['arn:aws:sts::123456789012:assumed-role/ci/build-8'] }, session, 'none'],
    ['the best match wins', { AWS: ['123456789012', 'arn:aws:iam::123456789012:role/ci'] }, session, 'role'],
    ['a Service principal', { Service: ['cloudfront.amazonaws.com'] }, cf, 'direct'],
    ['another Service principal', { Service: ['ecs-tasks.amazonaws.com'] }, cf, 'none'],
    ['a Federated principal', { Federated: ['arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'] }, gh, 'direct'],
    ['root is named by its account', { AWS: ['123456789012'] }, root, 'account'],
    ['root is named by its ARN', { AWS: ['arn:aws:iam::123456789012:root'] }, root, 'direct'],
  ];
  it.each(table)('%s', (_what, spec, caller, expected) => {
    expect(principalMatches(spec, caller)).toBe(expected);
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
  const notTable: [string, PrincipalSpec, Caller, boolean][] = [
    ['user and its account named: left out', { AWS: ['arn:aws:iam::123456789012:user/bob', 'arn:aws:iam::123456789012:root'] }, user, true],
    ['only the user named: its account is not, so it is covered', { AWS: ['arn:aws:iam::123456789012:user/bob'] }, user, false],
    ['another user of the named account is covered', { AWS: ['arn:aws:iam::123456789012:user/alice', '123456789012'] }, user, false],
    ['session, role and account named: left out', { AWS: ['arn:aws:sts::123456789012:assumed-role/ci/build-7', 'arn:aws:iam::123456789012:role/ci', '123456789012'] }, session, true],
    ['session and account without the role: covered', { AWS: ['arn:aws:sts::123456789012:assumed-role/ci/build-7', '123456789012'] }, session, false],
    ['anonymous callers are never left out by an AWS list', { AWS: ['123456789012'] }, anon, false],
    ['a named service is left out', { Service: ['cloudfront.amazonaws.com'] }, cf, true],
    ['root is left out by its account', { AWS: ['123456789012'] }, root, true],
  ];
  it.each(notTable)('NotPrincipal: %s', (_what, spec, caller, expected) => {
    expect(notPrincipalExcludes(spec, caller)).toBe(expected);
  });
});
