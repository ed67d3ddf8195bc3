import type { Page } from '@playwright/test';
import { DEMO_USERS } from '../../scripts/demo-users';

export const ADMIN = DEMO_USERS[0]!;
export const VIEWER = DEMO_USERS[1]!;
export const ADMIN_STATE = 'e2e/.auth/admin.json';
export const VIEWER_STATE = 'e2e/.auth/viewer.json';

export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
