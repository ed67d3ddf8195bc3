import { describe, expect, it } from 'vitest';
import { evaluateConditions, evaluateEntry, ipInCidr, parseDate, RequestContext, type ContextInput } from './conditions';

const ctx = new RequestContext({
  'aws:username': 'johndoe',
  'aws:SecureTransport': false,
  'aws:SourceIp': '203.0.113.42',
  'aws:PrincipalTag/job-category': 'iamuser-admin',
  'aws:PrincipalTag/team': 'api',
  'aws:PrincipalAccount': '123456789012',
  'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/johndoe',
  'aws:CurrentTime': '2019-04-25T11:00:00Z',
  'aws:EpochTime': 1556190000,
  's3:max-keys': '10',
  's3:prefix': 'home/johndoe/',
  'aws:TagKeys': ['team', 'env'],
  'aws:SourceArn': 'arn:aws:cloudfront::123456789012:distribution/E1',
  'ecr:ResourceTag/team': 'api',
  'kms:EncryptionContext:x': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==',
});

const one = (operator: string, key: string, values: string[] | string, c: RequestContext = ctx) =>
  evaluateEntry({ operator, key, values: Array.isArray(values) ? values : [values] }, c).holds;

describe('string operators', () => {
  it.each([
    ['StringEquals', 'aws:username', 'johndoe', true],
    ['StringEquals', 'aws:username', 'JohnDoe', false],
    ['StringEquals', 'AWS:USERNAME', 'johndoe', true], // key names ignore case
    ['StringEquals', 'aws:username', ['alice', 'johndoe'], true], // values OR
    ['StringNotEquals', 'aws:username', 'alice', true],
    ['StringNotEquals', 'aws:username', ['alice', 'johndoe'], false], // negated values act as AND
    ['StringEqualsIgnoreCase', 'aws:username', 'JohnDoe', true],
    ['StringNotEqualsIgnoreCase', 'aws:username', 'JOHNDOE', false],
    ['StringLike', 's3:prefix', 'home/*', true],
    ['StringLike', 's3:prefix', 'home/${aws:username}/', true],
    ['StringLike', 's3:prefix', 'home/${aws:username}/x*', false],
    ['StringLike', 's3:prefix', 'Home/*', false],
    ['StringNotLike', 's3:prefix', 'private/*', true],
    ['StringEquals', 'aws:PrincipalTag/job-category', 'iamuser-admin', true],
    ['StringEquals', 'aws:principaltag/JOB-CATEGORY', 'iamuser-admin', true], // tag key part ignores case
    ['StringEquals', 'ecr:ResourceTag/team', '${aws:PrincipalTag/team}', true],
    ['StringEquals', 'aws:username', '${aws:PrincipalTag/team}', false],
    // A policy variable with no value matches nothing; negated operators hold against it.
    ['StringEquals', 'aws:username', '${aws:PrincipalTag/none}', false],
    ['StringNotEquals', 'aws:username', '${aws:PrincipalTag/none}', true],
    ['StringEquals', 'aws:username', "${aws:PrincipalTag/none, 'johndoe'}", true],
  ])('%s %s %j → %s', (op, key, values, expected) => {
    expect(one(op, key, values)).toBe(expected);
  });
});

