import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetBucketPolicyCommand, HeadObjectCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import { SSO_CONSOLE_PORT } from '../playwright.config';
import { EMULATOR_URL, s3 } from './support/emulator';
import { shot } from './support/shots';
import { ADMIN_STATE, signInAsSsoAdmin } from './support/users';

// S3's refusals and Berth's own limits, as an admin meets them. Each checks
// that the sentence is one a person can act on and that nothing changed.

const LIMIT = 32 * 1024 * 1024; // BERTH_UPLOAD_MAX_BYTES in playwright.config.ts

test.describe('with the full-access key', () => {
  test.use({ storageState: ADMIN_STATE });
  test.afterEach(async () => {
    await fetch(`${EMULATOR_URL}/_emulator/faults`, { method: 'DELETE' });
  });

  test('a policy S3 refuses is explained and the bucket keeps having none', async ({ page }) => {
    await page.goto('/s3/berth-demo-logs?tab=properties');
    const editor = page.getByTestId('bucket-policy-editor');
    // Well-formed JSON that Berth's own checks pass, but naming another bucket.
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::someone-elses-bucket/*' }],
    };
    await editor.getByLabel('Bucket policy (JSON)').fill(JSON.stringify(policy, null, 2));
    await editor.getByRole('button', { name: 'Save policy' }).click();
    await expect(editor.getByText('S3 refused the bucket policy: Policy has invalid resource')).toBeVisible();
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'berth-demo-logs' }))).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });
  });

  test('a file over the upload limit is refused in the page and by the route', async ({ page }) => {
    await page.goto('/s3/berth-demo-logs');
    await expect(page.getByTestId('upload-panel')).toContainText('up to 32 MB a file');
    const big = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-big-')), 'too-big.bin');
    fs.writeFileSync(big, Buffer.alloc(LIMIT + 1, 7));
    await page.getByLabel('Upload files').setInputFiles(big);
    await expect(page.getByTestId('upload-status')).toHaveText('Larger than the 32 MB this Berth accepts.');

    // Skipping the page's check does not help: the route refuses before S3 sees a byte.
    const res = await page.request.post('/s3/berth-demo-logs/object?key=too-big.bin', {
      data: Buffer.alloc(LIMIT + 1, 7),
      headers: { 'content-type': 'application/octet-stream', origin: new URL(page.url()).origin },
    });
    expect(res.status()).toBe(413);
    expect((await res.json()).message).toBe('The file is 32 MB; this Berth accepts uploads up to 32 MB (BERTH_UPLOAD_MAX_BYTES).');
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'berth-demo-logs', Key: 'too-big.bin' }))).rejects.toThrow();
  });

  test('S3 rate-limiting the object listing reads as a sentence, and the tabs still work', async ({ page }) => {
    await fetch(`${EMULATOR_URL}/_emulator/faults`, {
      method: 'PUT',
      body: JSON.stringify([{ service: 's3', operation: 'ListObjectsV2', kind: 'throttle', rate: 1 }]),
    });
    await page.goto('/s3/berth-demo-data');
    await expect(page.getByText('AWS is rate-limiting requests right now. Wait a few seconds and try again.')).toBeVisible();
    await expect(page.getByText(/at \w+ \(|Error:/)).toHaveCount(0);
    await page.getByRole('link', { name: 'Properties' }).click();
    await expect(page.getByTestId('bucket-policy-editor')).toBeVisible();
  });
});

test.describe('with the read-only key', () => {
  test.use({ baseURL: `http://localhost:${SSO_CONSOLE_PORT}` });


  test('creating a bucket or changing one names the S3 permission Berth lacks', async ({ page }) => {
    const before = await s3.send(new ListBucketsCommand({}));
    await signInAsSsoAdmin(page);
    await page.goto('/s3/-/new');
    await page.getByLabel('Bucket name').fill('readonly-cannot-create');
    await page.getByRole('button', { name: 'Create bucket' }).click();
    await expect(page.getByText("Berth's AWS identity is not allowed to call s3:CreateBucket.", { exact: false })).toBeVisible();
    await shot(page, 's3-access-denied-admin-light');

    await page.goto('/s3/berth-demo-logs?tab=properties');
    const tags = page.getByTestId('tags-form');
    await tags.getByLabel('Tag 1 key').fill('owner');
    await tags.getByLabel('Tag 1 value').fill('nobody');
    await tags.getByRole('button', { name: /Save tags/ }).click();
    await expect(tags.getByText("Berth's AWS identity is not allowed to call s3:PutBucketTagging.", { exact: false })).toBeVisible();

    expect((await s3.send(new ListBucketsCommand({}))).Buckets).toEqual(before.Buckets);
  });
});
