import { expect, test, type Page } from '@playwright/test';
import { SHOTS } from './support/shots';
import { ADMIN_STATE, VIEWER_STATE } from './support/users';

// The screenshots in docs/ and the README are made here, from the real console
// over the emulator, in light and dark. `npm run docs:screenshots` refreshes them.

const OUT = SHOTS;

async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('[role=status][aria-label=Loading]')).toHaveCount(0);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} mode`, () => {
    test.use({ colorScheme: scheme });

    test('sign-in', async ({ page }) => {
      await page.goto('/sign-in');
      await page.screenshot({ path: `${OUT}/sign-in-${scheme}.png` });
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
          await page.screenshot({ path: `${OUT}/${name}-admin-${scheme}.png` });
        });
      }
    });

    test.describe('viewer', () => {
      test.use({ storageState: VIEWER_STATE });
      test('overview with the user menu open', async ({ page }) => {
        await page.goto('/');
        await settle(page);
        await page.getByTestId('user-menu').locator('summary').click();
        await page.screenshot({ path: `${OUT}/overview-viewer-${scheme}.png` });
      });
      test('users', async ({ page }) => {
        await page.goto('/settings/users');
        await settle(page);
        await page.screenshot({ path: `${OUT}/users-viewer-${scheme}.png` });
      });
      test('ECR repository and image with findings', async ({ page }) => {
        await page.goto('/ecr/team/api');
        await settle(page);
        await page.screenshot({ path: `${OUT}/ecr-repository-viewer-${scheme}.png` });
        await page.getByTestId('images').getByRole('link').first().click();
        await settle(page);
        await page.screenshot({ path: `${OUT}/ecr-image-viewer-${scheme}.png`, fullPage: true });
      });
      test('ECR IAM policy', async ({ page }) => {
        await page.goto('/ecr/-/iam-policy');
        await settle(page);
        await page.getByTestId('iam-repositories').getByText('team/web', { exact: true }).click();
        await page.screenshot({ path: `${OUT}/ecr-iam-policy-viewer-${scheme}.png` });
      });
    });
  });
}
