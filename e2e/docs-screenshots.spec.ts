import { ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { BatchGetImageCommand, DeleteRepositoryCommand, DescribeImagesCommand, ECRClient, GetAuthorizationTokenCommand, PutImageTagMutabilityCommand, PutLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { AttachRolePolicyCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { test, type Page } from '@playwright/test';
import { edgeGet } from '../emulator/test-support/cloudfront';
import { rawRequest } from '../emulator/test-support/raw-http';
import { cloudfront, ecr, EMULATOR_URL, iam } from './support/emulator';
import { shot } from './support/shots';
import { ADMIN_STATE, VIEWER_STATE } from './support/users';

/** Some pulls and edge requests, so the monitoring charts have something to show; returns the seeded distribution's id. */
async function traffic(): Promise<string> {
  const token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
  const auth = { Authorization: `Basic ${token}`, Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' };
  const tags = await rawRequest(EMULATOR_URL, { path: '/v2/team/api/tags/list', headers: auth });
  const tag = (JSON.parse(tags.body) as { tags?: string[] }).tags?.[0] ?? 'latest';
  for (let i = 0; i < 5; i++) await rawRequest(EMULATOR_URL, { path: `/v2/team/api/manifests/${tag}`, headers: auth });
  const d = (await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items?.[0];
  if (!d) throw new Error('no seeded distribution');
  for (const path of ['/', '/', '/index.html', '/missing.html', '/']) await edgeGet(EMULATOR_URL, d.DomainName!, path);
  return d.Id!;
}

// The screenshots in docs/ and the README are made here, from the real console
// over the emulator, in light and dark. `npm run docs:screenshots` refreshes them.

async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
}

/**
 * Calls CloudTrail records on team/web, for the Activity picture: a pull and a
 * refused change by a role session carrying a person's SourceIdentity, and
 * refused changes by the read-only key. Nothing changes but team/web's pull
 * dates, which no picture shows.
 */
async function makeActivity(repositoryName: string) {
  const account = '123456789012';
  const role = 'docs-deployer';
  try {
    await iam.send(
      new CreateRoleCommand({
        RoleName: role,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:user/test` }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }],
        }),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
  } catch (err) {
    if ((err as Error).name !== 'EntityAlreadyExistsException') throw err;
  }
  const sts = new STSClient({ endpoint: EMULATOR_URL, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${role}`, RoleSessionName: 'berth-alice', SourceIdentity: 'alice@example.com' }),
  );
  const alice = new ECRClient({
    endpoint: EMULATOR_URL,
    region: 'us-east-1',
    credentials: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! },
  });
  const tag = (await alice.send(new DescribeImagesCommand({ repositoryName }))).imageDetails?.find((i) => i.imageTags?.length)?.imageTags?.[0];
  if (tag) await alice.send(new BatchGetImageCommand({ repositoryName, imageIds: [{ imageTag: tag }] }));
  const keepTen = { rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } }] };
  await alice.send(new PutLifecyclePolicyCommand({ repositoryName, lifecyclePolicyText: JSON.stringify(keepTen) })).catch(() => undefined);
  const readonly = new ECRClient({ endpoint: EMULATOR_URL, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'readonly', secretAccessKey: 'readonly' } });
  await readonly.send(new PutImageTagMutabilityCommand({ repositoryName, imageTagMutability: 'IMMUTABLE' })).catch(() => undefined);
  await readonly.send(new DeleteRepositoryCommand({ repositoryName })).catch(() => undefined);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} mode`, () => {
    test.use({ colorScheme: scheme });

    test('sign-in', async ({ page }) => {
      await page.goto('/sign-in');
      await shot(page, `sign-in-${scheme}`);
    });

    test.describe('admin', () => {
      test.use({ storageState: ADMIN_STATE });
      for (const [name, path] of [
        ['overview', '/'],
        ['ecr', '/ecr'],
        ['s3', '/s3'],
        ['cloudfront', '/cloudfront'],
        ['users', '/settings/users'],
        ['audit', '/settings/audit'],
        ['ecr-repository', '/ecr/demo-app-repo'],
        ['ecr-repository-settings', '/ecr/demo-app-repo?tab=settings'],
        ['ecr-batch-jobs', '/ecr/team/batch-jobs'],
        ['ecr-create', '/ecr/-/new'],
        ['s3-bucket', '/s3/berth-demo-data'],
        ['s3-bucket-folder', '/s3/berth-demo-data?prefix=logs%2F2026%2F'],
        ['s3-bucket-versions', '/s3/berth-demo-assets?versions=1'],
        ['s3-properties', '/s3/berth-demo-site?tab=properties'],
        ['s3-storage', '/s3/berth-demo-data?tab=storage'],
        ['cloudfront-create', '/cloudfront/-/new?bucket=berth-demo-assets'],
        ['cloudfront-site-start', '/cloudfront/-/site'],
        ['cost', '/cost'],
      ] as const) {
        test(name, async ({ page }) => {
          await page.goto(path);
          await settle(page);
          await shot(page, `${name}-admin-${scheme}`);
        });
      }
    });

    test.describe('viewer', () => {
      test.use({ storageState: VIEWER_STATE });
      test('overview with the user menu open', async ({ page }) => {
        await page.goto('/');
        await settle(page);
        await page.getByTestId('user-menu').locator('summary').click();
        await shot(page, `overview-viewer-${scheme}`);
      });
      test('users', async ({ page }) => {
        await page.goto('/settings/users');
        await settle(page);
        await shot(page, `users-viewer-${scheme}`);
      });
      test('ECR repository and image with findings', async ({ page }) => {
        await page.goto('/ecr/team/api');
        await settle(page);
        await shot(page, `ecr-repository-viewer-${scheme}`);
        await page.getByTestId('images').getByRole('link').first().click();
        await settle(page);
        await shot(page, `ecr-image-viewer-${scheme}`, { fullPage: true });
      });
      test('monitoring charts', async ({ page }) => {
        const distributionId = await traffic();
        for (const [name, path] of [
          ['ecr-monitoring', '/ecr/team/api?tab=monitoring'],
          ['s3-storage-charts', '/s3/berth-demo-data?tab=storage&range=7d'],
          ['cloudfront-monitoring', `/cloudfront/${distributionId}?tab=monitoring`],
        ] as const) {
          await page.goto(path);
          await settle(page);
          await shot(page, `${name}-viewer-${scheme}`, { fullPage: true });
        }
      });
      test('ECR repository activity', async ({ page }) => {
        await makeActivity('team/web');
        await page.goto('/ecr/team/web?tab=activity');
        await settle(page);
        await shot(page, `ecr-activity-viewer-${scheme}`);
      });
      test('cost', async ({ page }) => {
        await page.goto('/cost');
        await settle(page);
        await shot(page, `cost-viewer-${scheme}`, { fullPage: true });
      });
      test('ECR IAM policy', async ({ page }) => {
        await page.goto('/ecr/-/iam-policy');
        await settle(page);
        await page.getByTestId('iam-repositories').getByText('team/web', { exact: true }).click();
        await shot(page, `ecr-iam-policy-viewer-${scheme}`);
      });
    });
  });
}
