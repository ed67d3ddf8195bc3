import { describe, expect, it } from 'vitest';
import {
  denyingStatements,
  ecrRepositoryOf,
  identityStatements,
  inlinePolicyName,
  lineDiff,
  mergeStatements,
  policyHash,
  readPolicy,
  resourceStatement,
  s3BucketOf,
  sidOf,
} from './fix';

const repo = 'arn:aws:ecr:us-east-1:123456789012:repository/team/api';
const user = 'arn:aws:iam::123456789012:user/ci';
const PUSH = ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'];

describe('identity statements', () => {
  it('allows the set on the repository, and login on "*" when asked', () => {
    expect(identityStatements('BerthAllowEcrPush', PUSH, repo, true)).toEqual([
      { Sid: 'BerthAllowEcrPush', Effect: 'Allow', Action: PUSH, Resource: repo },
      { Sid: 'BerthEcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    ]);
  });
  it('writes one action as a string, and nothing for no actions', () => {
    expect(identityStatements('S', ['s3:GetObject'], 'arn:aws:s3:::b/k', false)).toEqual([{ Sid: 'S', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/k' }]);
    expect(identityStatements('S', [], repo, false)).toEqual([]);
  });
});

describe('resource statements', () => {
  it('names the principal; an ECR statement has no Resource, a bucket policy’s has', () => {
    expect(resourceStatement('ecr', 'BerthPushCi', user, PUSH, repo)).toEqual({ Sid: 'BerthPushCi', Effect: 'Allow', Principal: { AWS: user }, Action: PUSH });
    expect(resourceStatement('s3', 'BerthGetCi', user, ['s3:GetObject'], 'arn:aws:s3:::b/k')).toEqual({
      Sid: 'BerthGetCi',
      Effect: 'Allow',
      Principal: { AWS: user },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/k',
    });
  });
});

describe('mergeStatements', () => {
  const st = resourceStatement('ecr', 'BerthPushCi', user, PUSH, repo);

  it('makes a new document when there is none, and diffs it against nothing', () => {
    const c = mergeStatements(null, [st]);
    expect(c.before).toBeNull();
    expect(c.changed).toBe(true);
    expect(JSON.parse(c.after)).toEqual({ Version: '2012-10-17', Statement: [st] });
    expect(c.diff.every((l) => l.op === '+')).toBe(true);
  });

  it('keeps what is there and appends, with only added lines in the diff', () => {
    const existing = JSON.stringify({ Version: '2012-10-17', Id: 'keep', Statement: [{ Sid: 'Other', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }] });
    const c = mergeStatements(existing, [st]);
    const after = JSON.parse(c.after);
    expect(after.Id).toBe('keep');
    expect(after.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['Other', 'BerthPushCi']);
    // At most the old last statement's closing brace changes (it gains a comma).
    expect(c.diff.filter((l) => l.op === '-').every((l) => l.text.trim() === '}')).toBe(true);
    expect(c.diff.some((l) => l.op === '+' && l.text.includes('"BerthPushCi"'))).toBe(true);
  });

  it('reads a single Statement object as a list', () => {
    const c = mergeStatements(JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: 'ecr:*' } }), [st]);
    expect(JSON.parse(c.after).Statement).toHaveLength(2);
    expect(JSON.parse(c.after).Version).toBe('2012-10-17');
  });

  it('is idempotent: merging again changes nothing; the same Sid is replaced, not added twice', () => {
    const once = mergeStatements(null, [st]);
    const twice = mergeStatements(once.after, [st]);
    expect(twice.changed).toBe(false);
    expect(twice.diff.every((l) => l.op === ' ')).toBe(true);
    const wider = mergeStatements(once.after, [{ ...st, Action: [...PUSH, 'ecr:BatchGetImage'] }]);
    expect(JSON.parse(wider.after).Statement).toHaveLength(1);
    expect(wider.changed).toBe(true);
  });

  it('takes the same statement with its actions in another order as already there', () => {
    const once = mergeStatements(null, [st]);
    expect(mergeStatements(once.after, [{ ...st, Action: [...PUSH].reverse() }]).changed).toBe(false);
  });

  it('refuses a document it cannot read', () => {
    expect(() => mergeStatements('not json', [st])).toThrow(/not a JSON policy/);
    expect(() => mergeStatements('[1]', [st])).toThrow();
    expect(readPolicy('{"Statement":[1]}')).toBeNull();
  });
});

describe('policyHash', () => {
  it('ignores formatting, tells documents apart, and takes empty as absent', () => {
    expect(policyHash('{"a": 1}')).toBe(policyHash('{\n  "a": 1\n}'));
    expect(policyHash('{"a":1}')).not.toBe(policyHash('{"a":2}'));
    expect(policyHash(null)).toBe(policyHash(''));
  });
});

describe('names', () => {
  it('names the inline policy after what and where', () => {
    // "/" is not allowed in a policy name: replaced, with a hash so team/api and team-api differ.
    expect(inlinePolicyName('ecr-push', repo)).toMatch(/^berth-allow-ecr-push-team-api-[0-9a-f]{8}$/);
    expect(inlinePolicyName('ecr-push', repo)).not.toBe(inlinePolicyName('ecr-push', 'arn:aws:ecr:us-east-1:123456789012:repository/team-api'));
    expect(inlinePolicyName('ecr-push', 'arn:aws:ecr:us-east-1:123456789012:repository/web')).toBe('berth-allow-ecr-push-web');
    expect(inlinePolicyName('ecr-login', '*')).toBe('berth-allow-ecr-login-any');
  });
  it('adds a hash when the name had to change, so two resources never share it', () => {
    const a = inlinePolicyName('s3-getobject', 'arn:aws:s3:::bucket/some key/x');
    const b = inlinePolicyName('s3-getobject', 'arn:aws:s3:::bucket/some-key/x');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[\w+=,.@-]+$/);
    const long = inlinePolicyName('ecr-push', `arn:aws:ecr:us-east-1:123456789012:repository/${'x'.repeat(200)}`);
    expect(long.length).toBeLessThanOrEqual(64);
  });
  it('makes Sids of letters and digits', () => {
    expect(sidOf('berth', 'ecr-push', 'ci.bot')).toBe('BerthEcrPushCiBot');
  });
});

describe('denyingStatements', () => {
  const doc = JSON.stringify({
    Statement: [
      { Sid: 'NoPush', Effect: 'Deny', Action: 'ecr:Put*', Resource: 'arn:aws:ecr:*:*:repository/team/*' },
      { Sid: 'NoDelete', Effect: 'Deny', Action: 'ecr:BatchDeleteImage', Resource: '*' },
      { Sid: 'AllButRead', Effect: 'Deny', NotAction: ['ecr:BatchGetImage'] },
      { Sid: 'Allow', Effect: 'Allow', Action: '*', Resource: '*' },
      { Sid: 'NotHere', Effect: 'Deny', Action: '*', NotResource: repo },
    ],
  });
  it('finds the deny statements that name the action on the resource (wildcards, NotAction, NotResource)', () => {
    expect(denyingStatements(doc, 'ecr:PutImage', repo).map((s) => s.Sid)).toEqual(['NoPush', 'AllButRead']);
    expect(denyingStatements(doc, 'ECR:putimage', repo).map((s) => s.Sid)).toEqual(['NoPush', 'AllButRead']);
    expect(denyingStatements(doc, 'ecr:BatchGetImage', repo).map((s) => s.Sid)).toEqual([]);
    expect(denyingStatements(doc, 'ecr:BatchGetImage', 'arn:aws:ecr:us-east-1:123456789012:repository/web').map((s) => s.Sid)).toEqual(['NotHere']);
  });
  it('finds nothing in a document it cannot read', () => {
    expect(denyingStatements('nope', 'ecr:PutImage', repo)).toEqual([]);
  });
});

describe('ARNs', () => {
  it('reads a repository ARN with a namespace', () => {
    expect(ecrRepositoryOf(repo)).toEqual({ region: 'us-east-1', account: '123456789012', repository: 'team/api' });
    expect(ecrRepositoryOf('arn:aws:s3:::b')).toBeNull();
  });
  it('reads a bucket and an object ARN', () => {
    expect(s3BucketOf('arn:aws:s3:::assets')).toEqual({ bucket: 'assets', key: null });
    expect(s3BucketOf('arn:aws:s3:::assets/img/a.png')).toEqual({ bucket: 'assets', key: 'img/a.png' });
    expect(s3BucketOf(repo)).toBeNull();
  });
});

describe('lineDiff', () => {
  it('marks removed and added lines around common ones', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'c' },
    ]);
    expect(lineDiff('', 'a')).toEqual([{ op: '+', text: 'a' }]);
  });
});
