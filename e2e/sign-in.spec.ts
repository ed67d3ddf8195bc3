import { expect, request, test, type APIRequestContext, type Browser } from '@playwright/test';
import { SSO_CONSOLE_PORT } from '../playwright.config';
import { newAccount, uniqueEmail, type Account } from './support/accounts';
import { ADMIN, signIn } from './support/users';

// The console under test trusts one proxy hop (playwright.config.ts): a test
// plays that proxy and names the client address of its requests by appending
// it to X-Forwarded-For. Each test that fails sign-ins uses an address and an
// account of its own, so its failures cannot lock anything another test needs.

/** A random address in 198.18.0.0/15 (set aside for tests), so runs do not share limits. */
function freshAddress(): string {
  const byte = () => 1 + Math.floor(Math.random() * 254);
  return `198.${18 + Math.floor(Math.random() * 2)}.${byte()}.${byte()}`;
}

async function contextFrom(browser: Browser, address: string) {
  return browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': address } });
}

/** Signs in through Auth.js's own endpoint, as a script would; answers "ok" or Auth.js's error code. */
async function apiSignIn(api: APIRequestContext, csrfToken: string, email: string, password: string, headers?: Record<string, string>) {
  const res = await api.post('/api/auth/callback/credentials', {
    form: { email, password, csrfToken, callbackUrl: '/' },
    maxRedirects: 0,
    headers,
  });
  const location = res.headers()['location'] ?? '';
  const code = new URL(location, 'http://x').searchParams.get('code');
  if (code) return code;
  const cookies = res.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
  return cookies.some((c) => /^authjs\.session-token=[^;]/.test(c)) ? 'ok' : `status ${res.status()} ${location}`;
}

