import { CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateRepositoryCommand, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import { edgeGet, s3Config } from '../emulator/test-support/cloudfront';
import { cloudfront, ecr, EMULATOR_URL, s3, skopeo } from './support/emulator';
import { makeOciLayout } from './support/oci';
import { VIEWER_STATE } from './support/users';

// The CloudWatch charts on the three pages people look at, from what the
// e2e emulator really served: registry pulls, edge requests, bucket storage.

test.use({ storageState: VIEWER_STATE });

const suffix = Date.now().toString(36);

test('a repository’s Monitoring tab charts its pulls, over a range kept in the URL', async ({ page }) => {
  const repo = `monitoring/app-${suffix}`;
  await ecr.send(new CreateRepositoryCommand({ repositoryName: repo }));
  const token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
  const password = Buffer.from(token, 'base64').toString('utf8').slice('AWS:'.length);
  const registry = new URL(EMULATOR_URL).host;
  const layout = makeOciLayout('v1', 20_000);
  skopeo(['copy', '--dest-creds', `AWS:${password}`, '--dest-tls-verify=false', `oci:${layout.dir}:v1`, `docker://${registry}/${repo}:v1`]);
  // Three pulls by a real registry client.
  for (let i = 0; i < 3; i++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-pull-'));
    skopeo(['copy', '--src-creds', `AWS:${password}`, '--src-tls-verify=false', `docker://${registry}/${repo}:v1`, `oci:${out}:v1`]);
    fs.rmSync(out, { recursive: true, force: true });
  }

  await page.goto(`/ecr/${repo}`);
  await page.getByRole('link', { name: 'Monitoring' }).click();
  await expect(page).toHaveURL(/tab=monitoring/);
  const card = page.getByTestId('repository-monitoring');
  await expect(card).toContainText('3 in this period');
  const chart = page.getByTestId('chart-pulls');
  await expect(chart.getByRole('img', { name: `Pulls of ${repo}` })).toBeVisible();
  // The same numbers as a table, for screen readers and copying.
  await chart.getByText('Show as table').click();
  await expect(chart.getByRole('table')).toContainText('3');

  await page.getByRole('navigation', { name: 'Time range' }).getByRole('link', { name: '7 days' }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByRole('navigation', { name: 'Time range' }).getByRole('link', { name: '7 days' })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('repository-monitoring')).toContainText('3 in this period · 1-hour sums');
});

test('a distribution’s Monitoring tab charts requests, bytes and error rates', async ({ page }) => {
  const bucket = `monitoring-site-${suffix}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'index.html', Body: '<h1>hello</h1>', ContentType: 'text/html' }));
  const d = (await cloudfront.send(new CreateDistributionCommand({ DistributionConfig: s3Config(bucket) }))).Distribution!;
  const answers = [await edgeGet(EMULATOR_URL, d.DomainName!, '/'), await edgeGet(EMULATOR_URL, d.DomainName!, '/a'), await edgeGet(EMULATOR_URL, d.DomainName!, '/b')];
  expect(answers.some((r) => r.status >= 400 && r.status < 500)).toBe(true);

  await page.goto(`/cloudfront/${d.Id}?tab=monitoring`);
  const panel = page.getByTestId('distribution-monitoring');
  await expect(panel).toContainText('3 in this period');
  await expect(panel.getByRole('img', { name: 'Requests' })).toBeVisible();
  await expect(panel.getByRole('img', { name: 'Bytes downloaded and uploaded' })).toBeVisible();
  const errors = page.getByTestId('chart-errors');
  await expect(errors.getByRole('img', { name: '4xx and 5xx error rates' })).toBeVisible();
  await errors.getByText('Show as table').click();
  await expect(errors.getByRole('columnheader', { name: '4xx error rate' })).toBeVisible();
  await expect(errors.getByRole('table')).toContainText('%');
});

test('a bucket’s Storage and cost tab charts size by storage type and says how its figures were found', async ({ page }) => {
  const bucket = `monitoring-store-${suffix}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.bin', Body: Buffer.alloc(4096) }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'b.bin', Body: Buffer.alloc(2048), StorageClass: 'STANDARD_IA' }));

  await page.goto(`/s3/${bucket}?tab=storage&range=30d`);
  // A small bucket is counted exactly by listing; the page says so.
  await expect(page.getByTestId('storage-method')).toContainText('Counted by listing every object version');
  const charts = page.getByTestId('storage-charts');
  await expect(charts.getByRole('img', { name: 'Size by storage type' })).toBeVisible();
  await charts.getByTestId('chart-size').getByText('Show as table').click();
  await expect(charts.getByTestId('chart-size').getByRole('columnheader', { name: 'StandardStorage' })).toBeVisible();
  await expect(charts.getByTestId('chart-size').getByRole('columnheader', { name: 'StandardIAStorage' })).toBeVisible();
  await expect(charts.getByTestId('chart-size').getByRole('table')).toContainText('4.0 KB');
  await charts.getByTestId('chart-objects').getByText('Show as table').click();
  await expect(charts.getByTestId('chart-objects').getByRole('table')).toContainText('2');
});
