import { ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { test, type Page } from '@playwright/test';
import { edgeGet } from '../emulator/test-support/cloudfront';
import { rawRequest } from '../emulator/test-support/raw-http';
import { cloudfront, ecr, EMULATOR_URL } from './support/emulator';
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
      test('ECR IAM policy', async ({ page }) => {
        await page.goto('/ecr/-/iam-policy');
        await settle(page);
        await page.getByTestId('iam-repositories').getByText('team/web', { exact: true }).click();
        await shot(page, `ecr-iam-policy-viewer-${scheme}`);
      });
    });
  });
}
