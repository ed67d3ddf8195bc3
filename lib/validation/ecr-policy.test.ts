import { describe, expect, it } from 'vitest';
import {
  expireUntaggedRule,
  identityPolicy,
  keepLastImagesRule,
  lifecyclePolicyProblems,
  lifecyclePolicyText,
  principalArn,
  PULL_ACTIONS,
  PUSH_ACTIONS,
  repositoryAccessStatement,
} from './ecr-policy';
import { policyProblems, withStatement } from './policy';

describe('repository policy templates', () => {
  it('turns an account id or ARN into a principal', () => {
    expect(principalArn('210987654321')).toBe('arn:aws:iam::210987654321:root');
    expect(principalArn('arn:aws:iam::210987654321:role/ci')).toBe('arn:aws:iam::210987654321:role/ci');
    expect(principalArn('bob')).toBeNull();
  });

  it('allow pull has exactly the three pull actions; push adds the four upload actions', () => {
    const pull = repositoryAccessStatement('pull', '210987654321');
    expect(pull.Action).toEqual(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability']);
    const push = repositoryAccessStatement('push', '210987654321');
    expect(push.Action).toEqual([...PULL_ACTIONS, 'ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload']);
    expect(push.Principal).toEqual({ AWS: 'arn:aws:iam::210987654321:root' });
  });

  it('merges into an existing policy and replaces a statement with the same Sid', () => {
    const first = withStatement('', repositoryAccessStatement('pull', '210987654321'));
    const second = withStatement(first, repositoryAccessStatement('push', 'arn:aws:iam::210987654321:role/ci'));
    const again = withStatement(second, repositoryAccessStatement('pull', '210987654321'));
    const doc = JSON.parse(again);
    expect(doc.Statement).toHaveLength(2);
    expect(policyProblems(again, 'resource')).toEqual([]);
  });

  it('finds what AWS would refuse, as sentences', () => {
    expect(policyProblems('{', 'resource')[0]).toMatch(/not valid JSON/);
    expect(policyProblems('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage"}]}', 'resource')).toEqual([
      'Statement 1: a repository policy statement needs a "Principal" (who it applies to).',
    ]);
    expect(policyProblems('{"Statement":[{"Effect":"Maybe","Action":"pull"}]}', 'identity')).toEqual(
      expect.arrayContaining(['Set "Version" to "2012-10-17".', 'Statement 1: "Effect" must be "Allow" or "Deny".']),
    );
  });
});

describe('identity policy for a person', () => {
  it('includes the registry login on * and scopes image actions to the repositories', () => {
    const arns = ['arn:aws:ecr:us-east-1:123456789012:repository/team/web', 'arn:aws:ecr:us-east-1:123456789012:repository/team/api'];
    const doc = JSON.parse(identityPolicy('push', arns));
    expect(doc.Statement[0]).toEqual({ Sid: 'RegistryLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' });
    expect(doc.Statement[1].Action).toEqual([...PUSH_ACTIONS]);
    expect(doc.Statement[1].Resource).toEqual([...arns].sort());
    expect(policyProblems(identityPolicy('pull', arns.slice(0, 1)), 'identity')).toEqual([]);
  });
});

describe('lifecycle policies', () => {
  it('templates are valid policies', () => {
    const text = lifecyclePolicyText([expireUntaggedRule(14, 1), keepLastImagesRule(30, 2)]);
    expect(lifecyclePolicyProblems(text)).toEqual([]);
    expect(JSON.parse(text).rules[0].selection).toEqual({ tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 });
  });
  it('catches duplicate priorities, tagged rules without prefixes and a bad count', () => {
    const bad = JSON.stringify({
      rules: [
        { rulePriority: 1, selection: { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 0 }, action: { type: 'expire' } },
        { rulePriority: 1, selection: { tagStatus: 'any', countType: 'sinceImagePushed', countNumber: 3 }, action: { type: 'expire' } },
      ],
    }, null, 2);
    expect(lifecyclePolicyProblems(bad)).toEqual([
      'Rule 1: a rule for tagged images needs "tagPrefixList" or "tagPatternList".',
      'Rule 1: "countNumber" must be a whole number from 1.',
      'Rule 2: priority 1 is used twice; each rule needs its own.',
      'Rule 2: "sinceImagePushed" needs "countUnit": "days".',
    ]);
  });
});

// ECR's archive storage class: the guide's lifecycle grammar (and the model's
// ImageActionType, LifecyclePolicyTargetStorageClass) now take transitions.
describe('lifecycle policies that archive', () => {
  const policy = (rule: object) => JSON.stringify({ rules: [{ rulePriority: 1, description: 'archive what nobody pulls', ...rule }] }, null, 2);

  it('takes a transition to archive and the newer count types', () => {
    expect(lifecyclePolicyProblems(policy({
      selection: { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 },
      action: { type: 'transition', targetStorageClass: 'archive' },
    }))).toEqual([]);
    expect(lifecyclePolicyProblems(policy({
      selection: { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 120 },
      action: { type: 'expire' },
    }))).toEqual([]);
  });

  it('still refuses what the guide does not have, in sentences', () => {
    expect(lifecyclePolicyProblems(policy({
      selection: { tagStatus: 'any', storageClass: 'glacier', countType: 'sinceImagePulled', countNumber: 90 },
      action: { type: 'transition', targetStorageClass: 'standard' },
    }))).toEqual([
      'Rule 1: "storageClass" must be archive or standard.',
      'Rule 1: "sinceImagePulled" needs "countUnit": "days".',
      'Rule 1: a "transition" action needs "targetStorageClass": "archive".',
    ]);
    expect(lifecyclePolicyProblems(policy({ selection: { tagStatus: 'any', countType: 7, countNumber: 1 }, action: { type: 'delete' } }))).toEqual([
      'Rule 1: "countType" must be imageCountMoreThan, sinceImagePushed, sinceImagePulled or sinceImageTransitioned.',
      'Rule 1: the action must be {"type": "expire"} or {"type": "transition"}.',
    ]);
  });
});
