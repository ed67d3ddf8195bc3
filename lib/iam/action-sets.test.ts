import { describe, expect, it } from 'vitest';
import { actionSetFor, serviceOf } from './action-sets';

describe('actionSetFor', () => {
  it('puts every push step in the push set', () => {
    for (const a of ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage']) expect(actionSetFor(a)?.id).toBe('ecr-push');
  });
  it('reads BatchCheckLayerAvailability as a push (a push asks for it first)', () => {
    expect(actionSetFor('ecr:BatchCheckLayerAvailability')?.id).toBe('ecr-push');
  });
  it('puts the pull reads in the pull set, whatever the case', () => {
    expect(actionSetFor('ECR:batchgetimage')?.id).toBe('ecr-pull');
    expect(actionSetFor('ecr:GetDownloadUrlForLayer')?.actions).toEqual(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability']);
  });
  it('has no set for other actions', () => {
    expect(actionSetFor('ecr:DescribeRepositories')).toBeNull();
    expect(actionSetFor('s3:PutObject')).toBeNull();
    expect(actionSetFor('ecr:GetAuthorizationToken')).toBeNull();
  });
  it('names the service', () => {
    expect(serviceOf('S3:GetObject')).toBe('s3');
    expect(serviceOf('nothing')).toBe('');
  });
});
