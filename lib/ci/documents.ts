// What "push from CI" is made of, as data: the trust policy that lets one
// GitHub repository and branch assume a role through GitHub's OpenID Connect
// provider, the least-privilege policies for an ECR push and for a static-site
// deploy, the workflow that uses them, and the AWS CLI commands that make the
// same things by hand. Pure: no AWS calls, unit-tested in documents.test.ts.
//
// GitHub's side: https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws
// IAM's side:    https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html

/** GitHub's token issuer: the URL the IAM OIDC provider is made for. */
export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
/** The issuer without its scheme: how IAM names the provider in its ARN and its condition keys. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience aws-actions/configure-aws-credentials asks GitHub for by default. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** One GitHub repository and one branch of it: the only workflows the role trusts. */
export interface GithubScope {
  owner: string;
  repo: string;
  branch: string;
}

/** Where Berth's account lives: read from STS (lib/aws/identity.ts), never assumed to be "aws". */
export interface AccountScope {
  partition: string;
  account: string;
}

export type CiTarget =
  | { kind: 'ecr'; region: string; repository: string; repositoryArn: string; repositoryUri: string }
  | { kind: 'site'; bucket: string; bucketRegion: string; distributionId: string; distributionArn: string };

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow';
  Action: string | string[];
  Resource: string | string[];
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface TrustPolicy {
  Version: '2012-10-17';
  Statement: {
    Effect: 'Allow';
    Principal: { Federated: string };
    Action: 'sts:AssumeRoleWithWebIdentity';
    Condition: { StringEquals: Record<string, string> };
  }[];
}

export function oidcProviderArn({ partition, account }: AccountScope): string {
  return `arn:${partition}:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

export function roleArn({ partition, account }: AccountScope, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

/**
 * The `sub` claim GitHub puts in a token for a workflow run on a push to
 * `branch` (without an environment): "repo:ORG/REPO:ref:refs/heads/BRANCH".
 * https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
 */
export function subjectClaim({ owner, repo, branch }: GithubScope): string {
  return `repo:${owner}/${repo}:ref:refs/heads/${branch}`;
}

/**
 * Lets exactly one repository's branch assume the role. StringEquals, not
 * StringLike: no wildcard can widen it, and both the audience and the subject
 * are pinned, as IAM's guide for GitHub asks.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
 */
export function trustPolicy(account: AccountScope, scope: GithubScope): TrustPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: oidcProviderArn(account) },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: subjectClaim(scope),
          },
        },
      },
    ],
  };
}

/**
 * What `docker push` to one repository needs, and nothing more: the
 * registry-wide token (GetAuthorizationToken takes no resource) and the
 * layer and manifest calls on that repository's ARN.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
 */
export function ecrPushPolicy(repositoryArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'PushToOneRepository',
        Effect: 'Allow',
        Action: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:InitiateLayerUpload',
          'ecr:UploadLayerPart',
          'ecr:CompleteLayerUpload',
          'ecr:PutImage',
          'ecr:BatchGetImage',
        ],
        Resource: repositoryArn,
      },
    ],
  };
}

export function bucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

/**
 * What `aws s3 sync --delete` into one bucket and an invalidation of one
 * distribution need. ListBucket is on the bucket (sync lists to compare),
 * the object calls on its keys. CloudFront's resources are distributions,
 * with no region in their ARN.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfront.html
 */
export function siteDeployPolicy(partition: string, bucket: string, distributionArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ListTheSiteBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn(partition, bucket) },
      { Sid: 'WriteTheSiteObjects', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: `${bucketArn(partition, bucket)}/*` },
      { Sid: 'InvalidateTheDistribution', Effect: 'Allow', Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'], Resource: distributionArn },
    ],
  };
}

export function permissionsPolicy(target: CiTarget, partition: string): PolicyDocument {
  return target.kind === 'ecr' ? ecrPushPolicy(target.repositoryArn) : siteDeployPolicy(partition, target.bucket, target.distributionArn);
}

/** What a role or user is for, as part of its name: "ecr-push-team-web", "site-deploy-www.example.com". */
export function namePart(target: CiTarget): string {
  return target.kind === 'ecr' ? `ecr-push-${target.repository}` : `site-deploy-${target.bucket}`;
}

/** A name for the role (or user) that says what it is for, within IAM's 64 characters and `[\w+=,.@-]`. */
export function suggestedName(part: string, repo: string): string {
  const raw = `github-${repo || 'repo'}-${part}`.replace(/[^\w+=,.@-]+/g, '-');
  return raw.length <= 64 ? raw : raw.slice(0, 64).replace(/-+$/, '');
}

/** The inline policy's name on the role or user. */
export function policyNameFor(target: { kind: CiTarget['kind'] }): string {
  return target.kind === 'ecr' ? 'berth-ecr-push' : 'berth-site-deploy';
}

/** A YAML scalar that reads back as exactly `value`: a JSON string is a valid YAML double-quoted scalar. */
function yamlString(value: string): string {
  return JSON.stringify(value);
}

/** How the workflow gets its credentials: the role (OIDC) or the fallback user's key in GitHub secrets. */
export type Credentials = { kind: 'role'; roleArn: string } | { kind: 'key' };

/** The GitHub secrets the access-key fallback needs, by name. */
export const KEY_SECRETS = { id: 'AWS_ACCESS_KEY_ID', secret: 'AWS_SECRET_ACCESS_KEY' } as const;

function targetRegion(target: CiTarget): string {
  return target.kind === 'ecr' ? target.region : target.bucketRegion;
}

/**
 * The workflow file, .github/workflows/<name>.yml. With a role it asks GitHub
 * for an ID token (`id-token: write`) and exchanges it for the role's
 * credentials; with the fallback key it reads the two secrets instead.
 * https://github.com/aws-actions/configure-aws-credentials#oidc
 * https://github.com/aws-actions/amazon-ecr-login
 */
export function workflowYaml(target: CiTarget, scope: GithubScope, credentials: Credentials): string {
  const region = targetRegion(target);
  const auth =
    credentials.kind === 'role'
      ? [`          role-to-assume: ${yamlString(credentials.roleArn)}`]
      : [
          `          aws-access-key-id: \${{ secrets.${KEY_SECRETS.id} }}`,
          `          aws-secret-access-key: \${{ secrets.${KEY_SECRETS.secret} }}`,
        ];
  const permissions = credentials.kind === 'role' ? ['permissions:', '  id-token: write', '  contents: read'] : ['permissions:', '  contents: read'];
  const head = [
    `name: ${target.kind === 'ecr' ? 'Push to Amazon ECR' : 'Deploy the site'}`,
    'on:',
    '  push:',
    `    branches: [${yamlString(scope.branch)}]`,
    ...permissions,
    'jobs:',
    `  ${target.kind === 'ecr' ? 'push' : 'deploy'}:`,
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: aws-actions/configure-aws-credentials@v4',
    '        with:',
    ...auth,
    `          aws-region: ${yamlString(region)}`,
  ];
  const steps =
    target.kind === 'ecr'
      ? [
          '      - uses: aws-actions/amazon-ecr-login@v2',
          '      - name: Build and push the image',
          '        env:',
          `          IMAGE: ${yamlString(target.repositoryUri)}`,
          '        run: |',
          '          docker build -t "$IMAGE:$GITHUB_SHA" .',
          '          docker push "$IMAGE:$GITHUB_SHA"',
        ]
      : [
          '      # Build the site into ./dist first (or change SITE_DIR to where your build writes it).',
          '      - name: Upload the site',
          '        env:',
          '          SITE_DIR: dist',
          `          BUCKET: ${yamlString(target.bucket)}`,
          '        run: aws s3 sync "$SITE_DIR" "s3://$BUCKET" --delete',
          '      - name: Invalidate the CloudFront cache',
          '        env:',
          `          DISTRIBUTION_ID: ${yamlString(target.distributionId)}`,
          `        run: aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths "/*"`,
        ];
  return [...head, ...steps, ''].join('\n');
}

/** Quotes one word for a POSIX shell: as it is when it is plainly safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface ManualStep {
  /** What the step does, e.g. "Create the role". */
  label: string;
  /** The IAM permission the step needs. */
  permission: string;
  command: string;
}

