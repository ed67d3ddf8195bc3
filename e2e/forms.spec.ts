import {
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  ListInvalidationsCommand,
} from '@aws-sdk/client-cloudfront';
import { DescribeRepositoriesCommand, CreateRepositoryCommand, GetLifecyclePolicyCommand, GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { cloudfront, ecr, EMULATOR_URL, s3 } from './support/emulator';
import { shot, shotLightAndDark } from './support/shots';
import { ADMIN, ADMIN_STATE } from './support/users';

// Every create and settings form, the same way: a submit that is refused, every
// field still holding what the person entered, the fixed submit, and exactly
// one resource with those values. React 19 resets a form after its action
// settles, refusals included; these would fail on a form that lets it.
//
// A refusal comes from Berth's own checks where the form has one the browser
// lets through, otherwise from the emulator failing the AWS call the form makes
// (a 400, so the SDK does not retry it).

const STAMP = Date.now().toString(36);

async function fail(service: string, ...operations: string[]) {
  const res = await fetch(`${EMULATOR_URL}/_emulator/faults`, {
    method: 'PUT',
    body: JSON.stringify(operations.map((operation) => ({ service, operation, kind: 'error', rate: 1, status: 400 }))),
  });
  expect(res.ok).toBe(true);
}

async function heal() {
  await fetch(`${EMULATOR_URL}/_emulator/faults`, { method: 'DELETE' });
}

/** The form's refusal. */
function outcome(form: Locator) {
  return form.getByRole('alert');
}

async function shoot(page: Page, name: string) {
  await shotLightAndDark(page, `forms-${name}`, { fullPage: true });
}

test.use({ storageState: ADMIN_STATE });
test.afterEach(heal);

test.describe('create forms', () => {
  test('create bucket: a refused submit keeps name, region, versioning and Block Public Access', async ({ page }) => {
    const name = `forms-bucket-${STAMP}`;
    await page.goto('/s3/-/new');
    const form = page.getByTestId('create-bucket-form');
    await form.getByLabel('Bucket name').fill(name);
    await form.getByLabel('Region').selectOption('eu-west-1');
    await form.getByLabel(/Versioning/).check();
    await form.getByLabel(/Block all public access/).uncheck();

    await fail('s3', 'CreateBucket');
    await form.getByRole('button', { name: 'Create bucket' }).click();
    await expect(outcome(form)).toBeVisible();
    await shoot(page, 'create-bucket-refused');
    await expect(form.getByLabel('Bucket name')).toHaveValue(name);
    await expect(form.getByLabel('Region')).toHaveValue('eu-west-1');
    await expect(form.getByLabel(/Versioning/)).toBeChecked();
    await expect(form.getByLabel(/Block all public access/)).not.toBeChecked();
    await expect(s3.send(new HeadBucketCommand({ Bucket: name }))).rejects.toThrow();

    await heal();
    await form.getByRole('button', { name: 'Create bucket' }).click();
    await expect(page).toHaveURL(new RegExp(`/s3/${name}\\?region=eu-west-1`));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint).toBe('eu-west-1');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status).toBe('Enabled');
    const bpa = await s3.send(new GetPublicAccessBlockCommand({ Bucket: name })).then(
      (r) => r.PublicAccessBlockConfiguration,
      () => null,
    );
    expect(bpa?.BlockPublicPolicy ?? false).toBe(false);
  });

  test('create repository: a refused submit keeps name, mutability, scan on push, encryption and key', async ({ page }) => {
    const name = `forms/repo-${STAMP}`;
    await page.goto('/ecr/-/new');
    const form = page.getByTestId('create-repository-form');
    await form.getByLabel('Repository name').fill(name);
    await form.getByText('Immutable', { exact: true }).click();
    await form.getByLabel(/Scan on push/).check();
    await form.getByText('AWS KMS', { exact: true }).click();
    await form.getByLabel('KMS key (optional)').fill('my key');

    await form.getByRole('button', { name: 'Create repository' }).click();
    await expect(form.getByText('Give a KMS key ARN, key id or alias (alias/name).')).toBeVisible();
    await expect(outcome(form)).toBeVisible();
    await expect(form.getByLabel('Repository name')).toHaveValue(name);
    await expect(form.getByRole('radio', { name: /Immutable/ })).toBeChecked();
    await expect(form.getByLabel(/Scan on push/)).toBeChecked();
    await expect(form.getByRole('radio', { name: /AWS KMS/ })).toBeChecked();
    await expect(form.getByLabel('KMS key (optional)')).toHaveValue('my key');

    await form.getByLabel('KMS key (optional)').fill('alias/forms-key');
    await form.getByRole('button', { name: 'Create repository' }).click();
    await expect(page).toHaveURL(new RegExp(`/ecr/${name}\\?region=us-east-1$`));
    const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    expect(out.repositories).toHaveLength(1);
    expect(out.repositories![0]).toMatchObject({
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/forms-key' },
    });
  });

  test('add user: a refused submit keeps email, name, role and password', async ({ page }) => {
    const email = `forms-${STAMP}@berth.local`;
    await page.goto('/settings/users');
    const form = page.getByTestId('user-form');
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Name').fill('Form Person');
    await form.getByLabel('Role').selectOption('admin');
    await form.getByLabel('Password').fill('too-short');

    await form.getByRole('button', { name: 'Save user' }).click();
    await expect(form.getByText('Use at least 12 characters.')).toBeVisible();
    await expect(form.getByLabel('Email')).toHaveValue(email);
    await expect(form.getByLabel('Name')).toHaveValue('Form Person');
    await expect(form.getByLabel('Role')).toHaveValue('admin');
    await expect(form.getByLabel('Password')).toHaveValue('too-short');
    await expect(page.getByTestId('users-table').getByRole('row', { name: new RegExp(email) })).toHaveCount(0);

    await form.getByLabel('Password').fill('long-enough-password');
    await form.getByRole('button', { name: 'Save user' }).click();
    await expect(outcome(form)).toHaveCount(0);
    await expect(form.getByText(`Added ${email} as admin.`)).toBeVisible();
    // Saved, so the form is ready for the next person.
    await expect(form.getByLabel('Email')).toHaveValue('');
    const rows = page.getByTestId('users-table').getByRole('row', { name: new RegExp(email) });
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText('admin');
  });
});

