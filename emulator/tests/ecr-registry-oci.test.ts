import fs from 'node:fs';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecrClient } from '../test-support/clients';
import {
  basicAuth,
  describe as blobDesc,
  digestOf,
  loginPassword,
  makeImage,
  OCI_MANIFEST,
  pushImage,
  runSkopeo,
  setClock,
  uploadBlob,
  writeOciLayout,
  type TestImage,
} from '../test-support/ecr';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, tempDir, type SpawnedEmulator } from '../test-support/spawn';

// The registry's content negotiation, catalog, OCI 1.1 referrers API and token expiry,
// through raw HTTP and Debian's skopeo against a real emulator process.

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
/** What a Docker-only client (no OCI types) sends. */
const DOCKER_ONLY = `${DOCKER_MANIFEST}, ${DOCKER_LIST}`;
const OCI_ONLY = `${OCI_MANIFEST}, ${OCI_INDEX}`;

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

function get(path: string, accept?: string, method = 'GET', pw = password) {
  const headers: Record<string, string> = { Authorization: basicAuth(pw) };
  if (accept !== undefined) headers.Accept = accept;
  return rawRequest(emu.url, { method, path, headers });
}

function errorOf(body: string): { code: string; message: string } {
  return (JSON.parse(body) as { errors: { code: string; message: string }[] }).errors[0]!;
}

/** The same blobs as `img`, described by a Docker schema 2 manifest. */
function dockerManifest(img: TestImage): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST,
    config: { mediaType: DOCKER_CONFIG, size: img.config.length, digest: digestOf(img.config) },
    layers: img.layers.map((l) => ({ mediaType: DOCKER_LAYER, size: l.length, digest: digestOf(l) })),
  });
}

async function putManifest(repositoryName: string, manifest: string, mediaType: string, imageTag?: string): Promise<string> {
  const out = await ecr().send(new PutImageCommand({ repositoryName, imageManifest: manifest, imageManifestMediaType: mediaType, imageTag }));
  return out.image!.imageId!.imageDigest!;
}

/** A monolithic blob upload through the registry (one POST with ?digest=). */
async function pushBlob(repo: string, data: Buffer): Promise<string> {
  const digest = digestOf(data);
  const r = await rawRequest(emu.url, {
    method: 'POST',
    path: `/v2/${repo}/blobs/uploads/?digest=${digest}`,
    headers: { Authorization: basicAuth(password), 'Content-Type': 'application/octet-stream' },
    body: data,
  });
  expect(r.status, r.body).toBe(201);
  return digest;
}

