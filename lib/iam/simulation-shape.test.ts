import { describe, expect, it } from 'vitest';
import { accountOfArn, isUserArn, simulationShape } from './simulation-shape';

const user = 'arn:aws:iam::123456789012:user/ci';
const role = 'arn:aws:iam::123456789012:role/deploy';
const repo = 'arn:aws:ecr:us-east-1:123456789012:repository/team/api';
const bucket = 'arn:aws:s3:::assets';
const policy = '{"Version":"2012-10-17","Statement":[]}';

describe('simulationShape', () => {
  it('sends a user’s resource policy without an owner when the ARN names the account', () => {
    expect(simulationShape(user, repo, policy)).toEqual({ resourcePolicy: policy, resourceOwner: null });
  });
  it('names the principal’s account as owner of an S3 resource', () => {
    expect(simulationShape(user, `${bucket}/a/b.txt`, policy)).toEqual({ resourcePolicy: policy, resourceOwner: 'arn:aws:iam::123456789012:root' });
  });
  it('leaves the resource policy out for a role (CallerArn can only be a user)', () => {
    expect(simulationShape(role, repo, policy)).toEqual({ resourcePolicy: null, resourceOwner: null });
  });
  it('sends nothing when there is no policy, or a blank one', () => {
    expect(simulationShape(user, bucket, null)).toEqual({ resourcePolicy: null, resourceOwner: null });
    expect(simulationShape(user, bucket, '  ')).toEqual({ resourcePolicy: null, resourceOwner: null });
  });
  it('keeps the partition', () => {
    expect(simulationShape('arn:aws-cn:iam::123456789012:user/a', 'arn:aws-cn:s3:::b', policy).resourceOwner).toBe('arn:aws-cn:iam::123456789012:root');
  });
});

describe('ARN helpers', () => {
  it('reads the account field', () => {
    expect(accountOfArn(repo)).toBe('123456789012');
    expect(accountOfArn(bucket)).toBeNull();
    expect(accountOfArn('nope')).toBeNull();
  });
  it('knows a user ARN, with a path', () => {
    expect(isUserArn('arn:aws:iam::123456789012:user/ci/bot')).toBe(true);
    expect(isUserArn(role)).toBe(false);
  });
});