test.describe.serial('CloudFront forms', () => {
  const bucket = `forms-cf-${STAMP}`;
  const other = `forms-cf-other-${STAMP}`;
  const comment = `forms ${STAMP}`;
  let id = '';

  async function mine() {
    const out = await cloudfront.send(new ListDistributionsCommand({}));
    return (out.DistributionList?.Items ?? []).filter((d) => d.Comment === comment);
  }

  test.beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new CreateBucketCommand({ Bucket: other }));
  });

  test('create distribution: a partial failure keeps every field and the key; re-picking the bucket and resubmitting makes one', async ({ page }) => {
    await page.goto('/cloudfront/-/new');
    const form = page.getByTestId('create-distribution-form');
    await form.getByLabel('S3 bucket').selectOption(bucket);
    await expect(page).toHaveURL(new RegExp(`bucket=${bucket}`));
    await expect(form.getByTestId('policy-diff')).toBeVisible();
    await form.getByLabel('Default root object').fill('home.html');
    await form.getByLabel('Viewer protocol policy').selectOption('https-only');
    await form.getByLabel('Price class').selectOption('PriceClass_All');
    await form.getByLabel('Comment').fill(comment);
    await form.getByRole('button', { name: 'Add tag' }).click();
    await form.getByLabel('Tag 1 key').fill('team');
    await form.getByLabel('Tag 1 value').fill('forms');
    const key = await form.locator('input[name=callerReference]').inputValue();

    // The distribution is made, then writing the bucket policy fails.
    await fail('s3', 'PutBucketPolicy');
    await form.getByRole('button', { name: 'Create distribution' }).click();
    await expect(outcome(form)).toContainText('but writing the bucket policy failed');
    await expect(page).toHaveURL(/\/cloudfront\/-\/new/);
    await shoot(page, 'create-distribution-refused');
    expect(await mine()).toHaveLength(1);

    const kept = async () => {
      await expect(form.getByLabel('S3 bucket')).toHaveValue(bucket);
      await expect(form.getByLabel('Default root object')).toHaveValue('home.html');
      await expect(form.getByLabel('Viewer protocol policy')).toHaveValue('https-only');
      await expect(form.getByLabel('Price class')).toHaveValue('PriceClass_All');
      await expect(form.getByLabel('Comment')).toHaveValue(comment);
      await expect(form.getByLabel('Tag 1 key')).toHaveValue('team');
      await expect(form.getByLabel('Tag 1 value')).toHaveValue('forms');
      await expect(form.locator('input[name=callerReference]')).toHaveValue(key);
    };
    await kept();

    // Picking another bucket and then this one again re-renders the page (with
    // new keys from the server); the form keeps its key for this bucket.
    await form.getByLabel('S3 bucket').selectOption(other);
    await expect(page).toHaveURL(new RegExp(`bucket=${other}`));
    await expect(form.locator('input[name=callerReference]')).not.toHaveValue(key);
    await form.getByLabel('S3 bucket').selectOption(bucket);
    await expect(page).toHaveURL(new RegExp(`bucket=${bucket}`));
    await kept();

    await heal();
    await form.getByRole('button', { name: 'Create distribution' }).click();
    await expect(page).toHaveURL(/\/cloudfront\/E[A-Z0-9]+\?created=1/);
    const made = await mine();
    expect(made).toHaveLength(1);
    id = made[0]!.Id!;
    const config = (await cloudfront.send(new GetDistributionConfigCommand({ Id: id }))).DistributionConfig!;
    expect(config).toMatchObject({ CallerReference: key, DefaultRootObject: 'home.html', PriceClass: 'PriceClass_All', Comment: comment });
    expect(config.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe('https-only');
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([`BerthCloudFront${id}`]);
  });

  test('distribution settings: a refused save keeps every field', async ({ page }) => {
    await page.goto(`/cloudfront/${id}?tab=settings`);
    const form = page.getByTestId('settings-form');
    await form.getByLabel('Comment').fill(`${comment} edited`);
    await form.getByLabel('Default root object').fill('start.html');
    await form.getByLabel('Viewer protocol policy').selectOption('redirect-to-https');
    await form.getByLabel('Price class').selectOption('PriceClass_200');

    await fail('cloudfront', 'UpdateDistribution');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(outcome(form)).toBeVisible();
    await expect(form.getByLabel('Comment')).toHaveValue(`${comment} edited`);
    await expect(form.getByLabel('Default root object')).toHaveValue('start.html');
    await expect(form.getByLabel('Viewer protocol policy')).toHaveValue('redirect-to-https');
    await expect(form.getByLabel('Price class')).toHaveValue('PriceClass_200');
    expect((await cloudfront.send(new GetDistributionConfigCommand({ Id: id }))).DistributionConfig?.Comment).toBe(comment);

    await heal();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(form.getByText('Saved. CloudFront is deploying the change.')).toBeVisible();
    const config = (await cloudfront.send(new GetDistributionConfigCommand({ Id: id }))).DistributionConfig!;
    expect(config).toMatchObject({ Comment: `${comment} edited`, DefaultRootObject: 'start.html', PriceClass: 'PriceClass_200' });
    expect(config.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe('redirect-to-https');
  });

  test('invalidation: a refused submit keeps the paths and the key; the retry makes one invalidation', async ({ page }) => {
    await page.goto(`/cloudfront/${id}?tab=invalidations`);
    const form = page.getByTestId('invalidation-form');
    await form.getByLabel('Paths to invalidate').fill('/home.html\n/css/*');
    const key = await form.locator('input[name=callerReference]').inputValue();

    await fail('cloudfront', 'CreateInvalidation');
    await form.getByRole('button', { name: 'Invalidate 2 paths' }).click();
    await expect(outcome(form)).toBeVisible();
    await expect(form.getByLabel('Paths to invalidate')).toHaveValue('/home.html\n/css/*');
    await expect(form.locator('input[name=callerReference]')).toHaveValue(key);

    await heal();
    await form.getByRole('button', { name: 'Invalidate 2 paths' }).click();
    await expect(form.getByText(/Invalidation \w+ started for 2 paths/)).toBeVisible();
    const list = await cloudfront.send(new ListInvalidationsCommand({ DistributionId: id }));
    expect(list.InvalidationList?.Quantity).toBe(1);
    // A success starts a new intent.
    await expect(form.locator('input[name=callerReference]')).not.toHaveValue(key);
  });
});

