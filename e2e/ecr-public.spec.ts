import {
  DescribeRepositoriesCommand,
  ECRPUBLICClient,
  GetRepositoryCatalogDataCommand,
  type RepositoryCatalogData,
} from '@aws-sdk/client-ecr-public';
import { expect, test, type Page } from '@playwright/test';
import { actionId, postAction } from './support/actions';
import { EMULATOR_URL, runAwsPart, skopeo } from './support/emulator';
import { makeOciLayout } from './support/oci';
import { shotLightAndDark } from './support/shots';
import { ADMIN_STATE, VIEWER_STATE } from './support/users';

// ECR Public beside private ECR: a viewer reads the seeded public repository,
// an admin creates one with catalog data, edits it, pushes to it and deletes
// it. Every address on the page must be the one ECR Public answered, so the
// tests compare with the emulator's own answers rather than with a host
// written here.

const SEEDED = 'berth-demo/hello';
const REPO = 'e2e/public-tool';

const ecrPublic = new ECRPUBLICClient({ endpoint: EMULATOR_URL, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

async function repositoryUri(name: string): Promise<string> {
  const out = await ecrPublic.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
  return out.repositories![0]!.repositoryUri!;
}

async function catalogOf(name: string): Promise<RepositoryCatalogData> {
  return (await ecrPublic.send(new GetRepositoryCatalogDataCommand({ repositoryName: name }))).catalogData ?? {};
}

async function openPublicList(page: Page) {
  await page.goto('/ecr');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Public', exact: true }).click();
  await expect(page).toHaveURL(/\/ecr\?registry=public$/);
}

test.describe('a viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('sees the seeded public repository with its badge, catalog data, images and pull command', async ({ page }) => {
    const uri = await repositoryUri(SEEDED);
    const catalog = await catalogOf(SEEDED);

    await openPublicList(page);
    const row = page.getByTestId('public-repositories').getByRole('row').filter({ hasText: SEEDED });
    await expect(row.getByText('Public', { exact: true })).toBeVisible();
    await expect(row).toContainText(uri);
    await expect(page.getByTestId('public-registry')).toContainText(uri.slice(0, uri.length - SEEDED.length - 1));
    await expect(page.getByRole('link', { name: 'Create public repository' })).toHaveCount(0);
    await shotLightAndDark(page, 'ecr-public-list-viewer');

    await row.getByRole('link', { name: SEEDED }).click();
    await expect(page).toHaveURL(new RegExp(`/ecr/-/public/${SEEDED}$`));
    await expect(page.getByRole('heading', { name: SEEDED })).toBeVisible();
    await expect(page.getByTestId('repository-uri')).toHaveText(uri);
    await expect(page.getByTestId('visibility')).toHaveText('Public');
    await expect(page.getByTestId('catalog-description')).toHaveText(catalog.description!);
    for (const v of [...catalog.architectures!, ...catalog.operatingSystems!]) await expect(page.getByTestId('catalog-platforms')).toContainText(v);
    // Markdown is shown as its text, whitespace kept.
    expect(await page.getByTestId('catalog-about').textContent()).toBe(catalog.aboutText);
    await expect(page.getByTestId('public-images').getByRole('row').first()).toContainText('1.0.0');
    await expect(page.getByTestId('public-images').getByRole('row').first()).toContainText('latest');

    // Pulling needs no login: the command is docker alone, and works anonymously.
    await expect(page.getByTestId('command-pull')).toHaveText(`docker pull ${uri}:latest`);
    const inspected = JSON.parse(skopeo(['inspect', '--no-creds', '--tls-verify=false', `docker://${uri}:latest`])) as { Digest: string };
    expect(inspected.Digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    await page.getByTestId('push-commands').locator('summary').click();
    await expect(page.getByTestId('command-login')).toHaveText(
      `aws --endpoint-url ${EMULATOR_URL} ecr-public get-login-password --region us-east-1 | docker login --username AWS --password-stdin ${uri.split('/')[0]}`,
    );
    await expect(page.getByRole('checkbox')).toHaveCount(0);
    await shotLightAndDark(page, 'ecr-public-repository-viewer', { fullPage: true });

    await page.getByRole('link', { name: 'Permissions' }).click();
    await expect(page.getByText('No repository policy')).toBeVisible();
    await expect(page.getByRole('button', { name: /Save|Delete/ })).toHaveCount(0);
    await page.goto('/ecr/-/new-public');
    await expect(page.getByRole('heading', { name: 'You need the admin role for this' })).toBeVisible();
  });

  test('gets 403 from every ECR Public action posted directly, and nothing changes', async ({ page }) => {
    const before = await ecrPublic.send(new DescribeRepositoriesCommand({}));
    const catalogBefore = await catalogOf(SEEDED);
    const repoFile = 'app/(console)/ecr/-/public/[...name]/actions.ts';
    const calls: [string, string, string, Record<string, unknown>][] = [
      ['/ecr/-/new-public', 'app/(console)/ecr/-/new-public/actions.ts', 'createPublicRepositoryAction', { name: 'viewer-made', description: 'no' }],
      [`/ecr/-/public/${SEEDED}`, repoFile, 'updateCatalogDataAction', { name: SEEDED, description: 'defaced', architectures: ['x86'] }],
      [`/ecr/-/public/${SEEDED}`, repoFile, 'deletePublicRepositoryAction', { name: SEEDED, confirm: SEEDED, force: 'on' }],
    ];
    for (const [path, file, name, input] of calls) {
      const res = await postAction(page.request, path, actionId(file, name), input);
      expect(res.status(), name).toBe(403);
    }
    const after = await ecrPublic.send(new DescribeRepositoriesCommand({}));
    expect(after.repositories).toEqual(before.repositories);
    expect(await catalogOf(SEEDED)).toEqual(catalogBefore);
  });
});

