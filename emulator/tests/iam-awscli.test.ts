import { describe, expect, it } from 'vitest';
import { awsCliPath } from '../test-support/aws-cli';
import { awsCliSuite, type Json } from '../test-support/aws-cli-suite';

// IAM through Debian's awscli, which parses every answer against its own copy
// of IAM's model, URL-decodes policy documents itself and follows Markers.

const { aws, refused } = awsCliSuite({ args: ['--quiet'] });

// Each CLI run starts a Python process: generous time on a busy machine.
describe(`IAM with the AWS CLI (${awsCliPath()})`, { timeout: 240_000 }, () => {
  it('create-user, create-access-key, attach-user-policy, list-attached-user-policies', async () => {
    const user = await aws(['iam', 'create-user', '--user-name', 'cli-user', '--path', '/cli/', '--tags', 'Key=team,Value=web']);
    expect(user.User).toMatchObject({ UserName: 'cli-user', Path: '/cli/', Arn: 'arn:aws:iam::123456789012:user/cli/cli-user' });

    const key = await aws(['iam', 'create-access-key', '--user-name', 'cli-user']);
    expect(key.AccessKey.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.AccessKey.SecretAccessKey).toHaveLength(40);
    expect(key.AccessKey.Status).toBe('Active');

    await aws(['iam', 'attach-user-policy', '--user-name', 'cli-user', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
    const attached = await aws(['iam', 'list-attached-user-policies', '--user-name', 'cli-user']);
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }]);

    // The caller's own user, with no --user-name.
    const me = await aws(['iam', 'get-user']);
    expect(me.User.UserName).toBe('test');
  });

  it('get-account-authorization-details, paged by the CLI and with documents decoded', async () => {
    await aws(['iam', 'create-role', '--role-name', 'cli-role', '--assume-role-policy-document',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}']);
    await aws(['iam', 'put-role-policy', '--role-name', 'cli-role', '--policy-name', 'reads', '--policy-document',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}']);
    // --page-size 2 makes the CLI follow IAM's Marker across several calls and merge the pages.
    const details = await aws(['iam', 'get-account-authorization-details', '--page-size', '2']);
    const role = (details.RoleDetailList as Json[]).find((r) => r.RoleName === 'cli-role');
    // awscli turns IAM's URL-encoded documents back into JSON.
    expect(role?.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(role?.RolePolicyList).toEqual([
      { PolicyName: 'reads', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } },
    ]);
    const users = (details.UserDetailList as Json[]).map((u) => u.UserName);
    expect(users).toEqual(expect.arrayContaining(['test', 'readonly']));
    const admin = (details.Policies as Json[]).find((p) => p.PolicyName === 'AdministratorAccess');
    expect(admin?.PolicyVersionList?.[0]?.Document).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

    const onlyRoles = await aws(['iam', 'get-account-authorization-details', '--filter', 'Role']);
    expect(onlyRoles.UserDetailList).toEqual([]);
    expect((onlyRoles.RoleDetailList as Json[]).map((r) => r.RoleName)).toContain('cli-role');
  });

  it('answers the access-key quota and a missing user with IAM error codes', async () => {
    await aws(['iam', 'create-user', '--user-name', 'cli-quota']);
    await aws(['iam', 'create-access-key', '--user-name', 'cli-quota']);
    await aws(['iam', 'create-access-key', '--user-name', 'cli-quota']);
    expect(await refused(['iam', 'create-access-key', '--user-name', 'cli-quota'])).toContain(
      'An error occurred (LimitExceeded) when calling the CreateAccessKey operation: Cannot exceed quota for AccessKeysPerUser: 2',
    );
    expect(await refused(['iam', 'get-user', '--user-name', 'nobody'])).toContain(
      'An error occurred (NoSuchEntity) when calling the GetUser operation: The user with name nobody cannot be found.',
    );
    expect(await refused(['iam', 'create-access-key', '--user-name', 'cli-quota'])).not.toContain('Traceback');
  });
});
