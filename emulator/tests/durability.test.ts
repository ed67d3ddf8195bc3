import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ecrClient, fakeSigV4, s3Client } from '../test-support/clients';
import { basicAuth, digestOf, loginPassword, makeImage, pushImage } from '../test-support/ecr';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, tempDir } from '../test-support/spawn';

async function repoNames(url: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateDescribeRepositories({ client: ecrClient(url), pageSize: 1000 }, {})) {
    names.push(...(page.repositories ?? []).map((r) => r.repositoryName!));
  }
  return names;
}

const dirs: string[] = [];
function dataDirForTest(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps an S3 object byte for byte across kill -9 and restart', async () => {
    const dataDir = dataDirForTest();
    const first = await spawnEmulator({ dataDir, args: ['--no-seed', '--quiet'] });
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const s3 = s3Client(first.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'crash-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'crash-bucket', Key: 'blob.bin', Body: bytes }));
    await first.kill9();

    const second = await spawnEmulator({ dataDir, args: ['--no-seed', '--quiet'] });
    try {
      const got = await s3Client(second.url).send(new GetObjectCommand({ Bucket: 'crash-bucket', Key: 'blob.bin' }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('keeps a repository across kill -9 and restart', async () => {
    const dataDir = dataDirForTest();
    const first = await spawnEmulator({ dataDir });
    await ecrClient(first.url).send(new CreateRepositoryCommand({ repositoryName: 'survivor' }));
    await first.kill9();

    const second = await spawnEmulator({ dataDir });
    try {
      const out = await ecrClient(second.url).send(new DescribeRepositoriesCommand({ repositoryNames: ['survivor'] }));
      expect(out.repositories?.[0]?.repositoryName).toBe('survivor');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('leaves a sound database after kill -9 in the middle of a burst of writes', async () => {
    const dataDir = dataDirForTest();
    const first = await spawnEmulator({ dataDir, args: ['--quiet'] });
    const acknowledged: string[] = [];
    const attempts: Promise<void>[] = [];
    // Keep writes in flight continuously until the kill.
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const name = `burst/w${w}-${i}`;
        try {
          const res = await rawRequest(first.url, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/x-amz-json-1.1',
              'X-Amz-Target': 'AmazonEC2ContainerRegistry_V20150921.CreateRepository',
              Authorization: fakeSigV4('ecr'),
            },
            body: JSON.stringify({ repositoryName: name, tags: [{ Key: 'payload', Value: 'x'.repeat(200) }] }),
          });
          if (res.status === 200) acknowledged.push(name);
        } catch {
          return; // the process died under us
        }
      }
    };
    for (let w = 0; w < 16; w++) attempts.push(writer(w));
    await new Promise((r) => setTimeout(r, 700));
    await first.kill9();
    stop = true;
    await Promise.all(attempts);
    expect(acknowledged.length).toBeGreaterThan(10);

    // The file opens and passes SQLite's own check (this also replays the WAL).
    const db = new Database(path.join(dataDir, 'emulator.sqlite'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const second = await spawnEmulator({ dataDir, args: ['--quiet'] });
    try {
      const names = new Set(await repoNames(second.url));
      // synchronous=FULL: every write that was answered 200 is on disk.
      for (const n of acknowledged) expect(names.has(n), n).toBe(true);
      await ecrClient(second.url).send(new CreateRepositoryCommand({ repositoryName: 'after-crash' }));
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('seeds once: a deleted seeded repository stays deleted after restart', async () => {
    const dataDir = dataDirForTest();
    const first = await spawnEmulator({ dataDir });
    const seeded = await repoNames(first.url);
    expect(seeded.sort()).toEqual(['demo-app-repo', 'empty-repo', 'team/api', 'team/batch-jobs', 'team/web']);
    const buckets = (await s3Client(first.url).send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(buckets).toEqual(['berth-demo-assets', 'berth-demo-data', 'berth-demo-logs', 'berth-demo-site']);
    await ecrClient(first.url).send(new DeleteRepositoryCommand({ repositoryName: 'empty-repo' }));
    // SIGTERM closes cleanly and exits 0.
    expect(await first.stop()).toBe(0);

    const second = await spawnEmulator({ dataDir });
    try {
      expect((await repoNames(second.url)).sort()).toEqual(['demo-app-repo', 'team/api', 'team/batch-jobs', 'team/web']);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('starts empty with --no-seed', async () => {
    const emu = await spawnEmulator({ args: ['--no-seed'] });
    try {
      expect(await repoNames(emu.url)).toEqual([]);
      const health = await rawRequest(emu.url, { path: '/_emulator/health' });
      expect(health.status).toBe(200);
    } finally {
      expect(await emu.stop()).toBe(0);
    }
  });

  it('keeps pushed images across kill -9: describable, pullable, with the same simulated findings', async () => {
    const dataDir = dataDirForTest();
    const args = ['--quiet', '--scan-delay-ms', '0'];
    const first = await spawnEmulator({ dataDir, args });
    const ecr1 = ecrClient(first.url);
    await ecr1.send(new CreateRepositoryCommand({ repositoryName: 'survivor/app', imageScanningConfiguration: { scanOnPush: true } }));
    const img = makeImage([50_000, 1_000]);
    await pushImage(ecr1, 'survivor/app', img, 'v1');
    const findings = async (url: string, repositoryName: string, imageTag: string) =>
      (await ecrClient(url).send(new DescribeImageScanFindingsCommand({ repositoryName, imageId: { imageTag } }))).imageScanFindings?.findings;
    const before = await findings(first.url, 'survivor/app', 'v1');
    const seededBefore = await findings(first.url, 'team/api', '2025.04.1');
    expect(seededBefore?.length).toBeGreaterThan(0);
    await first.kill9();

    const second = await spawnEmulator({ dataDir, args });
    try {
      const d = await ecrClient(second.url).send(new DescribeImagesCommand({ repositoryName: 'survivor/app', imageIds: [{ imageTag: 'v1' }] }));
      expect(d.imageDetails?.[0]).toMatchObject({ imageDigest: img.digest, imageSizeInBytes: img.size, imageTags: ['v1'] });
      expect(await findings(second.url, 'survivor/app', 'v1')).toEqual(before);

      const auth = { Authorization: basicAuth(await loginPassword(ecrClient(second.url))) };
      const manifest = await fetch(`${second.url}/v2/survivor/app/manifests/v1`, { headers: auth });
      expect(manifest.status).toBe(200);
      expect(await manifest.text()).toBe(img.manifest);
      for (const blob of [img.config, ...img.layers]) {
        const res = await fetch(`${second.url}/v2/survivor/app/blobs/${digestOf(blob)}`, { headers: auth });
        expect(Buffer.from(await res.arrayBuffer()).equals(blob)).toBe(true);
      }
    } finally {
      expect(await second.stop()).toBe(0);
    }

    // Another data folder seeds the same digests, so the same findings.
    const other = await spawnEmulator({ args: ['--quiet'] });
    try {
      expect(await findings(other.url, 'team/api', '2025.04.1')).toEqual(seededBefore);
    } finally {
      expect(await other.stop()).toBe(0);
    }
  });
});
