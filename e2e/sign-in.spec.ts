import { expect, test } from '@playwright/test';
import { ADMIN, VIEWER, signIn } from './support/users';

test.describe('signed out', () => {
  for (const path of ['/', '/ecr', '/s3', '/cloudfront', '/settings/users', '/ecr?region=eu-west-1']) {
    test(`${path} redirects to sign-in and back`, async ({ page }) => {
      await page.goto(path);
      await expect(page).toHaveURL(/\/sign-in(\?|$)/);
      const back = new URL(page.url()).searchParams.get('callbackUrl');
      expect(back ?? '/').toBe(path === '/' ? '/' : path);
    });
  }

  test('the proxy is not the only guard: route handlers and the health check', async ({ request }) => {
    const res = await request.get('/api/health');
    expect(res.status()).toBe(200);
    const page = await request.get('/settings/users', { maxRedirects: 0 });
    expect(page.status()).toBe(307);
  });

  test('a wrong password and an unknown email get the same answer', async ({ page }) => {
    await page.goto('/sign-in');
    await signIn(page, ADMIN.email, 'not-the-password');
    await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong email or password.');
    await signIn(page, 'nobody@berth.local', 'whatever-password');
    await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong email or password.');
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test('five failures in a minute lock the account, even for the right password', async ({ browser }) => {
    // A client address of its own, so this test's failures do not count against others.
    const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.77' } });
    const page = await context.newPage();
    await page.goto('/sign-in');
    for (let i = 0; i < 5; i++) {
      await signIn(page, VIEWER.email, `wrong-${i}`);
      await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong email or password.');
      // The text above may still be the previous attempt's: wait for React to
      // finish this one (the button reads "Signing in…" until then), so its form
      // reset cannot clear the next attempt's fields.
      await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
    }
    await signIn(page, VIEWER.email, VIEWER.password);
    await expect(page.getByTestId('sign-in-error')).toContainText('Too many failed sign-ins');
    await expect(page).toHaveURL(/\/sign-in/);
    await context.close();
  });

  test('sign in lands where the visitor was going, and sign out ends the session', async ({ page }) => {
    await page.goto('/s3');
    await signIn(page, ADMIN.email, ADMIN.password);
    await expect(page).toHaveURL(/\/s3$/);
    await expect(page.getByRole('heading', { name: 'Buckets' })).toBeVisible();

    await page.getByTestId('user-menu').locator('summary').click();
    await expect(page.getByTestId('user-role')).toHaveText('admin');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test('a callbackUrl pointing off-site is ignored', async ({ page }) => {
    await page.goto('/sign-in?callbackUrl=https://evil.example/steal');
    await signIn(page, ADMIN.email, ADMIN.password);
    await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  });
});