test.describe.serial('the static site forms', () => {
  const bucket = `forms-site-${STAMP}`;

  test('site bucket: a refused submit keeps the name, region and versioning', async ({ page }) => {
    await page.goto('/cloudfront/-/site');
    const form = page.getByTestId('site-bucket-form');
    await form.getByLabel('Bucket name').fill(bucket);
    await form.getByLabel('Region').selectOption('eu-central-1');
    await form.getByLabel(/Versioning/).uncheck();

    await fail('s3', 'CreateBucket');
    await form.getByRole('button', { name: 'Create the bucket' }).click();
    await expect(outcome(form)).toBeVisible();
    await expect(form.getByRole('radio', { name: 'A new bucket' })).toBeChecked();
    await expect(form.getByLabel('Bucket name')).toHaveValue(bucket);
    await expect(form.getByLabel('Region')).toHaveValue('eu-central-1');
    await expect(form.getByLabel(/Versioning/)).not.toBeChecked();

    await heal();
    await form.getByRole('button', { name: 'Create the bucket' }).click();
    await expect(page).toHaveURL(new RegExp(`bucket=${bucket}`));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint).toBe('eu-central-1');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status ?? 'Off').not.toBe('Enabled');
  });

  test('site distribution: a refused submit keeps the WAF choice; the retry makes one distribution', async ({ page }) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'index.html', Body: '<h1>forms</h1>', ContentType: 'text/html' }));
    await page.goto(`/cloudfront/-/site?bucket=${bucket}`);
    const form = page.getByTestId('site-distribution-form');
    await form.getByRole('radio', { name: 'Off' }).check();

    await fail('cloudfront', 'CreateDistributionWithTags', 'CreateDistribution');
    await form.getByRole('button', { name: 'Create the distribution' }).click();
    await expect(outcome(form)).toBeVisible();
    await expect(form.getByRole('radio', { name: 'Off' })).toBeChecked();

    await heal();
    await form.getByRole('button', { name: 'Create the distribution' }).click();
    await expect(page.getByTestId('site-step-3')).toHaveAttribute('data-state', 'done');
    const out = await cloudfront.send(new ListDistributionsCommand({}));
    const made = (out.DistributionList?.Items ?? []).filter((d) => d.Origins?.Items?.some((o) => o.DomainName?.startsWith(`${bucket}.s3.`)));
    expect(made).toHaveLength(1);
    expect(made[0]!.WebACLId ?? '').toBe('');
  });
});

