import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliPath } from '../test-support/aws-cli';
import { awsCliSuite } from '../test-support/aws-cli-suite';
import { githubClaims, startTestIssuer, type TestIssuer } from '../test-support/oidc-issuer';

// STS through Debian's awscli: assume-role, the returned credentials used
// through AWS_SESSION_TOKEN, and assume-role-with-web-identity (which the CLI
// sends unsigned) against a local OIDC issuer on port 46242 (the sts
// helper's port block).

const ISSUER_PORT = 46242;
const ACCOUNT = '123456789012';

let issuer: TestIssuer;
const { aws, run, withSession } = awsCliSuite({ args: ['--quiet', '--no-seed'] });

beforeAll(async () => {
  issuer = await startTestIssuer(ISSUER_PORT);
});

afterAll(async () => {
  await issuer?.close();
});

const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: statement });

// Each CLI run starts a Python process: generous time on a busy machine.
describe(`STS with the AWS CLI (${awsCliPath()})`, { timeout: 240_000 }, () => {
  it('assume-role, then get-caller-identity with the returned credentials (AWS_SESSION_TOKEN)', async () => {
    const role = await aws([
      'iam',
      'create-role',
      '--role-name',
      'cli-deployer',
      '--assume-role-policy-document',
      doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/test` }, Action: 'sts:AssumeRole' }),
    ]);
    const out = await aws(['sts', 'assume-role', '--role-arn', role.Role.Arn, '--role-session-name', 'cli-session', '--duration-seconds', '900']);
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(new Date(out.Credentials.Expiration).getTime()).toBeGreaterThan(Date.now());
    expect(out.AssumedRoleUser).toEqual({
      AssumedRoleId: `${role.Role.RoleId}:cli-session`,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/cli-deployer/cli-session`,
    });

    const who = await withSession(['sts', 'get-caller-identity'], out.Credentials);
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toEqual({
      UserId: `${role.Role.RoleId}:cli-session`,
      Account: ACCOUNT,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/cli-deployer/cli-session`,
    });
  });

  it('assume-role is refused for a caller the trust policy does not name', async () => {
    const r = await run(['sts', 'assume-role', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/cli-deployer`, '--role-session-name', 'nope'], {
      key: 'readonly',
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::${ACCOUNT}:user/readonly is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/cli-deployer`,
    );
  });

  it('assume-role-with-web-identity with a GitHub-style token: main is allowed, another branch refused', async () => {
    // This CLI's model still requires a thumbprint (IAM no longer checks it).
    await aws(['iam', 'create-open-id-connect-provider', '--url', issuer.providerUrl, '--client-id-list', 'sts.amazonaws.com', '--thumbprint-list', '0'.repeat(40)]);
    await aws([
      'iam',
      'create-role',
      '--role-name',
      'cli-gha',
      '--assume-role-policy-document',
      doc({
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${issuer.host}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${issuer.host}:sub`]: 'repo:acme/site:ref:refs/heads/main' },
        },
      }),
    ]);
    const args = (token: string) => [
      'sts',
      'assume-role-with-web-identity',
      '--role-arn',
      `arn:aws:iam::${ACCOUNT}:role/cli-gha`,
      '--role-session-name',
      'gha',
      '--web-identity-token',
      token,
    ];
    const out = await aws(args(issuer.token(githubClaims('acme/site', 'main'))));
    expect(out.SubjectFromWebIdentityToken).toBe('repo:acme/site:ref:refs/heads/main');
    expect(out.Provider).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}`);
    expect(out.Audience).toBe('sts.amazonaws.com');
    expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/cli-gha/gha`);

    const r = await run(args(issuer.token(githubClaims('acme/site', 'dev'))));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    );

    const aud = await run(args(issuer.token(githubClaims('acme/site', 'main', 'other'))));
    expect(aud.stderr).toContain('An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: Incorrect token audience');
  });
});
