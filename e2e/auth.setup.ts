import { expect, test as setup } from '@playwright/test';
import { ADMIN, ADMIN_STATE, VIEWER, VIEWER_STATE, signIn } from './support/users';

// Signs each role in once and saves the cookies for the specs that need them.
for (const [who, user, file] of [
  ['admin', ADMIN, ADMIN_STATE],
  ['viewer', VIEWER, VIEWER_STATE],
] as const) {
  setup(`sign in as ${who}`, async ({ page }) => {
    await page.goto('/sign-in');
    await signIn(page, user.email, user.password);
    await expect(page.getByTestId('user-role')).toHaveText(user.role);
    await page.context().storageState({ path: file });
  });
}
