import { createHash, randomBytes } from 'node:crypto';
import { CloudTrailClient, CreateTrailCommand, DeleteTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import {
  BatchGetImageCommand,
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  ECRClient,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import {
  CreateRepositoryCommand as CreatePublicRepositoryCommand,
  DescribeRepositoriesCommand as DescribePublicRepositoriesCommand,
  ECRPUBLICClient,
  GetAuthorizationTokenCommand as GetPublicAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr-public';
import { AttachRolePolicyCommand, CreateRoleCommand, DeleteUserPolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { expect, test, type Page } from '@playwright/test';
import { SSO_CONSOLE_PORT } from '../playwright.config';
import { cloudfront, ecr, EMULATOR_URL, iam, s3, skopeo } from './support/emulator';
import { makeOciLayout } from './support/oci';
import { ADMIN, ADMIN_STATE, signInAsSsoAdmin, VIEWER_STATE } from './support/users';

// The Activity tab: CloudTrail's event history for a repository (private or
// public), a bucket and a distribution, as admins and viewers read it. A push, a pull by a role
// session carrying a SourceIdentity, a refused delete and a change made
// through Berth all show as who / what / when / from where / outcome.

const STAMP = Date.now().toString(36);
const REPO = `e2e-activity-${STAMP}`;
const REPO_PAGED = `e2e-activity-paged-${STAMP}`;
const BUCKET = `e2e-activity-${STAMP}`;
const ROLE = `e2e-activity-deployer-${STAMP}`;
const ACCOUNT = '123456789012';
const PUBLIC_REPO = `e2e-activity-public-${STAMP}`;

const ecrPublic = new ECRPUBLICClient({ endpoint: EMULATOR_URL, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function upload(client: ECRClient, repositoryName: string, blob: Buffer) {
  const { uploadId } = await client.send(new InitiateLayerUploadCommand({ repositoryName }));
  await client.send(new UploadLayerPartCommand({ repositoryName, uploadId, partFirstByte: 0, partLastByte: blob.length - 1, layerPartBlob: blob }));
  await client.send(new CompleteLayerUploadCommand({ repositoryName, uploadId, layerDigests: [sha(blob)] }));
}

test.beforeAll(async () => {
  await ecr.send(new CreateRepositoryCommand({ repositoryName: REPO }));
  // A push: config and one layer, then the manifest tagged v1.
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = randomBytes(512);
  await upload(ecr, REPO, config);
  await upload(ecr, REPO, layer);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(layer), size: layer.length }],
  });
  await ecr.send(new PutImageCommand({ repositoryName: REPO, imageManifest: manifest, imageTag: 'v1' }));

  // A pull by a role session assumed for a person (SourceIdentity), as BERTH_ASSUME_ROLE_ARN does.
  await iam.send(
    new CreateRoleCommand({
      RoleName: ROLE,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/test` }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }],
      }),
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: ROLE, PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
  const sts = new STSClient({ endpoint: EMULATOR_URL, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`, RoleSessionName: 'berth-alice', SourceIdentity: 'alice@example.com' }),
  );
  const asAlice = new ECRClient({
    endpoint: EMULATOR_URL,
    region: 'us-east-1',
    credentials: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! },
  });
  await asAlice.send(new BatchGetImageCommand({ repositoryName: REPO, imageIds: [{ imageTag: 'v1' }] }));

  // A delete the read-only key may not make.
  const readonly = new ECRClient({ endpoint: EMULATOR_URL, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'readonly', secretAccessKey: 'readonly' } });
  await expect(readonly.send(new DeleteRepositoryCommand({ repositoryName: REPO }))).rejects.toThrow(/not authorized/);

  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));

  // A push to a public repository through its registry, as `docker push` after `aws ecr-public get-login-password` makes it.
  await ecrPublic.send(new CreatePublicRepositoryCommand({ repositoryName: PUBLIC_REPO }));
  const uri = (await ecrPublic.send(new DescribePublicRepositoriesCommand({ repositoryNames: [PUBLIC_REPO] }))).repositories![0]!.repositoryUri!;
  const token = (await ecrPublic.send(new GetPublicAuthorizationTokenCommand({}))).authorizationData!.authorizationToken!;
  const password = Buffer.from(token, 'base64').toString('utf8').slice('AWS:'.length);
  const layout = makeOciLayout('v1', 4096);
  skopeo(['copy', '--dest-creds', `AWS:${password}`, '--dest-tls-verify=false', `oci:${layout.dir}:v1`, `docker://${uri}:v1`]);
});

/** The Activity tab's rows, each as its visible text. */
async function rows(page: Page): Promise<string[]> {
  await expect(page.getByTestId('activity-row').first()).toBeVisible();
  return page.getByTestId('activity-row').allInnerTexts();
}

