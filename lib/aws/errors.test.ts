import { describe, expect, it } from 'vitest';
import { describeAwsError, missingActionFrom, registerErrorMessages } from './errors';

function awsError(name: string, message: string, status = 400, fault: 'client' | 'server' = 'client') {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status, requestId: 'req-1' } });
}

describe('describeAwsError', () => {
  it('names the IAM action AWS says is missing', () => {
    const p = describeAwsError(
      awsError(
        'AccessDeniedException',
        'User: arn:aws:iam::123456789012:user/readonly is not authorized to perform: ecr:CreateRepository on resource: * because no identity-based policy allows the ecr:CreateRepository action',
      ),
      { service: 'ECR' },
    );
    expect(p.title).toBe('Permission missing');
    expect(p.missingAction).toBe('ecr:CreateRepository');
    expect(p.message).toContain('ecr:CreateRepository');
    expect(p.requestId).toBe('req-1');
  });

  it('falls back to the action the caller was attempting when AWS does not name one', () => {
    const p = describeAwsError(awsError('AccessDenied', 'Access Denied', 403), { service: 'S3', action: 's3:PutObject' });
    expect(p.message).toContain('s3:PutObject');
  });

  it('says AWS is rate-limiting for every throttling code', () => {
    for (const code of ['ThrottlingException', 'Throttling', 'SlowDown', 'TooManyRequestsException']) {
      const p = describeAwsError(awsError(code, 'Rate exceeded'), { service: 'ECR' });
      expect(p.message).toMatch(/AWS is rate-limiting/);
      expect(p.retryable).toBe(true);
    }
  });

  it('names the URL that could not be reached', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4999'), { code: 'ECONNREFUSED' });
    const p = describeAwsError(err, { service: 'STS', endpoint: 'http://127.0.0.1:4999' });
    expect(p.title).toBe('AWS could not be reached');
    expect(p.message).toContain('http://127.0.0.1:4999');
  });

  it('finds a socket error nested in cause', () => {
    const err = new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) });
    expect(describeAwsError(err, { service: 'S3', endpoint: 'https://nowhere.invalid' }).code).toBe('ENOTFOUND');
  });

  it('explains unknown keys, expired tokens and missing credentials', () => {
    expect(describeAwsError(awsError('InvalidClientTokenId', 'bad', 403), { service: 'STS' }).title).toBe(
      'AWS credentials not recognised',
    );
    expect(describeAwsError(awsError('ExpiredToken', 'old', 403), { service: 'STS' }).message).toContain('aws sso login');
    const noCreds = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(describeAwsError(noCreds, { service: 'STS' }).title).toBe('No AWS credentials');
  });

  it('treats 5xx as temporary', () => {
    const p = describeAwsError(awsError('InternalFailure', 'boom', 500, 'server'), { service: 'CLOUDFRONT' });
    expect(p.retryable).toBe(true);
    expect(p.message).toContain('CloudFront');
  });

  it('uses a registered service message over the generic one', () => {
    registerErrorMessages({
      TestOnlyNotFound: (aws) => ({ title: 'Not found', message: `Gone. (${aws})` }),
    });
    const p = describeAwsError(awsError('TestOnlyNotFound', 'no such thing'), { service: 'ECR' });
    expect(p).toMatchObject({ title: 'Not found', message: 'Gone. (no such thing)', code: 'TestOnlyNotFound' });
  });

  it('never passes a stack or a non-AWS error text through', () => {
    const p = describeAwsError(new TypeError("Cannot read properties of undefined (reading 'x')"), { service: 'ECR' });
    expect(p.message).not.toMatch(/undefined|TypeError|at /);
  });

  it('parses the missing action from AWS wording only', () => {
    expect(missingActionFrom('is not authorized to perform: s3:ListBucket on resource')).toBe('s3:ListBucket');
    expect(missingActionFrom('Access Denied')).toBeUndefined();
  });
});
