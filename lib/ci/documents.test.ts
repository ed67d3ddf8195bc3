import { describe, expect, it } from 'vitest';
import {
  ecrPushPolicy,
  namePart,
  GITHUB_OIDC_HOST,
  oidcProviderArn,
  roleCommands,
  sameTrust,
  shellWord,
  siteDeployPolicy,
  suggestedName,
  trustPolicy,
  userCommands,
  workflowYaml,
  type CiTarget,
} from './documents';
import { roleNameProblems } from '@/lib/validation/ci-rules';

const acct = { partition: 'aws', account: '111122223333' };
const scope = { owner: 'octo-org', repo: 'octo-repo', branch: 'main' };
const ecr: CiTarget = {
  kind: 'ecr',
  region: 'eu-west-1',
  repository: 'team/web',
  repositoryArn: 'arn:aws:ecr:eu-west-1:111122223333:repository/team/web',
  repositoryUri: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/web',
};
const site: CiTarget = { kind: 'site', bucket: 'www.example.com', bucketRegion: 'us-west-2', distributionId: 'E2ABCDEFGHIJKL', distributionArn: 'arn:aws:cloudfront::111122223333:distribution/E2ABCDEFGHIJKL' };

/** Every statement's actions as a list, keyed by the resources they apply to. */
function grants(doc: { Statement: { Action: string | string[]; Resource: string | string[] }[] }): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of doc.Statement) for (const r of [s.Resource].flat()) (out[r] ??= []).push(...[s.Action].flat());
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

describe('the trust policy', () => {
  it('lets only the one repository and branch assume the role, through GitHub’s provider in this account', () => {
    const doc = JSON.parse(JSON.stringify(trustPolicy(acct, scope)));
    expect(doc).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:ref:refs/heads/main',
            },
          },
        },
      ],
    });
    // No wildcard operator can widen it.
    expect(JSON.stringify(doc)).not.toMatch(/StringLike|ForAnyValue|\*/);
  });

  it('takes the partition from the identity, never "aws" by default', () => {
    const doc = trustPolicy({ partition: 'aws-cn', account: '111122223333' }, scope);
    expect(doc.Statement[0]!.Principal.Federated).toBe(`arn:aws-cn:iam::111122223333:oidc-provider/${GITHUB_OIDC_HOST}`);
    expect(oidcProviderArn({ partition: 'aws-us-gov', account: '1' })).toMatch(/^arn:aws-us-gov:iam::1:/);
  });

  it('is the same trust whatever the key order or one-element lists IAM hands back', () => {
    const wanted = trustPolicy(acct, scope);
    const held = JSON.parse(JSON.stringify(wanted));
    held.Statement[0].Action = ['sts:AssumeRoleWithWebIdentity'];
    held.Statement[0] = { Condition: held.Statement[0].Condition, Action: held.Statement[0].Action, Principal: held.Statement[0].Principal, Effect: 'Allow' };
    expect(sameTrust(held, wanted)).toBe(true);
    expect(sameTrust(trustPolicy(acct, { ...scope, branch: 'dev' }), wanted)).toBe(false);
    expect(sameTrust(trustPolicy(acct, { ...scope, repo: 'other' }), wanted)).toBe(false);
    expect(sameTrust(null, wanted)).toBe(false);
  });
});

describe('the ECR push policy', () => {
  it('grants the token on * and the push calls on the one repository only', () => {
    const doc = JSON.parse(JSON.stringify(ecrPushPolicy(ecr.kind === 'ecr' ? ecr.repositoryArn : '')));
    expect(doc.Version).toBe('2012-10-17');
    expect(grants(doc)).toEqual({
      '*': ['ecr:GetAuthorizationToken'],
      'arn:aws:ecr:eu-west-1:111122223333:repository/team/web': [
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:CompleteLayerUpload',
        'ecr:InitiateLayerUpload',
        'ecr:PutImage',
        'ecr:UploadLayerPart',
      ],
    });
    expect(doc.Statement.every((s: { Effect: string }) => s.Effect === 'Allow')).toBe(true);
  });
});

describe('the site deploy policy', () => {
  it('lists the bucket, writes and deletes its objects, invalidates the one distribution', () => {
    const doc = JSON.parse(JSON.stringify(siteDeployPolicy('aws', 'www.example.com', site.kind === 'site' ? site.distributionArn : '')));
    expect(grants(doc)).toEqual({
      'arn:aws:s3:::www.example.com': ['s3:ListBucket'],
      'arn:aws:s3:::www.example.com/*': ['s3:DeleteObject', 's3:PutObject'],
      'arn:aws:cloudfront::111122223333:distribution/E2ABCDEFGHIJKL': ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
    });
    expect(JSON.stringify(siteDeployPolicy('aws-cn', 'b', 'x'))).toContain('arn:aws-cn:s3:::b/*');
  });
});