test.describe.serial('S3 bucket settings', () => {
  const bucket = `forms-props-${STAMP}`;
  test.beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  test('website: a refused save keeps the switch and both documents', async ({ page }) => {
    await page.goto(`/s3/${bucket}?tab=properties`);
    const form = page.getByTestId('website-form');
    await form.getByLabel('Host a static website from this bucket').check();
    await form.getByLabel('Index document').fill('docs/index.html');
    await form.getByLabel('Error document').fill('missing.html');

    await form.getByRole('button', { name: 'Save website settings' }).click();
    await expect(form.getByText('The index document is a name, not a path (no slash).')).toBeVisible();
    await shoot(page, 'website-refused');
    await expect(form.getByLabel('Host a static website from this bucket')).toBeChecked();
    await expect(form.getByLabel('Index document')).toHaveValue('docs/index.html');
    await expect(form.getByLabel('Error document')).toHaveValue('missing.html');

    await form.getByLabel('Index document').fill('home.html');
    await form.getByRole('button', { name: 'Save website settings' }).click();
    await expect(form.getByText('Static website hosting is on.')).toBeVisible();
    const site = await s3.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
    expect(site.IndexDocument?.Suffix).toBe('home.html');
    expect(site.ErrorDocument?.Key).toBe('missing.html');
  });

  test('Block Public Access: a refused save keeps every box', async ({ page }) => {
    await page.goto(`/s3/${bucket}?tab=properties`);
    const form = page.getByTestId('bpa-form');
    await form.getByLabel('Block new public ACLs').check();
    await form.getByLabel('Ignore existing public ACLs').check();
    await form.getByLabel('Block new public bucket policies').uncheck();
    await form.getByLabel('Restrict access when a public policy exists').check();

    await fail('s3', 'PutPublicAccessBlock');
    await form.getByRole('button', { name: 'Save Block Public Access' }).click();
    await expect(outcome(form)).toBeVisible();
    await expect(form.getByLabel('Block new public ACLs')).toBeChecked();
    await expect(form.getByLabel('Ignore existing public ACLs')).toBeChecked();
    await expect(form.getByLabel('Block new public bucket policies')).not.toBeChecked();
    await expect(form.getByLabel('Restrict access when a public policy exists')).toBeChecked();

    await heal();
    await form.getByRole('button', { name: 'Save Block Public Access' }).click();
    await expect(form.getByText('Block Public Access saved.')).toBeVisible();
    const bpa = (await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration;
    expect(bpa).toMatchObject({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true });
  });

  test('bucket policy: a refused save keeps the text', async ({ page }) => {
    await page.goto(`/s3/${bucket}?tab=properties`);
    const editor = page.getByTestId('bucket-policy-editor');
    // A grant to the account: "Deny non-TLS" would lock Berth out, as it talks plain HTTP to the emulator, which authorizes as AWS does,
    // and the editor says so beside the template.
    await expect(editor.getByRole('button', { name: 'Deny non-TLS' })).toHaveAccessibleDescription(/plain HTTP .*refuses Berth’s own requests/);
    const grant = { Version: '2012-10-17', Statement: [{ Sid: 'AccountReads', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] };
    await editor.getByLabel('Bucket policy (JSON)').fill(JSON.stringify(grant, null, 2));
    const text = await editor.getByLabel('Bucket policy (JSON)').inputValue();

    await fail('s3', 'PutBucketPolicy');
    await editor.getByRole('button', { name: 'Save policy' }).click();
    await expect(outcome(editor)).toBeVisible();
    await expect(editor.getByLabel('Bucket policy (JSON)')).toHaveValue(text);

    await heal();
    await editor.getByRole('button', { name: 'Save policy' }).click();
    await expect(editor.getByText('Bucket policy saved.')).toBeVisible();
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!);
    expect(policy.Statement).toHaveLength(1);
  });

  test('tags: a refused save keeps every key and value', async ({ page }) => {
    await page.goto(`/s3/${bucket}?tab=properties`);
    const form = page.getByTestId('tags-form');
    await form.getByLabel('Tag 1 key').fill('team');
    await form.getByLabel('Tag 1 value').fill('forms');
    await form.getByRole('button', { name: 'Add tag' }).click();
    await form.getByLabel('Tag 2 key').fill('stage');
    await form.getByLabel('Tag 2 value').fill('test');

    await fail('s3', 'PutBucketTagging');
    await form.getByRole('button', { name: 'Save tags' }).click();
    await expect(outcome(form)).toBeVisible();
    await expect(form.getByLabel('Tag 1 key')).toHaveValue('team');
    await expect(form.getByLabel('Tag 1 value')).toHaveValue('forms');
    await expect(form.getByLabel('Tag 2 key')).toHaveValue('stage');
    await expect(form.getByLabel('Tag 2 value')).toHaveValue('test');

    await heal();
    await form.getByRole('button', { name: 'Save tags' }).click();
    await expect(form.getByText(/saved/i)).toBeVisible();
    const tags = (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
    expect(tags.map((t) => `${t.Key}=${t.Value}`).sort()).toEqual(['stage=test', 'team=forms']);
  });
});

test.describe.serial('ECR repository settings', () => {
  const repo = `forms/settings-${STAMP}`;
  test.beforeAll(async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: repo }));
  });

  test('settings: a refused save keeps mutability and scan on push', async ({ page }) => {
    await page.goto(`/ecr/${repo}?tab=settings`);
    const form = page.getByTestId('settings-form');
    await form.getByLabel('Tag mutability').selectOption('IMMUTABLE');
    await form.getByLabel(/Scan images for vulnerabilities/).check();

    await fail('ecr', 'PutImageTagMutability');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(outcome(form)).toBeVisible();
    await expect(form.getByLabel('Tag mutability')).toHaveValue('IMMUTABLE');
    await expect(form.getByLabel(/Scan images for vulnerabilities/)).toBeChecked();

    await heal();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(form.getByText('Settings saved.')).toBeVisible();
    const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repo] }));
    expect(out.repositories![0]).toMatchObject({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
  });

  test('repository policy: a refused save keeps the text', async ({ page }) => {
    await page.goto(`/ecr/${repo}?tab=settings`);
    const editor = page.getByTestId('policy-editor');
    await editor.getByLabel('Account id or principal ARN').fill('210987654321');
    await editor.getByRole('button', { name: 'Add statement' }).click();
    const text = await editor.getByLabel('Repository policy (JSON)').inputValue();

    await fail('ecr', 'SetRepositoryPolicy');
    await editor.getByRole('button', { name: 'Save policy' }).click();
    await expect(outcome(editor)).toBeVisible();
    await expect(editor.getByLabel('Repository policy (JSON)')).toHaveValue(text);

    await heal();
    await editor.getByRole('button', { name: 'Save policy' }).click();
    await expect(editor.getByText('Repository policy saved.')).toBeVisible();
    const saved = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: repo }));
    expect(JSON.parse(saved.policyText!).Statement).toHaveLength(1);
  });

  test('lifecycle policy: a refused save keeps the text', async ({ page }) => {
    await page.goto(`/ecr/${repo}?tab=settings`);
    const editor = page.getByTestId('lifecycle-editor');
    await editor.getByLabel('Images to keep').fill('5');
    await editor.getByRole('button', { name: 'Add' }).first().click();
    const text = await editor.getByLabel('Lifecycle policy (JSON)').inputValue();

    await fail('ecr', 'PutLifecyclePolicy');
    await editor.getByRole('button', { name: 'Save lifecycle policy' }).click();
    await expect(outcome(editor)).toBeVisible();
    await expect(editor.getByLabel('Lifecycle policy (JSON)')).toHaveValue(text);
    await expect(editor.getByLabel('Images to keep')).toHaveValue('5');

    await heal();
    await editor.getByRole('button', { name: 'Save lifecycle policy' }).click();
    await expect(editor.getByText(/Lifecycle policy saved/)).toBeVisible();
    const saved = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: repo }));
    expect(JSON.parse(saved.lifecyclePolicyText!).rules).toHaveLength(1);
  });
});