test.describe.serial('an admin publishes a repository', () => {
  test.use({ storageState: ADMIN_STATE });

  test('creates a public repository with catalog data', async ({ page }) => {
    await openPublicList(page);
    await page.getByRole('link', { name: 'Create public repository' }).first().click();
    await expect(page).toHaveURL(/\/ecr\/-\/new-public$/);
    const name = page.getByLabel('Repository name');
    await name.fill('E2E/Tool');
    await expect(page.getByText('Use lowercase letters only.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create public repository' })).toBeDisabled();
    await name.fill(SEEDED);
    await page.getByLabel('Description', { exact: true }).fill('Taken');
    await page.getByRole('button', { name: 'Create public repository' }).click();
    await expect(page.getByText('A public repository with this name already exists')).toBeVisible();
    // The refusal kept what was typed.
    await expect(page.getByLabel('Description', { exact: true })).toHaveValue('Taken');

    await name.fill(REPO);
    await page.getByLabel('Description', { exact: true }).fill('A small tool, published by the e2e tests.');
    await page.getByLabel('Linux', { exact: true }).check();
    await page.getByLabel('x86-64', { exact: true }).check();
    await page.getByLabel('About', { exact: true }).fill('# Tool\n\n<img src=x onerror="document.title=1"> is shown as text.');
    await page.getByLabel('Usage', { exact: true }).fill('docker run tool --help');
    await shotLightAndDark(page, 'ecr-public-create-admin');
    await page.getByRole('button', { name: 'Create public repository' }).click();
    await expect(page).toHaveURL(new RegExp(`/ecr/-/public/${REPO}$`));
    await expect(page.getByRole('heading', { name: REPO })).toBeVisible();
    await expect(page.getByTestId('catalog-description')).toHaveText('A small tool, published by the e2e tests.');
    await expect(page.getByTestId('catalog-about')).toContainText('<img src=x onerror="document.title=1"> is shown as text.');
    expect(await page.title()).not.toBe('1');
    await expect(page.getByText('No images yet')).toBeVisible();

    expect(await catalogOf(REPO)).toMatchObject({
      description: 'A small tool, published by the e2e tests.',
      usageText: 'docker run tool --help',
      architectures: ['x86-64'],
      operatingSystems: ['Linux'],
    });
  });

  test('edits its catalog data', async ({ page }) => {
    await page.goto(`/ecr/-/public/${REPO}`);
    await page.getByRole('link', { name: 'Catalog data and settings' }).click();
    const form = page.getByTestId('catalog-data-form');
    await form.getByLabel('Description', { exact: true }).fill('Edited by the e2e tests.');
    await form.getByLabel('Linux', { exact: true }).uncheck();
    await form.getByLabel('ARM 64', { exact: true }).check();
    await form.getByLabel('Usage', { exact: true }).fill('');
    await form.getByRole('button', { name: 'Save catalog data' }).click();
    await expect(form.getByText('Catalog data saved.')).toBeVisible();
    expect(await catalogOf(REPO)).toMatchObject({ description: 'Edited by the e2e tests.', architectures: ['ARM 64', 'x86-64'], operatingSystems: [] });
    expect((await catalogOf(REPO)).usageText ?? '').toBe('');
    await shotLightAndDark(page, 'ecr-public-settings-admin', { fullPage: true });
  });

  test('pushes with the login from the push commands, sees the image, and deletes the repository with it', async ({ page }) => {
    const uri = await repositoryUri(REPO);
    await page.goto(`/ecr/-/public/${REPO}`);
    await page.getByTestId('push-commands').locator('summary').click();
    const login = (await page.getByTestId('command-login').textContent()) ?? '';
    await expect(page.getByTestId('command-push')).toHaveText(`docker push ${uri}:latest`);
    const password = runAwsPart(login);
    const layout = makeOciLayout('v1');
    skopeo(['copy', '--dest-creds', `AWS:${password}`, '--dest-tls-verify=false', `oci:${layout.dir}:v1`, `docker://${uri}:v1`]);

    await page.reload();
    const row = page.getByTestId('public-images').getByRole('row').first();
    await expect(row).toContainText('v1');
    await expect(row).toContainText(layout.manifestDigest.slice(0, 19));
    await shotLightAndDark(page, 'ecr-public-repository-admin', { fullPage: true });

    await page.getByRole('link', { name: 'Catalog data and settings' }).click();
    const del = page.getByTestId('delete-public-repository-form');
    await expect(del).toContainText('its 1 image (1 tag)');
    await del.getByLabel(`Type ${REPO} to confirm`).fill(REPO);
    await del.getByLabel('Also delete its 1 image').check();
    await del.getByRole('button', { name: 'Delete public repository' }).click();
    await expect(page).toHaveURL(/\/ecr\?registry=public$/);
    await expect(page.getByTestId('public-repositories')).not.toContainText(REPO);
    const gone = await ecrPublic.send(new DescribeRepositoriesCommand({ repositoryNames: [REPO] })).catch((e: Error) => e.name);
    expect(gone).toBe('RepositoryNotFoundException');
  });
});
