import { expect, test } from '@playwright/test';
import { actionId, postAction } from './support/actions';
import { shot } from './support/shots';
import { ADMIN_STATE, VIEWER_STATE } from './support/users';

// Each list says how old what it shows is, with a Refresh that reads it again
// from AWS (the lists are shared between viewers for a short while:
// lib/aws/read-cache.ts). Refresh changes nothing in AWS, so a viewer may; a
// request without a session may not. Also: the repositories list copies a
// URI with one delegated handler instead of a client component per row.

const ACTIONS = 'app/(console)/actions.ts';
const LISTS = ['/ecr', '/ecr/demo-app-repo', '/ecr?registry=public', '/ecr/-/public/berth-demo/hello', '/s3', '/cloudfront'];

test.describe('a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('sees how old each list is, and reads it again with Refresh', async ({ page }) => {
    for (const path of LISTS) {
      await page.goto(path);
      const line = page.getByTestId('freshness');
      await expect(line, path).toContainText(/^Read \d+ (s|min|h) ago/);
      await expect(line.locator('[title^="Read from AWS at "]').first()).toHaveAttribute('title', /^Read from AWS at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      const refresh = line.getByRole('button', { name: 'Refresh' });
      const refreshed = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().headers()['next-action'] !== undefined);
      await refresh.click();
      expect((await refreshed).status(), path).toBe(200);
      await expect(refresh).toBeEnabled();
      await expect(line.getByRole('alert')).toHaveCount(0);
    }
    await expect(page.getByTestId('freshness')).toBeVisible();
  });

  test('copies a repository URI from the list', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('/ecr');
    const button = page.getByRole('button', { name: 'Copy URI of demo-app-repo' });
    await button.click();
    await expect(button).toHaveAttribute('data-copied', '');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^\d{12}\.dkr\.ecr\.us-east-1\.amazonaws\.com\/demo-app-repo$/);
    await expect(page.getByText(`Copied ${copied}`)).toBeAttached();
    await expect(button).not.toHaveAttribute('data-copied');
  });

  test('may ask for known lists only', async ({ page }) => {
    const id = actionId(ACTIONS, 'refreshReadsAction');
    const ok = await postAction(page.request, '/ecr', id, { tags: ['ecr:us-east-1:repositories'] });
    expect(ok.status()).toBe(200);
    expect(await ok.text()).toContain('"ok":true');
    for (const tags of [['everything'], [], { a: 1 }, 'x'.repeat(10_000), Array(100).fill('s3:buckets'), null]) {
      const odd = await postAction(page.request, '/ecr', id, { tags });
      expect(odd.status(), JSON.stringify(tags).slice(0, 40)).toBe(200);
      expect(await odd.text()).toContain('"ok":false');
    }
  });
});

test.describe('someone signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  test('cannot make Berth read again', async ({ page }) => {
    const res = await postAction(page.request, '/ecr', actionId(ACTIONS, 'refreshReadsAction'), { tags: ['ecr:us-east-1:repositories'] });
    expect(res.status()).toBe(401);
  });
});

for (const scheme of ['light', 'dark'] as const) {
  for (const [role, state] of [['admin', ADMIN_STATE], ['viewer', VIEWER_STATE]] as const) {
    test.describe(`${role}, ${scheme}`, () => {
      test.use({ storageState: state, colorScheme: scheme });
      test('the lists with their freshness line', async ({ page }) => {
        for (const path of LISTS) {
          await page.goto(path);
          await expect(page.getByTestId('freshness')).toBeVisible();
          await shot(page, `freshness-${path.replace(/\W+/g, '-').replace(/^-|-$/g, '')}-${role}-${scheme}`, { fullPage: true });
        }
      });
    });
  }
}