function putRaw(repo: string, ref: string, manifest: string, mediaType: string) {
  return rawRequest(emu.url, {
    method: 'PUT',
    path: `/v2/${repo}/manifests/${ref}`,
    headers: { Authorization: basicAuth(password), 'Content-Type': mediaType },
    body: manifest,
  });
}

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed', '--quiet'] });
  host = `127.0.0.1:${emu.port}`;
  for (const name of ['neg/app', 'ref/app', 'ref/other', 'cat/a-b', 'cat/a.b', 'cat/a/b', 'cat/a_b', 'cat/z']) {
    await ecr().send(new CreateRepositoryCommand({ repositoryName: name }));
  }
  await ecrClient(emu.url, { region: 'us-west-2' }).send(new CreateRepositoryCommand({ repositoryName: 'cat/west-only' }));
  password = await loginPassword(ecr());
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('manifest negotiation by Accept', () => {
  it('translates an OCI manifest pulled by tag for a Docker-only client, and refuses it by digest', async () => {
    const img = makeImage([1500, 900]);
    await pushImage(ecr(), 'neg/app', img, 'oci');

    const got = await get('/v2/neg/app/manifests/oci', DOCKER_ONLY);
    expect(got.status, got.body).toBe(200);
    expect(got.headers['content-type']).toBe(DOCKER_MANIFEST);
    const body = JSON.parse(got.body) as Record<string, unknown>;
    expect(body).toEqual({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { mediaType: DOCKER_CONFIG, size: img.config.length, digest: digestOf(img.config) },
      layers: img.layers.map((l) => ({ mediaType: DOCKER_LAYER, size: l.length, digest: digestOf(l) })),
    });
    // A translation is a different document with its own digest, and the headers describe it.
    const digest = digestOf(got.body);
    expect(digest).not.toBe(img.digest);
    expect(got.headers['docker-content-digest']).toBe(digest);
    expect(got.headers['content-length']).toBe(String(Buffer.byteLength(got.body)));

    const head = await get('/v2/neg/app/manifests/oci', DOCKER_ONLY, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe(DOCKER_MANIFEST);
    expect(head.headers['docker-content-digest']).toBe(digest);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(got.body)));

    // ECR translates only by tag: by digest the client must take the stored format.
    const byDigest = await get(`/v2/neg/app/manifests/${img.digest}`, DOCKER_ONLY);
    expect(byDigest.status).toBe(404);
    expect(errorOf(byDigest.body).code).toBe('MANIFEST_UNKNOWN');
    const headByDigest = await get(`/v2/neg/app/manifests/${img.digest}`, DOCKER_ONLY, 'HEAD');
    expect(headByDigest.status).toBe(404);

    // q=0 rules a type out even when a wildcard would allow it.
    const notOci = await get('/v2/neg/app/manifests/oci', `${OCI_MANIFEST};q=0, ${DOCKER_MANIFEST}, */*;q=0.1`);
    expect(notOci.headers['content-type']).toBe(DOCKER_MANIFEST);
  });

  it('serves the stored manifest to clients that accept it, name no manifest type, or send a wildcard', async () => {
    const img = makeImage([700]);
    await pushImage(ecr(), 'neg/app', img, 'stored');
    for (const accept of [undefined, '*/*', 'application/json', OCI_ONLY, `${DOCKER_ONLY}, */*`, `${DOCKER_ONLY}, ${OCI_MANIFEST}`]) {
      const r = await get('/v2/neg/app/manifests/stored', accept);
      expect(r.status, `Accept: ${accept}`).toBe(200);
      expect(r.headers['content-type']).toBe(OCI_MANIFEST);
      expect(r.headers['docker-content-digest']).toBe(img.digest);
      expect(r.body).toBe(img.manifest);
    }
    const byDigest = await get(`/v2/neg/app/manifests/${img.digest}`, OCI_MANIFEST);
    expect(byDigest.body).toBe(img.manifest);
  });

  it('translates a Docker schema 2 image that skopeo pushed for an OCI-only client, and skopeo accepts the translation', async () => {
    const img = makeImage([3000]);
    const src = dir();
    writeOciLayout(src, img, 'v1');
    const push = await runSkopeo([
      'copy', '--format', 'v2s2', '--dest-creds', `AWS:${password}`, '--dest-tls-verify=false', `oci:${src}:v1`, `docker://${host}/neg/app:docker`,
    ]);
    expect(push.code, push.stderr).toBe(0);
    const described = await ecr().send(new DescribeImagesCommand({ repositoryName: 'neg/app', imageIds: [{ imageTag: 'docker' }] }));
    expect(described.imageDetails?.[0]?.imageManifestMediaType).toBe(DOCKER_MANIFEST);
    const storedDigest = described.imageDetails![0]!.imageDigest!;

    // skopeo accepts every manifest type, so it gets what was stored.
    const raw = await runSkopeo(['inspect', '--raw', '--creds', `AWS:${password}`, '--tls-verify=false', `docker://${host}/neg/app:docker`]);
    expect(raw.code, raw.stderr).toBe(0);
    expect((JSON.parse(raw.stdout) as { mediaType: string }).mediaType).toBe(DOCKER_MANIFEST);

    const got = await get('/v2/neg/app/manifests/docker', OCI_ONLY);
    expect(got.status, got.body).toBe(200);
    expect(got.headers['content-type']).toBe(OCI_MANIFEST);
    expect(JSON.parse(got.body)).toEqual(JSON.parse(img.manifest));
    expect(got.headers['docker-content-digest']).toBe(digestOf(got.body));
    expect(digestOf(got.body)).not.toBe(storedDigest);
    const refused = await get(`/v2/neg/app/manifests/${storedDigest}`, OCI_ONLY);
    expect(refused.status).toBe(404);
    expect(errorOf(refused.body).code).toBe('MANIFEST_UNKNOWN');

    // The translation is a complete OCI image over the stored blobs: skopeo pushes it back unchanged.
    const layout = dir();
    writeOciLayout(layout, { ...img, manifest: got.body, digest: digestOf(got.body) }, 'v1');
    const again = await runSkopeo([
      'copy', '--dest-creds', `AWS:${password}`, '--dest-tls-verify=false', `oci:${layout}:v1`, `docker://${host}/neg/app:translated`,
    ]);
    expect(again.code, again.stderr).toBe(0);
    const back = await get('/v2/neg/app/manifests/translated', OCI_MANIFEST);
    expect(back.headers['content-type']).toBe(OCI_MANIFEST);
    expect(JSON.parse(back.body)).toEqual(JSON.parse(got.body));
  });

  it('does not serve an OCI index to a Docker-only client, nor a Docker manifest list to an OCI-only one', async () => {
    const a = makeImage([100]);
    const b = makeImage([200]);
    const aDigest = await pushImage(ecr(), 'neg/app', a);
    for (const blob of [b.config, ...b.layers]) await uploadBlob(ecr(), 'neg/app', blob);
    const bDigest = await putManifest('neg/app', dockerManifest(b), DOCKER_MANIFEST);
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_MANIFEST, digest: aDigest, size: Buffer.byteLength(a.manifest), platform: { architecture: 'amd64', os: 'linux' } }],
    });
    const list = JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_LIST,
      manifests: [{ mediaType: DOCKER_MANIFEST, digest: bDigest, size: Buffer.byteLength(dockerManifest(b)), platform: { architecture: 'arm64', os: 'linux' } }],
    });
    await putManifest('neg/app', index, OCI_INDEX, 'oci-index');
    await putManifest('neg/app', list, DOCKER_LIST, 'docker-list');

    const indexToDocker = await get('/v2/neg/app/manifests/oci-index', DOCKER_ONLY);
    expect(indexToDocker.status).toBe(404);
    expect(errorOf(indexToDocker.body).code).toBe('MANIFEST_UNKNOWN');
    expect(errorOf(indexToDocker.body).message).toContain(OCI_INDEX);
    expect((await get('/v2/neg/app/manifests/oci-index', DOCKER_ONLY, 'HEAD')).status).toBe(404);
    const listToOci = await get('/v2/neg/app/manifests/docker-list', OCI_ONLY);
    expect(listToOci.status).toBe(404);
    expect(errorOf(listToOci.body).code).toBe('MANIFEST_UNKNOWN');

    const indexOk = await get('/v2/neg/app/manifests/oci-index', `${DOCKER_ONLY}, ${OCI_INDEX}`);
    expect(indexOk.status).toBe(200);
    expect(indexOk.body).toBe(index);
    const listOk = await get('/v2/neg/app/manifests/docker-list', DOCKER_ONLY);
    expect(listOk.status).toBe(200);
    expect(listOk.body).toBe(list);
  });

  it('does not translate an OCI artifact for a Docker-only client', async () => {
    const payload = Buffer.from('{"spdxVersion":"SPDX-2.3"}');
    const empty = Buffer.from('{}');
    await pushBlob('neg/app', payload);
    await pushBlob('neg/app', empty);
    const artifact = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/spdx+json',
      config: blobDesc(OCI_EMPTY, empty),
      layers: [blobDesc('application/spdx+json', payload)],
    });
    expect((await putRaw('neg/app', 'sbom', artifact, OCI_MANIFEST)).status).toBe(201);
    const r = await get('/v2/neg/app/manifests/sbom', DOCKER_ONLY);
    expect(r.status).toBe(404);
    expect(errorOf(r.body).code).toBe('MANIFEST_UNKNOWN');
  });
});

