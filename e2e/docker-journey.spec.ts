import fs from 'node:fs';
import path from 'node:path';
import { CreateRepositoryCommand, DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { expect, test, type Page } from '@playwright/test';
import { awsCliEnv } from '../emulator/test-support/aws-cli';
import { startDocker, type DockerDaemon } from '../emulator/test-support/docker';
import { ecr, iam } from './support/emulator';
import { shot } from './support/shots';
import { ADMIN_STATE } from './support/users';

// One person's day with a real Docker: the commands the repository page shows,
// copied from the page and run as pasted by Debian's docker and aws clients,
// against a private dockerd (emulator/test-support/docker.ts) and the e2e
// emulator, which authorizes every registry call with IAM policies.
//
// A user with AmazonEC2ContainerRegistryPowerUser pushes; a user with only
// AmazonEC2ContainerRegistryReadOnly logs in but is refused the push, with
// AWS's own sentence; an admin pastes that sentence into "Why was this
// denied?" and applies the smallest grant; the same push then goes through
// and the image pulls back. That a viewer cannot apply a fix (its POST is a
// 403 and nothing changes) is e2e/access-explain.spec.ts's.
//
// Playwright runs one worker (playwright.config.ts), so this file's dockerd is
// the only one the e2e run starts, and the file runs alone.

// A daemon start, a build and a push can each take tens of seconds on a busy
// 2-core machine.
const SLOW = 300_000;

const STAMP = Date.now().toString(36);
const REPO = `e2e-docker-${STAMP}`;
const PUSHER = `e2e-dkr-push-${STAMP}`;
const PULLER = `e2e-dkr-pull-${STAMP}`;
const ACCOUNT = '123456789012';
const REPO_ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${REPO}`;

interface Key {
  id: string;
  secret: string;
}

/** An IAM user with one AWS managed policy and an access key, made with the admin's `test` key. */
async function userWithKey(name: string, policy: string): Promise<Key> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: `arn:aws:iam::aws:policy/${policy}` }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { id: AccessKey!.AccessKeyId!, secret: AccessKey!.SecretAccessKey! };
}

/** The push commands as the repository page shows them, keyed by their id (login, build, tag, push, pull). */
async function commandsFromPage(page: Page): Promise<Record<'login' | 'build' | 'tag' | 'push' | 'pull', string>> {
  await page.goto(`/ecr/${REPO}`);
  await page.getByTestId('push-commands').locator('summary').click();
  const read = async (id: string) => ((await page.getByTestId(`command-${id}`).textContent()) ?? '').trim();
  return { login: await read('login'), build: await read('build'), tag: await read('tag'), push: await read('push'), pull: await read('pull') };
}

/** A build context for a FROM scratch image (no base image, so no registry but ours), its content unique to `who`. */
function buildContext(docker: DockerDaemon, who: string): string {
  const dir = path.join(docker.dir, `context-${who}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
  fs.writeFileSync(path.join(dir, 'hello.txt'), `hello from ${who} at ${STAMP}\n`);
  return dir;
}

/** "latest: digest: sha256:… size: 525", the last line of a successful `docker push`. */
function pushedDigest(stdout: string): string {
  const m = /latest: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(stdout);
  expect(m, stdout).not.toBeNull();
  return m![1]!;
}

