import { ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListAccessKeysCommand, ListRolesCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { expect, test, type Page } from '@playwright/test';
import { SSO_CONSOLE_PORT } from '../playwright.config';
import { actionId, postAction } from './support/actions';
import { cloudfront, EMULATOR_URL } from './support/emulator';
import { shot } from './support/shots';
import { ADMIN_STATE, signInAsSsoAdmin, VIEWER_STATE } from './support/users';

// Issue 11, item 9: push (and deploy) from GitHub Actions without long-lived
// keys. An admin makes the OIDC role beside a repository and a distribution and
// copies the workflow; a viewer sees the policy but no control, and a direct
// POST of the action is refused with nothing made; the access-key fallback
// shows its secret once; a Berth that may not change IAM says which
// permission it lacks and gives the commands. What was made is read back
// from the emulator's IAM, not from the page.

const iam = new IAMClient({ endpoint: EMULATOR_URL, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const STAMP = Date.now().toString(36);
const REPOSITORY_PAGE = '/ecr/demo-app-repo?tab=ci';

async function roleNames(): Promise<string[]> {
  return ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName!);
}

async function trustOf(roleName: string): Promise<Record<string, unknown>> {
  const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  return JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!));
}

/** Fills the GitHub fields once the form has hydrated (its controls are disabled until then). */
async function fillGithub(page: Page, owner: string, repo: string, branch = 'main') {
  await expect(page.getByRole('button', { name: 'Create the role' })).toBeEnabled();
  await page.getByLabel('GitHub owner').fill(owner);
  await page.getByLabel('Repository', { exact: true }).fill(repo);
  await page.getByLabel('Branch').fill(branch);
}

test.describe('an admin', () => {
  test.use({ storageState: ADMIN_STATE });

  test('refuses bad GitHub and IAM names before any AWS call, keeping what was typed', async ({ page }) => {
    const before = await roleNames();
    await page.goto(REPOSITORY_PAGE);
    await fillGithub(page, '-not-an-owner', `web-${STAMP}`, 'feature/*');
    await page.getByLabel('Role name').fill('has space');
    await page.getByRole('button', { name: 'Create the role' }).click();
    await expect(page.getByTestId('form-outcome').first()).toContainText('Some fields need attention.');
    await expect(page.getByText('Start and end with a letter or digit.')).toBeVisible();
    await expect(page.getByText(/Git branch names cannot hold/)).toBeVisible();
    await expect(page.getByText('Use only letters, digits and + = , . @ _ -')).toBeVisible();
    await expect(page.getByLabel('GitHub owner')).toHaveValue('-not-an-owner');
    await expect(page.getByLabel('Branch')).toHaveValue('feature/*');
    await expect(page.getByLabel('Role name')).toHaveValue('has space');
    expect(await roleNames()).toEqual(before);
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`creates the OIDC role for a repository and sees the workflow (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const repo = `web-${scheme}-${STAMP}`;
      const roleName = `github-${repo}-ecr-push-demo-app-repo`;
      await page.goto(REPOSITORY_PAGE);
      await expect(page.getByRole('link', { name: 'Push from CI' })).toBeVisible();
      await fillGithub(page, 'octo-org', repo);
      // The role name follows the repository typed until it is edited.
      await expect(page.getByLabel('Role name')).toHaveValue(roleName);
      await page.getByRole('button', { name: 'Create the role' }).click();
      await expect(page.getByTestId('form-outcome').first()).toContainText(`the role ${roleName}`);
      await expect(page.getByTestId('form-outcome').first()).toContainText("the role's inline policy berth-ecr-push");
      const workflow = page.getByTestId('ci-workflow');
      await expect(workflow).toContainText(`role-to-assume: "arn:aws:iam::123456789012:role/${roleName}"`);
      await expect(workflow).toContainText('id-token: write');
      await expect(workflow).toContainText('aws-actions/amazon-ecr-login@v2');

      const trust = await trustOf(roleName);
      expect(JSON.stringify(trust)).toContain(`"token.actions.githubusercontent.com:sub":"repo:octo-org/${repo}:ref:refs/heads/main"`);
      const policy = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'berth-ecr-push' }));
      expect(decodeURIComponent(policy.PolicyDocument!)).toContain(':repository/demo-app-repo');
      await shot(page, `ci-onboarding-ecr-admin-${scheme}`, { fullPage: true });

      // Submitting again makes nothing new: the provider and the role are reused.
      await page.getByRole('button', { name: 'Create the role' }).click();
      await expect(page.getByTestId('form-outcome').first()).toContainText(`reused GitHub's OpenID Connect provider and the role ${roleName}`);
      expect((await roleNames()).filter((n) => n === roleName)).toHaveLength(1);
    });
  }

  test('creates the deploy role for a static site', async ({ page }) => {
    const listed = await cloudfront.send(new ListDistributionsCommand({}));
    const site = listed.DistributionList!.Items!.find((d) => d.Comment === 'Berth demo site')!;
    await page.goto(`/cloudfront/${site.Id}?tab=ci`);
    await fillGithub(page, 'octo-org', `site-${STAMP}`);
    await page.getByRole('button', { name: 'Create the role' }).click();
    const roleName = `github-site-${STAMP}-site-deploy-berth-demo-site`;
    await expect(page.getByTestId('form-outcome').first()).toContainText(`the role ${roleName}`);
    await expect(page.getByTestId('ci-workflow')).toContainText(`aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID"`);
    const policy = decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'berth-site-deploy' }))).PolicyDocument!);
    expect(policy).toContain('arn:aws:s3:::berth-demo-site/*');
    expect(policy).toContain(`arn:aws:cloudfront::123456789012:distribution/${site.Id}`);
    await shot(page, 'ci-onboarding-site-admin-light', { fullPage: true });
  });

  test('the access-key fallback shows the secret once', async ({ page }) => {
    const repo = `keyed-${STAMP}`;
    const userName = `github-${repo}-ecr-push-demo-app-repo-key`;
    await page.goto(REPOSITORY_PAGE);
    await fillGithub(page, 'octo-org', repo);
    await page.getByText('No OpenID Connect? Use an IAM user and access key instead').click();
    await expect(page.getByText('A long-lived key')).toBeVisible();
    await expect(page.getByLabel('User name')).toHaveValue(userName);
    await page.getByRole('button', { name: 'Create the user and key' }).click();
    const secret = page.getByTestId('ci-secret-AWS_SECRET_ACCESS_KEY');
    await expect(secret).toHaveText(/^[A-Za-z0-9/+]{40}$/);
    const secretValue = (await secret.textContent())!;
    const keyId = (await page.getByTestId('ci-secret-AWS_ACCESS_KEY_ID').textContent())!;
    await expect(page.getByTestId('ci-workflow')).toContainText('${{ secrets.AWS_SECRET_ACCESS_KEY }}');
    await expect(page.getByTestId('ci-workflow')).not.toContainText(secretValue);
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'ci-onboarding-key-admin-dark', { fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    // Gone after a reload, and a second try makes no second key: it names the first.
    await page.reload();
    await expect(page.getByText(secretValue)).toHaveCount(0);
    await fillGithub(page, 'octo-org', repo);
    await page.getByText('No OpenID Connect? Use an IAM user and access key instead').click();
    await page.getByRole('button', { name: 'Create the user and key' }).click();
    await expect(page.getByText(`already has an access key (${keyId})`)).toBeVisible();
    expect((await iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata).toHaveLength(1);
  });
});