test('deleting objects: a refused delete keeps the selection and the question; the retry deletes them', async ({ page }) => {
  const bucket = `forms-objects-${STAMP}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const key of ['one.txt', 'two.txt', 'three.txt']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  await page.goto(`/s3/${bucket}`);
  const calls: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.headers()['next-action']) calls.push(r.url());
  });
  await page.getByLabel('Select one.txt').check();
  await page.getByLabel('Select two.txt').check();
  await page.getByRole('button', { name: 'Delete selected' }).click();
  const confirm = page.getByTestId('confirm-delete-objects');

  await fail('s3', 'DeleteObjects');
  await confirm.getByRole('button', { name: 'Delete 2' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toBeVisible();
  await expect(confirm.getByRole('listitem')).toHaveText(['one.txt', 'two.txt']);
  await expect(page.getByLabel('Select one.txt')).toBeChecked();
  await expect(page.getByLabel('Select two.txt')).toBeChecked();
  await expect(page.getByLabel('Select three.txt')).not.toBeChecked();
  // One click, one call (the hook must not leave React to submit it a second time).
  await page.waitForTimeout(1500);
  expect(calls).toHaveLength(1);

  await heal();
  await confirm.getByRole('button', { name: 'Delete 2' }).click();
  await expect(page.getByText('Deleted 2 objects.')).toBeVisible();
  await expect(confirm).toHaveCount(0);
  const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  expect((left.Contents ?? []).map((o) => o.Key)).toEqual(['three.txt']);
});

test('object rows: a key with markup in it is shown as text, and ticks, Clear and a folder work within the page', async ({ page }) => {
  const bucket = `forms-rows-${STAMP}`;
  // No slash in it: a slash would make it a folder in the listing.
  const hostile = `<b>bold<b> & "quoted" 'x' <img src=x onerror="document.title='owned'">.txt`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const key of [hostile, 'plain.txt', 'sub/inner.txt']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  await page.goto(`/s3/${bucket}`);
  const body = page.getByTestId('objects');
  await expect(body.getByRole('row')).toHaveCount(3);
  await expect(body.getByText(hostile, { exact: true })).toBeVisible();
  await expect(body.locator('b, img')).toHaveCount(0);
  expect(await page.title()).not.toBe('owned');

  // Ticks are the table's state: Clear unticks them, and the count follows.
  await page.getByLabel(`Select ${hostile}`).check();
  await page.getByLabel('Select plain.txt').check();
  await expect(page.getByText('2 selected')).toBeVisible();
  await page.getByLabel('Select plain.txt').uncheck();
  await expect(page.getByText('1 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByText(/selected$/)).toHaveCount(0);
  await expect(page.getByLabel(`Select ${hostile}`)).not.toBeChecked();

  // A folder opens without loading the page again.
  await page.evaluate(() => Object.assign(window, { stayedOnPage: true }));
  await body.getByRole('link', { name: 'sub/' }).click();
  await expect(page).toHaveURL(/prefix=sub%2F/);
  await expect(body.getByRole('row')).toHaveCount(1);
  await expect(body).toContainText('inner.txt');
  expect(await page.evaluate(() => (window as { stayedOnPage?: boolean }).stayedOnPage)).toBe(true);
});

test('a table mounted again by a slow refresh still says what was done last', async ({ page }) => {
  const bucket = `forms-slow-list-${STAMP}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'first' }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'second' }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'b.txt', Body: 'only' }));
  await page.goto(`/s3/${bucket}?versions=1`);
  const main = page.getByRole('main');
  const rows = page.getByTestId('objects').getByRole('row');

  // A restore first, from the keyboard: its sentence is the table's until another
  // answer comes, and the button keeps focus although the rows are written anew.
  const restore = page.getByRole('button', { name: /^Restore a\.txt version/ });
  const label = (await restore.getAttribute('aria-label'))!;
  // Enabled once the admin part has loaded (before then the rows' controls are disabled).
  await expect(restore).toBeEnabled();
  await restore.focus();
  await page.keyboard.press('Enter');
  await expect(main.getByText(/^Restored a\.txt/)).toBeVisible();
  await expect(rows.filter({ hasText: 'a.txt' })).toHaveCount(3);
  await expect(page.getByRole('button', { name: label, exact: true })).toBeFocused();

  // The list read after the delete takes 2 s, past the time a page waits before it
  // shows a skeleton: the refreshed list comes as a new table (components/ui/suspense-if-slow.tsx).
  const slow = await fetch(`${EMULATOR_URL}/_emulator/faults`, {
    method: 'PUT',
    body: JSON.stringify([{ service: 's3', operation: 'ListObjectVersions', kind: 'delay', rate: 1, delayMs: 2_000 }]),
  });
  expect(slow.ok).toBe(true);
  await page.getByLabel(/^Select b\.txt version/).check();
  await page.getByRole('button', { name: 'Delete selected' }).click();
  await page.getByTestId('confirm-delete-objects').getByRole('button', { name: 'Delete 1' }).click();
  await expect(main.getByRole('status', { name: 'Loading' })).toBeVisible();
  await expect(rows.filter({ hasText: 'a.txt' })).toHaveCount(3, { timeout: 20_000 });
  await expect(rows.filter({ hasText: 'b.txt' })).toHaveCount(0);
  // The new table shows the delete's answer, the latest, and not the restore's.
  await expect(main.getByText('Deleted 1 version for good.')).toBeVisible();
  await expect(main.getByText(/^Restored a\.txt/)).toHaveCount(0);

  // Away and back within the page: the answer belonged to the visit that got it.
  await heal();
  await page.getByTestId('versions-toggle').click();
  await expect(page).toHaveURL(new RegExp(`/s3/${bucket}$`));
  await expect(rows.filter({ hasText: 'a.txt' })).toHaveCount(1);
  await page.getByTestId('versions-toggle').click();
  await expect(page).toHaveURL(/versions=1$/);
  await expect(rows.filter({ hasText: 'a.txt' })).toHaveCount(3);
  await expect(main.getByText('Deleted 1 version for good.')).toHaveCount(0);
});