function rowWith(all: string[], ...parts: string[]): string | undefined {
  return all.find((r) => parts.every((p) => r.includes(p)));
}

test.describe('as admin', () => {
  test.use({ storageState: ADMIN_STATE });

  test('a change made through Berth shows beside the push, the pull and the refused delete', async ({ page }) => {
    // Change the repository policy through Berth's settings tab.
    await page.goto(`/ecr/${REPO}?tab=settings`);
    await page.getByLabel('Access').selectOption('pull');
    await page.getByLabel('Account id or principal ARN').fill('210987654321');
    await page.getByRole('button', { name: 'Add statement' }).click();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect(page.getByText('Repository policy saved.')).toBeVisible();

    await page.getByRole('link', { name: 'Activity' }).click();
    await expect(page).toHaveURL(/tab=activity/);
    const all = await rows(page);
    expect(rowWith(all, 'changed the repository policy', 'SetRepositoryPolicy', 'test', 'succeeded')).toBeDefined();
    expect(rowWith(all, 'pushed v1', 'PutImage', 'test', 'succeeded')).toBeDefined();
    // The person behind the role session is named first, the role and session under it.
    expect(rowWith(all, 'alice@example.com', `role ${ROLE}`, 'berth-alice', 'pulled v1', 'BatchGetImage')).toBeDefined();
    expect(rowWith(all, 'readonly', 'deleted the repository', 'refused: permission missing', 'AccessDeniedException')).toBeDefined();
    // A push's layer steps are hidden until every call is asked for, and the page says how many.
    expect(rowWith(all, 'InitiateLayerUpload')).toBeUndefined();
    await expect(page.getByText(/\b\d+ reads and layer steps are hidden on this page\./)).toBeVisible();
    // Newest first: the change made last is above the push.
    const order = (s: string) => all.findIndex((r) => r.includes(s));
    expect(order('changed the repository policy')).toBeLessThan(order('pushed v1'));
    expect(order('pulled v1')).toBeLessThan(order('pushed v1'));
  });

  test('pages older events with Next and comes back with Previous', async ({ page }) => {
    // More reads of the repository than one page holds (25 events).
    await ecr.send(new CreateRepositoryCommand({ repositoryName: REPO_PAGED }));
    for (let i = 0; i < 26; i++) await ecr.send(new BatchGetImageCommand({ repositoryName: REPO_PAGED, imageIds: [{ imageTag: 'v1' }] }));
    // With every call shown, every page is a full page of CloudTrail's (25 events).
    await page.goto(`/ecr/${REPO_PAGED}?tab=activity&calls=all`);
    await expect(page.getByTestId('activity-row')).toHaveCount(25);
    const pager = page.getByRole('navigation', { name: 'Activity pages' });
    const eventIds = () => page.getByTestId('activity-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event-id') ?? ''));
    const seen: string[][] = [await rows(page)];
    const ids: string[] = await eventIds();
    // Older pages until CloudTrail has none; Berth's own reads of the repository are events too.
    for (let n = 2; n <= 8 && (await pager.getByRole('link', { name: 'Next ›' }).count()) > 0; n++) {
      await pager.getByRole('link', { name: 'Next ›' }).click();
      await expect(pager.getByText(`Page ${n}`, { exact: true })).toBeVisible();
      await expect(page).toHaveURL(/[?&]ct=/);
      seen.push(await rows(page));
      ids.push(...(await eventIds()));
    }
    expect(seen.length).toBeGreaterThan(1);
    // The oldest event is on the last page, and no event shows twice.
    expect(rowWith(seen.at(-1)!, 'created the repository')).toBeDefined();
    expect(new Set(ids).size).toBe(ids.length);

    await pager.getByRole('link', { name: '‹ Previous' }).click();
    await expect(pager.getByText(`Page ${seen.length - 1}`, { exact: true })).toBeVisible();
    expect(await rows(page)).toEqual(seen.at(-2));
  });

  test("a public repository's tab lists the push to its registry, and a change made through Berth in both histories", async ({ page }) => {
    await page.goto(`/ecr/-/public/${PUBLIC_REPO}?tab=settings`);
    const form = page.getByTestId('catalog-data-form');
    await form.getByLabel('Description', { exact: true }).fill('Watched by the activity e2e test.');
    await form.getByRole('button', { name: 'Save catalog data' }).click();
    await expect(form.getByText('Catalog data saved.')).toBeVisible();

    await page.getByRole('link', { name: 'Activity' }).click();
    await expect(page).toHaveURL(/tab=activity/);
    // Berth's audit trail of the repository, found by its ARN.
    const history = page.getByTestId('resource-history');
    await expect(history).toContainText('ecr-public.repository.catalog');
    await expect(history).toContainText(ADMIN.email);
    // CloudTrail's, from us-east-1 where ECR Public's events are.
    await expect(page.getByText(/event history of the last 90 days in us-east-1/)).toBeVisible();
    const all = await rows(page);
    expect(rowWith(all, 'changed the catalog data', 'PutRepositoryCatalogData', 'succeeded')).toBeDefined();
    expect(rowWith(all, 'pushed v1', 'PutImage', 'test', 'succeeded')).toBeDefined();
    expect(rowWith(all, 'created the repository', 'CreateRepository')).toBeDefined();
    // Its layer steps are hidden until every call is asked for.
    expect(rowWith(all, 'InitiateLayerUpload')).toBeUndefined();
  });

  test("a distribution's activity includes Berth's own reads of it", async ({ page }) => {
    const id = (await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items?.[0]?.Id;
    expect(id).toBeDefined();
    await page.goto(`/cloudfront/${id}`);
    await page.goto(`/cloudfront/${id}?tab=activity`);
    // Reads are hidden until every call is asked for.
    await page.getByRole('link', { name: 'Show every call' }).click();
    await expect(page).toHaveURL(/calls=all/);
    expect(rowWith(await rows(page), 'GetDistribution', 'read', 'test')).toBeDefined();
  });
});