describe('the workflow', () => {
  it('asks for an ID token, assumes the role and pushes to the repository URI', () => {
    const yaml = workflowYaml(ecr, scope, { kind: 'role', roleArn: 'arn:aws:iam::111122223333:role/ci' });
    expect(yaml).toContain('permissions:\n  id-token: write\n  contents: read\n');
    expect(yaml).toContain('uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: "arn:aws:iam::111122223333:role/ci"\n          aws-region: "eu-west-1"\n');
    expect(yaml).toContain('uses: aws-actions/amazon-ecr-login@v2');
    expect(yaml).toContain('IMAGE: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/web"');
    expect(yaml).toContain('docker push "$IMAGE:$GITHUB_SHA"');
    expect(yaml).toContain('branches: ["main"]');
    expect(yaml).not.toContain('secrets.');
    // Nothing but spaces indents YAML.
    expect(yaml).not.toContain('\t');
  });

  it('with the fallback key reads the two secrets and asks for no ID token', () => {
    const yaml = workflowYaml(site, scope, { kind: 'key' });
    expect(yaml).toContain('aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}');
    expect(yaml).toContain('aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}');
    expect(yaml).not.toContain('id-token');
    expect(yaml).not.toContain('role-to-assume');
  });

  it('deploys a site with s3 sync and an invalidation, in the bucket’s region', () => {
    const yaml = workflowYaml(site, scope, { kind: 'role', roleArn: 'arn:aws:iam::1:role/r' });
    expect(yaml).toContain('aws-region: "us-west-2"');
    expect(yaml).toContain('BUCKET: "www.example.com"');
    expect(yaml).toContain('aws s3 sync "$SITE_DIR" "s3://$BUCKET" --delete');
    expect(yaml).toContain('DISTRIBUTION_ID: "E2ABCDEFGHIJKL"');
    expect(yaml).toContain('aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths "/*"');
  });

  it('quotes a branch name YAML would otherwise read as something else', () => {
    const yaml = workflowYaml(ecr, { ...scope, branch: 'release/#1 "x"' }, { kind: 'key' });
    expect(yaml).toContain('branches: ["release/#1 \\"x\\""]');
  });
});

describe('the CLI commands', () => {
  it('write the same documents and name the permission of each step', () => {
    const plan = roleCommands(acct, scope, ecr, { roleName: 'ci-role', policyName: 'berth-ecr-push' });
    expect(plan.files.map((f) => f.name)).toEqual(['trust.json', 'berth-ecr-push.json']);
    expect(JSON.parse(plan.files[0]!.text)).toEqual(trustPolicy(acct, scope));
    expect(JSON.parse(plan.files[1]!.text)).toEqual(ecrPushPolicy(ecr.kind === 'ecr' ? ecr.repositoryArn : ''));
    expect(plan.steps.map((s) => s.permission)).toEqual(['iam:CreateOpenIDConnectProvider', 'iam:CreateRole', 'iam:PutRolePolicy']);
    expect(plan.steps[0]!.command).toBe('aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com');
    expect(plan.steps[1]!.command).toBe('aws iam create-role --role-name ci-role --assume-role-policy-document file://trust.json');
    expect(plan.steps[2]!.command).toBe('aws iam put-role-policy --role-name ci-role --policy-name berth-ecr-push --policy-document file://berth-ecr-push.json');
  });

  it('leave out the provider when the account has one', () => {
    const plan = roleCommands(acct, scope, ecr, { roleName: 'r', policyName: 'p' }, { providerExists: true });
    expect(plan.steps.map((s) => s.permission)).toEqual(['iam:CreateRole', 'iam:PutRolePolicy']);
  });

  it('for the user fallback: user, policy, key', () => {
    const plan = userCommands(acct, site, { userName: 'ci-user', policyName: 'berth-site-deploy' });
    expect(plan.steps.map((s) => s.command)).toEqual([
      'aws iam create-user --user-name ci-user',
      'aws iam put-user-policy --user-name ci-user --policy-name berth-site-deploy --policy-document file://berth-site-deploy.json',
      'aws iam create-access-key --user-name ci-user',
    ]);
  });

  it('quote what a shell would split', () => {
    expect(shellWord('a,b=c@d')).toBe('a,b=c@d');
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(shellWord('a b')).toBe("'a b'");
  });
});

describe('suggested names', () => {
  it('say what they are for and are names IAM takes', () => {
    expect(suggestedName(namePart(ecr), scope.repo)).toBe('github-octo-repo-ecr-push-team-web');
    expect(suggestedName(namePart(site), '')).toBe('github-repo-site-deploy-www.example.com');
    const long = suggestedName(namePart({ ...site, bucket: 'b'.repeat(63) } as CiTarget), 'r'.repeat(100));
    expect(long.length).toBeLessThanOrEqual(64);
    expect(roleNameProblems(long)).toEqual([]);
    expect(roleNameProblems(suggestedName('ecr-push-a/b', 'x'))).toEqual([]);
  });
});
