import fs from 'node:fs';
import path from 'node:path';
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { CreateRepositoryCommand, DescribeImagesCommand } from '@aws-sdk/client-ecr-public';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecrClient, ecrPublicClient } from '../test-support/clients';
import { basicAuth, digestOf, loginPassword, makeImage, runSkopeo, setClock, skopeoPath, writeOciLayout } from '../test-support/ecr';
import { publicAlias, publicLoginPassword } from '../test-support/ecr-public';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, tempDir, type SpawnedEmulator } from '../test-support/spawn';

// The public registry (localhost:<port>/<alias>/<repository>) against Debian's skopeo:
// anonymous pulls through the bearer-token flow, pushes only with the ECR Public login password.
// If skopeo is missing these fail, not skip.

let emu: SpawnedEmulator;
let host: string;
let alias: string;
const dirs: string[] = [];
const pub = () => ecrPublicClient(emu.url);

function dir(): string {
  const d = tempDir('berth-oci-');
  dirs.push(d);
  return d;
}

function blobFile(layout: string, digest: string): Buffer {
  return fs.readFileSync(path.join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)));
}

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet'] });
  host = `localhost:${emu.port}`;
  alias = await publicAlias(pub());
  await pub().send(new CreateRepositoryCommand({ repositoryName: 'team/pushed' }));
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe(`public registry with skopeo (${skopeoPath()})`, () => {
  it('challenges with Bearer on localhost and hands out anonymous pull tokens; 127.0.0.1 stays the private registry', async () => {
    const ping = await rawRequest(emu.url, { path: '/v2/', headers: { Host: host } });
    expect(ping.status).toBe(401);
    expect(ping.headers['www-authenticate']).toBe(`Bearer realm="http://${host}/_ecr-public/token",service="${host}"`);
    expect(ping.headers['docker-distribution-api-version']).toBe('registry/2.0');

    const token = await rawRequest(emu.url, { path: `/_ecr-public/token?service=${host}&scope=repository:${alias}/berth-demo/hello:pull,push`, headers: { Host: host } });
    expect(token.status).toBe(200);
    const bearer = `Bearer ${JSON.parse(token.body).token as string}`;
    expect((await rawRequest(emu.url, { path: '/v2/', headers: { Host: host, Authorization: bearer } })).status).toBe(200);
    const tags = await rawRequest(emu.url, { path: `/v2/${alias}/berth-demo/hello/tags/list`, headers: { Host: host, Authorization: bearer } });
    expect(JSON.parse(tags.body)).toEqual({ name: `${alias}/berth-demo/hello`, tags: ['1.0.0', 'latest'] });
    // The anonymous token pulls but does not push, whatever scope it asked for.
    const push = await rawRequest(emu.url, { method: 'POST', path: `/v2/${alias}/berth-demo/hello/blobs/uploads/`, headers: { Host: host, Authorization: bearer } });
    expect(push.status).toBe(401);
    expect(push.headers['www-authenticate']).toContain('error="insufficient_scope"');

    const unknown = await rawRequest(emu.url, { path: `/v2/notmyalias/berth-demo/hello/tags/list`, headers: { Host: host, Authorization: bearer } });
    expect(unknown.status).toBe(401); // no grant for that name at all
    const privatePing = await rawRequest(emu.url, { path: '/v2/' });
    expect(privatePing.headers['www-authenticate']).toMatch(/^Basic realm=/);
  });

  it('walks through `docker login` as Docker does it: challenge, token with Basic credentials, then the version check', async () => {
    const password = await publicLoginPassword(pub());
    const challenge = await rawRequest(emu.url, { path: '/v2/', headers: { Host: host } });
    const realm = /realm="([^"]+)"/.exec(challenge.headers['www-authenticate'] ?? '')?.[1];
    expect(realm).toBe(`http://${host}/_ecr-public/token`);
    const tokenPath = `${new URL(realm!).pathname}?account=AWS&client_id=docker&offline_token=true&service=${encodeURIComponent(host)}`;
    const token = await rawRequest(emu.url, { path: tokenPath, headers: { Host: host, Authorization: basicAuth(password) } });
    expect(token.status).toBe(200);
    const ping = await rawRequest(emu.url, { path: '/v2/', headers: { Host: host, Authorization: `Bearer ${JSON.parse(token.body).token as string}` } });
    expect(ping.status).toBe(200);
    // A wrong password fails the login at the token endpoint, as Docker reports it ("unauthorized").
    const wrong = await rawRequest(emu.url, { path: tokenPath, headers: { Host: host, Authorization: basicAuth('not-a-password') } });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body).errors[0].code).toBe('UNAUTHORIZED');
    const notAws = await rawRequest(emu.url, { path: tokenPath, headers: { Host: host, Authorization: `Basic ${Buffer.from(`root:${password}`).toString('base64')}` } });
    expect(notAws.status).toBe(401);
  });

  it('takes an OAuth2 password grant by POST, as containerd sends it', async () => {
    const password = await publicLoginPassword(pub());
    const scope = `repository:${alias}/team/pushed:pull,push`;
    const form = (p: string) => new URLSearchParams({ grant_type: 'password', username: 'AWS', password: p, service: host, scope, client_id: 'containerd-client' }).toString();
    const headers = { Host: host, 'Content-Type': 'application/x-www-form-urlencoded' };
    const ok = await rawRequest(emu.url, { method: 'POST', path: '/_ecr-public/token', headers, body: form(password) });
    expect(ok.status, ok.body).toBe(200);
    const bearer = `Bearer ${JSON.parse(ok.body).access_token as string}`;
    const start = await rawRequest(emu.url, { method: 'POST', path: `/v2/${alias}/team/pushed/blobs/uploads/`, headers: { Host: host, Authorization: bearer } });
    expect(start.status).toBe(202);
    await rawRequest(emu.url, { method: 'DELETE', path: start.headers.location!, headers: { Host: host, Authorization: bearer } });
    const wrong = await rawRequest(emu.url, { method: 'POST', path: '/_ecr-public/token', headers, body: form(`${password}x`) });
    expect(wrong.status).toBe(401);
    const refresh = await rawRequest(emu.url, { method: 'POST', path: '/_ecr-public/token', headers, body: 'grant_type=refresh_token&refresh_token=x' });
    expect(refresh.status).toBe(400);
  });

  it('gives private ECR callers who reached the API as localhost the private registry at 127.0.0.1', async () => {
    const viaLocalhost = ecrClient(`http://localhost:${emu.port}`);
    const out = await viaLocalhost.send(new GetAuthorizationTokenCommand({}));
    expect(out.authorizationData?.[0]?.proxyEndpoint).toBe(`http://127.0.0.1:${emu.port}`);
  });

  it('keeps the two registries\' credentials apart', async () => {
    const privatePassword = await loginPassword(ecrClient(emu.url));
    const publicPassword = await publicLoginPassword(pub());
    const withPrivate = await rawRequest(emu.url, { path: '/_ecr-public/token', headers: { Host: host, Authorization: basicAuth(privatePassword) } });
    expect(withPrivate.status).toBe(401);
    const privateWithPublic = await rawRequest(emu.url, { path: '/v2/', headers: { Authorization: basicAuth(publicPassword) } });
    expect(privateWithPublic.status).toBe(401);
  });

  it('skopeo inspects and copies the seeded public image with no credentials', async () => {
    const ref = `docker://${host}/${alias}/berth-demo/hello:latest`;
    const inspect = await runSkopeo(['inspect', '--tls-verify=false', ref]);
    expect(inspect.code, inspect.stderr).toBe(0);
    const info = JSON.parse(inspect.stdout) as { Digest: string; RepoTags: string[]; Architecture: string };
    const described = await pub().send(new DescribeImagesCommand({ repositoryName: 'berth-demo/hello', imageIds: [{ imageTag: 'latest' }] }));
    expect(info.Digest).toBe(described.imageDetails![0]!.imageDigest);
    expect(info.RepoTags).toEqual(['1.0.0', 'latest']);
    expect(info.Architecture).toBe('amd64');

    const dest = dir();
    const copy = await runSkopeo(['copy', '--src-tls-verify=false', ref, `oci:${dest}:hello`]);
    expect(copy.code, copy.stderr).toBe(0);
    const index = JSON.parse(fs.readFileSync(path.join(dest, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expect(index.manifests[0]?.digest).toBe(info.Digest);
    const manifest = JSON.parse(blobFile(dest, info.Digest).toString('utf8')) as { layers: { digest: string }[] };
    const layer = blobFile(dest, manifest.layers[0]!.digest);
    expect(digestOf(layer)).toBe(manifest.layers[0]!.digest);
  });

  it('skopeo pushes with the get-login-password password; the image is then public', async () => {
    const img = makeImage([20_000, 5_000]);
    const src = dir();
    writeOciLayout(src, img, 'v1');
    const password = await publicLoginPassword(pub());
    const ref = `docker://${host}/${alias}/team/pushed:v1`;
    const push = await runSkopeo(['copy', '--dest-creds', `AWS:${password}`, '--dest-tls-verify=false', `oci:${src}:v1`, ref]);
    expect(push.code, push.stderr).toBe(0);

    const described = await pub().send(new DescribeImagesCommand({ repositoryName: 'team/pushed', imageIds: [{ imageTag: 'v1' }] }));
    expect(described.imageDetails?.[0]).toMatchObject({ imageDigest: img.digest, imageTags: ['v1'], imageSizeInBytes: img.size });

    const dest = dir();
    const pull = await runSkopeo(['copy', '--src-tls-verify=false', ref, `oci:${dest}:v1`]);
    expect(pull.code, pull.stderr).toBe(0);
    expect(blobFile(dest, img.digest).toString('utf8')).toBe(img.manifest);
    for (const b of [img.config, ...img.layers]) expect(blobFile(dest, digestOf(b)).equals(b)).toBe(true);
  });

  it('refuses a push without credentials, and one with a readonly key\'s password', async () => {
    const img = makeImage([3_000]);
    const src = dir();
    writeOciLayout(src, img, 'anon');
    const anon = await runSkopeo(['copy', '--dest-tls-verify=false', `oci:${src}:anon`, `docker://${host}/${alias}/team/pushed:anon`]);
    expect(anon.code).not.toBe(0);
    expect(anon.stderr).toMatch(/unauthorized|denied|authentication required/i);

    const roPassword = await publicLoginPassword(ecrPublicClient(emu.url, { key: 'readonly' }));
    const ro = await runSkopeo(['copy', '--dest-creds', `AWS:${roPassword}`, '--dest-tls-verify=false', `oci:${src}:anon`, `docker://${host}/${alias}/team/pushed:ro`]);
    expect(ro.code).not.toBe(0);
    expect(ro.stderr).toContain('ecr-public:InitiateLayerUpload');

    const described = await pub().send(new DescribeImagesCommand({ repositoryName: 'team/pushed' }));
    expect(described.imageDetails?.flatMap((d) => d.imageTags ?? [])).toEqual(['v1']);
  });
});

describe('login expiry', () => {
  // Last in the file: it moves the emulator's clock.
  it('refuses a login password after its 12 hours with DENIED, as ECR does', async () => {
    const password = await publicLoginPassword(pub());
    const ok = await rawRequest(emu.url, { path: '/_ecr-public/token', headers: { Host: host, Authorization: basicAuth(password) } });
    expect(ok.status).toBe(200);
    await setClock(emu.url, 12 * 3_600_000 + 60_000);
    try {
      const late = await rawRequest(emu.url, { path: '/_ecr-public/token', headers: { Host: host, Authorization: basicAuth(password) } });
      expect(late.status).toBe(403);
      expect(JSON.parse(late.body).errors[0]).toMatchObject({ code: 'DENIED', message: 'Your authorization token has expired. Reauthenticate and try again.' });
      // Anonymous pulls do not depend on any login.
      const anon = await rawRequest(emu.url, { path: '/_ecr-public/token?scope=repository:x/y:pull', headers: { Host: host } });
      expect(anon.status).toBe(200);
    } finally {
      await setClock(emu.url, 0);
    }
  });
});
