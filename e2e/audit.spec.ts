import fs from 'node:fs';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import { saveUser, uniqueEmail } from './support/accounts';
import { actionId, postAction } from './support/actions';
import { s3 } from './support/emulator';
import { ADMIN, ADMIN_STATE, VIEWER, VIEWER_STATE, signIn } from './support/users';

// The audit trail end to end: an admin changes a bucket through Berth, finds
// the change on the Audit page and on the bucket's Activity tab, and exports
// it; a failed sign-in is there too; a viewer may read none of it.

const BUCKET = `audit-e2e-${Date.now().toString(36)}`;
const ARN = `arn:aws:s3:::${BUCKET}`;
const AUDIT = '/settings/audit';

test.describe.serial('an admin', () => {
  test.use({ storageState: ADMIN_STATE });

  test.beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  test('changes a bucket, and finds the change on the Audit page with its AWS request id', async ({ page }) => {
    await page.goto(`/s3/${BUCKET}?tab=properties`);
    await page.getByTestId('versioning-form').getByRole('button', { name: 'Enable versioning' }).click();
    await expect(page.getByTestId('versioning-form')).toContainText('Versioning is on.');

    await page.goto(AUDIT);
    await page.getByLabel('Resource (ARN)').fill(ARN);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(new RegExp(`resource=${encodeURIComponent(ARN).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const rows = page.getByTestId('audit-rows').getByRole('row');
    await expect(rows).toHaveCount(1);
    const row = rows.first();
    await expect(row).toContainText(ADMIN.email);
    await expect(row).toContainText('s3.bucket.versioning');
    await expect(row).toContainText('ok');
    await expect(row).toContainText('us-east-1');
    // The emulator's request ids are UUIDs, as S3's own are opaque strings; a dash means none was recorded.
    await expect(row.getByRole('cell').nth(6)).not.toHaveText('—');

    // Filtering on the person keeps it; on another action drops it.
    await page.goto(`${AUDIT}?person=${encodeURIComponent(ADMIN.email)}&action=s3.bucket.versioning`);
    await expect(page.getByTestId('audit-rows')).toContainText(BUCKET);
    await page.goto(`${AUDIT}?resource=${encodeURIComponent(ARN)}&action=s3.bucket.tags`);
    await expect(page.getByText('No entries match')).toBeVisible();
    await expect(page.getByText(/Entries are kept for \d+ days/)).toBeVisible();
  });

  test('sees it on the bucket’s Activity tab, with a link to the filtered Audit page', async ({ page }) => {
    await page.goto(`/s3/${BUCKET}`);
    await page.getByRole('link', { name: 'Activity' }).click();
    const history = page.getByTestId('resource-history');
    await expect(history).toContainText('s3.bucket.versioning');
    await expect(history).toContainText(ADMIN.email);
    await history.getByRole('link', { name: /All of it in Audit/ }).click();
    await expect(page).toHaveURL(/\/settings\/audit\?resource=/);
    await expect(page.getByTestId('audit-rows').getByRole('row')).toHaveCount(1);
  });

  test('exports it as CSV and JSON', async ({ page }) => {
    await page.goto(`${AUDIT}?resource=${encodeURIComponent(ARN)}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^berth-audit-.*\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('id,time,person,role,action,resource,region,outcome,request_id,client_address,instance,detail');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(`,${ADMIN.email},admin,s3.bucket.versioning,${ARN},us-east-1,ok,`);

    const json = await page.request.get(`${AUDIT}/export.json?resource=${encodeURIComponent(ARN)}`);
    expect(json.status()).toBe(200);
    const entries = (await json.json()) as { person: string; action: string; resource: string; requestId: string | null }[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ person: ADMIN.email, action: 's3.bucket.versioning', resource: ARN });
    expect(entries[0]!.requestId).toBeTruthy();

    // The exports are in the trail too.
    await page.goto(`${AUDIT}?action=audit.export.csv&person=${encodeURIComponent(ADMIN.email)}`);
    await expect(page.getByTestId('audit-rows').getByRole('row').first()).toContainText('ok');
  });

  test('finds a failed sign-in against their account, with the address it came from', async ({ page, browser }) => {
    const address = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    // Signed out (this file's contexts carry the admin's cookie), from an address of its own.
    const other = await browser.newContext({ storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { 'x-forwarded-for': address } });
    const p = await other.newPage();
    await p.goto('/sign-in');
    await signIn(p, ADMIN.email, 'not-the-password');
    await expect(p.getByText('Wrong email or password.')).toBeVisible();
    await other.close();

    await page.goto(`${AUDIT}?person=${encodeURIComponent(ADMIN.email)}&action=sign-in`);
    const row = page.getByTestId('audit-rows').getByRole('row').filter({ hasText: address }).first();
    await expect(row).toContainText('failed');
  });
});

test.describe('sign-ins and sign-outs', () => {
  test.use({ storageState: ADMIN_STATE });

  test('are in the trail, as is the admin who added the person', async ({ page, browser }) => {
    const person = await saveUser({ email: uniqueEmail('audit'), password: 'a-long-enough-password', role: 'viewer' });
    const theirs = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const p = await theirs.newPage();
    await p.goto('/sign-in');
    await signIn(p, person.email, person.password);
    await expect(p.getByTestId('user-role')).toHaveText('viewer');
    await p.getByTestId('user-menu').locator('summary').click();
    await p.getByRole('button', { name: 'Sign out' }).click();
    await expect(p).toHaveURL(/\/sign-in/);
    await theirs.close();

    await page.goto(`${AUDIT}?person=${encodeURIComponent(person.email)}`);
    const rows = page.getByTestId('audit-rows').getByRole('row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('sign-out');
    await expect(rows.nth(1)).toContainText('sign-in');
    for (const i of [0, 1]) await expect(rows.nth(i)).toContainText('ok');
    await page.goto(`${AUDIT}?person=${encodeURIComponent(ADMIN.email)}&action=users.save`);
    await expect(page.getByTestId('audit-rows').getByRole('row').first()).toContainText('ok');
  });
});

test.describe('a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('gets 403 from the Audit page and both exports, and sees no Audit link', async ({ page }) => {
    const res = await page.goto(AUDIT);
    expect(res?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'You need the admin role for this' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' })).toHaveCount(0);
    for (const format of ['csv', 'json']) {
      const r = await page.request.get(`${AUDIT}/export.${format}`);
      expect(r.status(), format).toBe(403);
      expect(await r.text(), format).not.toContain('@');
    }
  });

  test('posting an admin action is refused, and the refusal is in the trail with what it aimed at', async ({ page, playwright }) => {
    const res = await postAction(page.request, `/s3/${BUCKET}`, actionId('app/(console)/s3/[bucket]/actions.ts', 'setVersioningAction'), { bucket: BUCKET, status: 'Suspended' });
    expect(res.status()).toBe(403);
    const admin = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL, storageState: ADMIN_STATE });
    try {
      const entries = (await (await admin.get(`${AUDIT}/export.json?person=${encodeURIComponent(VIEWER.email)}&action=s3.bucket.versioning`)).json()) as { outcome: string; role: string; detail: { bucket?: string } | null }[];
      expect(entries.find((e) => e.detail?.bucket === BUCKET)).toMatchObject({ outcome: 'forbidden', role: 'viewer' });
    } finally {
      await admin.dispose();
    }
  });
});
