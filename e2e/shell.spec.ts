import { ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { expect, test } from '@playwright/test';
import { cloudfront } from './support/emulator';
import { ADMIN_STATE } from './support/users';

test.use({ storageState: ADMIN_STATE });

test('the shell shows the account, region and role from the emulator', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('account-id')).toHaveText('123456789012');
  await expect(page.getByTestId('overview-account')).toHaveText('123456789012');
  await expect(page.getByTestId('overview-arn')).toHaveText('arn:aws:iam::123456789012:user/test');
  await expect(page.getByTestId('overview-region')).toHaveText('us-east-1');
  await expect(page.getByTestId('user-role')).toHaveText('admin');
  for (const s of ['ecr', 's3', 'cloudfront']) {
    await expect(page.getByTestId(`service-${s}`).getByText('Reachable')).toBeVisible();
  }
});

test('the region lives in the URL and survives navigation', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('region-switcher').selectOption('eu-west-1');
  await expect(page).toHaveURL(/region=eu-west-1/);
  await expect(page.getByTestId('overview-region')).toHaveText('eu-west-1');
  await page.getByRole('link', { name: /^ECR/ }).click();
  await expect(page).toHaveURL(/\/ecr\?region=eu-west-1/);
  await expect(page.getByTestId('region-switcher')).toHaveValue('eu-west-1');
  // A shared link opens in the same region.
  await page.goto('/s3?region=ap-southeast-2');
  await expect(page.getByTestId('region-switcher')).toHaveValue('ap-southeast-2');
});

test('an unknown region in the URL falls back to the default', async ({ page }) => {
  await page.goto('/?region=mars-north-1');
  await expect(page.getByTestId('overview-region')).toHaveText('us-east-1');
});

test('service pages list what the emulator holds', async ({ page }) => {
  await page.goto('/ecr');
  await expect(page.getByRole('link', { name: 'demo-app-repo', exact: true })).toBeVisible();
  await page.goto('/s3');
  await expect(page.getByRole('cell', { name: 'berth-demo-site', exact: true })).toBeVisible();
  await page.goto('/cloudfront');
  await expect(page.getByRole('heading', { name: 'Distributions', exact: true })).toBeVisible();
  // Other journeys may have made some by now: the page shows exactly what CloudFront lists.
  const listed = (await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? [];
  if (listed.length === 0) await expect(page.getByText('No distributions yet')).toBeVisible();
  else await expect(page.getByTestId('distributions').getByRole('row')).toHaveCount(listed.length);
});

test('security headers are set on every page', async ({ request }) => {
  const res = await request.get('/sign-in');
  const csp = res.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(res.headers()['x-content-type-options']).toBe('nosniff');
  expect(res.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(res.headers()['x-powered-by']).toBeUndefined();
});

for (const width of [1024, 1280, 1440]) {
  test(`every page fits a ${width} px wide window without sideways scrolling`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    const pages = ['/', '/ecr', '/ecr/demo-app-repo', '/ecr/demo-app-repo?tab=settings', '/ecr/team/api', '/ecr/-/new', '/ecr/-/iam-policy', '/ecr?registry=public', '/ecr/-/public/berth-demo/hello', '/ecr/-/public/berth-demo/hello?tab=settings', '/ecr/-/new-public', '/s3', '/s3/berth-demo-data', '/s3/berth-demo-assets?versions=1', '/s3/berth-demo-site?tab=properties', '/s3/-/new', '/cloudfront', '/access', '/access/users', '/access/users/test', '/access/roles', '/access/explain', '/access/policies/arn:aws:iam::aws:policy/ReadOnlyAccess', '/settings/users'];
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
      // Tables scroll inside their card when they must; from 1280 px up they must not.
      if (width >= 1280) {
        const cut = await page.evaluate(() =>
          [...document.querySelectorAll('table')].map((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth).filter((d) => d > 1),
        );
        expect(cut, `${path}: a table wider than its card`).toEqual([]);
      }
      // The last thing in the top bar, the user menu, is wholly on screen.
      const box = await page.getByTestId('user-menu').boundingBox();
      expect(box && box.x + box.width, path).toBeLessThanOrEqual(width);
    }
  });
}
