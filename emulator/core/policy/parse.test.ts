import { describe, expect, it } from 'vitest';
import { parseJsonWithPositions } from './json';
import { MalformedPolicyError, MESSAGES, parsePolicy, splitOperator, type PolicyKind } from './parse';

const doc = (statement: unknown, extra: Record<string, unknown> = { Version: '2012-10-17' }) => JSON.stringify({ ...extra, Statement: statement });
const allowAll = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
const trust = { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' };
const bucket = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };

function errorOf(text: string, kind: PolicyKind, options = {}): string | undefined {
  try {
    parsePolicy(text, kind, options);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(MalformedPolicyError);
    expect((e as MalformedPolicyError).code).toBe('MalformedPolicyDocument');
    return (e as Error).message;
  }
}

describe('parseJsonWithPositions', () => {
  it('reports the position just after each brace, as in the AWS CLI example for simulate-custom-policy', () => {
    // From awscli/examples/iam/simulate-custom-policy.rst: StartPosition Line 1 Column 38, EndPosition Line 1 Column 167.
    const text =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
    const p = parsePolicy(text, 'identity');
    expect(p.statements[0]?.start).toEqual({ Line: 1, Column: 38 });
    expect(p.statements[0]?.end).toEqual({ Line: 1, Column: 167 });
  });

  it('counts lines and columns from 1 across newlines', () => {
    const text = ['{', '    "Version": "2012-10-17",', '    "Statement": {', '        "Effect": "Allow",', '        "Action": "codecommit:ListRepositories",', '        "Resource": "*"', '        }', '}'].join('\n');
    const p = parsePolicy(text, 'identity');
    expect(p.statements[0]?.start).toEqual({ Line: 3, Column: 19 });
    expect(p.statements[0]?.end).toEqual({ Line: 7, Column: 10 });
  });

  it('gives every statement of a list its own span', () => {
    const text = '{"Statement":[\n {"Effect":"Allow","Action":"a:b","Resource":"*"},\n\t{"Effect":"Deny","Action":"a:c","Resource":"*"}]}';
    const p = parsePolicy(text, 'identity');
    expect(p.statements.map((s) => [s.start, s.end])).toEqual([
      [{ Line: 2, Column: 3 }, { Line: 2, Column: 50 }],
      [{ Line: 3, Column: 3 }, { Line: 3, Column: 49 }],
    ]);
  });

  it.each([
    ['{"a":1,}'],
    ['{"a":1'],
    ['[1,2'],
    ['{"a":tru}'],
    ['{"a":"x"} extra'],
    ["{'a':1}"],
    [''],
  ])('refuses %j', (text) => {
    expect(() => parseJsonWithPositions(text)).toThrow();
  });

  it('reads values as JSON.parse does, escapes and numbers included', () => {
    const text = '{"s":"a\\"b\\u0041","n":-1.5e2,"t":true,"z":null,"l":[1,{"k":"v"}],"__proto__":{"x":1}}';
    const { value } = parseJsonWithPositions(text);
    expect(value).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('notices duplicate keys', () => {
    const r = parseJsonWithPositions('{"a":1,"a":2}');
    expect(r.value).toEqual({ a: 2 });
    expect(r.duplicateKeys.has(r.value as object)).toBe(true);
  });
});

describe('parsePolicy reads what evaluation needs', () => {
  it('normalises strings to lists and keeps Sid, Version, Id and conditions', () => {
    const p = parsePolicy(
      doc([{ Sid: 'One', ...allowAll, Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:max-keys': [10, '20'] } } }], {
        Version: '2012-10-17',
        Id: 'x',
      }),
      'identity',
    );
    expect(p.version).toBe('2012-10-17');
    expect(p.id).toBe('x');
    expect(p.statements[0]).toMatchObject({
      index: 0,
      sid: 'One',
      effect: 'Allow',
      action: ['s3:GetObject'],
      resource: ['*'],
      conditions: [
        { operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] },
        { operator: 'NumericLessThan', key: 's3:max-keys', values: ['10', '20'] },
      ],
    });
  });

  it('accepts a single Statement object and Version 2008-10-17', () => {
    const p = parsePolicy(doc(allowAll, { Version: '2008-10-17' }), 'identity');
    expect(p.statements).toHaveLength(1);
    expect(p.version).toBe('2008-10-17');
  });

  it('reads principals of every type', () => {
    const p = parsePolicy(
      doc([{ ...bucket, Principal: { AWS: ['123456789012', 'arn:aws:iam::111122223333:root'], Service: 'cloudfront.amazonaws.com', CanonicalUser: 'abc' } }]),
      'resource',
    );
    expect(p.statements[0]?.principal).toEqual({
      AWS: ['123456789012', 'arn:aws:iam::111122223333:root'],
      Service: ['cloudfront.amazonaws.com'],
      CanonicalUser: ['abc'],
    });
  });

  it('with validate: false, skips IAM wording checks for documents a service already checked', () => {
    const text = doc([{ Sid: 'has spaces', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }]);
    expect(parsePolicy(text, 'identity', { validate: false }).statements[0]?.principal).toBe('*');
  });
});

describe("parsePolicy refuses with IAM's words", () => {
  const cases: [string, string, PolicyKind, string | undefined, object?][] = [
    ['not JSON', '{"Version": "2012-10-17",}', 'identity', MESSAGES.invalidJson],
    ['a JSON array', '[]', 'identity', MESSAGES.syntax],
    ['an unknown top-level key', doc(allowAll, { Version: '2012-10-17', Foo: 1 }), 'identity', MESSAGES.syntax],
    ['an unknown Version', doc(allowAll, { Version: '2012-10-18' }), 'identity', MESSAGES.syntax],
    ['no Statement', JSON.stringify({ Version: '2012-10-17' }), 'identity', MESSAGES.syntax],
    ['an empty Statement list', doc([]), 'identity', MESSAGES.syntax],
    ['a Statement that is a string', doc('x'), 'identity', MESSAGES.syntax],
    ['a statement that is not an object', doc(['x']), 'identity', MESSAGES.syntax],
    ['an unknown statement key', doc([{ ...allowAll, Foo: 'x' }]), 'identity', MESSAGES.syntax],
    ['a duplicated statement key', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"a:b","Resource":"*"}]}', 'identity', MESSAGES.syntax],
    ['Action with NotAction', doc([{ ...allowAll, NotAction: 's3:PutObject' }]), 'identity', MESSAGES.syntax],
    ['Resource with NotResource', doc([{ ...allowAll, NotResource: 'arn:aws:s3:::x' }]), 'identity', MESSAGES.syntax],
    ['no Effect', doc([{ Action: 'a:b', Resource: '*' }]), 'identity', MESSAGES.syntax],
    ['an unknown Effect', doc([{ ...allowAll, Effect: 'Permit' }]), 'identity', MESSAGES.syntax],
    ['a lower-case Effect', doc([{ ...allowAll, Effect: 'allow' }]), 'identity', MESSAGES.legacy],
    ['a numeric Action', doc([{ ...allowAll, Action: 5 }]), 'identity', MESSAGES.syntax],
    ['a Resource list with a number', doc([{ ...allowAll, Resource: ['*', 1] }]), 'identity', MESSAGES.syntax],
    ['a Condition that is a list', doc([{ ...allowAll, Condition: [] }]), 'identity', MESSAGES.syntax],
    ['an unknown condition operator', doc([{ ...allowAll, Condition: { StringEqual: { 'aws:username': 'bob' } } }]), 'identity', MESSAGES.syntax],
    ['a condition value that is an object', doc([{ ...allowAll, Condition: { StringEquals: { 'aws:username': { a: 1 } } } }]), 'identity', MESSAGES.syntax],
    ['a Principal in an identity policy', doc([{ ...allowAll, Principal: '*' }]), 'identity', MESSAGES.principalInIdentity],
    ['a NotPrincipal in an identity policy', doc([{ ...allowAll, NotPrincipal: { AWS: '123456789012' } }]), 'identity', MESSAGES.principalInIdentity],
    ['duplicate Sids', doc([{ Sid: 'A', ...allowAll }, { Sid: 'A', ...allowAll }]), 'identity', MESSAGES.sidUnique],
    ['a Sid with a dash in a managed policy', doc([{ Sid: 'a-b', ...allowAll }]), 'identity', MESSAGES.sidAlnum, { managed: true }],
    ['a Sid with a dash in an inline policy', doc([{ Sid: 'a-b', ...allowAll }]), 'identity', undefined],
    ['no Version in a managed policy', doc(allowAll, {}), 'identity', MESSAGES.version, { managed: true }],
    ['Version 2008-10-17 in a managed policy', doc(allowAll, { Version: '2008-10-17' }), 'identity', MESSAGES.version, { managed: true }],
    ['no Version in an inline policy', doc(allowAll, {}), 'identity', undefined],
    ['no Action', doc([{ Effect: 'Allow', Resource: '*' }]), 'identity', MESSAGES.actions],
    ['an empty Action list', doc([{ Effect: 'Allow', Action: [], Resource: '*' }]), 'identity', MESSAGES.actions],
    ['no Resource in an identity policy', doc([{ Effect: 'Allow', Action: 'a:b' }]), 'identity', MESSAGES.resources],
    ['an action without a vendor', doc([{ ...allowAll, Action: 'GetObject' }]), 'identity', MESSAGES.vendor],
    ['an action with two colons', doc([{ ...allowAll, Action: 's3:Get:Object' }]), 'identity', MESSAGES.oneColon],
    ['a vendor with a space', doc([{ ...allowAll, Action: 's 3:GetObject' }]), 'identity', 'Vendor s 3 is not valid'],
    ['a resource that is not an ARN', doc([{ ...allowAll, Resource: 'my-bucket' }]), 'identity', 'Resource my-bucket must be in ARN format or "*".'],
    ['an empty resource', doc([{ ...allowAll, Resource: '' }]), 'identity', 'Resource  must be in ARN format or "*".'],
    [
      'an unknown partition',
      doc([{ ...allowAll, Resource: 'arn:${ARN_PARTITION}:s3:::XYZ-ABC-DEFG' }]),
      'identity',
      'Partition "${ARN_PARTITION}" is not valid for resource "arn:${ARN_PARTITION}:s3:*:*:XYZ-ABC-DEFG".',
    ],
    ['an IAM ARN with a region', doc([{ ...allowAll, Resource: 'arn:aws:iam:us-east-1:123456789012:role/x' }]), 'identity', 'IAM resource arn:aws:iam:us-east-1:123456789012:role/x cannot contain region information.'],
    ['a Resource in a trust policy', doc([{ ...trust, Resource: '*' }]), 'trust', 'Has prohibited field Resource'],
    ['a NotResource in a trust policy', doc([{ ...trust, NotResource: '*' }]), 'trust', 'Has prohibited field NotResource'],
    ['a trust statement with no principal', doc([{ Effect: 'Allow', Action: 'sts:AssumeRole' }]), 'trust', MESSAGES.noPrincipal],
    ['a trust policy for s3:GetObject', doc([{ ...trust, Action: 's3:GetObject' }]), 'trust', MESSAGES.trustActions],
    ['a trust principal that is not an ARN', doc([{ ...trust, Principal: { AWS: 'bob' } }]), 'trust', 'Invalid principal in policy: "AWS":"bob"'],
    ['an unknown principal type', doc([{ ...trust, Principal: { Group: 'x' } }]), 'trust', 'Invalid principal in policy: "Group":"x"'],
    ['an empty principal list', doc([{ ...trust, Principal: { AWS: [] } }]), 'trust', 'Invalid principal in policy: "AWS":""'],
    [
      'a trust principal naming a role that does not exist',
      doc([{ ...trust, Principal: { AWS: 'arn:aws:iam::123456789012:role/gone' } }]),
      'trust',
      'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/gone"',
      { principalExists: () => false },
    ],
    ['a resource policy without Principal', doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }]), 'resource', MESSAGES.missingPrincipal],
    ['a resource policy without Resource (ECR repository policies have none)', doc([{ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }]), 'resource', undefined],
    ['a trust policy with sts:TagSession and an OIDC provider', doc([{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' }, Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] }]), 'trust', undefined],
    ['a bucket policy naming an origin access identity', doc([{ ...bucket, Principal: { AWS: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL' } }]), 'resource', undefined],
    ['a resource policy naming a principal that is not an ARN', doc([{ ...bucket, Principal: { AWS: 'someone' } }]), 'resource', 'Invalid principal in policy: "AWS":"someone"'],
    ['a trust policy whose principal exists', doc([{ ...trust, Principal: { AWS: 'arn:aws:iam::123456789012:role/ci' } }]), 'trust', undefined, { principalExists: () => true }],
    ['a condition with booleans and numbers', doc([{ ...allowAll, Condition: { Bool: { 'aws:SecureTransport': true }, NumericEquals: { 's3:max-keys': 5 } } }]), 'identity', undefined],
    ['an IfExists and set operator', doc([{ ...allowAll, Condition: { 'ForAllValues:StringLikeIfExists': { 'aws:TagKeys': ['a*'] } } }]), 'identity', undefined],
  ];
  it.each(cases)('%s', (_what, text, kind, message, options) => {
    expect(errorOf(text, kind, options)).toBe(message);
  });
});

describe('splitOperator', () => {
  it.each([
    ['StringEquals', { base: 'StringEquals', ifExists: false, set: undefined }],
    ['StringLikeIfExists', { base: 'StringLike', ifExists: true, set: undefined }],
    ['ForAnyValue:StringEquals', { base: 'StringEquals', ifExists: false, set: 'ForAnyValue' }],
    ['ForAllValues:ArnLikeIfExists', { base: 'ArnLike', ifExists: true, set: 'ForAllValues' }],
    ['Null', { base: 'Null', ifExists: false, set: undefined }],
    ['NullIfExists', undefined],
    ['StringEqual', undefined],
    ['ForSomeValues:StringEquals', undefined],
  ])('%s', (op, parts) => {
    expect(splitOperator(op)).toEqual(parts);
  });
});
