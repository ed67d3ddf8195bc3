import { describe, expect, it } from 'vitest';
import { advancedCoverage, basicCoverage } from './data-events';
import { actionOf, actorOf, clientOf, outcomeOf } from './describe';
import { formatActivityTrail, MAX_ACTIVITY_DEPTH, parseActivityTrail } from '@/lib/validation/activity';

// CloudTrail's records in words, and which selectors log a bucket's objects,
// from documents shaped as CloudTrail writes them.

describe('actorOf', () => {
  it('names the person behind a role session first, with the role and session', () => {
    const actor = actorOf(
      {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::123456789012:assumed-role/deployer/berth-alice',
        sessionContext: { sessionIssuer: { type: 'Role', userName: 'deployer' }, sourceIdentity: 'alice@example.com' },
      },
      'berth-alice',
    );
    expect(actor).toMatchObject({ kind: 'role', name: 'alice@example.com', role: 'deployer', session: 'berth-alice', sourceIdentity: 'alice@example.com' });
    expect(actorOf({ type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r/s', sessionContext: { sessionIssuer: { userName: 'r' } } }, 's').name).toBe('s');
  });

  it('says users, root, services and anonymous callers', () => {
    expect(actorOf({ type: 'IAMUser', userName: 'bob' }, 'bob')).toMatchObject({ kind: 'user', name: 'bob' });
    expect(actorOf({ type: 'Root' }, 'root').kind).toBe('root');
    expect(actorOf({ type: 'AWSService', invokedBy: 'ecr.amazonaws.com' }, undefined)).toMatchObject({ kind: 'service', name: 'ecr.amazonaws.com' });
    expect(actorOf({ type: 'AWSAccount', accountId: 'ANONYMOUS_PRINCIPAL' }, undefined).kind).toBe('anonymous');
    expect(actorOf(undefined, 'someone')).toMatchObject({ kind: 'unknown', name: 'someone' });
  });
});

describe('actionOf', () => {
  it('says pushes, pulls and deletes with the image', () => {
    expect(actionOf('PutImage', { imageTag: 'v1' }, false)).toEqual({ kind: 'push', text: 'pushed v1' });
    expect(actionOf('BatchGetImage', { imageIds: [{ imageTag: 'latest' }] }, true)).toEqual({ kind: 'pull', text: 'pulled latest' });
    expect(actionOf('BatchDeleteImage', { imageIds: [{ imageDigest: 'sha256:0123456789abcdef0123' }] }, false).text).toBe('deleted image sha256:0123456789ab');
    expect(actionOf('SetRepositoryPolicy', null, false)).toEqual({ kind: 'policy', text: 'changed the repository policy' });
    expect(actionOf('PutRepositoryCatalogData', { repositoryName: 'tool' }, false)).toEqual({ kind: 'change', text: 'changed the catalog data' });
    // A push's and a pull's single layer steps are their own kind, hidden at first on the tab.
    for (const op of ['InitiateLayerUpload', 'UploadLayerPart', 'CompleteLayerUpload', 'BatchCheckLayerAvailability', 'GetDownloadUrlForLayer']) {
      expect(actionOf(op, null, op.startsWith('Get') || op.startsWith('Batch')).kind, op).toBe('layer');
    }
  });

  it('says anything else from its verb', () => {
    expect(actionOf('GetBucketCors', null, true)).toEqual({ kind: 'read', text: 'read' });
    expect(actionOf('DeleteBucketOwnershipControls', null, false).kind).toBe('delete');
    expect(actionOf('CreateOriginAccessControl', null, false).kind).toBe('create');
    expect(actionOf('RestoreObject', null, false).kind).toBe('change');
  });
});

describe('outcomeOf and clientOf', () => {
  it('puts error codes in words', () => {
    expect(outcomeOf(undefined)).toBeUndefined();
    expect(outcomeOf('AccessDenied')).toBe('refused: permission missing');
    expect(outcomeOf('AccessDeniedException')).toBe('refused: permission missing');
    expect(outcomeOf('RepositoryNotFoundException')).toBe('failed: not found');
    expect(outcomeOf('InvalidClientTokenId')).toBe('refused: credentials not accepted');
    expect(outcomeOf('ThrottlingException')).toBe('failed: rate-limited');
    expect(outcomeOf('SomethingElse')).toBe('failed');
  });

  it('shortens user agents to the client', () => {
    expect(clientOf('docker/27.0.3 go/go1.22 git-commit/abc')).toBe('docker/27.0.3');
    expect(clientOf('[aws-cli/2.9.19 Python/3.11.2]')).toBe('aws-cli/2.9.19');
    expect(clientOf(undefined)).toBeUndefined();
  });
});

describe('which selectors log a bucket’s objects', () => {
  it('reads basic selectors: every bucket, this bucket, a prefix, and read/write types', () => {
    expect(basicCoverage([{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }], 'b')).toEqual({ reads: 'all', writes: 'all' });
    expect(basicCoverage([{ ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::b/'] }] }], 'b')).toEqual({ reads: 'none', writes: 'all' });
    expect(basicCoverage([{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::b/logs/'] }] }], 'b')).toEqual({ reads: 'some', writes: 'some' });
    expect(basicCoverage([{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::bb/'] }] }], 'b')).toEqual({ reads: 'none', writes: 'none' });
    expect(basicCoverage([{ DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }] }], 'b')).toEqual({ reads: 'none', writes: 'none' });
  });

  it('reads advanced selectors: category, type, ARN conditions and readOnly', () => {
    const base = [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
    ];
    expect(advancedCoverage([{ FieldSelectors: base }], 'b')).toEqual({ reads: 'all', writes: 'all' });
    expect(advancedCoverage([{ FieldSelectors: [...base, { Field: 'readOnly', Equals: ['false'] }] }], 'b')).toEqual({ reads: 'none', writes: 'all' });
    expect(advancedCoverage([{ FieldSelectors: [...base, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::b/'] }] }], 'b')).toEqual({ reads: 'all', writes: 'all' });
    expect(advancedCoverage([{ FieldSelectors: [...base, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::other/'] }] }], 'b')).toEqual({ reads: 'none', writes: 'none' });
    expect(advancedCoverage([{ FieldSelectors: [...base, { Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::b/'] }] }], 'b')).toEqual({ reads: 'none', writes: 'none' });
    expect(advancedCoverage([{ FieldSelectors: [...base, { Field: 'eventName', Equals: ['PutObject'] }] }], 'b')).toEqual({ reads: 'some', writes: 'some' });
    expect(advancedCoverage([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }], 'b')).toEqual({ reads: 'none', writes: 'none' });
  });
});

describe('the Activity tab’s page tokens in the URL', () => {
  it('round-trips and drops anything malformed', () => {
    expect(parseActivityTrail(formatActivityTrail(['a1', 'b2']) ?? undefined)).toEqual(['a1', 'b2']);
    expect(formatActivityTrail([])).toBeNull();
    expect(parseActivityTrail(undefined)).toEqual([]);
    expect(parseActivityTrail('x'.repeat(3000))).toEqual([]);
    expect(parseActivityTrail(Array.from({ length: MAX_ACTIVITY_DEPTH + 1 }, (_, i) => `t${i}`).join(' '))).toEqual([]);
  });
});
