import { describe, expect, it } from 'vitest';
import { CloudFrontServiceException } from '@aws-sdk/client-cloudfront';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { WAFV2ServiceException } from '@aws-sdk/client-wafv2';
import { describeAwsError, describeFailure, missingActionFrom, Refusal } from './errors';
import { PartialChange } from './steps';

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

  it('tells a refused signature from a clock that is off, for every service’s way of saying it', () => {
    for (const [code, status] of [['SignatureDoesNotMatch', 403], ['InvalidSignatureException', 400]] as const) {
      const p = describeAwsError(awsError(code, 'The request signature we calculated does not match the signature you provided.', status), { service: 'ECR' });
      expect(p.title, code).toBe('AWS credentials not accepted');
    }
    const skewed = [
      awsError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403),
      awsError('InvalidSignatureException', 'Signature expired: 20261201T090000Z is now earlier than 20261201T091500Z (20261201T093000Z - 15 min.)'),
      awsError('SignatureDoesNotMatch', 'Signature not yet current: 20261201T100000Z is still later than 20261201T094500Z (20261201T093000Z + 15 min.)', 403),
    ];
    for (const e of skewed) expect(describeAwsError(e, { service: 'S3' }).title, e.name).toBe('Server clock is off');
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

  it('never passes a stack or a non-AWS error text through', () => {
    const p = describeAwsError(new TypeError("Cannot read properties of undefined (reading 'x')"), { service: 'ECR' });
    expect(p.message).not.toMatch(/undefined|TypeError|at /);
  });

  it('parses the missing action from AWS wording only', () => {
    expect(missingActionFrom('is not authorized to perform: s3:ListBucket on resource')).toBe('s3:ListBucket');
    expect(missingActionFrom('Access Denied')).toBeUndefined();
  });
});

// The SDK's own exception classes, built the way its deserializers build them
// (a name, a fault, the HTTP metadata): what each client really throws.
function s3Error(name: string, status: number, message = 'UnknownError') {
  return Object.assign(new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, requestId: 'req-s3' } }), { message });
}
function cloudFrontError(name: string, status: number, message: string) {
  return Object.assign(new CloudFrontServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status } }), { message });
}

