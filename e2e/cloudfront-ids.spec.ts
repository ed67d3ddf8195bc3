import { ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import { cloudfront, EMULATOR_URL, s3 } from './support/emulator';
import { ADMIN_STATE, VIEWER_STATE } from './support/users';
import { shot } from './support/shots';

// CloudFront's API model types distribution and origin-access ids as plain
// strings: nothing promises they start with "E". Here the emulator mints ids
// the way another implementation might ("cf-…", lower case and a dash), and a
// person creates, opens, deletes and cleans up after such a distribution, as
// with any other.

const STAMP = Date.now().toString(36);
const BUCKET = `cf-ids-${STAMP}`;
const PREFIX = 'cf-';

async function setIdPrefix(prefix: string) {
  const res = await fetch(`${EMULATOR_URL}/_emulator/cloudfront-ids`, { method: 'PUT', body: JSON.stringify({ prefix }) });
  expect(res.status).toBe(200);
}

test.describe.serial('a distribution whose id does not look like AWS’s', () => {
  let id = '';

  test.beforeAll(async () => {
    await setIdPrefix(PREFIX);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  test.afterAll(async () => {
    await setIdPrefix('E');
  });

  test.describe('as an admin', () => {
    test.use({ storageState: ADMIN_STATE });

    test('is created through the form and lands on its own page', async ({ page }) => {
      await page.goto('/cloudfront/-/new');
      await page.getByLabel('S3 bucket').selectOption(BUCKET);
      await expect(page).toHaveURL(new RegExp(`bucket=${BUCKET}`));
      await page.getByLabel('Comment').fill(`ids ${STAMP}`);
      await page.getByRole('button', { name: 'Create distribution' }).click();
      await expect(page).toHaveURL(new RegExp(`/cloudfront/${PREFIX}[A-Z0-9]+\\?created=1`), { timeout: 30_000 });
      id = new URL(page.url()).pathname.split('/').pop()!;
      await expect(page.getByRole('heading', { name: 'Nothing here' })).toHaveCount(0);
      await expect(page.getByText('Distribution created')).toBeVisible();
      await expect(page.getByRole('heading', { name: `ids ${STAMP}` })).toBeVisible();
      // The security check reads the distribution's tags by its ARN, and finds what Berth set up.
      await expect(page.getByTestId('finding-only-this-distribution')).toHaveAttribute('data-ok', 'true');
      // The bucket policy names the distribution by its ARN and a Sid made from its id.
      const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy!);
      expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([`BerthCloudFront${id.replace(/[^A-Za-z0-9]/g, '')}`]);
      // Not a docs picture: kept with the test results for a person to look at.
      await shot(page, 'cloudfront-other-id-admin-light', { fullPage: true, dir: 'test-results/screenshots' });
    });
  });

  test.describe('as a viewer', () => {
    test.use({ storageState: VIEWER_STATE });

    test('is listed and opens from the list', async ({ page }) => {
      await page.goto(`/cloudfront?q=${encodeURIComponent(`ids ${STAMP}`)}`);
      await page.getByRole('link', { name: id, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`/cloudfront/${id}$`));
      await expect(page.getByRole('heading', { name: `ids ${STAMP}` })).toBeVisible();
      await expect(page.getByTestId('deploy-status')).toBeVisible();
    });
  });

  test.describe('as an admin again', () => {
    test.use({ storageState: ADMIN_STATE });

    test('is disabled, deleted and cleaned up after, through a cleanup link that carries its ids', async ({ page }) => {
      await page.goto(`/cloudfront/${id}?tab=delete`);
      await page.getByRole('button', { name: 'Disable distribution' }).click();
      await expect(page.getByLabel(`Type ${id} to confirm`)).toBeVisible({ timeout: 30_000 });
      await page.getByLabel(`Type ${id} to confirm`).fill(id);
      await page.getByRole('button', { name: 'Delete distribution' }).click();

      await expect(page).toHaveURL(/\/cloudfront\/-\/cleanup\?/);
      const link = new URL(page.url());
      expect(link.searchParams.get('deleted')).toBe(id);
      expect(link.searchParams.get('oac')).toMatch(new RegExp(`^${PREFIX}`));
      await expect(page.getByText('This cleanup link is not valid')).toHaveCount(0);
      const cleanup = page.getByTestId('cleanup');
      await cleanup.getByRole('button', { name: 'Remove the statement' }).click();
      await expect(cleanup.getByText('Done: the policy no longer mentions this distribution.')).toBeVisible();
      await cleanup.getByRole('button', { name: 'Delete the origin access control' }).click();
      await expect(cleanup.getByText('Done: this origin access control no longer exists.')).toBeVisible();

      const left = (await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? [];
      expect(left.map((d) => d.Id)).not.toContain(id);
    });
  });
});

test.describe('the cleanup page when CloudFront cannot answer', () => {
  test.use({ storageState: ADMIN_STATE });
  test.afterEach(async () => {
    await fetch(`${EMULATOR_URL}/_emulator/faults`, { method: 'DELETE' });
  });

  test('says CloudFront failed, not that the distribution is gone', async ({ page }) => {
    const rules = [{ service: 'cloudfront', operation: 'GetDistribution', kind: 'error', rate: 1 }];
    expect((await fetch(`${EMULATOR_URL}/_emulator/faults`, { method: 'PUT', body: JSON.stringify(rules) })).status).toBe(200);
    await page.goto('/cloudfront/-/cleanup?deleted=cf-UNKNOWN1');
    // AWS's code shows small under the sentence (the SDK's retries come first).
    await expect(page.getByText(/InternalError/)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('is gone')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Distribution deleted' })).toHaveCount(0);
  });
});
