import { describe, expect, it } from 'vitest';
import { describeTrust, trustedBy } from './trust';

const ACCOUNT = '123456789012';
const OTHER = '210987654321';
const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

function policy(...statements: unknown[]) {
  return { Version: '2012-10-17', Statement: statements };
}

/** The sentences of a trust policy, for Berth in ACCOUNT. */
function say(...statements: unknown[]): string[] {
  return describeTrust(policy(...statements), { account: ACCOUNT }).statements.map((s) => s.sentence);
}

function warnings(...statements: unknown[]): string[] {
  return describeTrust(policy(...statements), { account: ACCOUNT }).statements.flatMap((s) => s.warnings);
}

const assume = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra });
const github = (condition: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: { Federated: GITHUB },
  Action: 'sts:AssumeRoleWithWebIdentity',
  Condition: condition,
  ...extra,
});

describe('accounts and IAM principals', () => {
  it('an account root, by ARN or by bare id, is anyone in it with permission', () => {
    expect(say(assume({ AWS: `arn:aws:iam::${OTHER}:root` }))).toEqual([`Anyone in account ${OTHER} with permission may assume this role.`]);
    expect(say(assume({ AWS: OTHER }))).toEqual([`Anyone in account ${OTHER} with permission may assume this role.`]);
  });

  it("names Berth's own account as this account", () => {
    expect(say(assume({ AWS: `arn:aws:iam::${ACCOUNT}:root` }))).toEqual([`Anyone in this account (${ACCOUNT}) with permission may assume this role.`]);
  });

  it('users, roles, sessions and several principals in one statement', () => {
    expect(say(assume({ AWS: [`arn:aws:iam::${OTHER}:user/dev/alice`, `arn:aws:iam::${ACCOUNT}:role/deployer`] }))).toEqual([
      `The IAM user alice in account ${OTHER} and sessions of the role deployer in this account (${ACCOUNT}) may assume this role.`,
    ]);
    expect(say(assume({ AWS: `arn:aws:sts::${OTHER}:assumed-role/admin/jane` }))).toEqual([`The session jane of the role admin in account ${OTHER} may assume this role.`]);
  });

  it('a deleted principal shows as its unique id, with a warning to remove it', () => {
    const d = describeTrust(policy(assume({ AWS: 'AIDAJQABLZS4A3QDU576Q' })));
    expect(d.statements[0]!.sentence).toBe('A deleted IAM user (IAM shows its unique id AIDAJQABLZS4A3QDU576Q) may assume this role.');
    expect(d.statements[0]!.warnings[0]).toMatch(/was deleted/);
  });

  it('conditions are said after "when", joined with "and"', () => {
    expect(
      say(
        assume(
          { AWS: `arn:aws:iam::${OTHER}:root` },
          { Condition: { StringEquals: { 'sts:ExternalId': 'acme-7731' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } },
        ),
      ),
    ).toEqual([`Anyone in account ${OTHER} with permission may assume this role when the external ID is “acme-7731” and the caller signed in with MFA and the caller used MFA within the last 1 h.`]);
  });

  it('session tagging and source identity are part of the verb', () => {
    expect(say({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] })).toEqual([
      `Anyone in account ${OTHER} with permission may assume this role (and tag the session and set a source identity).`,
    ]);
    expect(say({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'sts:TagSession' })).toEqual([`Anyone in account ${OTHER} with permission may tag the session when assuming this role.`]);
  });
});

