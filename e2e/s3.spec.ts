import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetBucketVersioningCommand, GetPublicAccessBlockCommand, HeadBucketCommand, ListBucketsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import { actionId, postAction } from './support/actions';
import { s3 } from './support/emulator';
import { ADMIN_STATE, VIEWER_STATE } from './support/users';

const BUCKET = `journey-site-${Date.now().toString(36)}`;
import { shot } from './support/shots';

function file(name: string, body: string) {
  const p = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-up-')), name);
  fs.writeFileSync(p, body);
  return p;
}

test.describe.serial('an admin runs a versioned website bucket', () => {
  test.use({ storageState: ADMIN_STATE });

  test('creates a bucket with versioning, the name checked as they type', async ({ page }) => {
    await page.goto('/s3');
    await page.getByRole('link', { name: 'Create bucket' }).click();
    const name = page.getByLabel('Bucket name');
    await name.fill('My_Bucket');
    await expect(page.getByText('Use lowercase letters only.')).toBeVisible();
    // An existing bucket's name: in us-east-1 S3 would answer 200 and Berth would have changed its settings.
    const settings = async () => ({
      bpa: await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'berth-demo-assets' })).then((o) => o.PublicAccessBlockConfiguration, () => null),
      versioning: (await s3.send(new GetBucketVersioningCommand({ Bucket: 'berth-demo-assets' }))).Status ?? null,
    });
    const before = await settings();
    await name.fill('berth-demo-assets');
    await page.getByLabel(/Versioning/).check();
    await page.getByRole('button', { name: 'Create bucket' }).click();
    await expect(page.getByText('A bucket named berth-demo-assets already exists in this account. Berth will not take it over')).toBeVisible();
    expect(await settings()).toEqual(before);
    await page.getByLabel(/Versioning/).uncheck();
    await name.fill(BUCKET);
    await page.getByLabel(/Versioning/).check();
    await shot(page, 's3-create-admin-light');
    await page.getByRole('button', { name: 'Create bucket' }).click();
    await expect(page).toHaveURL(new RegExp(`/s3/${BUCKET}`));
    await expect(page.getByText('This bucket is empty')).toBeVisible();
  });

  test('uploads a file twice, sees both versions and restores the first', async ({ page }) => {
    await page.goto(`/s3/${BUCKET}`);
    await page.getByLabel('Upload files').setInputFiles(file('index.html', '<h1>first version</h1>'));
    await expect(page.getByTestId('upload-status')).toHaveText('Uploaded');
    await page.reload();
    await page.getByLabel('Upload files').setInputFiles(file('index.html', '<h1>second version</h1>'));
    await expect(page.getByTestId('upload-status')).toHaveText('Uploaded');
    await page.getByTestId('versions-toggle').click();
    const rows = page.getByTestId('objects').getByRole('row');
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText('latest');
    await shot(page, 's3-versions-admin-light');

    await rows.nth(1).getByRole('button', { name: /Restore/ }).click();
    await expect(page.getByText(/Restored index.html/)).toBeVisible();
    await expect(rows).toHaveCount(3);
    const download = page.waitForEvent('download');
    await rows.first().getByRole('link', { name: 'Download' }).click();
    const saved = await (await download).path();
    expect(fs.readFileSync(saved!, 'utf8')).toBe('<h1>first version</h1>');
  });

  test('turns on website hosting and serves the page and the error document', async ({ page, browser }) => {
    await page.goto(`/s3/${BUCKET}`);
    await page.getByLabel('Upload files').setInputFiles(file('error.html', '<h1>not here</h1>'));
    await expect(page.getByTestId('upload-status')).toHaveText('Uploaded');

    await page.goto(`/s3/${BUCKET}?tab=properties`);
    const site = page.getByTestId('website-form');
    await site.getByLabel('Host a static website from this bucket').check();
    await site.getByRole('button', { name: 'Save website settings' }).click();
    await expect(site.getByText('Static website hosting is on.')).toBeVisible();

    const bpa = page.getByTestId('bpa-form');
    for (const box of await bpa.getByRole('checkbox').all()) await box.uncheck();
    await bpa.getByRole('button', { name: 'Save Block Public Access' }).click();
    await expect(bpa.getByText('Block Public Access saved.')).toBeVisible();
    // The account has no setting of its own (S3 Control), so what the bucket turned off is off.
    const inForce = page.getByTestId('bpa-in-force');
    await expect(inForce.getByTestId('bpa-in-force-restrictPublicBuckets')).toHaveText('Off');
    await expect(inForce.getByTestId('bpa-account-note')).toHaveText('The account has no Block Public Access setting of its own, so the bucket’s applies alone.');

    const policy = page.getByTestId('bucket-policy-editor');
    await policy.getByRole('button', { name: 'Public read for a website' }).click();
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await expect(policy.getByText('Bucket policy saved.')).toBeVisible();
    await shot(page, 's3-properties-admin-light', { fullPage: true });

    const endpoint = (await page.getByTestId('website-endpoint').textContent()) ?? '';
    const visitor = await browser.newPage();
    const home = await visitor.goto(endpoint);
    expect(home?.status()).toBe(200);
    await expect(visitor.getByRole('heading', { name: 'first version' })).toBeVisible();
    const missing = await visitor.goto(`${endpoint}/no/such/page.html`);
    expect(missing?.status()).toBe(404);
    await expect(visitor.getByRole('heading', { name: 'not here' })).toBeVisible();
    await visitor.close();
  });

  test('empties and deletes the versioned bucket through the guided flow', async ({ page }) => {
    await page.goto(`/s3/${BUCKET}?tab=delete`);
    await expect(page.getByTestId('bucket-census')).toContainText('2current objects');
    await expect(page.getByTestId('bucket-census')).toContainText('4versions in all');
    await page.getByLabel(`Type ${BUCKET} to confirm`).fill(BUCKET);
    await shot(page, 's3-empty-and-delete-admin-light');
    await page.getByRole('button', { name: 'Empty and delete bucket' }).click();
    await expect(page.getByTestId('empty-log')).toContainText(`Deleted the bucket ${BUCKET}`);
    await expect(page.getByText('The bucket and everything in it are gone.')).toBeVisible();
    await expect(page).toHaveURL(/\/s3(\?|$)/);
    await expect(page.getByRole('link', { name: BUCKET })).toHaveCount(0);
    await expect(s3.send(new HeadBucketCommand({ Bucket: BUCKET }))).rejects.toThrow();
  });
});

