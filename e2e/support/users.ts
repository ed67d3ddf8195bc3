import { expect, type Page } from '@playwright/test';
import { DEMO_USERS } from '../../scripts/demo-users';

export const ADMIN = DEMO_USERS[0]!;
export const VIEWER = DEMO_USERS[1]!;
export const ADMIN_STATE = 'e2e/.auth/admin.json';
export const VIEWER_STATE = 'e2e/.auth/viewer.json';

export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  // Wait for the action's answer: two failures in a row show the same text, so
  // the page alone cannot tell whether the second one has been answered yet.
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/sign-in'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

/**
 * Signs in to the single-sign-on console (the one holding the emulator's
 * read-only key) as the test IdP's admin, Alice.
 */
export async function signInAsSsoAdmin(page: Page) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Continue with Test IdP' }).click();
  await page.getByRole('link', { name: 'Sign in as Alice Admin' }).click();
  await expect(page.getByTestId('user-role')).toHaveText('admin');
}
