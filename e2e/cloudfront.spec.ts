import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateDistributionCommand,
  GetDistributionConfigCommand,
  ListCloudFrontOriginAccessIdentitiesCommand,
  ListDistributionsCommand,
  ListOriginAccessControlsCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutBucketPolicyCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { ListWebACLsCommand } from '@aws-sdk/client-wafv2';
import { expect, test, type Page } from '@playwright/test';
import { SSO_CONSOLE_PORT } from '../playwright.config';
import { actionId, postAction } from './support/actions';
import { cloudfront, EMULATOR_URL, s3, waf } from './support/emulator';
import { shot } from './support/shots';
import { ADMIN_STATE, signInAsSsoAdmin, VIEWER_STATE } from './support/users';

// The CloudFront journeys: the static-site flow from an empty account to a page
// served through CloudFront (and only through it), an invalidation, the
// security check, settings with a concurrent change, the create form's
// double submit, the guided delete with its cleanup, and the teardown.

const STAMP = Date.now().toString(36);
const SITE = `site-${STAMP}`;
const FORM_BUCKET = `cf-form-${STAMP}`;

async function distributionsFor(bucket: string) {
  const out = await cloudfront.send(new ListDistributionsCommand({}));
  return (out.DistributionList?.Items ?? []).filter((d) => d.Origins?.Items?.some((o) => o.DomainName?.startsWith(`${bucket}.s3.`)));
}

/** What a first-time visitor's browser gets (a fresh context: nothing cached in the browser). */
async function siteText(page: Page, url: string): Promise<string> {
  const context = await page.context().browser()!.newContext();
  try {
    const res = await (await context.newPage()).goto(url);
    return `${res?.status()} ${await res?.text()}`;
  } finally {
    await context.close();
  }
}