test.describe('as viewer', () => {
  test.use({ storageState: VIEWER_STATE });

  test('reads the same activity, with nothing to change', async ({ page }) => {
    await page.goto(`/ecr/${REPO}?tab=activity`);
    const all = await rows(page);
    expect(rowWith(all, 'alice@example.com', 'pulled v1')).toBeDefined();
    expect(rowWith(all, 'readonly', 'refused: permission missing')).toBeDefined();
    await expect(page.getByRole('button', { name: /Save|Delete|Remove/ })).toHaveCount(0);
    // Berth's own look at the repository is a read, hidden until asked for.
    expect(rowWith(all, 'DescribeRepositories')).toBeUndefined();
  });

  test("reads a public repository's push, and is told Berth's own history is for admins", async ({ page }) => {
    await page.goto(`/ecr/-/public/${PUBLIC_REPO}?tab=activity`);
    expect(rowWith(await rows(page), 'pushed v1', 'PutImage')).toBeDefined();
    await expect(page.getByText('Berth’s audit trail of who changed this, and when, is for admins.')).toBeVisible();
    await expect(page.getByTestId('resource-history')).toHaveCount(0);
  });

  test("a bucket's tab says object reads and writes need a trail with data events, and whether one exists", async ({ page }) => {
    await page.goto(`/s3/${BUCKET}?tab=activity`);
    expect(rowWith(await rows(page), 'created the bucket', 'CreateBucket')).toBeDefined();
    const status = page.getByTestId('data-events-status');
    await expect(status).toContainText('Reads are not logged, writes are not logged');
    await expect(page.getByText(/Object reads and writes \(GetObject, PutObject, DeleteObject…\) are CloudTrail data events/)).toBeVisible();

    const ct = new CloudTrailClient({ endpoint: EMULATOR_URL, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const trail = `e2e-activity-${STAMP}`;
    await ct.send(new CreateTrailCommand({ Name: trail, S3BucketName: BUCKET }));
    try {
      await ct.send(
        new PutEventSelectorsCommand({
          TrailName: trail,
          EventSelectors: [{ ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: [`arn:aws:s3:::${BUCKET}/`] }] }],
        }),
      );
      await ct.send(new StartLoggingCommand({ Name: trail }));
      await page.getByTestId('freshness').getByRole('button', { name: 'Refresh' }).click();
      await expect(status).toContainText('Reads are not logged, writes are logged');
      await expect(status).toContainText(`by ${trail} (to s3://${BUCKET}`);
    } finally {
      await ct.send(new DeleteTrailCommand({ Name: trail }));
    }
  });
});

test.describe('when Berth may not call cloudtrail:LookupEvents', () => {
  // The single-sign-on console runs with the emulator's read-only key.
  test.use({ baseURL: `http://localhost:${SSO_CONSOLE_PORT}` });

  test('the tab names the missing permission', async ({ page }) => {
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'readonly',
        PolicyName: `no-activity-${STAMP}`,
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'cloudtrail:LookupEvents', Resource: '*' }] }),
      }),
    );
    try {
      await signInAsSsoAdmin(page);
      await page.goto(`/ecr/${REPO}?tab=activity`);
      await expect(page.getByText("Berth's AWS identity is not allowed to call cloudtrail:LookupEvents.", { exact: false })).toBeVisible();
      await expect(page.getByTestId('activity-row')).toHaveCount(0);
    } finally {
      await iam.send(new DeleteUserPolicyCommand({ UserName: 'readonly', PolicyName: `no-activity-${STAMP}` }));
    }
  });
});
