import fs from 'node:fs';
import { DescribeImagesCommand, DescribeRepositoriesCommand, GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { expect, test } from '@playwright/test';
import { formatBytes } from '../lib/ui/format';
import { actionId, postAction } from './support/actions';
import { ecr, runAwsPart, skopeo } from './support/emulator';
import { makeOciLayout } from './support/oci';
import { ADMIN_STATE, VIEWER_STATE } from './support/users';

const REPO = 'journey/web-app';
import { shot } from './support/shots';

test.describe.serial('an admin ships an image', () => {
  test.use({ storageState: ADMIN_STATE });
  let pushedDigest = '';

  test('creates a repository, with the name checked as they type', async ({ page }) => {
    await page.goto('/ecr');
    await page.getByRole('link', { name: 'Create repository' }).first().click();
    await expect(page).toHaveURL(/\/ecr\/-\/new/);
    const name = page.getByLabel('Repository name');
    await name.fill('Journey/Web');
    await expect(page.getByText('Use lowercase letters only.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create repository' })).toBeDisabled();
    await name.fill('demo-app-repo');
    await page.getByRole('button', { name: 'Create repository' }).click();
    await expect(page.getByText('A repository with this name already exists in this region.')).toBeVisible();

    await name.fill(REPO);
    await page.getByText('Immutable', { exact: true }).click();
    await page.getByLabel(/Scan on push/).check();
    await shot(page, 'ecr-create-admin-light');
    await page.getByRole('button', { name: 'Create repository' }).click();
    await expect(page).toHaveURL(new RegExp(`/ecr/${REPO}\\?region=us-east-1$`));
    await expect(page.getByRole('heading', { name: REPO })).toBeVisible();
    await expect(page.getByText('No images yet')).toBeVisible();

    const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [REPO] }));
    expect(described.repositories?.[0]).toMatchObject({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
  });

  test('pushes with skopeo using the login from the push commands, and sees the image', async ({ page }) => {
    await page.goto(`/ecr/${REPO}`);
    await page.getByTestId('push-commands').locator('summary').click();
    const login = (await page.getByTestId('command-login').textContent()) ?? '';
    expect(login).toMatch(/^aws --endpoint-url http:\/\/127\.0\.0\.1:\d+ ecr get-login-password --region us-east-1 \| docker login --username AWS --password-stdin 127\.0\.0\.1:\d+$/);
    await expect(page.getByTestId('command-push')).toHaveText(new RegExp(`^docker push 127\\.0\\.0\\.1:\\d+/${REPO}:latest$`));
    await shot(page, 'ecr-push-commands-admin-light');

    const password = runAwsPart(login);
    const registry = login.split(' ').at(-1)!;
    const layout = makeOciLayout('v1.0.0');
    skopeo(['copy', '--dest-creds', `AWS:${password}`, '--dest-tls-verify=false', `oci:${layout.dir}:v1.0.0`, `docker://${registry}/${REPO}:v1.0.0`]);
    pushedDigest = layout.manifestDigest;

    await page.reload();
    const row = page.getByTestId('images').getByRole('row').first();
    await expect(row).toContainText('v1.0.0');
    await expect(row).toContainText(layout.manifestDigest.slice(7, 19));
    await expect(row).toContainText(formatBytes(layout.layerSize));
    await expect(page.getByTestId('stat-images')).toHaveText('1');

    // Pull it back byte for byte.
    const out = fs.mkdtempSync('/tmp/berth-pull-');
    skopeo(['copy', '--src-creds', `AWS:${password}`, '--src-tls-verify=false', `docker://${registry}/${REPO}:v1.0.0`, `oci:${out}:v1.0.0`]);
    const layer = layout.layerDigest.slice(7);
    expect(fs.readFileSync(`${out}/blobs/sha256/${layer}`).equals(fs.readFileSync(`${layout.dir}/blobs/sha256/${layer}`))).toBe(true);
  });

  test('opens the image: tags, layers, platform, pull commands, scan findings', async ({ page }) => {
    await page.goto(`/ecr/${REPO}`);
    await page.getByTestId('images').getByRole('link', { name: pushedDigest.slice(7, 19) }).click();
    await expect(page).toHaveURL(new RegExp(`/ecr/${REPO}/images/${pushedDigest}`));
    await expect(page.getByTestId('image-digest')).toHaveText(pushedDigest);
    await expect(page.getByTestId('image-tags')).toContainText('v1.0.0');
    await expect(page.getByTestId('image-platform')).toHaveText('linux/amd64');
    await expect(page.getByTestId('layers').getByRole('row')).toHaveCount(1);
    await expect(page.getByText(`docker pull 127.0.0.1`).first()).toBeVisible();
    await expect(page.getByText(`@${pushedDigest}`)).toBeVisible();
    await shot(page, 'ecr-image-admin-light', { fullPage: true });
  });

  test('writes a repository policy from the template and previews a lifecycle rule', async ({ page }) => {
    await page.goto(`/ecr/${REPO}?tab=settings`);
    await page.getByLabel('Access').selectOption('push');
    await page.getByLabel('Account id or principal ARN').fill('210987654321');
    await page.getByRole('button', { name: 'Add statement' }).click();
    await expect(page.getByLabel('Repository policy (JSON)')).toHaveValue(/ecr:CompleteLayerUpload/);
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect(page.getByText('Repository policy saved.')).toBeVisible();
    const saved = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: REPO }));
    expect(JSON.parse(saved.policyText ?? '{}').Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::210987654321:root' });

    // Broken JSON is caught before anything is sent.
    await page.getByLabel('Repository policy (JSON)').fill('{"Version": "2012-10-17", "Statement": [');
    await expect(page.getByText(/This is not valid JSON/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save policy' })).toBeDisabled();

    const lifecycle = page.getByTestId('lifecycle-editor');
    await lifecycle.getByLabel('Images to keep').fill('1');
    await lifecycle.getByRole('button', { name: 'Add', exact: true }).first().click();
    await expect(lifecycle.getByLabel('Lifecycle policy (JSON)')).toHaveValue(/imageCountMoreThan/);
    await page.getByRole('button', { name: 'Preview what expires' }).click();
    await expect(page.getByTestId('lifecycle-preview')).toContainText('Nothing would expire');
    await shot(page, 'ecr-settings-admin-light', { fullPage: true });
  });

  test('deletes the image, then the repository with its typed name', async ({ page }) => {
    await page.goto(`/ecr/${REPO}`);
    await page.getByRole('checkbox', { name: 'Select v1.0.0' }).check();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    await expect(page.getByTestId('confirm-delete-images')).toContainText('v1.0.0');
    await page.getByRole('button', { name: 'Delete 1 image' }).click();
    await expect(page.getByText('Deleted 1 image.')).toBeVisible();
    await expect(page.getByText('No images yet')).toBeVisible();
    const left = await ecr.send(new DescribeImagesCommand({ repositoryName: REPO }));
    expect(left.imageDetails).toEqual([]);

    await page.goto(`/ecr/${REPO}?tab=settings`);
    const form = page.getByTestId('delete-repository-form');
    await form.getByLabel(`Type ${REPO} to confirm`).fill('journey/web');
    await expect(form.getByRole('button', { name: 'Delete repository' })).toBeDisabled();
    await form.getByLabel(`Type ${REPO} to confirm`).fill(REPO);
    await form.getByRole('button', { name: 'Delete repository' }).click();
    await expect(page).toHaveURL(/\/ecr\?region=us-east-1$/);
    await expect(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [REPO] }))).rejects.toThrow(/does not exist|not found/i);
  });
});

