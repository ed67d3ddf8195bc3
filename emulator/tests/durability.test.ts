import Database from 'better-sqlite3';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, paginateListObjectsV2, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ecrClient, sigV4For, s3Client } from '../test-support/clients';
import { basicAuth, digestOf, loginPassword, makeImage, pushImage } from '../test-support/ecr';
import { rawRequest } from '../test-support/raw-http';
import { signHeaders } from '../test-support/sign';
import { spawnEmulator, tempDir } from '../test-support/spawn';

async function repoNames(url: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateDescribeRepositories({ client: ecrClient(url), pageSize: 1000 }, {})) {
    names.push(...(page.repositories ?? []).map((r) => r.repositoryName!));
  }
  return names;
}

async function objectKeys(s3: S3Client, Bucket: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket })) keys.push(...(page.Contents ?? []).map((o) => o.Key!));
  return keys;
}

async function objectBytes(s3: S3Client, Bucket: string, Key: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from(await got.Body!.transformToByteArray());
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

  it('keeps a small S3 object acknowledged just before kill -9', async () => {
    // Small bodies are stored in SQLite rather than as files (core/blobs.ts):
    // this one is killed right after its answer, with nothing else in between.
    const dataDir = dataDirForTest();
    const first = await spawnEmulator({ dataDir, args: ['--no-seed', '--quiet'] });
    const bytes = randomBytes(1024);
    const s3 = s3Client(first.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'crash-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'crash-bucket', Key: 'small.bin', Body: bytes }));
    await first.kill9();

    const second = await spawnEmulator({ dataDir, args: ['--no-seed', '--quiet'] });
    try {
      expect((await objectBytes(s3Client(second.url), 'crash-bucket', 'small.bin')).equals(bytes)).toBe(true);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('keeps every S3 write answered before kill -9 in a burst, and each one it was writing is whole or absent', async () => {
    const dataDir = dataDirForTest();
    const first = await spawnEmulator({ dataDir, args: ['--no-seed', '--quiet'] });
    const s3 = s3Client(first.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'burst-bucket' }));
    // Sizes on both sides of the blob store's inline limit (64 KiB) and past its in-memory buffering.
    const sizes = [1024, 70 * 1024, 300 * 1024];
    const sent = new Map<string, Buffer>();
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const Key = `burst/w${w}-${i}`;
        const Body = randomBytes(sizes[(w + i) % sizes.length]!);
        sent.set(Key, Body);
        try {
          await s3.send(new PutObjectCommand({ Bucket: 'burst-bucket', Key, Body }));
          acknowledged.push(Key);
        } catch {
          return; // the process died under us
        }
      }
    };
    const writers = Array.from({ length: 12 }, (_, w) => writer(w));
    // Kill with writes in flight, once enough have been answered to mean something.
    const deadline = Date.now() + 30_000;
    while (acknowledged.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await first.kill9();
    stop = true;
    await Promise.all(writers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);

    const second = await spawnEmulator({ dataDir, args: ['--no-seed', '--quiet'] });
    try {
      const s3b = s3Client(second.url);
      const keys = new Set(await objectKeys(s3b, 'burst-bucket'));
      for (const k of acknowledged) expect(keys.has(k), k).toBe(true);
      // Every key there, answered or not, holds exactly the bytes sent for it.
      for (const k of keys) expect((await objectBytes(s3b, 'burst-bucket', k)).equals(sent.get(k)!), k).toBe(true);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('leaves no trace of a PutObject whose body was cut off by kill -9', async () => {
    const dataDir = dataDirForTest();
    const first = await spawnEmulator({ dataDir, args: ['--no-seed', '--quiet'] });
    await s3Client(first.url).send(new CreateBucketCommand({ Bucket: 'cut-bucket' }));
    // Half of a declared 200 KiB (past the in-memory part, so a temp file exists) and half of a small one.
    const cut = async (Key: string, size: number) => {
      const u = new URL(first.url);
      const path = `/cut-bucket/${Key}`;
      const headers = await signHeaders({ service: 's3' }, { method: 'PUT', path, headers: { host: u.host, 'Content-Length': String(size), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
      const req = http.request({ host: u.hostname, port: u.port, method: 'PUT', path, headers });
      req.on('error', () => {});
      req.write(randomBytes(size / 2));
      return req;
    };
    const pending = await Promise.all([cut('big-half.bin', 200 * 1024), cut('small-half.bin', 2048)]);
    // Give the emulator time to take in the first halves.
    await new Promise((r) => setTimeout(r, 500));
    await first.kill9();
    for (const req of pending) req.destroy();

    const second = await spawnEmulator({ dataDir, args: ['--no-seed', '--quiet'] });
    try {
      expect(await objectKeys(s3Client(second.url), 'cut-bucket')).toEqual([]);
      expect(fs.readdirSync(path.join(dataDir, 'blobs', 'tmp'))).toEqual([]);
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
              Authorization: sigV4For('ecr'),
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
      // Every write that was answered 200 had reached the kernel (WAL, synchronous=NORMAL), so it is there.
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
