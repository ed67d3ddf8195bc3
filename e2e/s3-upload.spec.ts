import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import { SSO_CONSOLE_PORT } from '../playwright.config';
import { EMULATOR_URL, s3 } from './support/emulator';
import { shotLightAndDark } from './support/shots';
import { ADMIN, ADMIN_STATE, signIn, signInAsSsoAdmin } from './support/users';

// Files larger than Next.js's 10 MB proxy buffer go from the page through
// Berth to S3 in parts, with progress and a Cancel button; whatever stops an
// upload leaves no unfinished multipart upload behind. Refused downloads and
// uploads say why in the page.

const MiB = 1024 * 1024;
const BUCKET = `uploads-${Date.now().toString(36)}`;

/** A file of `size` bytes that differ along its length, so a misplaced part would show. */
function bigFile(name: string, size: number) {
  const p = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-big-')), name);
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) buf.writeUInt32LE(i, i);
  fs.writeFileSync(p, buf);
  return { path: p, sha256: createHash('sha256').update(buf).digest('hex') };
}

async function unfinished(key: string) {
  return (await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: key }))).Uploads ?? [];
}

async function faults(rules: unknown[]) {
  await fetch(`${EMULATOR_URL}/_emulator/faults`, { method: rules.length ? 'PUT' : 'DELETE', body: rules.length ? JSON.stringify(rules) : undefined });
}

test.beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
test.afterEach(async () => {
  await faults([]);
});

