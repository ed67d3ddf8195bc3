import { describe, expect, it } from 'vitest';
import { statementAt } from './statement-at';
import { capabilityVerdict, verdictSentence, verdictsFor, verdictText, type SimulatedAction } from './verdicts';
import { ECR_CAPABILITIES, ecrTarget, s3Target } from './who-can-actions';

const repo = ecrTarget('aws', 'us-east-1', '000000000000', 'team/api');
const REPO = repo.arns.repository!;
const push = ECR_CAPABILITIES.find((c) => c.id === 'push')!;

const admin = { policyId: 'AdministratorAccess', policyType: 'aws-managed', start: { line: 4, column: 9 } };
const deny = { policyId: 'ResourcePolicy', policyType: 'resource', start: { line: 1, column: 38 } };

function result(action: string, decision: SimulatedAction['decision'], matched: SimulatedAction['matched'] = [], resource = REPO): SimulatedAction {
  return { action, resource, decision, matched, missingContext: [], boundaryAllows: null };
}

describe('verdict grouping', () => {
  it('all push actions allowed: allowed, with the statement that allows them', () => {
    const v = capabilityVerdict(push, repo, push.actions.map((a) => result(a.name, 'allowed', [admin])));
    expect(v.state).toBe('allowed');
    expect(verdictText(v)).toBe('Allowed');
    expect(v.deciding).toEqual([{ policyId: 'AdministratorAccess', policyType: 'aws-managed', line: 4, column: 9 }]);
  });

  it('some push actions allowed: partial, saying which are not', () => {
    const results = push.actions.map((a, i) => result(a.name, i < 3 ? 'allowed' : 'implicitDeny', i < 3 ? [admin] : []));
    const v = capabilityVerdict(push, repo, results);
    expect(v.state).toBe('partial');
    expect(v.allowed).toBe(3);
    expect(verdictText(v)).toBe('Partly: 3 of 5');
    expect(verdictSentence(v)).toBe('Some push actions allowed: 3 of 5; not ecr:PutImage, ecr:BatchCheckLayerAvailability.');
  });

  it('an explicit deny: denied, naming the deny statement rather than the allow', () => {
    const results = push.actions.map((a) => result(a.name, 'explicitDeny', [deny]));
    const v = capabilityVerdict(push, repo, results);
    expect(v.state).toBe('denied');
    expect(verdictText(v)).toBe('Denied');
    expect(v.deciding).toEqual([{ policyId: 'ResourcePolicy', policyType: 'resource', line: 1, column: 38 }]);
  });

  it('a partial verdict with one action denied names the deny', () => {
    const results = push.actions.map((a) => (a.name === 'ecr:PutImage' ? result(a.name, 'explicitDeny', [deny]) : result(a.name, 'allowed', [admin])));
    const v = capabilityVerdict(push, repo, results);
    expect(v.state).toBe('partial');
    expect(v.deciding.map((d) => d.policyId)).toEqual(['ResourcePolicy']);
  });

  it('nothing allows it: not allowed (implicit), with no statement', () => {
    const v = capabilityVerdict(push, repo, push.actions.map((a) => result(a.name, 'implicitDeny')));
    expect(v.state).toBe('not-allowed');
    expect(verdictText(v)).toBe('Not allowed');
    expect(v.deciding).toEqual([]);
  });

  it('an action the simulator did not answer is unknown, never allowed', () => {
    const v = capabilityVerdict(push, repo, []);
    expect(v.state).toBe('unknown');
  });

  it('reads each S3 action on its own resource, whatever the other ARN says', () => {
    const bucket = s3Target('aws', 'site');
    const both = (action: string, onBucket: SimulatedAction['decision'], onObjects: SimulatedAction['decision']) => [
      result(action, onBucket, onBucket === 'allowed' ? [admin] : [], 'arn:aws:s3:::site'),
      result(action, onObjects, onObjects === 'allowed' ? [admin] : [], 'arn:aws:s3:::site/*'),
    ];
    const results = [
      ...both('s3:GetObject', 'implicitDeny', 'allowed'),
      ...both('s3:ListBucket', 'allowed', 'implicitDeny'),
      ...both('s3:PutObject', 'implicitDeny', 'implicitDeny'),
      ...both('S3:DeleteObject', 'implicitDeny', 'allowed'),
    ];
    expect(verdictsFor(bucket, results).map((v) => [v.id, v.state])).toEqual([
      ['read', 'allowed'],
      ['write', 'not-allowed'],
      ['delete', 'allowed'],
    ]);
  });

  it('says when a permissions boundary keeps an action out, and which condition keys were missing', () => {
    const results = push.actions.map((a) => ({ ...result(a.name, 'implicitDeny'), missingContext: ['aws:SourceIp'], boundaryAllows: false }));
    const v = capabilityVerdict(push, repo, results);
    expect(v.boundaryBlocks).toBe(true);
    expect(v.missingContext).toEqual(['aws:SourceIp']);
  });
});

