import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { E2E_DATA } from '../playwright.config';
import { actionId, postAction } from './support/actions';
import { ADMIN, ADMIN_STATE, VIEWER_STATE, signIn } from './support/users';

const USERS_PAGE = '/settings/users';
const ACTIONS_FILE = 'app/(console)/settings/users/actions.ts';

function storedEmails(): string[] {
  const file = `${E2E_DATA}/berth/users.json`;
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { users: { email: string; role: string }[] }).users.map((u) => u.email);
}

test.describe('as a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('sees users but no controls to change them', async ({ page }) => {
    await page.goto(USERS_PAGE);
    await expect(page.getByTestId('users-table')).toContainText(ADMIN.email);
    await expect(page.getByTestId('user-form')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Remove' })).toHaveCount(0);
    await expect(page.getByTestId('user-role')).toHaveText('viewer');
  });

  test('a direct POST of an admin action gets 403 and changes nothing', async ({ page }) => {
    const before = storedEmails();
    const save = await postAction(page.request, USERS_PAGE, actionId(ACTIONS_FILE, 'saveUserAction'), {
      email: 'intruder@berth.local',
      role: 'admin',
      password: 'a-long-enough-password',
    });
    expect(save.status()).toBe(403);
    const remove = await postAction(page.request, USERS_PAGE, actionId(ACTIONS_FILE, 'removeUserAction'), { email: ADMIN.email });
    expect(remove.status()).toBe(403);
    expect(storedEmails()).toEqual(before);
  });
});

test.describe('signed out', () => {
  test('a direct POST of an admin action gets 401 and changes nothing', async ({ request }) => {
    const before = storedEmails();
    const res = await postAction(request, USERS_PAGE, actionId(ACTIONS_FILE, 'saveUserAction'), {
      email: 'anon@berth.local',
      role: 'admin',
      password: 'a-long-enough-password',
    });
    expect(res.status()).toBe(401);
    expect(storedEmails()).toEqual(before);
  });
});

test.describe('as an admin', () => {
  test.use({ storageState: ADMIN_STATE });

  test('the same direct POST works, so the 403 above is the role check and not a bad request', async ({ page }) => {
    const res = await postAction(page.request, USERS_PAGE, actionId(ACTIONS_FILE, 'saveUserAction'), {
      email: 'direct@berth.local',
      role: 'viewer',
      password: 'a-long-enough-password',
    });
    expect(res.status()).toBe(200);
    expect(storedEmails()).toContain('direct@berth.local');
  });

  test('adds a user through the form, who can then sign in with their role', async ({ page, browser }) => {
    await page.goto(USERS_PAGE);
    const form = page.getByTestId('user-form');
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByLabel('Password').fill('short');
    await form.getByRole('button', { name: 'Save user' }).click();
    await expect(form.getByText('Enter an email address like name@example.com.')).toBeVisible();
    await expect(form.getByText('Use at least 12 characters.')).toBeVisible();

    await form.getByLabel('Email').fill('grace@berth.local');
    await form.getByLabel('Name').fill('Grace');
    await form.getByLabel('Role').selectOption('admin');
    await form.getByLabel('Password').fill('grace-password-123');
    await form.getByRole('button', { name: 'Save user' }).click();
    await expect(form.getByText('Added grace@berth.local as admin.')).toBeVisible();
    await expect(page.getByTestId('users-table')).toContainText('grace@berth.local');

    const ctx = await browser.newContext({ storageState: undefined });
    const other = await ctx.newPage();
    await other.goto('/sign-in');
    await signIn(other, 'grace@berth.local', 'grace-password-123');
    await expect(other.getByTestId('user-role')).toHaveText('admin');

    // Demoting her takes effect on her next request, not when her cookie expires.
    await form.getByLabel('Email').fill('grace@berth.local');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Save user' }).click();
    await expect(form.getByText('Updated grace@berth.local.')).toBeVisible();
    await other.reload();
    await expect(other.getByTestId('user-role')).toHaveText('viewer');

    // Removing her signs her out.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('row', { name: /grace@berth.local/ }).getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByTestId('users-table')).not.toContainText('grace@berth.local');
    await other.goto('/');
    await expect(other).toHaveURL(/\/sign-in/);
    await ctx.close();
  });
});