test.describe.serial('an admin runs a static site', () => {
  test.use({ storageState: ADMIN_STATE });
  let distributionId = '';
  let siteUrl = '';

  test('bucket, upload, distribution, Deployed, open: served by CloudFront and refused directly', async ({ page }) => {
    await page.goto('/cloudfront');
    await page.getByRole('link', { name: 'Static site' }).click();
    await page.getByLabel('Bucket name').fill(SITE);
    await page.getByRole('button', { name: 'Create the bucket' }).click();
    await expect(page).toHaveURL(new RegExp(`bucket=${SITE}`));
    await expect(page.getByTestId('site-step-1')).toHaveAttribute('data-state', 'done');

    // A build folder: its contents go to the top of the bucket.
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dist-'));
    fs.mkdirSync(path.join(dist, 'css'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<link rel="stylesheet" href="css/site.css"><h1>first edition</h1>');
    fs.writeFileSync(path.join(dist, 'css', 'site.css'), 'h1 { color: teal; }');
    await page.getByLabel('Upload folder').setInputFiles(dist);
    await expect(page.getByTestId('upload-status')).toHaveText(['Uploaded', 'Uploaded']);
    await expect(page.getByTestId('site-step-2')).toHaveAttribute('data-state', 'done');
    await s3.send(new HeadObjectCommand({ Bucket: SITE, Key: 'css/site.css' }));

    await page.getByTestId('site-distribution-form').getByRole('button', { name: 'Create the distribution' }).click();
    await expect(page.getByTestId('site-step-3')).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('site-step-4')).toHaveAttribute('data-state', 'waiting');
    await shot(page, 'cloudfront-site-deploying-admin-light', { fullPage: true });
    // InProgress turns into Deployed without a reload.
    await expect(page.getByTestId('site-step-5')).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
    siteUrl = (await page.getByTestId('site-url').getAttribute('href')) ?? '';
    await shot(page, 'cloudfront-site-admin-light', { fullPage: true });

    const [d] = await distributionsFor(SITE);
    distributionId = d!.Id!;
    expect(d!.WebACLId).toContain(':global/webacl/');

    const visitor = await page.context().browser()!.newPage();
    await visitor.goto(siteUrl);
    await expect(visitor.getByRole('heading', { name: 'first edition' })).toBeVisible();
    await visitor.close();
    // The same object straight from the bucket, anonymously: refused.
    const direct = await fetch(`${EMULATOR_URL}/${SITE}/index.html`);
    expect(direct.status).toBe(403);
  });

  test('a new version shows only after invalidating /index.html', async ({ page }) => {
    await s3.send(new PutObjectCommand({ Bucket: SITE, Key: 'index.html', Body: '<h1>second edition</h1>', ContentType: 'text/html' }));
    expect(await siteText(page, siteUrl)).toContain('first edition');

    await page.goto(`/cloudfront/${distributionId}?tab=invalidations`);
    await page.getByLabel('Paths to invalidate').fill('index.html');
    await expect(page.getByText('“index.html” must start with “/”.')).toBeVisible();
    await page.getByLabel('Paths to invalidate').fill('/index.html');
    await page.getByRole('button', { name: 'Invalidate 1 path' }).click();
    await expect(page.getByText(/Invalidation \w+ started for 1 path/)).toBeVisible();
    await expect(page.getByTestId('invalidations').getByRole('row')).toHaveCount(1);
    await expect(page.getByTestId('invalidations')).toContainText('Completed', { timeout: 20_000 });
    await shot(page, 'cloudfront-invalidations-admin-light');
    expect(await siteText(page, siteUrl)).toContain('second edition');
  });

  test('the security check passes, and a viewer can read it', async ({ page }) => {
    await page.goto(`/cloudfront/${distributionId}`);
    const check = page.getByTestId('security-check');
    for (const f of ['bucket-private', 'only-this-distribution', 'https', 'default-root-object', 'waf']) {
      await expect(check.getByTestId(`finding-${f}`)).toHaveAttribute('data-ok', 'true');
    }
    await shot(page, 'cloudfront-distribution-admin-light', { fullPage: true });
  });

  test('settings refuse a bad root object, and a concurrent change is explained, not overwritten', async ({ page }) => {
    await page.goto(`/cloudfront/${distributionId}?tab=settings`);
    const form = page.getByTestId('settings-form');
    await form.getByLabel('Default root object').fill('/index.html');
    await expect(form.getByText('Leave out the leading “/”: write index.html, not /index.html.')).toBeVisible();
    await expect(form.getByRole('button', { name: 'Save settings' })).toBeDisabled();
    await form.getByLabel('Default root object').fill('index.html');

    // Someone else changes the distribution after the form was loaded.
    const current = await cloudfront.send(new GetDistributionConfigCommand({ Id: distributionId }));
    await cloudfront.send(new UpdateDistributionCommand({ Id: distributionId, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, Comment: 'changed elsewhere' } }));

    await form.getByLabel('Comment').fill('mine');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(form.getByText(/changed since this page was loaded/)).toBeVisible();
    await expect(form.getByRole('link', { name: 'Reload the current settings' })).toBeVisible();
    const after = await cloudfront.send(new GetDistributionConfigCommand({ Id: distributionId }));
    expect(after.DistributionConfig!.Comment).toBe('changed elsewhere');

    await form.getByRole('link', { name: 'Reload the current settings' }).click();
    await expect(page.getByTestId('settings-form').getByLabel('Comment')).toHaveValue('changed elsewhere');
  });

  test('tears the site down in order and leaves nothing behind', async ({ page }) => {
    await page.goto(`/cloudfront/-/site?bucket=${SITE}`);
    // What will go is shown before anyone confirms.
    const census = page.getByTestId('teardown-census');
    await expect(census).toContainText(`distribution ${distributionId}`);
    await expect(census).toContainText('2 objects, 3 versions and markers in all, and the bucket');
    await page.getByLabel(`Type ${SITE} to confirm`).fill(SITE);
    await page.getByRole('button', { name: 'Tear down the site' }).click();
    await expect(page.getByText('The site is gone')).toBeVisible({ timeout: 40_000 });
    const log = page.getByTestId('teardown-log');
    await expect(log).toContainText(`Disabled ${distributionId}`);
    await expect(log).toContainText(`Deleted the distribution ${distributionId}`);
    await expect(log).toContainText(`Deleted the bucket ${SITE}`);
    await shot(page, 'cloudfront-teardown-admin-light', { fullPage: true });

    expect(await distributionsFor(SITE)).toEqual([]);
    const oacs = await cloudfront.send(new ListOriginAccessControlsCommand({}));
    expect((oacs.OriginAccessControlList?.Items ?? []).map((o) => o.Name)).not.toContain(`berth-${SITE}`);
    const acls = await waf.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT' }));
    expect((acls.WebACLs ?? []).map((a) => a.Name)).not.toContain(`berth-${SITE}-core`);
    await expect(s3.send(new HeadBucketCommand({ Bucket: SITE }))).rejects.toThrow();
  });
});

