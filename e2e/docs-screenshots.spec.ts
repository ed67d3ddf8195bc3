import { test, type Page } from '@playwright/test';
import { shot } from './support/shots';
import { ADMIN_STATE, VIEWER_STATE } from './support/users';

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
      test('ECR IAM policy', async ({ page }) => {
        await page.goto('/ecr/-/iam-policy');
        await settle(page);
        await page.getByTestId('iam-repositories').getByText('team/web', { exact: true }).click();
        await shot(page, `ecr-iam-policy-viewer-${scheme}`);
      });
    });
  });
}