describe('wildcards', () => {
  it('"*" alone is open to every account, and says so', () => {
    expect(say(assume('*'))).toEqual(['Any AWS identity in any account may assume this role.']);
    expect(warnings(assume({ AWS: '*' }))[0]).toMatch(/^Open to every AWS account/);
  });

  it('"*" limited to an organization or an account reads as that, without the warning', () => {
    expect(say(assume({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }))).toEqual([
      'Anyone in the AWS organization o-a1b2c3d4e5 with permission may assume this role.',
    ]);
    expect(warnings(assume({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }))).toEqual([]);
    expect(say(assume('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': [ACCOUNT, OTHER] } } }))).toEqual([
      `Anyone in this account (${ACCOUNT}) or account ${OTHER} with permission may assume this role.`,
    ]);
  });

  it('"*" with only a non-limiting condition keeps the warning, and says the condition', () => {
    const statement = assume('*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7/32'] } } });
    expect(say(statement)).toEqual(["Any AWS identity in any account may assume this role when the caller's IP address is in 203.0.113.0/24 or 198.51.100.7/32."]);
    expect(warnings(statement)).toHaveLength(1);
  });

  it('an action pattern is matched as IAM matches it', () => {
    expect(say({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'sts:Assume*' })).toEqual([`Anyone in account ${OTHER} with permission may assume this role.`]);
    expect(say({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: '*' })).toEqual([`Anyone in account ${OTHER} with permission may assume this role (and tag the session, set a source identity and set a context).`]);
  });

  it('StringEquals with a * compares literally, and is flagged', () => {
    const w = warnings(assume({ AWS: OTHER }, { Condition: { StringEquals: { 'aws:PrincipalArn': `arn:aws:iam::${OTHER}:role/ci-*` } } }));
    expect(w.join(' ')).toMatch(/literally/);
  });
});