describe('numeric, date, bool, binary operators', () => {
  it.each([
    ['NumericEquals', 's3:max-keys', '10', true],
    ['NumericEquals', 's3:max-keys', '10.0', true],
    ['NumericNotEquals', 's3:max-keys', '10', false],
    ['NumericLessThan', 's3:max-keys', '11', true],
    ['NumericLessThan', 's3:max-keys', '10', false],
    ['NumericLessThanEquals', 's3:max-keys', '10', true],
    ['NumericGreaterThan', 's3:max-keys', '9', true],
    ['NumericGreaterThanEquals', 's3:max-keys', '11', false],
    ['NumericEquals', 's3:max-keys', 'ten', false],
    ['DateGreaterThan', 'aws:CurrentTime', '2018-08-16T12:00:00Z', true],
    ['DateGreaterThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z', false],
    ['DateLessThan', 'aws:CurrentTime', '2020-01-01', true],
    ['DateEquals', 'aws:CurrentTime', '2019-04-25T11:00:00Z', true],
    ['DateEquals', 'aws:CurrentTime', '1556190000', true], // epoch seconds in the policy
    ['DateNotEquals', 'aws:CurrentTime', '2019-04-25T11:00:00Z', false],
    ['DateGreaterThanEquals', 'aws:EpochTime', '2019-04-25T11:00:00Z', true], // epoch seconds in the request
    ['DateLessThanEquals', 'aws:CurrentTime', '2019-04-25T12:00:00+01:00', true],
    ['DateLessThan', 'aws:CurrentTime', '2019-04-25T12:00:00+01:00', false],
    ['Bool', 'aws:SecureTransport', 'false', true],
    ['Bool', 'aws:SecureTransport', 'true', false],
    ['Bool', 'aws:SecureTransport', 'FALSE', true],
    ['BinaryEquals', 'kms:EncryptionContext:x', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', true],
    ['BinaryEquals', 'kms:EncryptionContext:x', 'QmluYXJ5', false],
  ])('%s %s %j → %s', (op, key, values, expected) => {
    expect(one(op, key, values)).toBe(expected);
  });
});

describe('IP address operators', () => {
  it.each([
    ['203.0.113.42', '203.0.113.0/24', true],
    ['203.0.113.42', '203.0.112.0/24', false],
    ['203.0.113.42', '203.0.113.42', true], // no prefix: /32
    ['203.0.113.42', '0.0.0.0/0', true],
    ['203.0.113.42', '203.0.113.43/32', false],
    ['10.1.2.3', '10.0.0.0/8', true],
    ['2001:db8:1234:5678::1', '2001:DB8:1234:5678::/64', true],
    ['2001:db8:1234:5679::1', '2001:DB8:1234:5678::/64', false],
    ['::1', '::1', true],
    ['::ffff:203.0.113.42', '::ffff:203.0.113.0/120', true],
    ['2001:db8::1', '203.0.113.0/24', false], // families never match each other
    ['203.0.113.42', '::/0', false],
    ['not-an-ip', '0.0.0.0/0', false],
    ['203.0.113.42', '203.0.113.0/33', false],
  ])('%s in %s → %s', (ip, cidr, expected) => {
    expect(ipInCidr(ip, cidr)).toBe(expected);
  });

  it('IpAddress and NotIpAddress take several ranges', () => {
    expect(one('IpAddress', 'aws:SourceIp', ['198.51.100.0/24', '203.0.113.0/24'])).toBe(true);
    expect(one('NotIpAddress', 'aws:SourceIp', ['198.51.100.0/24', '203.0.113.0/24'])).toBe(false);
    expect(one('NotIpAddress', 'aws:SourceIp', ['198.51.100.0/24'])).toBe(true);
  });
});

describe('ARN operators', () => {
  it.each([
    ['ArnEquals', 'aws:SourceArn', 'arn:aws:cloudfront::123456789012:distribution/E1', true],
    ['ArnLike', 'aws:SourceArn', 'arn:aws:cloudfront::123456789012:distribution/*', true],
    ['ArnLike', 'aws:SourceArn', 'arn:aws:cloudfront::*:distribution/E2', false],
    ['ArnNotEquals', 'aws:PrincipalArn', 'arn:aws:iam::444455556666:user/user-name', true],
    ['ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::123456789012:user/*', false],
    ['ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::123456789012:user/${aws:username}', true],
  ])('%s %s %s → %s', (op, key, values, expected) => {
    expect(one(op, key, values)).toBe(expected);
  });
});

describe('missing keys', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
  it.each([
    ['StringEquals', false],
    ['StringLike', false],
    ['StringNotEquals', true],
    ['StringNotLike', true],
    ['ArnNotLike', true],
    ['NumericLessThan', false],
    ['NotIpAddress', true],
    ['Bool', false],
    ['StringEqualsIfExists', true],
    ['StringNotEqualsIfExists', true],
    ['ForAnyValue:StringEquals', false],
    ['ForAllValues:StringEquals', true],
    ['ForAnyValue:StringEqualsIfExists', true],
  ])('%s on an absent key → %s, and the key is reported missing', (op, expected) => {
    const r = evaluateEntry({ operator: op, key: 'aws:TokenIssueTime', values: ['x'] }, ctx);
    expect(r.holds).toBe(expected);
    expect(r.missing).toEqual(['aws:TokenIssueTime']);
  });

  it('IfExists still checks a key that is present', () => {
    expect(one('StringLikeIfExists', 'aws:username', 'alice*')).toBe(false);
    expect(one('StringLikeIfExists', 'aws:username', 'john*')).toBe(true);
  });

  it.each([
    ['aws:TokenIssueTime', 'true', true],
    ['aws:TokenIssueTime', 'false', false],
    ['aws:username', 'true', false],
    ['aws:username', 'false', true],
  ])('Null %s %s → %s', (key, v, expected) => {
    expect(one('Null', key, v)).toBe(expected);
  });
});

