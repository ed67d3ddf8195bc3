import { expect, test } from '@playwright/test';
import { SSO_CONSOLE_PORT } from '../playwright.config';

// Single sign-on, turned on purely by environment on a second console, against
// the test OIDC provider in e2e/support/oidc-provider.mjs.
test.use({ baseURL: `http://localhost:${SSO_CONSOLE_PORT}` });

async function signInAs(page: import('@playwright/test').Page, person: string) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Continue with Test IdP' }).click();
  await expect(page.getByRole('heading', { name: 'Test IdP' })).toBeVisible();
  await page.getByRole('link', { name: `Sign in as ${person}` }).click();
}

test('the sign-on button appears only when configured, beside the password form', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('button', { name: 'Continue with Test IdP' })).toBeVisible();
  await expect(page.getByLabel('Email')).toBeVisible();
});

test('a member of the admin group signs in as admin', async ({ page }) => {
  await signInAs(page, 'Alice Admin');
  await expect(page).toHaveURL(new RegExp(`localhost:${SSO_CONSOLE_PORT}/$`));
  await expect(page.getByTestId('user-role')).toHaveText('admin');
  await expect(page.getByTestId('account-id')).toHaveText('123456789012');
});

test('a member of the viewer group signs in as viewer', async ({ page }) => {
  await signInAs(page, 'Bob Builder');
  await expect(page.getByTestId('user-role')).toHaveText('viewer');
  await page.goto('/settings/users');
  await expect(page.getByTestId('user-form')).toHaveCount(0);
});

test('someone in neither group is turned away with a clear message', async ({ page }) => {
  await signInAs(page, 'Eve Outsider');
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole('alert').filter({ hasText: 'not in a group' })).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
});