describe('/v2/_catalog', () => {
  const east = ['cat/a-b', 'cat/a.b', 'cat/a/b', 'cat/a_b', 'cat/z', 'neg/app', 'ref/app', 'ref/other'];

  it('lists the repositories of the token’s region in lexical order', async () => {
    const r = await get('/v2/_catalog');
    expect(r.status, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(r.body)).toEqual({ repositories: east });
    expect(r.headers.link).toBeUndefined();

    const westPassword = await loginPassword(ecrClient(emu.url, { region: 'us-west-2' }));
    const west = await get('/v2/_catalog', undefined, 'GET', westPassword);
    expect(JSON.parse(west.body)).toEqual({ repositories: ['cat/west-only'] });

    const anon = await rawRequest(emu.url, { path: '/v2/_catalog' });
    expect(anon.status).toBe(401);
  });

  it('pages with n and last, linking each page to the next', async () => {
    const seen: string[] = [];
    let path: string | undefined = '/v2/_catalog?n=3';
    let pages = 0;
    while (path) {
      const r = await get(path);
      expect(r.status, r.body).toBe(200);
      const page = (JSON.parse(r.body) as { repositories: string[] }).repositories;
      expect(page.length).toBeLessThanOrEqual(3);
      seen.push(...page);
      pages += 1;
      const link = r.headers.link;
      if (typeof link !== 'string') break;
      const m = /^<([^>]+)>; rel="next"$/.exec(link);
      expect(m, link).not.toBeNull();
      path = m![1];
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(east);

    const first = await get('/v2/_catalog?n=2');
    expect(first.headers.link).toBe(`</v2/_catalog?n=2&last=${encodeURIComponent('cat/a.b')}>; rel="next"`);
    const after = await get(`/v2/_catalog?n=2&last=${encodeURIComponent('cat/a_b')}`);
    expect(JSON.parse(after.body)).toEqual({ repositories: ['cat/z', 'neg/app'] });
    const tail = await get(`/v2/_catalog?last=${encodeURIComponent('neg/app')}`);
    expect(JSON.parse(tail.body)).toEqual({ repositories: ['ref/app', 'ref/other'] });
    expect(tail.headers.link).toBeUndefined();
    const exact = await get('/v2/_catalog?n=8');
    expect(JSON.parse(exact.body).repositories).toEqual(east);
    expect(exact.headers.link).toBeUndefined();

    const none = await get('/v2/_catalog?n=0');
    expect(JSON.parse(none.body)).toEqual({ repositories: [] });
    expect(none.headers.link).toBeUndefined();
    for (const bad of ['-1', 'two', '1.5']) {
      const r = await get(`/v2/_catalog?n=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(errorOf(r.body).code).toBe('PAGINATION_NUMBER_INVALID');
    }
    // ECR's answer to a page larger than its list operations allow, as clients asking for 10,000 report it.
    for (const path of ['/v2/_catalog?n=10000', '/v2/neg/app/tags/list?n=10000']) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(errorOf(r.body)).toMatchObject({
        code: 'UNSUPPORTED',
        message: "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to 1000'",
      });
    }
  });
});

describe('OCI 1.1 referrers API', () => {
  it('lists the manifests whose subject is a digest, with artifactType filtering', async () => {
    const img = makeImage([400]);
    await pushImage(ecr(), 'ref/app', img, 'v1');
    const subject = { mediaType: OCI_MANIFEST, digest: img.digest, size: Buffer.byteLength(img.manifest) };
    const empty = Buffer.from('{}');
    const sbomData = Buffer.from('{"bomFormat":"CycloneDX"}');
    const sigConfig = Buffer.from('{"kind":"signature"}');
    const sigData = Buffer.from('signature bytes');
    for (const b of [empty, sbomData, sigConfig, sigData]) await pushBlob('ref/app', b);

    // An artifact with its own artifactType and annotations.
    const sbom = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/vnd.example.sbom.v1',
      config: blobDesc(OCI_EMPTY, empty),
      layers: [blobDesc('application/vnd.cyclonedx+json', sbomData)],
      subject,
      annotations: { 'org.opencontainers.image.created': '2025-01-01T00:00:00Z' },
    });
    // One without artifactType: the referrers list names its config's media type instead.
    const sig = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: blobDesc('application/vnd.example.signature.config.v1+json', sigConfig),
      layers: [blobDesc('application/octet-stream', sigData)],
      subject,
    });
    // An index without artifactType: listed without one.
    const idx = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [], subject, annotations: { note: 'bundle' } });

    const put = await putRaw('ref/app', digestOf(sbom), sbom, OCI_MANIFEST);
    expect(put.status, put.body).toBe(201);
    expect(put.headers['oci-subject']).toBe(img.digest);
    expect((await putRaw('ref/app', digestOf(sig), sig, OCI_MANIFEST)).headers['oci-subject']).toBe(img.digest);
    expect((await putRaw('ref/app', 'bundle', idx, OCI_INDEX)).headers['oci-subject']).toBe(img.digest);
    // A manifest with no subject gets no OCI-Subject header.
    const plain = makeImage([10]);
    for (const b of [plain.config, ...plain.layers]) await pushBlob('ref/app', b);
    const plainPut = await putRaw('ref/app', 'plain', plain.manifest, OCI_MANIFEST);
    expect(plainPut.status).toBe(201);
    expect(plainPut.headers['oci-subject']).toBeUndefined();
    // The same subject in another repository is that repository's business.
    for (const b of [empty, sbomData]) await pushBlob('ref/other', b);
    expect((await putRaw('ref/other', digestOf(sbom), sbom, OCI_MANIFEST)).status).toBe(201);

    const r = await get(`/v2/ref/app/referrers/${img.digest}`);
    expect(r.status, r.body).toBe(200);
    expect(r.headers['content-type']).toBe(OCI_INDEX);
    expect(r.headers['oci-filters-applied']).toBeUndefined();
    // The spec gives the list no order, and the emulator's is push time then digest (two
    // pushes in one millisecond swap places), so the comparison sorts by digest.
    const listed = JSON.parse(r.body) as { manifests: { digest: string }[] };
    listed.manifests.sort((a, b) => a.digest.localeCompare(b.digest));
    expect(listed).toEqual({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: digestOf(sbom),
          size: Buffer.byteLength(sbom),
          artifactType: 'application/vnd.example.sbom.v1',
          annotations: { 'org.opencontainers.image.created': '2025-01-01T00:00:00Z' },
        },
        { mediaType: OCI_MANIFEST, digest: digestOf(sig), size: Buffer.byteLength(sig), artifactType: 'application/vnd.example.signature.config.v1+json' },
        { mediaType: OCI_INDEX, digest: digestOf(idx), size: Buffer.byteLength(idx), annotations: { note: 'bundle' } },
      ].sort((a, b) => a.digest.localeCompare(b.digest)),
    });

    const filtered = await get(`/v2/ref/app/referrers/${img.digest}?artifactType=${encodeURIComponent('application/vnd.example.sbom.v1')}`);
    expect(filtered.status).toBe(200);
    expect(filtered.headers['oci-filters-applied']).toBe('artifactType');
    const fm = (JSON.parse(filtered.body) as { manifests: { digest: string }[] }).manifests;
    expect(fm.map((m) => m.digest)).toEqual([digestOf(sbom)]);

    // A digest nothing refers to is an empty list, not a 404; a malformed one is a 400.
    const none = await get(`/v2/ref/app/referrers/${digestOf('nobody')}`);
    expect(none.status).toBe(200);
    expect(JSON.parse(none.body)).toEqual({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
    const bad = await get('/v2/ref/app/referrers/sha256:xyz');
    expect(bad.status).toBe(400);
    expect((await get(`/v2/ref/missing/referrers/${img.digest}`)).status).toBe(404);
  });

  it('accepts a referrer before its subject exists', async () => {
    const later = makeImage([50]);
    const empty = Buffer.from('{}');
    const note = Buffer.from('attestation');
    for (const b of [empty, note]) await pushBlob('ref/app', b);
    const att = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/vnd.example.attestation.v1',
      config: blobDesc(OCI_EMPTY, empty),
      layers: [blobDesc('text/plain', note)],
      subject: { mediaType: OCI_MANIFEST, digest: later.digest, size: Buffer.byteLength(later.manifest) },
    });
    const put = await putRaw('ref/app', digestOf(att), att, OCI_MANIFEST);
    expect(put.status, put.body).toBe(201);
    expect(put.headers['oci-subject']).toBe(later.digest);
    const r = await get(`/v2/ref/app/referrers/${later.digest}?artifactType=${encodeURIComponent('application/vnd.example.attestation.v1')}`);
    expect((JSON.parse(r.body) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest)).toEqual([digestOf(att)]);
  });
});

describe('an expired authorization token', () => {
  it('is refused with 403 DENIED and ECR’s wording, over raw HTTP and through skopeo', async () => {
    const img = makeImage([60]);
    await pushImage(ecr(), 'neg/app', img, 'expiry');
    const auth = await ecr().send(new GetAuthorizationTokenCommand({}));
    const data = auth.authorizationData![0]!;
    const old = Buffer.from(data.authorizationToken!, 'base64').toString('utf8').slice('AWS:'.length);
    const lifetime = data.expiresAt!.getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(11.9 * 3_600_000);
    try {
      // Just before expiry the token still works.
      await setClock(emu.url, lifetime - 60_000);
      expect((await get('/v2/neg/app/manifests/expiry', OCI_MANIFEST, 'GET', old)).status).toBe(200);

      await setClock(emu.url, lifetime + 60_000);
      for (const path of ['/v2/', '/v2/neg/app/manifests/expiry', '/v2/neg/app/tags/list', '/v2/_catalog']) {
        const r = await get(path, undefined, 'GET', old);
        expect(r.status, path).toBe(403);
        expect(r.headers['www-authenticate']).toBeUndefined();
        expect(JSON.parse(r.body)).toEqual({
          errors: [{ code: 'DENIED', message: 'Your authorization token has expired. Reauthenticate and try again.', detail: null }],
        });
      }
      const skopeo = await runSkopeo(['inspect', '--creds', `AWS:${old}`, '--tls-verify=false', `docker://${host}/neg/app:expiry`]);
      expect(skopeo.code).not.toBe(0);
      expect(skopeo.stderr).toContain('Your authorization token has expired. Reauthenticate and try again.');

      // Logging in again is the remedy.
      const fresh = await loginPassword(ecr());
      expect((await get('/v2/neg/app/manifests/expiry', OCI_MANIFEST, 'GET', fresh)).status).toBe(200);
    } finally {
      await setClock(emu.url, 0);
    }
  });
});
