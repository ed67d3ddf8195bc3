import { expect, test } from '@playwright/test';
import { SSO_CONSOLE_PORT } from '../playwright.config';
import { EMULATOR_URL } from './support/emulator';
import { ADMIN_STATE, signInAsSsoAdmin } from './support/users';

// AWS's refusals, as an admin meets them in the console.

async function setFaults(rules: unknown[]) {
  const res = await fetch(`${EMULATOR_URL}/_emulator/faults`, { method: 'PUT', body: JSON.stringify(rules) });
  expect(res.ok).toBe(true);
}

test.describe('with the full-access key', () => {
  test.use({ storageState: ADMIN_STATE });
  test.afterEach(async () => {
    await fetch(`${EMULATOR_URL}/_emulator/faults`, { method: 'DELETE' });
  });

  test('throttling that outlasts the retries is explained, and nothing is half-made', async ({ page }) => {
    await setFaults([{ service: 'ecr', operation: 'CreateRepository', kind: 'throttle', rate: 1 }]);
    await page.goto('/ecr/-/new');
    await page.getByLabel('Repository name').fill('throttled-repo');
    await page.getByRole('button', { name: 'Create repository' }).click();
    await expect(page.getByText('AWS is rate-limiting requests right now. Wait a few seconds and try again.')).toBeVisible();
    await expect(page).toHaveURL(/\/ecr\/-\/new/);
  });

  test('a failing list shows a sentence, not a stack, and the page still works', async ({ page }) => {
    await setFaults([{ service: 'ecr', operation: 'DescribeImages', kind: 'error', rate: 1 }]);
    await page.goto('/ecr/demo-app-repo');
    await expect(page.getByText('ECR answered with an internal error. This is usually temporary: try again in a moment.')).toBeVisible();
    await expect(page.getByText(/at \w+ \(|Error:/)).toHaveCount(0);
    await expect(page.getByTestId('push-commands')).toBeVisible();
  });
});

test.describe('with the read-only key', () => {
  test.use({ baseURL: `http://localhost:${SSO_CONSOLE_PORT}` });


  test('an admin action names the IAM permission Berth lacks', async ({ page }) => {
    await signInAsSsoAdmin(page);
    await page.goto('/ecr/-/new');
    await page.getByLabel('Repository name').fill('not-allowed');
    await page.getByRole('button', { name: 'Create repository' }).click();
    await expect(page.getByText("Berth's AWS identity is not allowed to call ecr:CreateRepository.", { exact: false })).toBeVisible();

    // Reading still works with the same key.
    await page.goto('/ecr');
    await expect(page.getByRole('link', { name: 'demo-app-repo' })).toBeVisible();
  });
});