test.describe.serial('docker push and pull with IAM users, and a denial explained and fixed', () => {
  test.use({ storageState: ADMIN_STATE });
  test.describe.configure({ timeout: SLOW });

  let docker: DockerDaemon;
  let pusher: Key;
  let puller: Key;
  let commands: Awaited<ReturnType<typeof commandsFromPage>>;
  let denial = '';

  test.beforeAll(async () => {
    test.setTimeout(SLOW);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: REPO }));
    pusher = await userWithKey(PUSHER, 'AmazonEC2ContainerRegistryPowerUser');
    puller = await userWithKey(PULLER, 'AmazonEC2ContainerRegistryReadOnly');
    docker = await startDocker();
  });

  test.afterAll(async () => {
    test.setTimeout(SLOW);
    const report = await docker?.stop();
    // A daemon that needed SIGKILL, or left a process or mount behind, would trouble the specs after this one.
    if (report) expect(report).toMatchObject({ killed: false, leftovers: [] });
  });

  test('the push-allowed user logs in, builds, tags and pushes with the page\'s commands, and the page shows the tag', async ({ page }) => {
    commands = await commandsFromPage(page);
    const registry = commands.login.split(' ').at(-1)!;
    expect(commands.login).toBe(
      `aws --endpoint-url http://${registry} ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin ${registry}`,
    );
    expect(commands.push).toBe(`docker push ${registry}/${REPO}:latest`);

    const as = { identity: 'pusher', env: awsCliEnv({ key: pusher.id, secret: pusher.secret }) };
    const login = await docker.shellOk(commands.login, as);
    expect(login.stdout).toContain('Login Succeeded');
    await docker.shellOk(commands.build, { ...as, cwd: buildContext(docker, 'pusher') });
    await docker.shellOk(commands.tag, as);
    const push = await docker.shellOk(commands.push, { ...as, timeoutMs: SLOW - 30_000 });
    const digest = pushedDigest(push.stdout);

    await page.reload();
    const row = page.getByTestId('images').getByRole('row').first();
    await expect(row).toContainText('latest');
    await expect(row).toContainText(digest.slice(7, 19));
    await expect(page.getByTestId('stat-images')).toHaveText('1');
  });

  test('the pull-only user logs in, but its push is denied with AWS\'s sentence naming it and ecr:InitiateLayerUpload', async () => {
    const as = { identity: 'puller', env: awsCliEnv({ key: puller.id, secret: puller.secret }) };
    const login = await docker.shellOk(commands.login, as);
    expect(login.stdout).toContain('Login Succeeded');
    // Its own change: new content, so docker has a layer to upload (an image
    // the registry already holds would only need ecr:PutImage).
    await docker.shellOk(commands.build, { ...as, cwd: buildContext(docker, 'puller') });
    await docker.shellOk(commands.tag, as);
    const push = await docker.shell(commands.push, { ...as, timeoutMs: SLOW - 30_000 });
    expect(push.code, push.stdout + push.stderr).not.toBe(0);
    denial = push.stderr.trim();
    expect(denial).toBe(
      `denied: User: arn:aws:iam::${ACCOUNT}:user/${PULLER} is not authorized to perform: ecr:InitiateLayerUpload on resource: ${REPO_ARN} because no identity-based policy allows the ecr:InitiateLayerUpload action`,
    );
    // Nothing of the refused push reached the registry: the tag is still the first user's image.
    const images = await ecr.send(new DescribeImagesCommand({ repositoryName: REPO }));
    expect(images.imageDetails).toHaveLength(1);
  });

  test('the admin pastes docker\'s denial into "Why was this denied?", sees the user, the action and "denied", and applies the fix', async ({ page }) => {
    await page.goto('/access/explain');
    await page.getByLabel('Access-denied message').fill(denial);
    await page.getByRole('button', { name: 'Explain this message' }).click();
    await expect(page.getByTestId('explain-principal')).toContainText(`user ${PULLER}`);
    await expect(page.getByTestId('explain-action')).toHaveText('ecr:InitiateLayerUpload');
    await expect(page.getByTestId('explain-resource')).toHaveText(REPO_ARN);
    const verdict = page.getByTestId('explain-verdict');
    await expect(verdict).toHaveAttribute('data-decision', 'implicitDeny');
    await expect(verdict).toHaveText(/denied/i);
    const steps = page.getByTestId('explain-step');
    await expect(steps.filter({ hasText: 'AmazonEC2ContainerRegistryReadOnly' })).toHaveCount(1);
    await expect(steps.filter({ hasText: 'Denied implicitly: no policy allows ecr:InitiateLayerUpload' })).toHaveCount(1);

    // The smallest grant, as a diff the admin reads before the one click.
    const fix = page.locator('[data-fix="user-inline"]');
    const diff = fix.getByTestId('fix-diff');
    await expect(diff).toBeVisible();
    for (const action of ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage']) {
      await expect(diff).toContainText(action);
    }
    await expect(diff).toContainText(REPO_ARN);
    // A check of the page, not a docs picture (access-explain.spec.ts makes those): always under test-results/.
    await shot(page, 'docker-journey-explain', { fullPage: true, dir: 'test-results/screenshots' });

    await fix.getByTestId('apply-fix').click();
    await expect(verdict).toHaveAttribute('data-decision', 'allowed', { timeout: 30_000 });
    await expect(page.getByTestId('explain-fixes')).toHaveCount(0);
  });

  test('the pull-only user\'s push now goes through, and the tag pulls back after docker rmi', async ({ page }) => {
    const as = { identity: 'puller', env: awsCliEnv({ key: puller.id, secret: puller.secret }) };
    const push = await docker.shellOk(commands.push, { ...as, timeoutMs: SLOW - 30_000 });
    const digest = pushedDigest(push.stdout);
    const described = await ecr.send(new DescribeImagesCommand({ repositoryName: REPO, imageIds: [{ imageTag: 'latest' }] }));
    expect(described.imageDetails?.[0]?.imageDigest).toBe(digest);

    const remote = commands.pull.replace(/^docker pull /, '');
    const built = (await docker.ok(['image', 'inspect', '--format', '{{.Id}}', remote], as)).stdout.trim();
    await docker.ok(['rmi', remote, `${REPO}:latest`], as);
    const gone = await docker.run(['image', 'inspect', remote], as);
    expect(gone.stderr).toContain('No such image');

    const pull = await docker.shellOk(commands.pull, { ...as, timeoutMs: SLOW - 30_000 });
    expect(pull.stdout).toContain(`Digest: ${digest}`);
    const pulled = (await docker.ok(['image', 'inspect', '--format', '{{.Id}}', remote], as)).stdout.trim();
    expect(pulled).toBe(built);

    await page.goto(`/ecr/${REPO}`);
    await expect(page.getByTestId('images').getByRole('row').filter({ hasText: 'latest' })).toContainText(digest.slice(7, 19));
  });
});