test('a guided job survives a dropped call: the log stays, it says what happened, and Resume finishes', async ({ page }) => {
  const bucket = `forms-empty-${STAMP}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'one' }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'two' }));
  // An unfinished upload makes a second step after the versions.
  await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big.bin' }));

  await page.goto(`/s3/${bucket}?tab=delete`);
  const runner = page.getByTestId('empty-and-delete');
  await runner.getByLabel(`Type ${bucket} to confirm`).fill(bucket);

  // The second step call never reaches Berth, as when the network drops or the console restarts.
  let calls = 0;
  await page.route(
    (url) => url.pathname === `/s3/${bucket}`,
    async (route) => {
      const request = route.request();
      if (request.method() === 'POST' && request.headers()['next-action'] && ++calls === 2) return route.abort('internetdisconnected');
      return route.fallback();
    },
  );
  await runner.getByRole('button', { name: 'Empty and delete bucket' }).click();
  await expect(runner.getByRole('alert')).toContainText('Berth did not answer');
  await expect(runner.getByTestId('empty-log')).toHaveText(['✓ Deleted 2 versions and markers']);
  await expect(runner.getByRole('button', { name: 'Resume' })).toBeVisible();
  await shot(page, 'forms-empty-dropped-light', { fullPage: true });
  await s3.send(new HeadBucketCommand({ Bucket: bucket }));

  // The progress is kept in Berth's database, not only in the tab: a reload
  // (or another instance) shows who started it, what is done, and Resume.
  await page.reload();
  await expect(runner.getByTestId('saved-job')).toContainText(`Started by ${ADMIN.email}`);
  await expect(runner.getByTestId('empty-log')).toHaveText(['✓ Deleted 2 versions and markers']);
  await runner.getByLabel(`Type ${bucket} to confirm`).fill(bucket);
  await runner.getByRole('button', { name: 'Resume' }).click();
  await expect(runner.getByTestId('empty-log')).toContainText(`Deleted the bucket ${bucket}`);
  await expect(runner.getByTestId('empty-log')).toContainText('Aborted 1 unfinished uploads');
  await expect(runner.getByTestId('empty-log')).toContainText('Deleted 2 versions and markers');
  await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toThrow();
});