export interface ManualPlan {
  /** Files to write beside the commands, by name. */
  files: { name: string; text: string }[];
  steps: ManualStep[];
}

function pretty(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * The same setup as AWS CLI commands, for an admin whose Berth may not change
 * IAM: the documents as files and one command per call, each with the
 * permission it needs; the provider's step only when the account has none.
 * https://docs.aws.amazon.com/cli/latest/reference/iam/
 */
export function roleCommands(
  account: AccountScope,
  scope: GithubScope,
  target: CiTarget,
  names: { roleName: string; policyName: string },
  options: { providerExists?: boolean } = {},
): ManualPlan {
  const trust = 'trust.json';
  const policy = `${names.policyName}.json`;
  return {
    files: [
      { name: trust, text: pretty(trustPolicy(account, scope)) },
      { name: policy, text: pretty(permissionsPolicy(target, account.partition)) },
    ],
    steps: [
      // Only when the account has no GitHub provider: a second one is refused (EntityAlreadyExists).
      ...(options.providerExists
        ? []
        : [
            {
              label: "Add GitHub's OpenID Connect provider",
              permission: 'iam:CreateOpenIDConnectProvider',
              command: `aws iam create-open-id-connect-provider --url ${GITHUB_OIDC_URL} --client-id-list ${STS_AUDIENCE}`,
            },
          ]),
      {
        label: 'Create the role GitHub may assume',
        permission: 'iam:CreateRole',
        command: `aws iam create-role --role-name ${shellWord(names.roleName)} --assume-role-policy-document file://${trust}`,
      },
      {
        label: 'Give the role its permissions',
        permission: 'iam:PutRolePolicy',
        command: `aws iam put-role-policy --role-name ${shellWord(names.roleName)} --policy-name ${shellWord(names.policyName)} --policy-document file://${shellWord(policy)}`,
      },
    ],
  };
}

/** The access-key fallback as AWS CLI commands. */
export function userCommands(account: AccountScope, target: CiTarget, names: { userName: string; policyName: string }): ManualPlan {
  const policy = `${names.policyName}.json`;
  return {
    files: [{ name: policy, text: pretty(permissionsPolicy(target, account.partition)) }],
    steps: [
      { label: 'Create the user', permission: 'iam:CreateUser', command: `aws iam create-user --user-name ${shellWord(names.userName)}` },
      {
        label: 'Give the user its permissions',
        permission: 'iam:PutUserPolicy',
        command: `aws iam put-user-policy --user-name ${shellWord(names.userName)} --policy-name ${shellWord(names.policyName)} --policy-document file://${shellWord(policy)}`,
      },
      { label: 'Create its access key (the secret is shown once)', permission: 'iam:CreateAccessKey', command: `aws iam create-access-key --user-name ${shellWord(names.userName)}` },
    ],
  };
}

/**
 * Whether a trust policy IAM holds is the one Berth would write: the same
 * statements, compared as data (IAM may hand back a condition value as a
 * one-element list, and keys in any order).
 */
export function sameTrust(held: unknown, wanted: TrustPolicy): boolean {
  return JSON.stringify(canonical(held)) === JSON.stringify(canonical(wanted));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 1 ? canonical(value[0]) : value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}
