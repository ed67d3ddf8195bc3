import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  CreateUserCommand,
  EntityAlreadyExistsException,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { expect, test, type Page } from '@playwright/test';
import { iam, setEmulatorClock } from './support/emulator';
import { shotLightAndDark } from './support/shots';
import { ADMIN_STATE, VIEWER_STATE } from './support/users';

// The Access section over the emulator's IAM: viewers and admins read the same
// pages (nothing on them changes IAM), a key made 100 days ago and never used
// is flagged, and a role's trust policy is said in words.

const STAMP = Date.now().toString(36);
const STALE_USER = `e2e-stale-${STAMP}`;
const FRESH_USER = `e2e-fresh-${STAMP}`;
const ROLE = `e2e-gha-deploy-${STAMP}`;
const OPEN_ROLE = `e2e-open-${STAMP}`;
const GROUP = `e2e-devs-${STAMP}`;
const DAY = 86_400_000;
const keys = { stale: '', fresh: '' };
const TRUST_WORDS =
  'GitHub Actions runs of repository acme/api on branch main, through the OIDC provider token.actions.githubusercontent.com, may assume this role.';

test.beforeAll(async () => {
  await iam.send(new CreateUserCommand({ UserName: STALE_USER, Tags: [{ Key: 'team', Value: 'platform' }] }));
  await iam.send(new CreateUserCommand({ UserName: FRESH_USER }));
  await iam.send(new AttachUserPolicyCommand({ UserName: STALE_USER, PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser' }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: STALE_USER,
      PolicyName: 'site-read',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::berth-demo-site/*' }] }),
    }),
  );
  await iam.send(new CreateGroupCommand({ GroupName: GROUP }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: GROUP, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: GROUP, UserName: STALE_USER }));
  // The key is made with the emulator's clock 100 days back, then the clock is put back.
  await setEmulatorClock(-100 * DAY);
  try {
    keys.stale = (await iam.send(new CreateAccessKeyCommand({ UserName: STALE_USER }))).AccessKey!.AccessKeyId!;
  } finally {
    await setEmulatorClock(0);
  }
  keys.fresh = (await iam.send(new CreateAccessKeyCommand({ UserName: FRESH_USER }))).AccessKey!.AccessKeyId!;

  try {
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'] }));
  } catch (error) {
    if (!(error instanceof EntityAlreadyExistsException)) throw error; // a retry of this file
  }
  await iam.send(
    new CreateRoleCommand({
      RoleName: ROLE,
      MaxSessionDuration: 7200,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:ref:refs/heads/main' },
            },
          },
        ],
      }),
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: ROLE, PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser' }));
  // A trust policy open to every AWS account, which the overview warns about.
  await iam.send(
    new CreateRoleCommand({
      RoleName: OPEN_ROLE,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
});

const main = (page: Page) => page.getByRole('main');

test.describe('as a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('the overview counts IAM and flags the stale key', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: /^Access/ }).click();
    await expect(page).toHaveURL(/\/access$/);
    await expect(main(page).getByRole('heading', { level: 1 })).toHaveText('Access');
    // test, readonly and the two made above, at least (other journeys may add more).
    expect(Number(await page.getByTestId('stat-users').textContent())).toBeGreaterThanOrEqual(4);
    const flagged = page.getByTestId('keys-needing-attention');
    const row = flagged.getByRole('row').filter({ hasText: keys.stale });
    await expect(row).toContainText(STALE_USER);
    await expect(row.getByTestId('key-flag')).toHaveText(['Older than 90 days', 'Unused 90+ days']);
    await expect(flagged).not.toContainText(keys.fresh);
    const warned = page.getByTestId('trust-warnings').getByRole('listitem').filter({ hasText: OPEN_ROLE });
    await expect(warned).toContainText('Open to every AWS account');
    await expect(page.getByTestId('trust-warnings')).not.toContainText(ROLE);
    await shotLightAndDark(page, 'access-overview-viewer', { fullPage: true });
  });

  test('users: every user with its keys, and the filter for keys needing attention', async ({ page }) => {
    await page.goto('/access/users');
    const users = page.getByTestId('users');
    await expect(users.getByRole('row').filter({ hasText: STALE_USER })).toContainText('100 days old · never used');
    await expect(users.getByRole('row').filter({ hasText: STALE_USER }).getByTestId('key-flag')).toHaveCount(2);
    await expect(users.getByRole('row').filter({ hasText: FRESH_USER })).toContainText('made today · never used');
    await expect(users.getByRole('row').filter({ hasText: FRESH_USER }).getByTestId('key-flag')).toHaveCount(0);
    await shotLightAndDark(page, 'access-users-viewer', { fullPage: true });
    // Refresh reads the users and their keys again: its tags are ones a Refresh may name.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();
    await expect(page.getByText('Not something Berth reads.')).toHaveCount(0);
    await expect(users.getByRole('row').filter({ hasText: STALE_USER }).getByTestId('key-flag')).toHaveCount(2);

    await page.getByRole('link', { name: 'Only keys needing attention' }).click();
    await expect(page).toHaveURL(/keys=attention/);
    await expect(users.getByRole('link', { name: STALE_USER })).toBeVisible();
    await expect(users.getByRole('link', { name: FRESH_USER })).toHaveCount(0);

    await users.getByRole('link', { name: STALE_USER }).click();
    await expect(main(page).getByRole('heading', { level: 1 })).toHaveText(STALE_USER);
    const key = page.getByTestId('access-keys').getByRole('row').filter({ hasText: keys.stale });
    await expect(key).toContainText('Active');
    await expect(key).toContainText('Never');
    await expect(key.getByTestId('key-flag')).toHaveCount(2);
    await expect(page.getByTestId('attached-policies')).toContainText('AmazonEC2ContainerRegistryPowerUser');
    await expect(page.getByTestId('inline-site-read')).toContainText('"Resource": "arn:aws:s3:::berth-demo-site/*"');
    await expect(page.getByTestId('tags')).toContainText('platform');
    await shotLightAndDark(page, 'access-user-viewer', { fullPage: true });
  });

  test("a role's trust in words, its policy, and the policy's page", async ({ page }) => {
    await page.goto('/access/roles');
    const row = page.getByTestId('roles').getByRole('row').filter({ hasText: ROLE });
    await expect(row).toContainText('GitHub: acme/api');
    await expect(page.getByTestId('roles').getByRole('row').filter({ hasText: OPEN_ROLE })).toContainText('Any AWS account1 warning');
    await shotLightAndDark(page, 'access-roles-viewer', { fullPage: true });
    await row.getByRole('link', { name: ROLE }).click();
    await expect(main(page).getByRole('heading', { level: 1 })).toHaveText(ROLE);
    await expect(page.getByTestId('trust-sentence')).toHaveText(TRUST_WORDS);
    await expect(page.getByTestId('max-session')).toHaveText('2 h');
    await page.getByText('Trust policy (JSON)').click();
    await expect(page.getByTestId('trust-json')).toContainText('"token.actions.githubusercontent.com:sub": "repo:acme/api:ref:refs/heads/main"');
    await page.getByText('Trust policy (JSON)').click();
    await shotLightAndDark(page, 'access-role-viewer', { fullPage: true });

    await page.getByTestId('attached-policies').getByRole('link', { name: 'AmazonEC2ContainerRegistryPowerUser' }).click();
    await expect(page).toHaveURL(/\/access\/policies\/arn:aws:iam::aws:policy\/AmazonEC2ContainerRegistryPowerUser/);
    await expect(page.getByTestId('policy-document')).toContainText('ecr:');
    const attached = page.getByTestId('policy-attachments');
    await expect(attached.getByRole('link', { name: ROLE })).toBeVisible();
    await expect(attached.getByRole('link', { name: STALE_USER })).toBeVisible();

    // By name, too.
    await page.goto('/access/policies/AmazonEC2ContainerRegistryPowerUser');
    await expect(main(page).getByRole('heading', { level: 1 })).toHaveText('AmazonEC2ContainerRegistryPowerUser');
  });

  test('groups: members and policies, both ways', async ({ page }) => {
    await page.goto('/access/groups');
    const row = page.getByTestId('groups').getByRole('row').filter({ hasText: GROUP });
    const cells = row.getByRole('cell');
    await expect(cells.nth(0)).toHaveText(GROUP);
    await expect(cells.nth(2)).toHaveText('1'); // members
    await expect(cells.nth(3)).toHaveText('1'); // managed policies attached
    await expect(cells.nth(4)).toHaveText('0'); // inline policies
    await row.getByRole('link', { name: GROUP }).click();
    await expect(page.getByTestId('group-members').getByRole('link', { name: STALE_USER })).toBeVisible();
    await expect(page.getByTestId('attached-policies').getByRole('link', { name: 'ReadOnlyAccess' })).toBeVisible();
    // IAM names are not told apart by case: the same group either way.
    await page.goto(`/access/groups/${GROUP.toUpperCase()}`);
    await expect(main(page).getByRole('heading', { level: 1 })).toHaveText(GROUP);
    await page.goto(`/access/users/${STALE_USER}`);
    await expect(page.getByTestId('user-groups').getByRole('link', { name: GROUP })).toBeVisible();
  });

  test('a name IAM does not have', async ({ page }) => {
    await page.goto('/access/users/no-such-user-here');
    await expect(page.getByText('No IAM user named “no-such-user-here”')).toBeVisible();
    const res = await page.goto('/access/roles/no-such-role-here');
    expect(res?.status()).toBe(404);
  });
});

test.describe('as an admin', () => {
  test.use({ storageState: ADMIN_STATE });

  test('the same pages, and nothing on them changes IAM', async ({ page }) => {
    for (const path of ['/access', '/access/users', `/access/users/${STALE_USER}`, '/access/groups', '/access/roles', `/access/roles/${ROLE}`]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      await expect(main(page).getByRole('heading', { level: 1 })).toBeVisible();
      // Read-only: the only forms are the Refresh of what is shown.
      for (const form of await main(page).locator('form').all()) {
        await expect(form.getByRole('button'), path).toHaveText(/^Refresh/);
      }
    }
    await page.goto(`/access/roles/${ROLE}`);
    await expect(page.getByTestId('trust-sentence')).toHaveText(TRUST_WORDS);
  });
});
