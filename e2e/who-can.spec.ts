import { CreateRepositoryCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { AttachUserPolicyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { expect, test, type Page } from '@playwright/test';
import { ecr, iam, s3 } from './support/emulator';
import { shotLightAndDark } from './support/shots';
import { ADMIN_STATE, VIEWER_STATE } from './support/users';

// "Who can" on a repository and a bucket page: every IAM user and role with
// IAM's simulator's verdict, in words, and the statement that decides it. The
// emulator's own users: `test` (AdministratorAccess) may push, `readonly`
// (ReadOnlyAccess) may pull and not push; a user with no policy of its own
// may push because the repository policy names it.

const STAMP = Date.now().toString(36);
const PREFIX = `whocan-${STAMP}`;
const REPO = `e2e-${PREFIX}`;
const BUCKET = `e2e-${PREFIX}`;
const GRANTED = `${PREFIX}-granted`;
const READER = `${PREFIX}-reader`;
const SERVICE_ROLE = `${PREFIX}-ecs`;
const ACCOUNT = '123456789012';

test.beforeAll(async () => {
  await iam.send(new CreateUserCommand({ UserName: GRANTED }));
  await iam.send(new CreateUserCommand({ UserName: READER }));
  await iam.send(new AttachUserPolicyCommand({ UserName: READER, PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
  await iam.send(
    new CreateRoleCommand({
      RoleName: SERVICE_ROLE,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  await iam.send(new PutRolePolicyCommand({ RoleName: SERVICE_ROLE, PolicyName: 'pull', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Pull', Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: '*' }] }) }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: REPO }));
  await ecr.send(
    new SetRepositoryPolicyCommand({
      repositoryName: REPO,
      policyText: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CiMayPush',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/${GRANTED}` },
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchCheckLayerAvailability'],
          },
        ],
      }),
    }),
  );
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'CiMayUpload', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/${GRANTED}` }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/*` }],
      }),
    }),
  );
});

const verdict = (page: Page, principal: string, capability: string) => page.getByTestId(`verdict-${principal}-${capability}`);

async function openWhoCan(page: Page, path: string, filter?: string) {
  await page.goto(`${path}?tab=who${filter ? `&who=${encodeURIComponent(filter)}` : ''}`);
  await expect(page.getByRole('link', { name: 'Who can' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('who-can')).toBeVisible({ timeout: 30_000 });
}

for (const [role, state] of [['admin', ADMIN_STATE], ['viewer', VIEWER_STATE]] as const) {
  test.describe(`as ${role === 'admin' ? 'an admin' : 'a viewer'}`, () => {
    test.use({ storageState: state });

    test('a repository: test may push, readonly only pull, and the deciding statements are named', async ({ page }) => {
      await openWhoCan(page, `/ecr/${REPO}`, 'test');
      await expect(verdict(page, 'test', 'push')).toContainText('Allowed');
      await expect(verdict(page, 'test', 'push')).toContainText('AdministratorAccess · AWS managed policy · statement 1');
      await expect(verdict(page, 'test', 'delete')).toContainText('Allowed');

      await openWhoCan(page, `/ecr/${REPO}`, 'readonly');
      await expect(verdict(page, 'readonly', 'pull')).toContainText('Allowed');
      await expect(verdict(page, 'readonly', 'pull')).toContainText('ReadOnlyAccess · AWS managed policy');
      // ReadOnlyAccess allows ecr:BatchCheck*, one of the five push actions: a partial push, said as such.
      await expect(verdict(page, 'readonly', 'push')).toContainText('Partly: 1 of 5');
      await expect(verdict(page, 'readonly', 'push')).toContainText('Not: InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload, PutImage');
      await expect(verdict(page, 'readonly', 'delete')).toContainText('Not allowed');

      await openWhoCan(page, `/ecr/${REPO}`, PREFIX);
      await expect(verdict(page, GRANTED, 'push')).toContainText('Allowed');
      await expect(verdict(page, GRANTED, 'push')).toContainText('By Repository policy · Sid “CiMayPush”');
      await expect(verdict(page, READER, 'pull')).toContainText('Allowed');
      await expect(verdict(page, READER, 'delete')).toContainText('No statement allows it');
      // The service role is folded away, and said to be.
      await expect(page.getByTestId(`who-role-${SERVICE_ROLE}`)).toHaveCount(0);
      await expect(page.getByTestId('who-can-summary')).toContainText('1 service role (assumed only by AWS services) folded away.');
      await shotLightAndDark(page, `ecr-who-can-${role}`, { fullPage: true });

      await page.getByRole('link', { name: 'Show service roles (1)' }).click();
      await expect(verdict(page, SERVICE_ROLE, 'pull')).toContainText('Allowed');
      await expect(verdict(page, SERVICE_ROLE, 'pull')).toContainText('pull · inline policy of role ' + SERVICE_ROLE + ' · Sid “Pull”');
      await expect(page.getByTestId(`who-role-${SERVICE_ROLE}`)).toContainText('Repository policy not weighed (role)');
    });

    test('a bucket: test may write, readonly only read, a bucket policy grant named', async ({ page }) => {
      await openWhoCan(page, `/s3/${BUCKET}`, 'test');
      await expect(verdict(page, 'test', 'write')).toContainText('Allowed');
      await expect(verdict(page, 'test', 'write')).toContainText('AdministratorAccess · AWS managed policy · statement 1');

      await openWhoCan(page, `/s3/${BUCKET}`, 'readonly');
      await expect(verdict(page, 'readonly', 'read')).toContainText('Allowed');
      await expect(verdict(page, 'readonly', 'write')).toContainText('Not allowed');
      await expect(verdict(page, 'readonly', 'delete')).toContainText('Not allowed');

      await openWhoCan(page, `/s3/${BUCKET}`, GRANTED);
      await expect(verdict(page, GRANTED, 'write')).toContainText('By Bucket policy · Sid “CiMayUpload”');
      await expect(verdict(page, GRANTED, 'read')).toContainText('Not allowed');
      await shotLightAndDark(page, `s3-who-can-${role}`, { fullPage: true });
    });
  });
}