async function csrf(api: APIRequestContext): Promise<string> {
  return ((await (await api.get('/api/auth/csrf')).json()) as { csrfToken: string }).csrfToken;
}

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

  test('a wrong password and an unknown email get the same answer', async ({ browser }) => {
    const context = await contextFrom(browser, freshAddress());
    const page = await context.newPage();
    await page.goto('/sign-in');
    await signIn(page, ADMIN.email, 'not-the-password');
    await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong email or password.');
    await signIn(page, 'nobody@berth.local', 'whatever-password');
    await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong email or password.');
    await expect(page).toHaveURL(/\/sign-in/);
    await context.close();
  });

  test('five failures from one address lock that address out of the account, not its owner elsewhere', async ({ browser }) => {
    const account = await newAccount('lockout');
    const context = await contextFrom(browser, freshAddress());
    const page = await context.newPage();
    await page.goto('/sign-in');
    for (let i = 0; i < 5; i++) {
      await signIn(page, account.email, `wrong-${i}`);
      await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong email or password.');
      // The text above may still be the previous attempt's: wait for React to
      // finish this one (the button reads "Signing in…" until then), so its form
      // reset cannot clear the next attempt's fields.
      await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
    }
    await signIn(page, account.email, account.password);
    await expect(page.getByTestId('sign-in-error')).toContainText('Too many failed sign-ins');
    await expect(page).toHaveURL(/\/sign-in/);
    await context.close();

    // The owner, somewhere else, is not locked out by someone who knows their email.
    const owner = await contextFrom(browser, freshAddress());
    const ownerPage = await owner.newPage();
    await ownerPage.goto('/sign-in');
    await signIn(ownerPage, account.email, account.password);
    await expect(ownerPage.getByTestId('user-role')).toHaveText('viewer');
    await owner.close();
  });

  test('forty parallel wrong passwords get at most five checks, and the right one sent among them is refused', async ({ baseURL }) => {
    const account = await newAccount('storm');
    const api = await request.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-for': freshAddress() } });
    const token = await csrf(api);
    const answers: string[] = [];
    let sawLimit!: () => void;
    const limited = new Promise<void>((resolve) => (sawLimit = resolve));
    const wrong = Array.from({ length: 40 }, (_, i) =>
      apiSignIn(api, token, account.email, `wrong-password-${i}`).then((code) => {
        answers.push(code);
        if (code === 'rate_limited') sawLimit();
      }),
    );
    // Once one of them is refused, the limit is in force while the rest are still
    // being answered: the right password sent now must be refused too.
    await Promise.race([limited, Promise.all(wrong)]);
    const right = await apiSignIn(api, token, account.email, account.password);
    await Promise.all(wrong);
    expect(answers.filter((a) => a === 'wrong_credentials').length).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a === 'rate_limited').length).toBeGreaterThanOrEqual(35);
    expect(right).toBe('rate_limited');
    await api.dispose();
  });

  test('rotating X-Forwarded-For does not reset the per-address limit', async ({ baseURL }) => {
    // Behind the trusted proxy: the client writes what it likes on the left; the
    // proxy's entry on the right is the one that counts.
    const proxied = freshAddress();
    const api = await request.newContext({ baseURL });
    const token = await csrf(api);
    const answers: string[] = [];
    for (let i = 0; i < 32; i++) {
      const forged = `10.${i}.${i}.${i}`;
      answers.push(await apiSignIn(api, token, uniqueEmail('spray'), 'wrong-password', { 'x-forwarded-for': `${forged}, ${proxied}` }));
    }
    expect(answers.slice(0, 30).every((a) => a === 'wrong_credentials')).toBe(true);
    expect(answers.slice(30)).toEqual(['rate_limited', 'rate_limited']);
    await api.dispose();

    // With no proxy in front (the single sign-on console), X-Forwarded-For is
    // ignored altogether and the socket's address counts.
    const direct = await request.newContext({ baseURL: `http://127.0.0.1:${SSO_CONSOLE_PORT}` });
    const directToken = await csrf(direct);
    const directAnswers: string[] = [];
    for (let i = 0; i < 32; i++) {
      directAnswers.push(await apiSignIn(direct, directToken, uniqueEmail('spray'), 'wrong-password', { 'x-forwarded-for': `10.${i}.0.1` }));
    }
    expect(directAnswers.at(-1)).toBe('rate_limited');
    await direct.dispose();
  });

  test('sign in lands where the visitor was going, and sign out ends the session', async ({ page }) => {
    // An account of its own: signing out ends all of a person's sessions, and
    // the shared admin's saved session is used by other tests.
    const account = await newAccount('signout', 'admin');
    await page.goto('/s3');
    await signIn(page, account.email, account.password);
    await expect(page).toHaveURL(/\/s3$/);
    await expect(page.getByRole('heading', { name: 'Buckets' })).toBeVisible();
    const signedIn = await page.context().storageState();

    await page.getByTestId('user-menu').locator('summary').click();
    await expect(page.getByTestId('user-role')).toHaveText('admin');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    // Requests that were in flight when sign-out answered (the nav links'
    // prefetches) may hand the browser the session cookie again; it no longer works.
    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in/);

    // Nor does a copy of the cookie taken before signing out.
    const replay = await page.context().browser()!.newContext({ storageState: signedIn });
    const again = await replay.newPage();
    await again.goto('/s3');
    await expect(again).toHaveURL(/\/sign-in/);
    await replay.close();
  });

  test('signing out ends the same person’s sessions in other browsers too', async ({ browser }) => {
    const account: Account = await newAccount('everywhere');
    const [a, b] = [await browser.newContext(), await browser.newContext()];
    for (const ctx of [a, b]) {
      const page = await ctx.newPage();
      await page.goto('/sign-in');
      await signIn(page, account.email, account.password);
      await expect(page.getByTestId('user-role')).toHaveText('viewer');
    }
    const pageA = a.pages()[0]!;
    await pageA.getByTestId('user-menu').locator('summary').click();
    await pageA.getByRole('button', { name: 'Sign out' }).click();
    await expect(pageA).toHaveURL(/\/sign-in/);
    const pageB = b.pages()[0]!;
    await pageB.goto('/ecr');
    await expect(pageB).toHaveURL(/\/sign-in/);
    await a.close();
    await b.close();
  });

  test('a callbackUrl pointing off-site is ignored', async ({ page }) => {
    await page.goto('/sign-in?callbackUrl=https://evil.example/steal');
    await signIn(page, ADMIN.email, ADMIN.password);
    await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  });
});