test.describe('an admin', () => {
  test.use({ storageState: ADMIN_STATE });

  test('uploads a 24 MiB file through the page, in parts, and S3 holds every byte', async ({ page }) => {
    test.setTimeout(180_000);
    const file = bigFile('big-24.bin', 24 * MiB);
    await page.goto(`/s3/${BUCKET}`);
    await page.getByLabel('Upload files').setInputFiles(file.path);
    await expect(page.getByTestId('upload-status')).toHaveText('Uploaded', { timeout: 150_000 });
    await expect(page.getByRole('progressbar', { name: 'big-24.bin upload progress' })).toHaveAttribute('aria-valuenow', '100');

    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big-24.bin' }));
    expect(head.ContentLength).toBe(24 * MiB);
    expect(head.ETag).toMatch(/-\d+"$/); // a multipart upload's ETag
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big-24.bin' }));
    const h = createHash('sha256');
    for await (const c of got.Body as AsyncIterable<Uint8Array>) h.update(c);
    expect(h.digest('hex')).toBe(file.sha256);
    expect(await unfinished('big-24.bin')).toEqual([]);
  });

  test('sees progress, cancels, and S3 keeps neither the file nor an unfinished upload', async ({ page }) => {
    test.setTimeout(180_000);
    // S3 takes its time with each part, so the upload is still going when the person cancels.
    await faults([{ service: 's3', operation: 'UploadPart', kind: 'delay', delayMs: 15_000, rate: 1 }]);
    const file = bigFile('cancel-me.bin', 24 * MiB);
    await page.goto(`/s3/${BUCKET}`);
    await page.getByLabel('Upload files').setInputFiles(file.path);
    await expect(page.getByTestId('upload-status')).toHaveText(/^\d+% of 24 MB$/);
    await expect.poll(async () => (await unfinished('cancel-me.bin')).length, { timeout: 60_000 }).toBe(1);
    await shotLightAndDark(page, 's3-upload-progress-admin');
    await page.getByRole('button', { name: 'Cancel cancel-me.bin' }).click();
    await expect(page.getByTestId('upload-status')).toHaveText('Cancelled');
    await expect.poll(async () => (await unfinished('cancel-me.bin')).length, { timeout: 60_000 }).toBe(0);
    await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'cancel-me.bin' }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  test('S3 failing part-way reads as a sentence, and the upload is aborted', async ({ page }) => {
    test.setTimeout(180_000);
    await faults([{ service: 's3', operation: 'UploadPart', kind: 'error', rate: 1 }]);
    const file = bigFile('fails.bin', 16 * MiB);
    await page.goto(`/s3/${BUCKET}`);
    await page.getByLabel('Upload files').setInputFiles(file.path);
    await expect(page.getByTestId('upload-status')).toHaveText('S3 answered with an internal error. This is usually temporary: try again in a moment.', {
      timeout: 120_000,
    });
    expect(await unfinished('fails.bin')).toEqual([]);
    await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'fails.bin' }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  test('a refused download shows S3’s reason in the row and the browser saves nothing', async ({ page }) => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cold.txt', Body: 'archived since the page loaded' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gone.txt', Body: 'deleted since the page loaded' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'fine.txt', Body: 'still here' }));
    await page.goto(`/s3/${BUCKET}`);
    const saved: string[] = [];
    page.on('download', (d) => saved.push(d.suggestedFilename()));
    // Behind the page's back: a lifecycle rule archives one object, someone deletes another.
    await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'cold.txt', CopySource: `${BUCKET}/cold.txt`, StorageClass: 'GLACIER' }));
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone.txt' }));

    const row = (name: string) => page.getByTestId('objects').getByRole('row').filter({ hasText: name });
    await row('cold.txt').getByRole('link', { name: 'Download' }).click();
    await expect(row('cold.txt').getByTestId('download-problem')).toContainText('The object is in an archive storage class and must be restored first');
    await row('gone.txt').getByRole('link', { name: 'Download' }).click();
    await expect(row('gone.txt').getByTestId('download-problem')).toHaveText('The object does not exist (or its latest version is a delete marker).');
    await shotLightAndDark(page, 's3-download-refused-admin');

    // A download S3 allows still saves the file, under its own name.
    const download = page.waitForEvent('download');
    await row('fine.txt').getByRole('link', { name: 'Download' }).click();
    const d = await download;
    expect(d.suggestedFilename()).toBe('fine.txt');
    expect(fs.readFileSync((await d.path())!, 'utf8')).toBe('still here');
    expect(saved).toEqual(['fine.txt']);
  });

  test('an upload with Origin: null or a malformed Origin is refused with a sentence', async ({ page }) => {
    for (const origin of ['null', 'http://[::1', 'not a url']) {
      const res = await page.request.post(`/s3/${BUCKET}/object?key=origin.txt`, { data: 'x', headers: { origin, 'content-type': 'text/plain' } });
      expect(res.status(), origin).toBe(403);
      expect((await res.json()).message, origin).toMatch(/^Cross-site request refused: the request came from a page without a usable origin \(Origin: .+\)\. Send it from Berth's own pages\.$/);
    }
    await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'origin.txt' }))).rejects.toMatchObject({ name: 'NotFound' });
  });
});

test('a signed-out browser opening a download link signs in and lands on the object’s folder', async ({ page }) => {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'docs/readme.txt', Body: 'hello' }));
  await page.goto(`/s3/${BUCKET}/object?key=docs%2Freadme.txt`);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(new RegExp(`/s3/${BUCKET}\\?prefix=docs%2F$`));
  await expect(page.getByTestId('objects')).toContainText('readme.txt');
});

test.describe('with the read-only key', () => {
  test.use({ baseURL: `http://localhost:${SSO_CONSOLE_PORT}` });

  test('an upload S3 refuses names the missing s3:PutObject, small or over 10 MB', async ({ page }) => {
    test.setTimeout(180_000);
    await signInAsSsoAdmin(page);
    await page.goto(`/s3/${BUCKET}`);
    const small = bigFile('small.bin', 64 * 1024);
    const large = bigFile('large.bin', 12 * MiB);
    await page.getByLabel('Upload files').setInputFiles([small.path, large.path]);
    const sentence = "Berth's AWS identity is not allowed to call s3:PutObject. Add s3:PutObject to the IAM policy attached to the identity Berth runs as, then try again.";
    await expect(page.getByTestId('upload-status')).toHaveText([sentence, sentence], { timeout: 120_000 });
    await shotLightAndDark(page, 's3-upload-refused-admin');
    expect(await unfinished('')).toEqual([]);
  });
});