describe('AWS services', () => {
  it('names the services people meet', () => {
    expect(say(assume({ Service: 'ecs.amazonaws.com' }))).toEqual(['The ECS service may assume this role.']);
    expect(say(assume({ Service: 'ecs-tasks.amazonaws.com' }))).toEqual(['ECS tasks may assume this role.']);
    expect(say(assume({ Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }))).toEqual(['Lambda functions and Lambda@Edge functions may assume this role.']);
    expect(say(assume({ Service: 'ec2.amazonaws.com.cn' }))).toEqual(['EC2 instances may assume this role.']);
  });

  it('an unknown service by its principal name', () => {
    expect(say(assume({ Service: 'quantum.amazonaws.com' }))).toEqual(['The AWS service quantum.amazonaws.com may assume this role.']);
  });

  it('confused-deputy conditions say whom the service acts for', () => {
    expect(
      say(
        assume(
          { Service: 'ecs-tasks.amazonaws.com' },
          { Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:ecs:us-east-1:${ACCOUNT}:*` } } },
        ),
      ),
    ).toEqual([`ECS tasks may assume this role when the account the service acts for is “${ACCOUNT}” and the resource the service acts for matches “arn:aws:ecs:us-east-1:${ACCOUNT}:*”.`]);
  });

  it('services and accounts in one statement', () => {
    expect(say(assume({ Service: 'ecs-tasks.amazonaws.com', AWS: `arn:aws:iam::${OTHER}:root` }))).toEqual([
      `ECS tasks and anyone in account ${OTHER} with permission may assume this role.`,
    ]);
  });
});

describe('GitHub Actions through OIDC', () => {
  const tail = ', through the OIDC provider token.actions.githubusercontent.com, may assume this role.';

  it('one repository on one branch', () => {
    expect(
      say(github({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/api:ref:refs/heads/main' } })),
    ).toEqual([`GitHub Actions runs of repository acme/api on branch main${tail}`]);
  });

  it('environments, tags, pull requests and branch patterns', () => {
    expect(say(github({ StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:environment:production' } }))).toEqual([
      `GitHub Actions runs of repository acme/api in environment production${tail}`,
    ]);
    expect(say(github({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:ref:refs/tags/v*' } }))).toEqual([
      `GitHub Actions runs of repository acme/api on tags matching v*${tail}`,
    ]);
    expect(say(github({ StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:pull_request' } }))).toEqual([
      `GitHub Actions runs of repository acme/api for pull requests${tail}`,
    ]);
    expect(say(github({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:ref:refs/heads/release/*' } }))).toEqual([
      `GitHub Actions runs of repository acme/api on branches matching release/*${tail}`,
    ]);
  });

  it('several subjects, grouped by repository', () => {
    expect(
      say(
        github({
          StringLike: {
            'token.actions.githubusercontent.com:sub': ['repo:acme/api:ref:refs/heads/main', 'repo:acme/api:environment:production', 'repo:acme/web:*'],
          },
        }),
      ),
    ).toEqual([
      `GitHub Actions runs of repository acme/api on branch main or in environment production, or of repository acme/web on any branch, tag, environment or pull request${tail}`,
    ]);
  });

  it('every repository of an owner', () => {
    expect(say(github({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } }))).toEqual([
      `GitHub Actions runs of any repository of acme on any branch, tag, environment or pull request${tail}`,
    ]);
  });

  it('no sub condition: any repository anywhere, flagged', () => {
    const statement = github({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } });
    expect(say(statement)).toEqual([`Any GitHub Actions run of any repository${tail}`]);
    expect(warnings(statement)[0]).toMatch(/any GitHub Actions workflow, in any repository of any owner/);
  });

  it('a wildcard under StringEquals matches nothing, and is flagged', () => {
    const w = warnings(github({ StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:*' } }));
    expect(w.join(' ')).toMatch(/StringEquals compares “repo:acme\/api:\*” literally/);
  });

  it('an unusual audience and other claims are said', () => {
    expect(
      say(
        github({
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'https://github.com/acme',
            'token.actions.githubusercontent.com:sub': 'repo:acme/api:ref:refs/heads/main',
            'token.actions.githubusercontent.com:job_workflow_ref': 'acme/workflows/.github/workflows/deploy.yml@refs/heads/main',
          },
        }),
      ),
    ).toEqual([
      'GitHub Actions runs of repository acme/api on branch main with audience “https://github.com/acme”, through the OIDC provider token.actions.githubusercontent.com, may assume this role when the token\'s “job_workflow_ref” claim is “acme/workflows/.github/workflows/deploy.yml@refs/heads/main”.',
    ]);
  });

  it('a provider in another account is named with it', () => {
    const statement = { ...github({ StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:ref:refs/heads/main' } }), Principal: { Federated: `arn:aws:iam::${OTHER}:oidc-provider/token.actions.githubusercontent.com` } };
    expect(say(statement)[0]).toContain(`through the OIDC provider token.actions.githubusercontent.com of account ${OTHER},`);
  });

  it('sts:AssumeRole cannot take a web identity token: flagged', () => {
    const w = warnings(github({ StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:ref:refs/heads/main' } }, { Action: 'sts:AssumeRole' }));
    expect(w.join(' ')).toMatch(/AssumeRoleWithWebIdentity, which this statement does not allow/);
  });

  it('short labels for the roles list', () => {
    const d = describeTrust(policy(github({ StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme/api:*', 'repo:acme/web:ref:refs/heads/main'] } }), assume({ Service: 'ecs-tasks.amazonaws.com' })));
    expect(trustedBy(d)).toEqual(['GitHub: acme/api, acme/web', 'ECS tasks']);
  });
});

describe('other identity providers', () => {
  it('an EKS service account', () => {
    const provider = 'oidc.eks.eu-west-1.amazonaws.com/id/5C2D5E1B0C6F';
    expect(
      say({
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${provider}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${provider}:sub`]: 'system:serviceaccount:build:runner', [`${provider}:aud`]: 'sts.amazonaws.com' } },
      }),
    ).toEqual([`The Kubernetes service account runner in namespace build of the EKS cluster, through the OIDC provider ${provider}, may assume this role.`]);
  });

  it('GitLab CI/CD', () => {
    expect(
      say({
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringLike: { 'gitlab.com:sub': 'project_path:acme/api:ref_type:branch:ref:main' } },
      }),
    ).toEqual(['GitLab CI/CD jobs of project acme/api on branch main, through the OIDC provider gitlab.com, may assume this role.']);
  });

  it('any other OIDC provider: its subject, or a warning when no claim is checked', () => {
    const principal = { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/auth.example.com` };
    expect(say({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'auth.example.com:sub': 'svc-deploy' } } })).toEqual([
      'Holders of a token whose subject (sub) is “svc-deploy”, through the OIDC provider auth.example.com, may assume this role.',
    ]);
    expect(warnings({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRoleWithWebIdentity' })[0]).toMatch(/anyone who can get a token from auth.example.com/);
  });

  it('SAML sign-in to the console', () => {
    expect(
      say({
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta` },
        Action: 'sts:AssumeRoleWithSAML',
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      }),
    ).toEqual(['People signed in through the SAML identity provider Okta (to the AWS console) may assume this role.']);
  });

  it('Cognito identity pools', () => {
    expect(
      say({
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:12345678-abcd-1234-abcd-1234567890ab' }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } },
      }),
    ).toEqual(['Signed-in users of the Amazon Cognito identity pool us-east-1:12345678-abcd-1234-abcd-1234567890ab may assume this role.']);
  });
});

describe('Deny statements', () => {
  it('a Deny names who may not', () => {
    expect(say(assume({ AWS: OTHER }), { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${OTHER}:user/intern` }, Action: 'sts:AssumeRole' })).toEqual([
      `Anyone in account ${OTHER} with permission may assume this role.`,
      `The IAM user intern in account ${OTHER} may not assume this role.`,
    ]);
  });

  it('a Deny to everyone under a condition reads "No one … when"', () => {
    expect(say({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })).toEqual([
      "No one may assume this role when the caller's IP address is not in 10.0.0.0/8.",
    ]);
    expect(say({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })).toEqual([
      'No one may assume this role when the caller did not sign in with MFA (or says nothing about MFA).',
    ]);
  });

  it('a Deny raises no "open to everyone" warning and adds nothing to the trusted list', () => {
    const d = describeTrust(policy({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }));
    expect(d.statements[0]!.warnings).toEqual([]);
    expect(trustedBy(d)).toEqual([]);
  });
});

describe('generic conditions', () => {
  it.each([
    ['StringNotEquals', 'sts:RoleSessionName', ['a', 'b'], 'the session name is neither “a” nor “b”'],
    ['StringNotLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/admin*'], 'the caller\'s ARN does not match “arn:aws:iam::*:role/admin*”'],
    ['DateLessThan', 'aws:CurrentTime', ['2027-01-01T00:00:00Z'], 'the time is before 2027-01-01T00:00:00Z'],
    ['StringEqualsIfExists', 'aws:PrincipalTag/team', ['platform'], "the caller's tag “team” is “platform”, if it is present"],
    ['Null', 'aws:RequestTag/project', ['false'], 'the session tag “project” is present'],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['project', 'team'], 'each of the session tag keys is “project” or “team”'],
    ['NumericGreaterThanEquals', 'custom:level', ['3'], '“custom:level” is at least 3'],
  ])('%s on %s', (op, key, values, words) => {
    expect(say(assume({ AWS: OTHER }, { Condition: { [op]: { [key]: values } } }))).toEqual([`Anyone in account ${OTHER} with permission may assume this role when ${words}.`]);
  });
});

describe('documents that are not the usual shape', () => {
  it('a single statement object, and text input', () => {
    expect(describeTrust(JSON.stringify({ Version: '2012-10-17', Statement: assume({ Service: 'ecs.amazonaws.com' }) })).statements[0]!.sentence).toBe('The ECS service may assume this role.');
  });

  it('not JSON, no statements, no principal', () => {
    expect(describeTrust('{oops').problem).toMatch(/not valid JSON/);
    expect(describeTrust({ Version: '2012-10-17', Statement: [] }).problem).toMatch(/no one may assume/);
    expect(describeTrust(policy({ Effect: 'Allow', Action: 'sts:AssumeRole' })).statements[0]!.sentence).toBe('This statement names no principal, so it lets no one assume this role.');
  });

  it('keeps the Sid and the effect', () => {
    const d = describeTrust(policy({ Sid: 'CI', ...assume({ AWS: OTHER }) }));
    expect(d.statements[0]).toMatchObject({ sid: 'CI', effect: 'Allow' });
  });
});
