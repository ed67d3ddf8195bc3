import { describe, expect, it } from 'vitest';
import { parseDenial, readPrincipal } from './denial';

const repo = 'arn:aws:ecr:us-east-1:123456789012:repository/team/api';

describe('parseDenial', () => {
  it('reads docker push’s denial', () => {
    const d = parseDenial(
      `denied: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:InitiateLayerUpload on resource: ${repo} because no identity-based policy allows the ecr:InitiateLayerUpload action`,
    );
    expect(d).toEqual({
      principal: { arn: 'arn:aws:iam::123456789012:user/ci', kind: 'user', account: '123456789012', name: 'ci', session: null, entityArn: 'arn:aws:iam::123456789012:user/ci' },
      action: 'ecr:InitiateLayerUpload',
      resource: repo,
      operation: null,
      errorCode: null,
      reason: { kind: 'implicit', policyType: 'identity-based policy', policyArn: null },
    });
  });

  it('reads docker’s line with the push progress and daemon prefix around it', () => {
    const d = parseDenial(
      `The push refers to repository [123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api]\n5f70bf18a086: Preparing\nError response from daemon: denied: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:InitiateLayerUpload on resource: ${repo} because no identity-based policy allows the ecr:InitiateLayerUpload action\n`,
    );
    expect(d?.principal?.name).toBe('ci');
    expect(d?.resource).toBe(repo);
  });

  it('reads the AWS CLI’s sentence with an assumed role, which maps to the role', () => {
    const d = parseDenial(
      'An error occurred (AccessDeniedException) when calling the DescribeRepositories operation: User: arn:aws:sts::123456789012:assumed-role/deploy-role/gh-actions-1234 is not authorized to perform: ecr:DescribeRepositories on resource: arn:aws:ecr:eu-west-1:123456789012:repository/* because no identity-based policy allows the ecr:DescribeRepositories action',
    );
    expect(d?.errorCode).toBe('AccessDeniedException');
    expect(d?.operation).toBe('DescribeRepositories');
    expect(d?.principal).toMatchObject({ kind: 'assumed-role', name: 'deploy-role', session: 'gh-actions-1234', entityArn: 'arn:aws:iam::123456789012:role/deploy-role' });
    expect(d?.resource).toBe('arn:aws:ecr:eu-west-1:123456789012:repository/*');
  });

  it('reads S3’s variant with the resource in quotes', () => {
    const d = parseDenial(
      'An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:iam::123456789012:user/uploader is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::assets/img/logo.png" because no identity-based policy allows the s3:PutObject action',
    );
    expect(d).toMatchObject({ action: 's3:PutObject', resource: 'arn:aws:s3:::assets/img/logo.png', errorCode: 'AccessDenied', operation: 'PutObject' });
  });

  it('reads the sentence out of S3’s XML error body', () => {
    const d = parseDenial(
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/uploader is not authorized to perform: s3:GetObject on resource: &quot;arn:aws:s3:::assets/a.txt&quot; because no resource-based policy allows the s3:GetObject action</Message></Error>',
    );
    expect(d).toMatchObject({ action: 's3:GetObject', resource: 'arn:aws:s3:::assets/a.txt', reason: { kind: 'implicit', policyType: 'resource-based policy' } });
  });

  it('reads the sentence out of a JSON body with escaped quotes', () => {
    const d = parseDenial(
      '{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:BatchGetImage on resource: \\"arn:aws:ecr:us-east-1:123456789012:repository/web\\" because no identity-based policy allows the ecr:BatchGetImage action"}',
    );
    expect(d).toMatchObject({ action: 'ecr:BatchGetImage', resource: 'arn:aws:ecr:us-east-1:123456789012:repository/web' });
  });

  it('reads an explicit deny, with the policy ARN when the message names it', () => {
    const id = parseDenial(`User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:PutImage on resource: ${repo} with an explicit deny in an identity-based policy`);
    expect(id?.reason).toEqual({ kind: 'explicit', policyType: 'identity-based policy', policyArn: null });
    const scp = parseDenial(
      `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:PutImage on resource: ${repo} with an explicit deny in a service control policy: arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/p-xyz.`,
    );
    expect(scp?.reason).toEqual({ kind: 'explicit', policyType: 'service control policy', policyArn: 'arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/p-xyz' });
    const rbp = parseDenial(`User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:PutImage on resource: ${repo} with an explicit deny in a resource-based policy`);
    expect(rbp?.reason?.policyType).toBe('resource-based policy');
  });

  it('reads the boundary and session reasons', () => {
    expect(parseDenial(`User: arn:aws:iam::123456789012:role/r is not authorized to perform: s3:ListBucket on resource: arn:aws:s3:::b because no permissions boundary allows the s3:ListBucket action`)?.reason).toEqual({
      kind: 'implicit',
      policyType: 'permissions boundary',
      policyArn: null,
    });
    expect(parseDenial(`User: arn:aws:iam::123456789012:role/r is not authorized to perform: s3:ListBucket on resource: arn:aws:s3:::b because no session policy allows the s3:ListBucket action`)?.reason?.policyType).toBe('session policy');
  });

  it('reads the older sentence with no reason, and one with no resource', () => {
    const old = parseDenial(`User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:PutImage on resource: ${repo}`);
    expect(old).toMatchObject({ action: 'ecr:PutImage', resource: repo, reason: null });
    const token = parseDenial(
      'An error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:GetAuthorizationToken because no identity-based policy allows the ecr:GetAuthorizationToken action',
    );
    expect(token).toMatchObject({ action: 'ecr:GetAuthorizationToken', resource: null, operation: 'GetAuthorizationToken' });
  });

  it('takes "on resource: *"', () => {
    expect(parseDenial('User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action')?.resource).toBe('*');
  });

  it('survives a terminal’s wrapping and extra blanks', () => {
    const d = parseDenial(`denied: User:   arn:aws:iam::123456789012:user/ci\n   is not authorized\n to perform:   ecr:InitiateLayerUpload on\nresource: ${repo}\n because no identity-based policy allows`);
    expect(d).toMatchObject({ action: 'ecr:InitiateLayerUpload', resource: repo, principal: { name: 'ci' } });
  });

  it('drops a sentence’s full stop from an ARN', () => {
    expect(parseDenial(`User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:PutImage on resource: ${repo}.`)?.resource).toBe(repo);
  });

  it('raises the action’s first letter and lowers the service', () => {
    expect(parseDenial('User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ECR:putImage')?.action).toBe('ecr:PutImage');
  });

  it('returns what it found from a message with only an operation', () => {
    expect(parseDenial('An error occurred (AccessDenied) when calling the ListBuckets operation: Access Denied')).toEqual({
      principal: null,
      action: null,
      resource: null,
      operation: 'ListBuckets',
      errorCode: 'AccessDenied',
      reason: null,
    });
  });

  it('returns null for text that is no denial', () => {
    expect(parseDenial('')).toBeNull();
    expect(parseDenial('   ')).toBeNull();
    expect(parseDenial('hello world')).toBeNull();
  });

  it('ignores an anonymous caller', () => {
    const d = parseDenial('User: anonymous is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k"');
    expect(d?.principal).toBeNull();
    expect(d?.action).toBe('s3:GetObject');
  });
});

describe('readPrincipal', () => {
  it('keeps a user’s path in its ARN and takes the last segment as its name', () => {
    expect(readPrincipal('arn:aws:iam::123456789012:user/ci/bots/pusher')).toMatchObject({ kind: 'user', name: 'pusher', entityArn: 'arn:aws:iam::123456789012:user/ci/bots/pusher' });
  });
  it('knows a role, root, a federated user and something else', () => {
    expect(readPrincipal('arn:aws:iam::123456789012:role/service-role/builder')).toMatchObject({ kind: 'role', name: 'builder' });
    expect(readPrincipal('arn:aws:iam::123456789012:root')).toMatchObject({ kind: 'root', entityArn: null });
    expect(readPrincipal('arn:aws:sts::123456789012:federated-user/bob')).toMatchObject({ kind: 'federated-user', name: 'bob', entityArn: null });
    expect(readPrincipal('arn:aws:s3:::bucket')).toMatchObject({ kind: 'other', entityArn: null });
  });
  it('maps an assumed role in another partition', () => {
    expect(readPrincipal('arn:aws-us-gov:sts::123456789012:assumed-role/r/s').entityArn).toBe('arn:aws-us-gov:iam::123456789012:role/r');
  });
});