test.describe('an admin whose tab cannot fetch the admin code', () => {
  test.use({ storageState: ADMIN_STATE });

  test('is told so where the controls would be, not left with dead checkboxes', async ({ page }) => {
    const folder = '/s3/berth-demo-assets?prefix=css%2F';
    await page.goto(folder);
    const tick = page.getByTestId('objects').getByRole('checkbox').first();
    await expect(tick).toBeEnabled();
    await expect(page.getByText('did not load: reload the page')).toHaveCount(0);

    // A chunk the page's HTML does not name is one fetched on demand: refuse those, as a server
    // updated since the tab was opened would (its new build no longer has the old chunks).
    const html = await (await page.request.get(folder)).text();
    let refused = 0;
    await page.route('**/_next/static/**', (route) => {
      const file = new URL(route.request().url()).pathname.split('/').pop()!;
      if (html.includes(file)) return route.continue();
      refused++;
      return route.abort('failed');
    });
    await page.goto(folder);
    await expect(page.getByRole('alert').filter({ hasText: 'Selecting, deleting and restoring objects did not load: reload the page.' })).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'Upload did not load: reload the page.' })).toBeVisible();
    expect(refused).toBeGreaterThan(0);
    await expect(tick).toBeDisabled();
    await expect(page.getByRole('heading', { name: 'berth-demo-assets' })).toBeVisible();
  });
});