test.describe('an admin deleting a repository that still has images', () => {
  test.use({ storageState: ADMIN_STATE });

  test('is told to tick the box, and nothing is deleted', async ({ page }) => {
    await page.goto('/ecr/team/web?tab=settings');
    const form = page.getByTestId('delete-repository-form');
    await expect(form).toContainText(/holds \d+ images/);
    await form.getByLabel('Type team/web to confirm').fill('team/web');
    await form.getByRole('button', { name: 'Delete repository' }).click();
    await expect(form.getByText('The repository still holds images. Tick “also delete its images” to delete it together with them.')).toBeVisible();
    const still = await ecr.send(new DescribeImagesCommand({ repositoryName: 'team/web' }));
    expect(still.imageDetails?.length).toBeGreaterThan(0);
  });
});

test.describe('a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('browses repositories, images and permissions but sees no controls', async ({ page }) => {
    await page.goto('/ecr');
    await expect(page.getByRole('link', { name: 'demo-app-repo' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Create repository' })).toHaveCount(0);
    // A repository opens within the page, as any link in Berth does (its row is plain HTML).
    // Once the page's code has run: before that a click is a plain link, which is fine but not what this checks.
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => Object.assign(window, { stayedOnPage: true }));
    await page.getByRole('link', { name: 'demo-app-repo' }).click();
    await expect(page.getByTestId('push-commands')).toBeVisible();
    expect(await page.evaluate(() => (window as { stayedOnPage?: boolean }).stayedOnPage)).toBe(true);
    await expect(page.getByRole('checkbox')).toHaveCount(0);
    await page.getByTestId('images').getByRole('link').first().click();
    await expect(page.getByTestId('image-digest')).toHaveText(/^sha256:[0-9a-f]{64}$/);
    await expect(page.getByTestId('layers').getByRole('row').first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Scan now' })).toHaveCount(0);
    await page.goBack();
    await page.getByRole('link', { name: 'Permissions' }).click();
    await expect(page.getByRole('button', { name: /Save|Delete|Remove/ })).toHaveCount(0);
    await page.goto('/ecr/-/new');
    await expect(page.getByRole('heading', { name: 'You need the admin role for this' })).toBeVisible();
  });

  test('builds an IAM policy for a person', async ({ page }) => {
    await page.goto('/ecr/-/iam-policy');
    await page.getByText('Push and pull', { exact: true }).click();
    await page.getByTestId('iam-repositories').getByText('team/api', { exact: true }).click();
    const json = JSON.parse((await page.getByTestId('iam-policy-json').textContent()) ?? '{}');
    expect(json.Statement[0]).toMatchObject({ Action: 'ecr:GetAuthorizationToken', Resource: '*' });
    expect(json.Statement[1].Action).toContain('ecr:PutImage');
    expect(json.Statement[1].Resource).toBe('arn:aws:ecr:us-east-1:123456789012:repository/team/api');
    await shot(page, 'ecr-iam-policy-viewer-light');
  });

  test('gets 403 from every ECR action posted directly, and nothing changes', async ({ page }) => {
    const before = await ecr.send(new DescribeRepositoriesCommand({}));
    const repoFile = 'app/(console)/ecr/[...name]/actions.ts';
    // Each action is posted to the page that uses it, as the browser would.
    const calls: [string, string, Record<string, unknown>][] = [
      ['app/(console)/ecr/-/new/actions.ts', 'createRepositoryAction', { region: 'us-east-1', name: 'viewer-made' }],
      [repoFile, 'deleteImagesAction', { region: 'us-east-1', name: 'demo-app-repo', digests: [`sha256:${'0'.repeat(64)}`] }],
      [repoFile, 'updateSettingsAction', { region: 'us-east-1', name: 'demo-app-repo', tagMutability: 'IMMUTABLE' }],
      [repoFile, 'saveRepositoryPolicyAction', { region: 'us-east-1', name: 'demo-app-repo', policy: '{}' }],
      [repoFile, 'deleteRepositoryPolicyAction', { region: 'us-east-1', name: 'team/api' }],
      [repoFile, 'previewLifecycleAction', { region: 'us-east-1', name: 'demo-app-repo', policy: '{}' }],
      [repoFile, 'saveLifecycleAction', { region: 'us-east-1', name: 'demo-app-repo', policy: '{}' }],
      [repoFile, 'deleteLifecycleAction', { region: 'us-east-1', name: 'demo-app-repo' }],
      [repoFile, 'deleteRepositoryAction', { region: 'us-east-1', name: 'empty-repo', confirm: 'empty-repo', force: 'on' }],
      [repoFile, 'startScanAction', { region: 'us-east-1', name: 'demo-app-repo', digest: `sha256:${'0'.repeat(64)}` }],
    ];
    for (const [file, name, input] of calls) {
      const path = file === repoFile ? '/ecr/demo-app-repo' : '/ecr/-/new';
      const res = await postAction(page.request, path, actionId(file, name), input);
      expect(res.status(), name).toBe(403);
    }
    const after = await ecr.send(new DescribeRepositoriesCommand({}));
    expect(after.repositories).toEqual(before.repositories);
  });
});
