import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DescribeImagesCommand, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushCommands, type Command } from '../../lib/ecr/commands';
import { awsCliEnv } from '../test-support/aws-cli';
import { ecrClient } from '../test-support/clients';
import { startDocker, type DockerDaemon } from '../test-support/docker';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// Debian's docker, with its own dockerd, against a real emulator process:
// the commands the console shows on a repository page (lib/ecr/commands.ts),
// run as a person pastes them, with the `test` key. Pushing is done by
// dockerd, so this is Docker's own registry client, not ours or skopeo's.

// A daemon start and a push can take minutes on a busy 2-core machine.
const SLOW = 300_000;

let emu: SpawnedEmulator;
let docker: DockerDaemon;
let registryHost: string;
let commands: Record<string, Command>;
let context: string;
let pushedDigest: string;
const repository = 'empty-repo'; // seeded, with no images

beforeAll(async () => {
  [emu, docker] = await Promise.all([spawnEmulator({ args: ['--quiet'] }), startDocker()]);
  // The registry's address as the console finds it: GetAuthorizationToken's proxyEndpoint.
  const auth = await ecrClient(emu.url).send(new GetAuthorizationTokenCommand({}));
  registryHost = new URL(auth.authorizationData![0]!.proxyEndpoint!).host;
  const shown = pushCommands({ region: 'us-east-1', registryHost, repository, endpoint: emu.url });
  commands = Object.fromEntries(shown.map((c) => [c.id, c]));

  // FROM scratch needs no base image, so no registry but ours is involved.
  context = path.join(docker.dir, 'context');
  fs.mkdirSync(context);
  fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
  fs.writeFileSync(path.join(context, 'hello.txt'), `hello from ${randomBytes(8).toString('hex')}\n`);
}, SLOW);

afterAll(async () => {
  await docker?.stop();
  await emu?.stop();
}, SLOW);

const asTest = { env: awsCliEnv({ key: 'test' }) };
const remote = () => `${registryHost}/${repository}:latest`;

describe('docker against the emulator, with the console\'s commands', () => {
  it('logs in with `aws ecr get-login-password | docker login`', async () => {
    expect(commands.login!.command).toBe(
      `aws --endpoint-url ${emu.url} ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin ${registryHost}`,
    );
    const r = await docker.shellOk(commands.login!.command, asTest);
    expect(r.stdout).toContain('Login Succeeded');
    // The password went into this identity's private config, not ~/.docker.
    const config = JSON.parse(fs.readFileSync(path.join(docker.configDir(), 'config.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    expect(Buffer.from(config.auths[registryHost]!.auth, 'base64').toString()).toMatch(/^AWS:.+/);
  }, SLOW);

  it('builds, tags and pushes the image', async () => {
    expect(commands.build!.command).toBe(`docker build -t ${repository} .`);
    await docker.shellOk(commands.build!.command, { cwd: context });
    expect(commands.tag!.command).toBe(`docker tag ${repository}:latest ${remote()}`);
    await docker.shellOk(commands.tag!.command);
    const push = await docker.shellOk(commands.push!.command!, { timeoutMs: SLOW - 10_000 });
    // "latest: digest: sha256:… size: 525"
    const m = /latest: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(push.stdout);
    expect(m, push.stdout).not.toBeNull();
    pushedDigest = m![1]!;
  }, SLOW);

  it('DescribeImages shows the pushed tag and digest', async () => {
    const out = await ecrClient(emu.url).send(new DescribeImagesCommand({ repositoryName: repository }));
    expect(out.imageDetails).toHaveLength(1);
    expect(out.imageDetails![0]).toMatchObject({
      registryId: '123456789012',
      repositoryName: repository,
      imageDigest: pushedDigest,
      imageTags: ['latest'],
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    });
    // The daemon recorded the same digest for the remote name.
    const inspect = await docker.ok(['image', 'inspect', '--format', '{{json .RepoDigests}}', remote()]);
    expect(JSON.parse(inspect.stdout)).toEqual([`${registryHost}/${repository}@${pushedDigest}`]);
  }, SLOW);

  it('removes the image and pulls it back', async () => {
    const built = (await docker.ok(['image', 'inspect', '--format', '{{.Id}}', remote()])).stdout.trim();
    await docker.ok(['rmi', remote(), `${repository}:latest`]);
    const gone = await docker.run(['image', 'inspect', remote()]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('No such image');

    expect(commands.pull!.command).toBe(`docker pull ${remote()}`);
    const pull = await docker.shellOk(commands.pull!.command, { timeoutMs: SLOW - 10_000 });
    expect(pull.stdout).toContain(`Digest: ${pushedDigest}`);
    // Same image id = same config, whose rootfs names the layer's content: Docker checked both on the way in.
    const pulled = (await docker.ok(['image', 'inspect', '--format', '{{.Id}}', remote()])).stdout.trim();
    expect(pulled).toBe(built);
  }, SLOW);

  it('a logged-out client cannot push: docker says it has no credentials', async () => {
    // Under the same daemon, a second identity that never logged in…
    const denied = `${registryHost}/${repository}:denied`;
    await docker.ok(['tag', remote(), denied]);
    const stranger = await docker.run(['push', denied], { identity: 'stranger', timeoutMs: SLOW - 10_000 });
    expect(stranger.code).not.toBe(0);
    expect(stranger.stderr).toContain('no basic auth credentials');

    // …and the one that did, after `docker logout`.
    const out = await docker.ok(['logout', registryHost]);
    expect(out.stdout).toContain(`Removing login credentials for ${registryHost}`);
    const after = await docker.run(['push', denied], { timeoutMs: SLOW - 10_000 });
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain('no basic auth credentials');

    const images = await ecrClient(emu.url).send(new DescribeImagesCommand({ repositoryName: repository }));
    expect(images.imageDetails!.flatMap((d) => d.imageTags ?? [])).toEqual(['latest']);
  }, SLOW);

  it('stop() ends dockerd and containerd cleanly and leaves no process, mount or folder', async () => {
    const { dir, pid } = docker;
    const report = await docker.stop();
    expect(report).toEqual({ exitCode: 0, containerdExitCode: 0, killed: false, leftovers: [], unmounted: [] });
    expect(fs.existsSync(dir)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(dir);
  }, SLOW);
});