test.describe('a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('browses buckets, folders, versions and properties without controls', async ({ page }) => {
    await page.goto('/s3');
    await expect(page.getByRole('link', { name: 'Create bucket' })).toHaveCount(0);
    await page.getByRole('link', { name: 'berth-demo-data' }).click();
    await expect(page.getByTestId('objects').getByRole('link').first()).toBeVisible();
    await page.getByTestId('objects').getByRole('link').first().click();
    await expect(page).toHaveURL(/prefix=/);
    await expect(page.getByTestId('upload-panel')).toHaveCount(0);
    await expect(page.getByRole('checkbox')).toHaveCount(0);
    await page.goto('/s3/berth-demo-assets?versions=1');
    await expect(page.getByRole('button', { name: /Restore/ })).toHaveCount(0);
    await page.goto('/s3/berth-demo-assets?tab=properties');
    await expect(page.getByRole('main').getByRole('button', { name: /Save|Enable|Suspend|Remove|Add/ })).toHaveCount(0);
    await expect(page.getByRole('main').getByRole('checkbox')).toHaveCount(0);
    await page.goto('/s3/berth-demo-assets?tab=delete');
    await expect(page.getByTestId('empty-and-delete')).toHaveCount(0);
  });

  test('sees size, object count and estimated cost, and how they were counted', async ({ page }) => {
    await page.goto('/s3/berth-demo-data');
    await page.getByRole('link', { name: 'Storage and cost' }).click();
    await expect(page.getByTestId('stat-objects')).toHaveText('10,000');
    await expect(page.getByTestId('storage-method')).toContainText('Counted by listing every object version: 10 ListObjectVersions requests');
    const classes = page.getByTestId('bucket-storage').getByRole('table');
    for (const c of ['STANDARD', 'STANDARD_IA', 'GLACIER_IR']) await expect(classes.getByRole('cell', { name: c, exact: true })).toBeVisible();
    await expect(page.getByTestId('stat-monthly')).toHaveText(/^(under \$0\.01|\$\d+\.\d\d) \/ month$/);
    await shot(page, 's3-storage-viewer-light', { fullPage: true });
  });

  test('gets 403 from every S3 action and the upload route, and nothing changes', async ({ page }) => {
    const before = await s3.send(new ListBucketsCommand({}));
    const versionsBefore = await s3.send(new ListObjectVersionsCommand({ Bucket: 'berth-demo-assets' }));
    const file = 'app/(console)/s3/[bucket]/actions.ts';
    const bucket = 'berth-demo-assets';
    const calls: [string, Record<string, unknown>][] = [
      ['deleteObjectsAction', { bucket, items: [JSON.stringify({ key: 'x' })] }],
      ['restoreVersionAction', { bucket, key: 'x', versionId: 'y' }],
      ['setVersioningAction', { bucket, status: 'Suspended' }],
      ['setWebsiteAction', { bucket, enabled: 'on', indexDocument: 'index.html' }],
      ['setPublicAccessBlockAction', { bucket }],
      ['saveBucketPolicyAction', { bucket, policy: '{}' }],
      ['deleteBucketPolicyAction', { bucket }],
      ['setTagsAction', { bucket, tags: '[]' }],
      ['emptyBucketStepAction', { bucket, confirm: bucket }],
    ];
    for (const [name, input] of calls) {
      const res = await postAction(page.request, `/s3/${bucket}`, actionId(file, name), input);
      expect(res.status(), name).toBe(403);
    }
    const create = await postAction(page.request, '/s3/-/new', actionId('app/(console)/s3/-/new/actions.ts', 'createBucketAction'), { region: 'us-east-1', name: 'viewer-bucket' });
    expect(create.status()).toBe(403);
    const upload = await page.request.post(`/s3/${bucket}/object?key=viewer.txt`, { data: 'nope' });
    expect(upload.status()).toBe(403);

    expect((await s3.send(new ListBucketsCommand({}))).Buckets).toEqual(before.Buckets);
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: 'berth-demo-assets' }))).Versions).toEqual(versionsBefore.Versions);
  });
});
