import fs from 'node:fs';
import path from 'node:path';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecrClient } from '../test-support/clients';
import {
  basicAuth,
  digestOf,
  loginPassword,
  makeImage,
  OCI_MANIFEST,
  pushImage,
  runSkopeo,
  skopeoPath,
  writeOciLayout,
} from '../test-support/ecr';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, tempDir, type SpawnedEmulator } from '../test-support/spawn';

// The registry (/v2/) against Debian's skopeo. If skopeo is missing these fail, not skip.

let emu: SpawnedEmulator;
let host: string;
let password: string;
const dirs: string[] = [];
const ecr = () => ecrClient(emu.url);

function dir(): string {
  const d = tempDir('berth-oci-');
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed', '--quiet'] });
  host = `127.0.0.1:${emu.port}`;
  for (const name of ['team/app', 'team/locked', 'team/ro']) {
    await ecr().send(
      new CreateRepositoryCommand({ repositoryName: name, imageTagMutability: name === 'team/locked' ? 'IMMUTABLE' : 'MUTABLE' }),
    );
  }
  password = await loginPassword(ecr());
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function blobFile(layout: string, digest: string): Buffer {
  return fs.readFileSync(path.join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)));
}

describe(`registry with skopeo (${skopeoPath()})`, () => {
  it('is installed', async () => {
    const r = await runSkopeo(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^skopeo version \d/);
  });

  it('answers /v2/ with a Basic challenge, and 200 with a token', async () => {
    const anon = await rawRequest(emu.url, { path: '/v2/' });
    expect(anon.status).toBe(401);
    expect(anon.headers['www-authenticate']).toMatch(/^Basic realm="/);
    expect(anon.headers['docker-distribution-api-version']).toBe('registry/2.0');
    expect(JSON.parse(anon.body).errors[0].code).toBe('UNAUTHORIZED');
    const ok = await rawRequest(emu.url, { path: '/v2/', headers: { Authorization: basicAuth(password) } });
    expect(ok.status).toBe(200);
    const forged = await rawRequest(emu.url, { path: '/v2/', headers: { Authorization: basicAuth(`${password.slice(0, -3)}abc`) } });
    expect(forged.status).toBe(401);

    const auth = await ecr().send(new GetAuthorizationTokenCommand({}));
    const data = auth.authorizationData?.[0];
    expect(data?.proxyEndpoint).toBe(emu.url);
    const hours = ((data?.expiresAt?.getTime() ?? 0) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
  });

  it('pushes an OCI layout with skopeo, then DescribeImages shows it; pulls it back byte for byte', async () => {
    const img = makeImage([40_000, 123_457]);
    const src = dir();
    writeOciLayout(src, img, 'v1');
    const push = await runSkopeo(['copy', '--dest-creds', `AWS:${password}`, '--dest-tls-verify=false', `oci:${src}:v1`, `docker://${host}/team/app:v1`]);
    expect(push.code, push.stderr).toBe(0);

    const described = await ecr().send(new DescribeImagesCommand({ repositoryName: 'team/app', imageIds: [{ imageTag: 'v1' }] }));
    const d = described.imageDetails?.[0];
    expect(d?.imageTags).toEqual(['v1']);
    expect(d?.imageSizeInBytes).toBe(img.size);
    expect(img.size).toBeGreaterThan(40_000 + 123_457);
    expect(d?.imageManifestMediaType).toBe(OCI_MANIFEST);
    expect(d?.imageDigest).toBe(img.digest);

    const dest = dir();
    const pull = await runSkopeo(['copy', '--src-creds', `AWS:${password}`, '--src-tls-verify=false', `docker://${host}/team/app:v1`, `oci:${dest}:v1`]);
    expect(pull.code, pull.stderr).toBe(0);
    const index = JSON.parse(fs.readFileSync(path.join(dest, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expect(index.manifests[0]?.digest).toBe(img.digest);
    expect(blobFile(dest, img.digest).toString('utf8')).toBe(img.manifest);
    for (const b of [img.config, ...img.layers]) expect(blobFile(dest, digestOf(b)).equals(b)).toBe(true);

    const after = await ecr().send(new DescribeImagesCommand({ repositoryName: 'team/app', imageIds: [{ imageTag: 'v1' }] }));
    expect(after.imageDetails?.[0]?.lastRecordedPullTime).toBeInstanceOf(Date);

    const inspect = await runSkopeo(['inspect', '--creds', `AWS:${password}`, '--tls-verify=false', `docker://${host}/team/app:v1`]);
    expect(inspect.code, inspect.stderr).toBe(0);
    const info = JSON.parse(inspect.stdout) as { Digest: string; RepoTags: string[]; Layers: string[]; Architecture: string };
    expect(info.Digest).toBe(img.digest);
    expect(info.RepoTags).toEqual(['v1']);
    expect(info.Layers).toEqual(img.layers.map((l) => digestOf(l)));
    expect(info.Architecture).toBe('amd64');
  });

  it('pulls with skopeo an image that was put through the ECR API', async () => {
    const img = makeImage([5000, 7000]);
    await pushImage(ecr(), 'team/app', img, 'api-made');
    const dest = dir();
    const pull = await runSkopeo(['copy', '--src-creds', `AWS:${password}`, '--src-tls-verify=false', `docker://${host}/team/app:api-made`, `oci:${dest}:x`]);
    expect(pull.code, pull.stderr).toBe(0);
    expect(blobFile(dest, img.digest).toString('utf8')).toBe(img.manifest);
    for (const b of [img.config, ...img.layers]) expect(blobFile(dest, digestOf(b)).equals(b)).toBe(true);
    const got = await ecr().send(new BatchGetImageCommand({ repositoryName: 'team/app', imageIds: [{ imageTag: 'api-made' }] }));
    expect(got.images?.[0]?.imageManifest).toBe(img.manifest);
  });

  it('refuses to overwrite a tag in an immutable repository', async () => {
    const first = makeImage([100]);
    const second = makeImage([200]);
    const a = dir();
    const b = dir();
    writeOciLayout(a, first, 'v1');
    writeOciLayout(b, second, 'v1');
    const ok = await runSkopeo(['copy', '--dest-creds', `AWS:${password}`, '--dest-tls-verify=false', `oci:${a}:v1`, `docker://${host}/team/locked:v1`]);
    expect(ok.code, ok.stderr).toBe(0);
    const clash = await runSkopeo(['copy', '--dest-creds', `AWS:${password}`, '--dest-tls-verify=false', `oci:${b}:v1`, `docker://${host}/team/locked:v1`]);
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toContain('cannot be overwritten because the repository is immutable');
    // The API agrees.
    const api = await ecr()
      .send(new PutImageCommand({ repositoryName: 'team/locked', imageManifest: second.manifest, imageTag: 'v1' }))
      .catch((e: Error) => e);
    expect((api as Error).name).toBe('ImageTagAlreadyExistsException');
  });

  it('does not create repositories on push: NAME_UNKNOWN', async () => {
    const src = dir();
    writeOciLayout(src, makeImage([10]), 'v1');
    const r = await runSkopeo(['copy', '--dest-creds', `AWS:${password}`, '--dest-tls-verify=false', `oci:${src}:v1`, `docker://${host}/team/missing:v1`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/name unknown/i);
    const raw = await rawRequest(emu.url, { path: '/v2/team/missing/tags/list', headers: { Authorization: basicAuth(password) } });
    expect(raw.status).toBe(404);
    expect(JSON.parse(raw.body)).toMatchObject({ errors: [{ code: 'NAME_UNKNOWN' }] });
  });

  it("lets the readonly key's token pull but not push", async () => {
    const roPassword = await loginPassword(ecrClient(emu.url, { key: 'readonly' }));
    const src = dir();
    writeOciLayout(src, makeImage([300]), 'v1');
    const push = await runSkopeo(['copy', '--dest-creds', `AWS:${roPassword}`, '--dest-tls-verify=false', `oci:${src}:v1`, `docker://${host}/team/ro:v1`]);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/denied/i);
    const raw = await rawRequest(emu.url, { method: 'POST', path: '/v2/team/ro/blobs/uploads/', headers: { Authorization: basicAuth(roPassword) } });
    expect(raw.status).toBe(403);
    expect(JSON.parse(raw.body).errors[0].code).toBe('DENIED');
    const pull = await runSkopeo(['inspect', '--creds', `AWS:${roPassword}`, '--tls-verify=false', `docker://${host}/team/app:v1`]);
    expect(pull.code, pull.stderr).toBe(0);
  });

  it('speaks the distribution API directly: chunked uploads, HEAD, tags paging, DELETE', async () => {
    const auth = { Authorization: basicAuth(password) };
    const blob = Buffer.from('x'.repeat(1000) + 'y'.repeat(500));
    const start = await rawRequest(emu.url, { method: 'POST', path: '/v2/team/app/blobs/uploads/', headers: auth });
    expect(start.status).toBe(202);
    const location = start.headers.location!;
    const p1 = await rawRequest(emu.url, { method: 'PATCH', path: location, headers: { ...auth, 'Content-Range': '0-999' }, body: blob.subarray(0, 1000) });
    expect(p1.status).toBe(202);
    expect(p1.headers.range).toBe('0-999');
    const bad = await rawRequest(emu.url, { method: 'PATCH', path: location, headers: { ...auth, 'Content-Range': '5-10' }, body: blob.subarray(5, 11) });
    expect(bad.status).toBe(416);
    const wrong = await rawRequest(emu.url, { method: 'PUT', path: `${location}?digest=${digestOf('other')}`, headers: auth, body: blob.subarray(1000) });
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body).errors[0].code).toBe('DIGEST_INVALID');

    // Monolithic upload in the POST.
    const mono = await rawRequest(emu.url, { method: 'POST', path: `/v2/team/app/blobs/uploads/?digest=${digestOf(blob)}`, headers: { ...auth, 'Content-Type': 'application/octet-stream' }, body: blob });
    expect(mono.status).toBe(201);
    expect(mono.headers['docker-content-digest']).toBe(digestOf(blob));
    const head = await rawRequest(emu.url, { method: 'HEAD', path: `/v2/team/app/blobs/${digestOf(blob)}`, headers: auth });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(blob.length));
    const ranged = await rawRequest(emu.url, { path: `/v2/team/app/blobs/${digestOf(blob)}`, headers: { ...auth, Range: 'bytes=995-1004' } });
    expect(ranged.status).toBe(206);
    expect(ranged.body).toBe('xxxxxyyyyy');
    const unknown = await rawRequest(emu.url, { path: `/v2/team/app/blobs/${digestOf('nothing')}`, headers: auth });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).errors[0].code).toBe('BLOB_UNKNOWN');

    // Cross-repository mount of a blob the source repository has.
    const mount = await rawRequest(emu.url, { method: 'POST', path: `/v2/team/locked/blobs/uploads/?mount=${digestOf(blob)}&from=team/app`, headers: auth });
    expect(mount.status).toBe(201);

    // Manifests by tag and digest, HEAD, tags/list paging, DELETE by digest.
    const img = makeImage([64]);
    await pushImage(ecr(), 'team/app', img, 'zz-last');
    const mHead = await rawRequest(emu.url, { method: 'HEAD', path: '/v2/team/app/manifests/zz-last', headers: auth });
    expect(mHead.status).toBe(200);
    expect(mHead.headers['docker-content-digest']).toBe(img.digest);
    expect(mHead.headers['content-type']).toBe(OCI_MANIFEST);
    const byDigest = await rawRequest(emu.url, { path: `/v2/team/app/manifests/${img.digest}`, headers: auth });
    expect(byDigest.body).toBe(img.manifest);
    const page1 = await rawRequest(emu.url, { path: '/v2/team/app/tags/list?n=1', headers: auth });
    expect(JSON.parse(page1.body)).toEqual({ name: 'team/app', tags: ['api-made'] });
    expect(page1.headers.link).toContain('rel="next"');
    const all = await rawRequest(emu.url, { path: '/v2/team/app/tags/list', headers: auth });
    expect(JSON.parse(all.body).tags).toEqual(['api-made', 'v1', 'zz-last']);
    const del = await rawRequest(emu.url, { method: 'DELETE', path: `/v2/team/app/manifests/${img.digest}`, headers: auth });
    expect(del.status).toBe(202);
    const missing = await rawRequest(emu.url, { path: '/v2/team/app/manifests/zz-last', headers: auth });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).errors[0].code).toBe('MANIFEST_UNKNOWN');

    // A manifest whose blobs are absent.
    const orphan = makeImage([10]);
    const put = await rawRequest(emu.url, { method: 'PUT', path: '/v2/team/app/manifests/orphan', headers: { ...auth, 'Content-Type': OCI_MANIFEST }, body: orphan.manifest });
    expect(put.status).toBe(400);
    expect(JSON.parse(put.body).errors[0].code).toBe('MANIFEST_BLOB_UNKNOWN');
  });
});
