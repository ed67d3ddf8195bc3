import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import { s3 } from './support/emulator';
import { ADMIN_STATE, VIEWER_STATE } from './support/users';

// The Cost page for viewers and admins over the emulator (its Cost Explorer
// and Price List answer from what it stores), and a delete flow that says what
// it saves.

const SAVING = /Saves (about \$[\d,.]+|under \$0\.01) a month/;

for (const [role, state] of [['viewer', VIEWER_STATE], ['admin', ADMIN_STATE]] as const) {
  test.describe(`${role}`, () => {
    test.use({ storageState: state });

    test(`${role} opens Cost from the sidebar and sees every section, the spend and the prices`, async ({ page }) => {
      await page.goto('/');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Cost/ }).click();
      await expect(page).toHaveURL(/\/cost/);
      await expect(page.getByRole('heading', { name: 'Cost in us-east-1' })).toBeVisible();

      // The seeded repositories are priced from their image sizes.
      const repos = page.getByTestId('cost-repositories');
      await expect(repos.getByRole('link', { name: 'demo-app-repo', exact: true })).toBeVisible();
      const row = repos.getByRole('row').filter({ hasText: 'demo-app-repo' });
      await expect(row).toContainText(/\$\d|under \$0\.01/);

      // The seeded buckets and distributions are listed; the emulator has no
      // CloudWatch datapoints, so their figures say so instead of $0.
      await expect(page.getByTestId('cost-buckets').getByRole('link', { name: 'berth-demo-data' })).toBeVisible();
      await expect(page.getByTestId('cost-distributions')).toBeVisible();

      // Month-to-date spend from the emulator's Cost Explorer, said to be costly to ask.
      const spend = page.getByTestId('cost-spend');
      await expect(spend).toContainText('costs $0.01');
      await expect(page.getByTestId('spend-ecr')).toHaveText(/^(\$\d+\.\d\d|under \$0\.01)$/);
      await expect(page.getByTestId('spend-s3')).toHaveText(/^(\$\d+\.\d\d|under \$0\.01)$/);

      // Prices from the emulator's Price List, with its publication date.
      await expect(page.getByTestId('cost-price-source')).toContainText('From the AWS Price List API, published 2026-11-01');
      await expect(page.getByTestId('cost-total')).toHaveText(/^(\$[\d,.]+|under \$0\.01)\+?$/);
    });
  });
}

test.describe('admin deletes', () => {
  test.use({ storageState: ADMIN_STATE });

  test('the repository delete, the lifecycle preview, an image delete and the bucket empty-and-delete say what they save', async ({ page }) => {
    await page.goto('/ecr/demo-app-repo?tab=settings');
    await expect(page.getByTestId('delete-repository-form').getByTestId('saving')).toHaveText(SAVING);

    // The lifecycle preview prices what the seeded policy (keep three releases,
    // expire old untagged images) would expire; nothing is saved or deleted.
    await page.getByRole('button', { name: 'Preview what expires' }).click();
    const preview = page.getByTestId('lifecycle-preview');
    await expect(preview).toContainText('would expire:');
    await expect(preview.getByTestId('saving')).toHaveText(SAVING);

    // Selecting images to delete says what they save before anything goes; Cancel leaves them.
    await page.goto('/ecr/demo-app-repo');
    await page.getByTestId('images').getByRole('checkbox').nth(1).check();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    await expect(page.getByTestId('confirm-delete-images').getByTestId('saving')).toHaveText(/Saves (up to about \$[\d,.]+|under \$0\.01) a month/);
    await page.getByRole('button', { name: 'Cancel' }).click();

    const bucket = `cost-e2e-${Date.now()}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'big.bin', Body: Buffer.alloc(3 * 1024 * 1024, 1) }));
    await page.goto(`/s3/${bucket}?tab=delete`);
    await expect(page.getByTestId('saving')).toHaveText(SAVING);
    await expect(page.getByTestId('saving')).toContainText('Storage of every version');
  });
});

test.describe('admin tears down', () => {
  test.use({ storageState: ADMIN_STATE });

  test('the distribution delete and the site teardown say what they save, or why they cannot', async ({ page }) => {
    // Traffic comes from CloudWatch; without it the line says so rather than $0.
    const known = /Saves (about \$[\d,.]+|under \$0\.01) a month|could not be estimated\. CloudWatch’s traffic metrics could not be read\./;
    await page.goto('/cost');
    const id = (await page.getByTestId('cost-distributions').getByRole('link').first().textContent())!;
    await page.goto(`/cloudfront/${id}?tab=delete`);
    await expect(page.getByTestId('saving')).toHaveText(new RegExp(`${known.source}.*Requests and data transfer over the last 30 days`));

    await page.goto('/cloudfront/-/site?bucket=berth-demo-site');
    await expect(page.getByTestId('teardown-census').getByTestId('saving')).toHaveText(/Saves (about \$[\d,.]+|under \$0\.01) a month|could not be estimated/);
  });
});

test.describe('viewer', () => {
  test.use({ storageState: VIEWER_STATE });
  test('sees no delete, so no saving line, on a repository', async ({ page }) => {
    await page.goto('/ecr/demo-app-repo?tab=settings');
    await expect(page.getByTestId('delete-repository-form')).toHaveCount(0);
  });
});