describe('statementAt', () => {
  it('finds the statement whose brace is just before the position, as IAM counts it (one line)', () => {
    // The AWS CLI example's shape: the statement's "{" is the 37th character, reported as column 38.
    const doc = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}';
    expect(doc.indexOf('{"Effect"')).toBe(36);
    expect(statementAt(doc, 1, 38)).toEqual({ number: 1, sid: null, effect: 'Allow' });
  });

  it('finds a later statement with its Sid in an indented document', () => {
    const doc = JSON.stringify(
      { Version: '2012-10-17', Statement: [{ Sid: 'Pull', Effect: 'Allow', Action: 'ecr:BatchGetImage', Resource: '*' }, { Sid: 'NoPush', Effect: 'Deny', Action: 'ecr:PutImage', Resource: '*' }] },
      null,
      2,
    );
    const lines = doc.split('\n');
    const line = lines.findIndex((l, i) => i > 3 && l.trim() === '{') + 1;
    const column = lines[line - 1]!.indexOf('{') + 2;
    expect(statementAt(doc, line, column)).toEqual({ number: 2, sid: 'NoPush', effect: 'Deny' });
  });

  it('reads strings with escaped quotes and braces without losing its place', () => {
    const doc = '{"Statement":[{"Sid":"a\\"{","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"B","Effect":"Deny","Action":"*","Resource":"*"}]}';
    const second = doc.indexOf('{"Sid":"B"');
    expect(statementAt(doc, 1, second + 2)).toEqual({ number: 2, sid: 'B', effect: 'Deny' });
  });

  it('answers null for a position outside every statement or a document that is not JSON', () => {
    expect(statementAt('{"Statement":[]}', 1, 2)).toBeNull();
    expect(statementAt('not json', 1, 1)).toBeNull();
    expect(statementAt('{"Statement":[{"Effect":"Allow"}]}', 9, 1)).toBeNull();
  });
});

describe('the action sets', () => {
  it('ask each ECR action on the repository ARN', async () => {
    const { actionNames, resourceArns } = await import('./who-can-actions');
    expect(actionNames(repo)).toEqual([
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
      'ecr:InitiateLayerUpload',
      'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload',
      'ecr:PutImage',
      'ecr:BatchCheckLayerAvailability',
      'ecr:BatchDeleteImage',
    ]);
    expect(resourceArns(repo)).toEqual(['arn:aws:ecr:us-east-1:000000000000:repository/team/api']);
  });

  it('ask S3 object actions on bucket/* and ListBucket on the bucket', () => {
    const bucket = s3Target('aws-cn', 'site');
    const on = Object.fromEntries(bucket.capabilities.flatMap((c) => c.actions.map((a) => [a.name, bucket.arns[a.on]])));
    expect(on).toEqual({
      's3:GetObject': 'arn:aws-cn:s3:::site/*',
      's3:ListBucket': 'arn:aws-cn:s3:::site',
      's3:PutObject': 'arn:aws-cn:s3:::site/*',
      's3:DeleteObject': 'arn:aws-cn:s3:::site/*',
    });
  });
});
