import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { E2E_DATA } from '../playwright.config';
import { saveUser, uniqueEmail } from './support/accounts';
import { actionId, postAction } from './support/actions';
import { ADMIN, ADMIN_STATE, VIEWER, VIEWER_STATE, signIn } from './support/users';

const USERS_PAGE = '/settings/users';
const ACTIONS_FILE = 'app/(console)/settings/users/actions.ts';

/** What Berth's database holds (SQLite in the console's data folder), read beside the running console. */
function storedUsers(): { email: string; role: string; name?: string }[] {
  const db = new Database(`${E2E_DATA}/berth/berth.db`, { readonly: true });
  try {
    const rows = db.prepare('select email, role, name from users order by email').all() as { email: string; role: string; name: string | null }[];
    return rows.map((r) => ({ email: r.email, role: r.role, name: r.name ?? undefined }));
  } finally {
    db.close();
  }
}
function storedEmails(): string[] {
  return storedUsers().map((u) => u.email);
}

// Every page only an admin may open (lib/auth/admin-pages.ts).
const ADMIN_PAGES = ['/ecr/-/new', '/s3/-/new', '/cloudfront/-/new', '/cloudfront/-/site', '/cloudfront/-/cleanup', '/settings/audit'];

test.describe('as a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('sees who has which role, but no controls and no one else’s email', async ({ page }) => {
    await page.goto(USERS_PAGE);
    await expect(page.getByTestId('users-table')).toContainText(ADMIN.name);
    await expect(page.getByTestId('users-table')).toContainText(`${VIEWER.email} (you)`);
    await expect(page.getByTestId('users-table')).not.toContainText(ADMIN.email);
    // Not hidden in the page's data either.
    const html = await (await page.request.get(USERS_PAGE)).text();
    for (const u of storedUsers()) if (u.email !== VIEWER.email) expect(html).not.toContain(u.email);
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

test.describe('a viewer opening an admin page', () => {
  test.use({ storageState: VIEWER_STATE });

  for (const path of ADMIN_PAGES) {
    test(`${path} answers HTTP 403 and shows the refusal`, async ({ page }) => {
      const res = await page.goto(path);
      expect(res?.status()).toBe(403);
      await expect(page.getByRole('heading', { name: 'You need the admin role for this' })).toBeVisible();
    });
  }
});

test.describe('signed out', () => {
  test('admin pages redirect to sign-in', async ({ request }) => {
    for (const path of ADMIN_PAGES) {
      const res = await request.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBe(307);
      expect(res.headers()['location'], path).toContain('/sign-in');
    }
  });

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

  test('admin pages answer 200', async ({ page }) => {
    for (const path of ADMIN_PAGES) {
      const res = await page.request.get(path);
      expect(res.status(), path).toBe(200);
    }
  });

  test('the last admin cannot demote or remove themselves', async ({ page }) => {
    // Make the demo admin the only admin: other tests add admins of their own.
    for (const u of storedUsers()) {
      if (u.role === 'admin' && u.email !== ADMIN.email) await saveUser({ email: u.email, role: 'viewer', password: '', name: u.name });
    }
    await page.goto(USERS_PAGE);
    const form = page.getByTestId('user-form');
    await form.getByLabel('Email').fill(ADMIN.email);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Save user' }).click();
    await expect(form.getByRole('alert').filter({ hasText: `${ADMIN.email} is the last admin` })).toBeVisible();
    await expect(form.getByText('Make someone else an admin first.').first()).toBeVisible();
    expect(storedUsers().find((u) => u.email === ADMIN.email)?.role).toBe('admin');
    // The refusal left the admin signed in and an admin.
    await page.reload();
    await expect(page.getByTestId('user-role')).toHaveText('admin');
    // Removing oneself is refused too, even by a direct POST.
    const remove = await postAction(page.request, USERS_PAGE, actionId(ACTIONS_FILE, 'removeUserAction'), { email: ADMIN.email });
    expect(await remove.text()).toContain('You cannot remove your own account');
    expect(storedEmails()).toContain(ADMIN.email);
  });

  test('the same direct POST works, so the 403 above is the role check and not a bad request', async ({ page }) => {
    const res = await postAction(page.request, USERS_PAGE, actionId(ACTIONS_FILE, 'saveUserAction'), {
      email: 'direct@berth.local',
      role: 'viewer',
      password: 'a-long-enough-password',
    });
    expect(res.status()).toBe(200);
    expect(storedEmails()).toContain('direct@berth.local');
  });

  test('adds a user through the form, who can then sign in with their role; changes end their sessions', async ({ page, browser }) => {
    const grace = uniqueEmail('grace');
    await page.goto(USERS_PAGE);
    const form = page.getByTestId('user-form');
    // Two saves in a row can show the same message: wait for each one's answer.
    const save = () =>
      Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === USERS_PAGE),
        form.getByRole('button', { name: 'Save user' }).click(),
      ]);
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByLabel('Password').fill('short');
    await save();
    await expect(form.getByText('Enter an email address like name@example.com.')).toBeVisible();
    await expect(form.getByText('Use at least 12 characters.')).toBeVisible();

    await form.getByLabel('Email').fill(grace);
    await form.getByLabel('Name').fill('Grace');
    await form.getByLabel('Role').selectOption('admin');
    await form.getByLabel('Password').fill('grace-password-123');
    await save();
    await expect(form.getByText(`Added ${grace} as admin.`)).toBeVisible();
    await expect(page.getByTestId('users-table')).toContainText(grace);

    const ctx = await browser.newContext({ storageState: undefined });
    const other = await ctx.newPage();
    const signInAs = async (password: string, role: string) => {
      await other.goto('/sign-in');
      await signIn(other, grace, password);
      await expect(other.getByTestId('user-role')).toHaveText(role);
    };
    await signInAs('grace-password-123', 'admin');
    const asAdmin = await ctx.storageState();

    // Demoting her ends her session on her next request, not when her cookie expires.
    await form.getByLabel('Email').fill(grace);
    await form.getByLabel('Role').selectOption('viewer');
    await save();
    await expect(form.getByText(`Updated ${grace}. Their sessions end on their next request.`)).toBeVisible();
    await other.reload();
    await expect(other).toHaveURL(/\/sign-in/);
    await signInAs('grace-password-123', 'viewer');

    // So does a new password.
    await form.getByLabel('Email').fill(grace);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByLabel('Password').fill('grace-new-password-456');
    await save();
    await expect(form.getByText(`Updated ${grace}. Their sessions end on their next request.`)).toBeVisible();
    await other.goto('/ecr');
    await expect(other).toHaveURL(/\/sign-in/);
    await signInAs('grace-new-password-456', 'viewer');

    // Removing her signs her out.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('row', { name: new RegExp(grace.replace(/[.+]/g, '\\$&')) }).getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByTestId('users-table')).not.toContainText(grace);
    await other.goto('/');
    await expect(other).toHaveURL(/\/sign-in/);
    await ctx.close();

    // Adding the same email again makes a new account: her old admin cookie stays dead.
    await form.getByLabel('Email').fill(grace);
    await form.getByLabel('Role').selectOption('admin');
    await form.getByLabel('Password').fill('grace-password-789');
    await save();
    await expect(form.getByText(`Added ${grace} as admin.`)).toBeVisible();
    const replay = await browser.newContext({ storageState: asAdmin });
    const old = await replay.newPage();
    await old.goto('/');
    await expect(old).toHaveURL(/\/sign-in/);
    await replay.close();
  });
});