test.describe('a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('sees the policy but no create controls, and a POST of the action gets 403 with nothing created', async ({ page }) => {
    await page.goto(REPOSITORY_PAGE);
    await expect(page.getByTestId('ci-policy')).toContainText('ecr:GetAuthorizationToken');
    await expect(page.getByText('An admin can create the role here.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create the role' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Create the user and key' })).toHaveCount(0);
    await shot(page, 'ci-onboarding-ecr-viewer-light', { fullPage: true });

    const roles = await roleNames();
    const users = ((await iam.send(new ListUsersCommand({}))).Users ?? []).map((u) => u.UserName);
    const input = { region: 'us-east-1', repository: 'demo-app-repo', owner: 'octo-org', repo: `viewer-${STAMP}`, branch: 'main' };
    const role = await postAction(page.request, '/ecr/demo-app-repo', actionId('app/(console)/ecr/[...name]/actions.ts', 'createEcrCiRoleAction'), { ...input, roleName: `viewer-role-${STAMP}` });
    expect(role.status()).toBe(403);
    const user = await postAction(page.request, '/ecr/demo-app-repo', actionId('app/(console)/ecr/[...name]/actions.ts', 'createEcrCiUserAction'), { ...input, userName: `viewer-user-${STAMP}` });
    expect(user.status()).toBe(403);
    expect(await roleNames()).toEqual(roles);
    expect(((await iam.send(new ListUsersCommand({}))).Users ?? []).map((u) => u.UserName)).toEqual(users);
  });
});

test.describe('with the read-only key', () => {
  test.use({ baseURL: `http://localhost:${SSO_CONSOLE_PORT}` });

  test('an admin gets the documents and CLI commands, with the missing permission named', async ({ page }) => {
    await signInAsSsoAdmin(page);
    const roles = await roleNames();
    await page.goto(REPOSITORY_PAGE);
    await fillGithub(page, 'octo-org', `readonly-${STAMP}`);
    await page.getByRole('button', { name: 'Create the role' }).click();
    // The admin tests above made GitHub's provider, so the first write is CreateRole
    // (run alone, this spec's first refusal is the provider's create).
    await expect(page.getByTestId('ci-missing-permission')).toHaveText(/^iam:Create(Role|OpenIDConnectProvider)$/);
    const manual = page.getByTestId('ci-manual');
    await expect(manual).toContainText('aws iam create-role --role-name');
    await expect(manual).toContainText('--assume-role-policy-document file://trust.json');
    await expect(manual).toContainText('aws iam put-role-policy');
    await expect(manual).toContainText('"token.actions.githubusercontent.com:sub"');
    expect(await roleNames()).toEqual(roles);
    await shot(page, 'ci-onboarding-readonly-admin-light', { fullPage: true });
  });
});
