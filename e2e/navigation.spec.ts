import { expect, test, type Page } from '@playwright/test';
import { EMULATOR_URL } from './support/emulator';
import { ADMIN_STATE } from './support/users';

// Navigation: a click keeps the current page, with a pending hint on the
// clicked link, until the next page's content is there (no route-level
// skeleton); a read that is slow gets its own skeleton inside the page.
// Nothing here measures time: a navigation is held open by holding its
// server answer, or slowed down at the emulator.

test.use({ storageState: ADMIN_STATE });

/** Holds the browser's requests for the RSC payload of `path` until the returned function is called. */
async function holdPayload(page: Page, path: string): Promise<() => void> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === path,
    async (route) => {
      if (route.request().headers()['rsc'] === '1') await gate;
      await route.fallback();
    },
  );
  return release;
}

const main = (page: Page) => page.getByRole('main');
const sidebarLink = (page: Page, name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

test('a sidebar click keeps the current page and shows a hint on the link until the next page arrives', async ({ page }, testInfo) => {
  await page.goto('/cloudfront');
  await expect(main(page).getByRole('heading', { level: 1 })).toHaveText('Distributions');
  const s3 = sidebarLink(page, /^S3/);
  await expect(s3.getByTestId('link-pending')).toHaveAttribute('data-pending', 'false');

  const release = await holdPayload(page, '/s3');
  await s3.click();
  await expect(s3.getByTestId('link-pending')).toHaveAttribute('data-pending', 'true');
  // No route-level skeleton took the page's place: the page clicked from is still there, whole.
  await expect(main(page).getByRole('heading', { level: 1 })).toHaveText('Distributions');
  await expect(main(page).locator('[data-skeleton]')).toHaveCount(0);
  await expect(s3.getByTestId('link-pending')).toHaveCSS('opacity', '0.7');
  await page.getByRole('navigation', { name: 'Main' }).screenshot({ path: testInfo.outputPath('pending-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('navigation', { name: 'Main' }).screenshot({ path: testInfo.outputPath('pending-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  release();
  await expect(main(page).getByRole('heading', { level: 1 })).toHaveText('Buckets');
  await expect(page).toHaveURL(/\/s3$/);
  await expect(s3).toHaveAttribute('aria-current', 'page');
  await expect(s3.getByTestId('link-pending')).toHaveAttribute('data-pending', 'false');
  await expect(main(page).getByRole('cell', { name: 'berth-demo-site', exact: true })).toBeVisible();
});

test('the overview’s links to each service show the same hint', async ({ page }, testInfo) => {
  await page.goto('/');
  const open = page.getByTestId('service-cloudfront').getByRole('link', { name: /Open CloudFront/ });
  const release = await holdPayload(page, '/cloudfront');
  await open.click();
  await expect(open.getByTestId('link-pending')).toHaveAttribute('data-pending', 'true');
  await expect(open.getByTestId('link-pending')).toHaveCSS('opacity', '0.7');
  await page.getByTestId('service-cloudfront').screenshot({ path: testInfo.outputPath('overview-pending.png') });
  await expect(main(page).getByRole('heading', { level: 1 })).toHaveText(/^Welcome/);
  release();
  await expect(main(page).getByRole('heading', { level: 1 })).toHaveText('Distributions');
});

test.describe('a read that is slow', () => {
  test.afterEach(async () => {
    await fetch(`${EMULATOR_URL}/_emulator/faults`, { method: 'DELETE' });
  });

  test('gets a skeleton under the page’s header, and its content streams in after', async ({ page }) => {
    await page.goto('/s3');
    const rules = [{ service: 'cloudfront', operation: 'ListDistributions', kind: 'delay', rate: 1, delayMs: 6_000 }];
    const set = await fetch(`${EMULATOR_URL}/_emulator/faults`, { method: 'PUT', body: JSON.stringify(rules) });
    expect(set.status).toBe(200);
    await sidebarLink(page, /^CloudFront/).click();
    await expect(main(page).getByRole('heading', { level: 1 })).toHaveText('Distributions');
    await expect(main(page).getByRole('status', { name: 'Loading' })).toBeVisible();
    await expect(main(page).getByRole('status', { name: 'Loading' })).toHaveCount(0, { timeout: 20_000 });
    await expect(main(page).getByTestId('distributions').or(main(page).getByText('No distributions yet'))).toBeVisible();
  });
});