describe('errors keyed by service and code', () => {
  it("reads S3's PreconditionFailed from S3's table, not CloudFront's", () => {
    const s3 = describeAwsError(s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold'), { service: 'S3' });
    expect(s3.message).toMatch(/S3 did not write the object/);
    expect(s3.message).not.toMatch(/distribution|someone else/);
    const cf = describeAwsError(cloudFrontError('PreconditionFailed', 412, 'The If-Match version is missing or not valid'), { service: 'CLOUDFRONT' });
    expect(cf.title).toBe('Changed by someone else');
    expect(cf.message).toMatch(/distribution changed/);
  });

  it('asks the error which service answered, over the caller’s guess', () => {
    // An S3 refusal inside a CloudFront form (the bucket policy step) is S3's.
    const p = describeAwsError(s3Error('NoSuchBucket', 404, 'The specified bucket does not exist'), { service: 'CLOUDFRONT' });
    expect(p.title).toBe('Bucket not found');
    const waf = Object.assign(new WAFV2ServiceException({ name: 'WAFDuplicateItemException', $fault: 'client', $metadata: { httpStatusCode: 400 } }), { message: 'dup' });
    expect(describeAwsError(waf, { service: 'CLOUDFRONT' }).message).toMatch(/web ACL with this name already exists/);
  });

  it('says what an empty-bodied 403 from S3 means, naming the action and what it was on', () => {
    // HeadObject, HeadBucket and some presigned requests get a 403 with no body:
    // the SDK names that "Unknown" with the message "UnknownError".
    const p = describeAwsError(s3Error('Unknown', 403), { service: 'S3', action: 's3:PutObject', resource: 'site/index.html' });
    expect(p.message).toBe(
      'S3 refused this (403 Forbidden): the AWS identity Berth uses may lack the permission (s3:PutObject on site/index.html), or the bucket policy denies it. Check the IAM policy attached to the identity Berth runs as.',
    );
    expect(p.message).not.toMatch(/UnknownError|Unknown/);
    expect(p.code).toBe('HTTP 403');
    expect(p.requestId).toBe('req-s3');
  });

  it('says a bucket does not exist when HeadBucket answers a bodiless 404', () => {
    const p = describeAwsError(s3Error('NotFound', 404), { service: 'CLOUDFRONT' });
    expect(p.message).toMatch(/does not exist/);
    expect(p.message).not.toMatch(/UnknownError/);
  });

  it('falls back by HTTP status with the service named', () => {
    expect(describeAwsError(s3Error('SomethingNew', 409, 'A conflicting operation is in progress'), { service: 'S3' }).message).toBe(
      'S3 refused because the resource is in a state that conflicts with this change (409 Conflict). Reload and try again. S3 said: “A conflicting operation is in progress”',
    );
    expect(describeAwsError(cloudFrontError('BrandNewError', 400, 'Bad thing'), { service: 'S3' }).message).toBe('CloudFront refused the request (400 Bad Request): Bad thing');
    expect(describeAwsError(s3Error('Unknown', 404), { service: 'S3' }).message).toMatch(/^S3 found nothing there \(404 Not Found\)/);
    expect(describeAwsError(s3Error('Unknown', 418), { service: 'S3' }).message).toBe('S3 refused the request (HTTP 418) without saying why.');
  });

  it('does not call an operation the endpoint does not implement temporary', () => {
    const p = describeAwsError(s3Error('NotImplemented', 501, 'A header you provided implies functionality that is not implemented'), { service: 'S3' });
    expect(p.retryable).toBe(false);
    expect(p.message).not.toMatch(/temporary/);
    expect(p.message).toMatch(/S3 does not support this request \(501 Not Implemented\)/);
  });

  it('says an answer that could not be read could not be read, and that retrying will not help', () => {
    // What the SDK throws when the body does not parse: the parser's own error,
    // with the raw response and the status attached, and no $fault.
    const err = Object.assign(new SyntaxError('Unexpected token < in JSON at position 0'), {
      $response: { statusCode: 200, headers: {} },
      $metadata: { httpStatusCode: 200 },
    });
    const p = describeAwsError(err, { service: 'ECR', endpoint: 'http://127.0.0.1:4566' });
    expect(p.title).toBe('Answer not readable');
    expect(p.message).toMatch(/^The answer from ECR at http:\/\/127.0.0.1:4566 could not be read \(HTTP 200\)/);
    expect(p.message).not.toMatch(/temporary|SyntaxError|Unexpected token/);
    expect(p.retryable).toBe(false);
  });
});

describe('describeFailure: every refusal class in one place', () => {
  it("shows Berth's own refusals as they are, with their field errors", () => {
    class FixRefusedLike extends Refusal {}
    const f = describeFailure(new FixRefusedLike('This distribution has no S3 bucket origin.', { bucket: ['No.'] }), { service: 'CLOUDFRONT' });
    expect(f).toEqual({ message: 'This distribution has no S3 bucket origin.', fieldErrors: { bucket: ['No.'] }, outcome: 'refused:FixRefusedLike' });
  });

  it('says what a part-way change did, what failed (from the service that failed) and how to finish', () => {
    const partial = new PartialChange(['set up origin access control', 'created the distribution'], 'writing the bucket policy', s3Error('AccessDenied', 403, 'User: arn:aws:iam::123456789012:user/x is not authorized to perform: s3:PutBucketPolicy on resource: arn:aws:s3:::b'));
    const f = describeFailure(partial, { service: 'CLOUDFRONT', resume: 'Submit the form again to finish.' });
    expect(f.message).toBe(
      "Berth set up origin access control and created the distribution, but writing the bucket policy failed: Berth's AWS identity is not allowed to call s3:PutBucketPolicy. Add s3:PutBucketPolicy to the IAM policy attached to the identity Berth runs as, then try again. Submit the form again to finish.",
    );
    expect(f.outcome).toBe('partial');
  });

  it('gives anything else to the AWS mapper, and a stack to nobody', () => {
    expect(describeFailure(new TypeError("Cannot read properties of undefined (reading 'x')"), { service: 'S3' })).toEqual({
      message: 'Berth could not complete the request. The server log has the details.',
      outcome: 'error:unknown',
    });
  });
});

describe('ECR Public', () => {
  it('reads an ECR Public refusal from its own table, even where private ECR has the same code', async () => {
    const { RepositoryNotFoundException, UnsupportedCommandException } = await import('@aws-sdk/client-ecr-public');
    const missing = new RepositoryNotFoundException({ message: 'The repository with name x does not exist', $metadata: { httpStatusCode: 400 } });
    const p = describeAwsError(missing, { service: 'ECR' });
    expect(p.code).toBe('RepositoryNotFoundException');
    expect(p.message).toMatch(/public repository does not exist/);
    const region = new UnsupportedCommandException({ message: 'DescribeRepositories command is only supported in us-east-1.', $metadata: { httpStatusCode: 400 } });
    const r = describeAwsError(region, { service: 'ECR_PUBLIC' });
    expect(r.title).toBe('ECR Public is only in us-east-1');
    expect(r.message).toContain('only supported in us-east-1');
  });

  it('names ECR Public when only the status is known', () => {
    const p = describeAwsError(awsError('SomethingNew', '', 404), { service: 'ECR_PUBLIC' });
    expect(p.message).toMatch(/^ECR Public found nothing there/);
  });
});