test.describe.serial('the create form and the guided delete', () => {
  test.use({ storageState: ADMIN_STATE });
  let id = '';

  test.beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: FORM_BUCKET }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: FORM_BUCKET,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          // A grant to the account, not a deny of plain HTTP: the emulator authorizes as AWS does, and Berth talks HTTP to it.
          Statement: [{ Sid: 'ExistingGrant', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${FORM_BUCKET}/*` }],
        }),
      }),
    );
  });

  test('shows the policy diff, and a double submit makes one distribution', async ({ page }) => {
    await page.goto('/cloudfront/-/new');
    await page.getByLabel('S3 bucket').selectOption(FORM_BUCKET);
    await expect(page).toHaveURL(new RegExp(`bucket=${FORM_BUCKET}`));
    const diff = page.getByTestId('policy-diff');
    await expect(diff).toContainText('+     "Sid": "BerthCloudFrontNEW"');
    // The existing statement stays, folded away as unchanged.
    await expect(diff).toContainText(/⋯ \d+ unchanged lines/);
    await page.getByLabel('Default root object').fill('/index.html');
    await expect(page.getByText('Leave out the leading “/”')).toBeVisible();
    await page.getByLabel('Default root object').fill('index.html');
    await page.getByLabel('Comment').fill(`form ${STAMP}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'cloudfront-create-admin-light', { fullPage: true });

    const ref = await page.locator('input[name=callerReference]').inputValue();
    await page.evaluate(() => {
      const form = document.querySelector<HTMLFormElement>('[data-testid=create-distribution-form]')!;
      form.requestSubmit();
      form.requestSubmit();
    });
    await expect(page).toHaveURL(/\/cloudfront\/E[A-Z0-9]+\?created=1/);
    const mine = await distributionsFor(FORM_BUCKET);
    expect(mine).toHaveLength(1);
    id = mine[0]!.Id!;
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: FORM_BUCKET }))).Policy!);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['ExistingGrant', `BerthCloudFront${id}`]);

    // A retry of the same form (same CallerReference) lands on the same distribution.
    const again = await postAction(page.request, '/cloudfront/-/new', actionId('app/(console)/cloudfront/-/new/actions.ts', 'createDistributionAction'), {
      callerReference: ref,
      bucket: FORM_BUCKET,
      originAccess: 'oac',
      defaultRootObject: 'index.html',
      viewerProtocolPolicy: 'redirect-to-https',
      priceClass: 'PriceClass_100',
      comment: `form ${STAMP}`,
      tags: '[]',
      waf: 'off',
    });
    expect(again.headers()['x-action-redirect'] ?? '').toContain(`/cloudfront/${id}`);
    expect(await distributionsFor(FORM_BUCKET)).toHaveLength(1);
  });

  test('delete is refused while enabled; the guided flow disables, waits, survives a reload, deletes and cleans up', async ({ page }) => {
    await page.goto(`/cloudfront/${id}?tab=delete`);
    const early = await postAction(page.request, `/cloudfront/${id}`, actionId('app/(console)/cloudfront/[id]/actions.ts', 'deleteDistributionAction'), { id, confirm: id });
    expect(await early.text()).toContain('Disable the distribution first');

    await page.getByRole('button', { name: 'Disable distribution' }).click();
    await expect(page.getByTestId('waiting-for-deploy')).toBeVisible();
    await page.reload();
    await expect(page.getByLabel(`Type ${id} to confirm`)).toBeVisible({ timeout: 20_000 });
    await shot(page, 'cloudfront-delete-admin-light');
    await page.getByLabel(`Type ${id} to confirm`).fill(id);
    await page.getByRole('button', { name: 'Delete distribution' }).click();

    await expect(page).toHaveURL(/\/cloudfront\/-\/cleanup/);
    const cleanup = page.getByTestId('cleanup');
    await cleanup.getByRole('button', { name: 'Remove the statement' }).click();
    await expect(cleanup.getByText('Done: the policy no longer mentions this distribution.')).toBeVisible();
    await cleanup.getByRole('button', { name: 'Delete the origin access control' }).click();
    await expect(cleanup.getByText('Done: this origin access control no longer exists.')).toBeVisible();
    await shot(page, 'cloudfront-cleanup-admin-light');

    expect(await distributionsFor(FORM_BUCKET)).toEqual([]);
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: FORM_BUCKET }))).Policy!);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['ExistingGrant']);
  });
});

test.describe.serial('the guided delete of an OAI distribution with a new web ACL', () => {
  test.use({ storageState: ADMIN_STATE });
  const bucket = `cf-oai-${STAMP}`;
  let id = '';

  test.beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  test('cleanup offers the statement, the legacy OAI and Berth’s web ACL, and leaves none of them', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(`/cloudfront/-/new?bucket=${bucket}`);
    await page.getByText('Origin Access Identity (legacy)').click();
    await page.getByText('Create one with core protections').click();
    await page.getByRole('button', { name: 'Create distribution' }).click();
    await expect(page).toHaveURL(/\/cloudfront\/E[A-Z0-9]+\?created=1/, { timeout: 20_000 });
    id = /\/cloudfront\/(E[A-Z0-9]+)/.exec(page.url())![1]!;
    const config = await cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
    const oaiId = config.DistributionConfig!.Origins!.Items![0]!.S3OriginConfig!.OriginAccessIdentity!.split('/').pop()!;
    expect(oaiId).toMatch(/^E/);
    expect(config.DistributionConfig!.WebACLId).toContain(`/webacl/berth-${bucket}-core/`);

    await page.goto(`/cloudfront/${id}?tab=delete`);
    await page.getByRole('button', { name: 'Disable distribution' }).click();
    await expect(page.getByLabel(`Type ${id} to confirm`)).toBeVisible({ timeout: 30_000 });
    await page.getByLabel(`Type ${id} to confirm`).fill(id);
    await page.getByRole('button', { name: 'Delete distribution' }).click();
    await expect(page).toHaveURL(/\/cloudfront\/-\/cleanup/);

    const cleanup = page.getByTestId('cleanup');
    await expect(cleanup.getByTestId('cleanup-webAcl')).toContainText('about $5 a month');
    await cleanup.getByRole('button', { name: 'Remove the statement' }).click();
    await expect(cleanup.getByText('Done: the policy no longer mentions this distribution.')).toBeVisible();
    await cleanup.getByRole('button', { name: 'Delete the origin access identity' }).click();
    await expect(cleanup.getByText('Done: this origin access identity no longer exists.')).toBeVisible();
    await cleanup.getByRole('button', { name: 'Delete the web ACL' }).click();
    await expect(cleanup.getByText('Done: this web ACL no longer exists.')).toBeVisible();

    const oais = await cloudfront.send(new ListCloudFrontOriginAccessIdentitiesCommand({}));
    expect((oais.CloudFrontOriginAccessIdentityList?.Items ?? []).map((o) => o.Id)).not.toContain(oaiId);
    const acls = await waf.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT' }));
    expect((acls.WebACLs ?? []).map((a) => a.Name)).not.toContain(`berth-${bucket}-core`);
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).rejects.toThrow();
  });
});

test.describe.serial('Berth never takes over a bucket it did not create', () => {
  test.use({ storageState: ADMIN_STATE });
  const bucket = `theirs-${STAMP}`;
  const open = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };

  test.beforeAll(async () => {
    // Someone's public website, made outside Berth, in us-east-1 (where S3 answers 200 to creating it again).
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: open }));
    await s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] }) }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'index.html', Body: '<h1>their website</h1>', ContentType: 'text/html' }));
  });

  test('“a new bucket” with an existing bucket’s name is refused, and the bucket and its website are untouched', async ({ page, browser }) => {
    await page.goto('/cloudfront/-/site');
    await page.getByLabel('Bucket name').fill(bucket);
    await page.getByRole('button', { name: 'Create the bucket' }).click();
    await expect(page.getByText(`A bucket named ${bucket} already exists in this account. Berth will not take it over`)).toBeVisible();
    await expect(page).not.toHaveURL(/bucket=/);

    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual(open);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
    await expect(s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).rejects.toThrow();
    const visitor = await browser.newPage();
    const home = await visitor.goto(`http://${bucket}.s3-website-us-east-1.localhost:${new URL(EMULATOR_URL).port}/`);
    expect(home?.status()).toBe(200);
    await expect(visitor.getByRole('heading', { name: 'their website' })).toBeVisible();
    await visitor.close();
  });

  test('a site on it, picked as an existing bucket, tears down without emptying or deleting the bucket, and says why', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/cloudfront/-/site');
    await page.getByText('A bucket I already have').click();
    await page.getByLabel('Bucket', { exact: true }).selectOption(bucket);
    await page.getByRole('button', { name: 'Use this bucket' }).click();
    await expect(page).toHaveURL(new RegExp(`bucket=${bucket}`));
    await page.getByTestId('site-distribution-form').getByText('Off', { exact: true }).click();
    await page.getByTestId('site-distribution-form').getByRole('button', { name: 'Create the distribution' }).click();
    await expect(page.getByTestId('site-step-3')).toHaveAttribute('data-state', 'done');
    const [d] = await distributionsFor(bucket);

    await expect(page.getByTestId('teardown-census')).toContainText(`The bucket ${bucket} stays, with everything in it: Berth did not create it`);
    await page.getByLabel(`Type ${bucket} to confirm`).fill(bucket);
    await page.getByRole('button', { name: 'Tear down the site' }).click();
    await expect(page.getByText('The site’s distribution is gone; the bucket stays, as Berth did not create it.')).toBeVisible({ timeout: 60_000 });
    const log = page.getByTestId('teardown-log');
    await expect(log).toContainText(`Deleted the distribution ${d!.Id}`);
    await expect(log).toContainText(`Kept the bucket ${bucket} and everything in it: Berth did not create it (it has no berth:created-by tag)`);
    expect(await distributionsFor(bucket)).toEqual([]);
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'index.html' }));
  });
});

test.describe('the security check', () => {
  test.use({ storageState: ADMIN_STATE });
  let id = '';

  test.beforeAll(async () => {
    // A distribution made carelessly, straight through the API: no origin
    // access, plain HTTP allowed, no root object, no WAF, a bucket that could go public.
    const bucket = `cf-weak-${STAMP}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
    const made = await cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: `weak-${STAMP}`,
          Comment: 'Weak on purpose',
          Enabled: true,
          DefaultRootObject: '',
          Origins: { Quantity: 1, Items: [{ Id: 's3', DomainName: `${bucket}.s3.us-east-1.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: '' } }] },
          DefaultCacheBehavior: { TargetOriginId: 's3', ViewerProtocolPolicy: 'allow-all', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
        },
      }),
    );
    id = made.Distribution!.Id!;
  });

  test('finds every weakness of a careless distribution and fixes each in one click', async ({ page }) => {
    await page.goto(`/cloudfront/${id}`);
    const check = page.getByTestId('security-check');
    const findings = ['bucket-private', 'only-this-distribution', 'https', 'default-root-object', 'waf'];
    for (const f of findings) await expect(check.getByTestId(`finding-${f}`)).toHaveAttribute('data-ok', 'false');
    await shot(page, 'cloudfront-security-check-admin-light', { fullPage: true });
    const fixes: [string, string][] = [
      ['bucket-private', 'Turn Block Public Access on'],
      ['only-this-distribution', 'Use Origin Access Control'],
      ['https', 'Redirect HTTP to HTTPS'],
      ['default-root-object', 'Serve index.html at /'],
      ['waf', 'Keep it off on purpose'],
    ];
    for (const [f, label] of fixes) {
      await check.getByTestId(`finding-${f}`).getByRole('button', { name: label }).click();
      await expect(check.getByTestId(`finding-${f}`)).toHaveAttribute('data-ok', 'true');
    }
    const config = await cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
    expect(config.DistributionConfig!.Origins!.Items![0]!.OriginAccessControlId).toMatch(/^E/);
    expect(config.DistributionConfig!.DefaultCacheBehavior!.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DistributionConfig!.DefaultRootObject).toBe('index.html');
  });
});

test.describe('a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test.beforeAll(async () => {
    // A distribution of their own to look at, made straight through the API.
    const bucket = `cf-viewer-${STAMP}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: `viewer-${STAMP}`,
          Comment: 'Viewer test',
          Enabled: true,
          DefaultRootObject: 'index.html',
          Origins: { Quantity: 1, Items: [{ Id: 's3', DomainName: `${bucket}.s3.us-east-1.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: '' } }] },
          DefaultCacheBehavior: { TargetOriginId: 's3', ViewerProtocolPolicy: 'allow-all', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
        },
      }),
    );
  });

  test('sees distributions without controls and gets 403 from every CloudFront action', async ({ page }) => {
    await page.goto('/cloudfront');
    await expect(page.getByRole('link', { name: 'Create distribution' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Static site' })).toHaveCount(0);
    const first = page.getByTestId('distributions').getByRole('link').first();
    const href = (await first.getAttribute('href')) ?? '';
    const id = /\/cloudfront\/(E[A-Z0-9]+)/.exec(href)?.[1] ?? 'E0000000000000';
    await first.click();
    await expect(page.getByTestId('security-check')).toBeVisible();
    // Only the copy button: no fixes, no forms.
    await expect(page.getByRole('main').getByRole('button')).toHaveCount(1);
    await expect(page.getByRole('main').getByRole('button')).toHaveAccessibleName('Copy domain');
    await expect(page.getByRole('link', { name: 'Disable and delete' })).toHaveCount(0);
    await page.goto(`/cloudfront/${id}?tab=settings`);
    await expect(page.getByTestId('settings-form')).toHaveCount(0);
    await shot(page, 'cloudfront-distribution-viewer-light', { fullPage: true });

    // The admin-only pages refuse a viewer who types their address. (The page
    // streams behind the section's loading skeleton, so the refusal is the
    // page's content; the HTTP status was already sent as 200.)
    for (const adminPage of ['/cloudfront/-/new', '/cloudfront/-/site', `/cloudfront/-/site?bucket=berth-demo-site`, '/cloudfront/-/cleanup?deleted=E1&bucket=berth-demo-site']) {
      await page.goto(adminPage);
      await expect(page.getByRole('heading', { name: 'You need the admin role for this' }), adminPage).toBeVisible();
      await expect(page.getByRole('main').getByRole('button')).toHaveCount(0);
      await expect(page.getByRole('main').getByRole('textbox')).toHaveCount(0);
    }

    const before = await cloudfront.send(new ListDistributionsCommand({}));
    const file = 'app/(console)/cloudfront/[id]/actions.ts';
    const calls: [string, string, string, Record<string, unknown>][] = [
      [`/cloudfront/${id}`, file, 'updateDistributionSettingsAction', { id, etag: 'x', comment: 'x', defaultRootObject: '', viewerProtocolPolicy: 'allow-all', priceClass: 'PriceClass_All', waf: 'off' }],
      [`/cloudfront/${id}`, file, 'createInvalidationAction', { id, callerReference: crypto.randomUUID(), paths: '/*' }],
      [`/cloudfront/${id}`, file, 'setDistributionEnabledAction', { id, enabled: 'false' }],
      [`/cloudfront/${id}`, file, 'deleteDistributionAction', { id, confirm: id }],
      [`/cloudfront/${id}`, file, 'fixFindingAction', { id, fix: 'waf-off-by-choice' }],
      ['/cloudfront/-/new', 'app/(console)/cloudfront/-/new/actions.ts', 'createDistributionAction', { callerReference: crypto.randomUUID(), bucket: 'berth-demo-assets', originAccess: 'oac', defaultRootObject: 'index.html', viewerProtocolPolicy: 'redirect-to-https', priceClass: 'PriceClass_100', comment: '', tags: '[]', waf: 'off' }],
      ['/cloudfront/-/cleanup', 'app/(console)/cloudfront/-/cleanup/actions.ts', 'revokeBucketReadAction', { bucket: 'berth-demo-assets' }],
      ['/cloudfront/-/cleanup', 'app/(console)/cloudfront/-/cleanup/actions.ts', 'deleteOriginAccessControlAction', { oacId: 'E0000000000000' }],
      ['/cloudfront/-/site', 'app/(console)/cloudfront/-/site/actions.ts', 'siteBucketAction', { source: 'new', name: 'viewer-site', region: 'us-east-1', versioning: 'on' }],
      ['/cloudfront/-/site', 'app/(console)/cloudfront/-/site/actions.ts', 'siteDistributionAction', { bucket: 'berth-demo-assets', callerReference: crypto.randomUUID(), waf: 'off' }],
      ['/cloudfront/-/site', 'app/(console)/cloudfront/-/site/actions.ts', 'teardownStepAction', { bucket: 'berth-demo-assets', confirm: 'berth-demo-assets' }],
    ];
    for (const [pagePath, f, name, input] of calls) {
      const res = await postAction(page.request, pagePath, actionId(f, name), input);
      expect(res.status(), name).toBe(403);
    }
    const after = await cloudfront.send(new ListDistributionsCommand({}));
    expect(after.DistributionList?.Items?.map((d) => [d.Id, d.ETag])).toEqual(before.DistributionList?.Items?.map((d) => [d.Id, d.ETag]));
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'viewer-site' }))).rejects.toThrow();
  });
});

test.describe('with the read-only key', () => {
  test.use({ baseURL: `http://localhost:${SSO_CONSOLE_PORT}` });

  test('creating a distribution names the CloudFront permission Berth lacks', async ({ page }) => {
    await signInAsSsoAdmin(page);
    const before = await cloudfront.send(new ListDistributionsCommand({}));
    await page.goto('/cloudfront/-/new?bucket=berth-demo-logs');
    await page.getByRole('button', { name: 'Create distribution' }).click();
    await expect(page.getByText(/Berth's AWS identity is not allowed to call cloudfront:\w+/)).toBeVisible();
    const after = await cloudfront.send(new ListDistributionsCommand({}));
    expect(after.DistributionList?.Quantity).toBe(before.DistributionList?.Quantity);
  });
});