describe('set operators (the User Guide’s DynamoDB examples)', () => {
  const attrs = (v: string[] | undefined) => new RequestContext({ 'dynamodb:Attributes': v } as ContextInput);
  it.each([
    // ForAllValues: every requested attribute must be listed.
    ['ForAllValues:StringEquals', ['ID', 'Message', 'Tags'], ['Message', 'Tags'], true],
    ['ForAllValues:StringEquals', ['PostDateTime', 'Message', 'Tags'], ['PostDateTime', 'UserName'], false],
    ['ForAllValues:StringEquals', ['ID'], [], true], // an empty set passes
    ['ForAllValues:StringEquals', ['ID'], undefined, true], // so does an absent key
    // ForAnyValue: one requested attribute listed is enough.
    ['ForAnyValue:StringEquals', ['ID', 'PostDateTime'], ['UserName', 'Message', 'PostDateTime'], true],
    ['ForAnyValue:StringEquals', ['ID', 'PostDateTime'], ['UserName'], false],
    ['ForAnyValue:StringEquals', ['ID'], [], false],
    ['ForAnyValue:StringLike', ['Post*'], ['UserName', 'PostDateTime'], true],
    // Negated operators with set operators: ForAllValues — no requested value is listed.
    ['ForAllValues:StringNotEquals', ['ID', 'UserName'], ['Message', 'Tags'], true],
    ['ForAllValues:StringNotEquals', ['ID', 'UserName'], ['Message', 'ID'], false],
    // ForAnyValue — some requested value is not listed.
    ['ForAnyValue:StringNotEquals', ['ID', 'UserName'], ['ID', 'Tags'], true],
    ['ForAnyValue:StringNotEquals', ['ID', 'UserName'], ['ID'], false],
  ])('%s %j against %j → %s', (op, policy, request, expected) => {
    expect(evaluateEntry({ operator: op, key: 'dynamodb:Attributes', values: policy }, attrs(request)).holds).toBe(expected);
  });

  it('aws:TagKeys with ForAllValues limits the tag keys a request may carry', () => {
    expect(one('ForAllValues:StringEquals', 'aws:TagKeys', ['team', 'env', 'owner'])).toBe(true);
    expect(one('ForAllValues:StringEquals', 'aws:TagKeys', ['team'])).toBe(false);
    expect(one('ForAnyValue:StringEquals', 'aws:TagKeys', ['env'])).toBe(true);
  });
});

describe('a Condition block', () => {
  it('ANDs operators and keys (the User Guide’s principal tag example)', () => {
    const entries = [
      { operator: 'StringEqualsIgnoreCase', key: 'aws:PrincipalTag/job-category', values: ['IAMUSER-ADMIN', 'hr'] },
      { operator: 'StringEqualsIgnoreCase', key: 'aws:PrincipalTag/team', values: ['audit', 'api'] },
      { operator: 'StringEquals', key: 'aws:PrincipalAccount', values: ['123456789012'] },
    ];
    expect(evaluateConditions(entries, ctx).holds).toBe(true);
    expect(evaluateConditions([...entries, { operator: 'Bool', key: 'aws:SecureTransport', values: ['true'] }], ctx).holds).toBe(false);
    expect(evaluateConditions([], ctx).holds).toBe(true);
  });

  it('collects every missing key', () => {
    const r = evaluateConditions(
      [
        { operator: 'StringEquals', key: 'aws:SourceVpc', values: ['vpc-1'] },
        { operator: 'StringEquals', key: 'aws:username', values: ['${aws:PrincipalTag/nope}'] },
      ],
      ctx,
    );
    expect(r).toEqual({ holds: false, missing: ['aws:SourceVpc', 'aws:PrincipalTag/nope'] });
  });

  it('without variables (Version 2008-10-17) compares ${…} literally', () => {
    const c = new RequestContext({ 's3:prefix': '${aws:username}/' });
    expect(evaluateConditions([{ operator: 'StringEquals', key: 's3:prefix', values: ['${aws:username}/'] }], c, false).holds).toBe(true);
  });

  it('an unknown operator never holds', () => {
    expect(one('StringEqual', 'aws:username', 'johndoe')).toBe(false);
  });
});

describe('dates', () => {
  it.each([
    ['2019-04-25T11:00:00Z', 1556190000],
    ['1556190000', 1556190000],
    ['2019-04-25', 1556150400],
    ['nonsense', NaN],
  ])('%s → %s', (s, n) => {
    expect(parseDate(s)).toBe(n);
  });
});
