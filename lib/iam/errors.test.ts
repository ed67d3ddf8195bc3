import { describe, expect, it } from 'vitest';
import { IAMServiceException, NoSuchEntityException } from '@aws-sdk/client-iam';
import { describeAwsError } from '@/lib/aws/errors';

// IAM's refusals as the Access pages show them. The exceptions are the SDK's
// own classes, built as its query-protocol deserializer builds them.
function iamError(name: string, status: number, message: string) {
  return Object.assign(new IAMServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, requestId: 'req-iam' } }), { message });
}

describe('IAM errors', () => {
  it('a missing IAM read names the action, from AWS’s own words', () => {
    const p = describeAwsError(
      iamError('AccessDenied', 403, 'User: arn:aws:iam::123456789012:user/berth is not authorized to perform: iam:ListAccessKeys on resource: user alice because no identity-based policy allows the iam:ListAccessKeys action'),
      { service: 'IAM', action: 'iam:GetAccountAuthorizationDetails' },
    );
    expect(p).toMatchObject({ title: 'Permission missing', missingAction: 'iam:ListAccessKeys', code: 'AccessDenied' });
    expect(p.message).toBe("Berth's AWS identity is not allowed to call iam:ListAccessKeys. Add iam:ListAccessKeys to the IAM policy attached to the identity Berth runs as, then try again.");
  });

  it('a refusal that names no action falls back to the one the page was making', () => {
    const p = describeAwsError(iamError('AccessDenied', 403, 'Access denied'), { service: 'IAM', action: 'iam:GetAccountAuthorizationDetails' });
    expect(p.missingAction).toBe('iam:GetAccountAuthorizationDetails');
  });

  it("IAM's own codes come from IAM's table, whichever name the SDK gives them", () => {
    const modeled = new NoSuchEntityException({ $metadata: { httpStatusCode: 404 }, message: 'The user with name bob cannot be found.' });
    expect(describeAwsError(modeled, { service: 'IAM' })).toMatchObject({ title: 'Not found in IAM', code: 'NoSuchEntityException' });
    expect(describeAwsError(iamError('NoSuchEntity', 404, 'gone'), { service: 'ECR' }).title).toBe('Not found in IAM');
  });

  it('names IAM when only the status is known', () => {
    expect(describeAwsError(iamError('ServiceFailure', 500, 'oops'), { service: 'IAM' }).message).toMatch(/^IAM answered with an internal error/);
  });
});
