import { createCipheriv, createHash } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { EmulatorEnv, SeedContext } from '../../core/types';
import { insertRepository, type NewRepository } from './repositories';
import { addLayer, MEDIA_TYPES, putImage } from './store';
import { gzipLayer } from './tarball';

/**
 * First-start demo data: repositories with real images whose config and
 * layer blobs exist in the blob store, so sizes are true to the bytes and the
 * registry can serve every one of them. Layers are deterministic
 * pseudo-random bytes (AES-CTR keystream over a per-layer seed), so every
 * data folder gets the same digests (and so the same simulated scan
 * findings). Base layers are shared between images, as they are in real
 * registries, which keeps the folder small (~25 MB) while reported image
 * sizes look realistic.
 */

const DAY = 86_400_000;
const LAYER_TYPE = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
const CONFIG_TYPE = 'application/vnd.docker.container.image.v1+json';

function bytes(seed: string, size: number): Buffer {
  const key = createHash('sha256').update(`berth-seed-layer:${seed}`).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  return cipher.update(Buffer.alloc(size));
}

/** A size between lo and hi picked from the seed, so each layer has its own stable size. */
function sizeFrom(seed: string, lo: number, hi: number): number {
  const n = createHash('sha256').update(`berth-seed-size:${seed}`).digest().readUInt32LE(0);
  return lo + (n % (hi - lo));
}

interface Blob {
  digest: string;
  size: number;
  /** Layers only: the digest of the uncompressed tar. */
  diffId?: string;
}

const BASES = {
  debian: { seed: 'base/debian-bookworm-slim', size: 2_400_000 },
  alpine: { seed: 'base/alpine-3.20', size: 900_000 },
  node: { seed: 'runtime/node-20', size: 1_700_000 },
  python: { seed: 'runtime/python-3.12', size: 1_500_000 },
  nginx: { seed: 'runtime/nginx-1.27', size: 800_000 },
  tools: { seed: 'layer/ca-certificates-tzdata', size: 350_000 },
} as const;

type BaseName = keyof typeof BASES;

interface SeedImage {
  /** Seed for the image's own (unique) layers. */
  id: string;
  bases: BaseName[];
  /** Unique app layers: [lo, hi) sizes. */
  appLayers: [number, number][];
  tags: string[];
  daysAgo: number;
  pulledDaysAgo?: number;
  scannedDaysAgo?: number;
  oci?: boolean;
}

class Seeder {
  private blobCache = new Map<string, Blob>();

  constructor(
    private readonly env: EmulatorEnv,
    private readonly region: string,
  ) {}

  private async blob(key: string, data: () => Buffer): Promise<Blob> {
    const hit = this.blobCache.get(key);
    if (hit) return hit;
    const stored = await this.env.blobs.put(data());
    const b = { digest: `sha256:${stored.sha256}`, size: stored.size };
    this.blobCache.set(key, b);
    return b;
  }

  private async layer(seed: string, size: number): Promise<Blob> {
    const hit = this.blobCache.get(seed);
    if (hit) return hit;
    const l = gzipLayer([{ name: `opt/berth-demo/${seed.replace(/[^a-z0-9.-]+/gi, '-')}.bin`, data: bytes(seed, size) }]);
    const stored = await this.env.blobs.put(l.blob);
    const b = { digest: `sha256:${stored.sha256}`, size: stored.size, diffId: l.diffId };
    this.blobCache.set(seed, b);
    return b;
  }

  async image(repo: string, img: SeedImage): Promise<string> {
    const now = this.env.now();
    const layers: (Blob & { mediaType: string })[] = [];
    for (const b of img.bases) {
      const base = BASES[b];
      layers.push({ ...(await this.layer(base.seed, base.size)), mediaType: LAYER_TYPE });
    }
    for (const [i, [lo, hi]] of img.appLayers.entries()) {
      const seed = `${repo}/${img.id}/layer${i}`;
      layers.push({ ...(await this.layer(seed, sizeFrom(seed, lo, hi))), mediaType: LAYER_TYPE });
    }
    // The config's dates are fixed per image (not "now"), so digests do not change between data folders.
    const created = new Date(Date.UTC(2025, 0, 1) + (img.id.length * 7919 + img.daysAgo * 3_600_000)).toISOString();
    const config = JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created,
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Labels: { 'org.opencontainers.image.source': `https://example.invalid/${repo}`, 'berth.seed': img.id } },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map((_, i) => ({ created, created_by: `/bin/sh -c #(nop) seeded layer ${i}` })),
    });
    const cfg = await this.blob(`config:${repo}/${img.id}`, () => Buffer.from(config));
    for (const l of layers) addLayer(this.env, this.region, repo, l.digest, l.size, l.mediaType);
    addLayer(this.env, this.region, repo, cfg.digest, cfg.size, img.oci ? 'application/vnd.oci.image.config.v1+json' : CONFIG_TYPE);
    const manifest = JSON.stringify(
      img.oci
        ? {
            schemaVersion: 2,
            mediaType: MEDIA_TYPES.ociManifest,
            config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: cfg.digest, size: cfg.size },
            layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size })),
          }
        : {
            schemaVersion: 2,
            mediaType: MEDIA_TYPES.dockerManifest,
            config: { mediaType: CONFIG_TYPE, digest: cfg.digest, size: cfg.size },
            layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
          },
      null,
      3,
    );
    const pushedAtMs = now - img.daysAgo * DAY - sizeFrom(img.id, 0, 6 * 3_600_000);
    return this.put(repo, manifest, img.tags, pushedAtMs, img);
  }

  async index(repo: string, children: string[], tags: string[], daysAgo: number): Promise<string> {
    const sizes = children.map((d) => {
      const row = this.env.db
        .prepare('SELECT length(CAST(manifest AS BLOB)) AS n FROM ecr_images WHERE region = ? AND repository_name = ? AND digest = ?')
        .get(this.region, repo, d) as { n: number };
      return row.n;
    });
    const platforms = [
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
    ];
    const manifest = JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: children.map((d, i) => ({ mediaType: MEDIA_TYPES.ociManifest, digest: d, size: sizes[i] ?? 0, platform: platforms[i % 2] })),
      },
      null,
      3,
    );
    return this.put(repo, manifest, tags, this.env.now() - daysAgo * DAY, { daysAgo });
  }

  private put(repo: string, manifest: string, tags: string[], pushedAtMs: number, img: Partial<SeedImage>): string {
    let digest = '';
    for (const tag of tags.length ? tags : [undefined]) {
      digest = putImage(this.env, { region: this.region, repository: repo, manifest, tag, idempotent: true, pushedAtMs }).digest;
    }
    const now = this.env.now();
    const db = this.env.db;
    if (img.pulledDaysAgo !== undefined) {
      db.prepare('UPDATE ecr_images SET last_pull_ms = ? WHERE region = ? AND repository_name = ? AND digest = ?').run(
        now - img.pulledDaysAgo * DAY,
        this.region,
        repo,
        digest,
      );
    }
    if (img.scannedDaysAgo !== undefined) {
      db.prepare(`UPDATE ecr_images SET scan_started_ms = ?, scan_status = 'MANUAL' WHERE region = ? AND repository_name = ? AND digest = ?`).run(
        now - img.scannedDaysAgo * DAY,
        this.region,
        repo,
        digest,
      );
    }
    return digest;
  }
}

function createRepo(env: EmulatorEnv, r: NewRepository): void {
  try {
    insertRepository(env, r);
  } catch (err) {
    // A re-run after an interrupted seed finds some already there.
    if (!(err instanceof AwsError && err.code === 'RepositoryAlreadyExistsException')) throw err;
  }
}

export const DEMO_LIFECYCLE_POLICY = JSON.stringify(
  {
    rules: [
      {
        rulePriority: 1,
        description: 'Keep the three most recent release images',
        selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 3 },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: 'Expire untagged images older than 14 days',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
        action: { type: 'expire' },
      },
    ],
  },
  null,
  2,
);

export const TEAM_API_POLICY = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowPullFromCiAndDeploy',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::123456789012:role/ci-builder', 'arn:aws:iam::123456789012:role/deployer'] },
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
      },
    ],
  },
  null,
  2,
);

export async function seedEcr({ env, region }: SeedContext): Promise<void> {
  createRepo(env, { region, name: 'demo-app-repo', tags: [{ Key: 'team', Value: 'platform' }] });
  createRepo(env, { region, name: 'team/api', tagMutability: 'IMMUTABLE', scanOnPush: true, tags: [{ Key: 'team', Value: 'api' }] });
  createRepo(env, { region, name: 'team/web' });
  createRepo(env, { region, name: 'empty-repo' });
  createRepo(env, { region, name: 'team/batch-jobs' });

  const s = new Seeder(env, region);
  const app: [number, number][] = [
    [250_000, 600_000],
    [20_000, 90_000],
  ];

  // demo-app-repo: releases, commit builds and two untagged leftovers.
  const demo: SeedImage[] = [
    { id: 'demo-1.2.0', bases: ['debian', 'node'], appLayers: app, tags: ['v1.2.0'], daysAgo: 118, pulledDaysAgo: 90 },
    { id: 'demo-1.3.0', bases: ['debian', 'node'], appLayers: app, tags: ['v1.3.0'], daysAgo: 96, pulledDaysAgo: 60 },
    { id: 'demo-untagged-a', bases: ['debian', 'node'], appLayers: app, tags: [], daysAgo: 75 },
    { id: 'demo-1.4.0', bases: ['debian', 'node'], appLayers: app, tags: ['v1.4.0'], daysAgo: 61, pulledDaysAgo: 40 },
    { id: 'demo-sha-3f9a2c1', bases: ['debian', 'node'], appLayers: app, tags: ['sha-3f9a2c1'], daysAgo: 44 },
    { id: 'demo-1.4.1', bases: ['debian', 'node'], appLayers: app, tags: ['v1.4.1', 'sha-8b41d07'], daysAgo: 30, pulledDaysAgo: 12, scannedDaysAgo: 29 },
    { id: 'demo-untagged-b', bases: ['debian', 'node'], appLayers: app, tags: [], daysAgo: 20 },
    { id: 'demo-sha-c07e5d9', bases: ['debian', 'node'], appLayers: app, tags: ['sha-c07e5d9'], daysAgo: 9 },
    { id: 'demo-1.4.2', bases: ['debian', 'node'], appLayers: app, tags: ['latest', 'v1.4.2', 'sha-e1a94b3'], daysAgo: 3, pulledDaysAgo: 0, scannedDaysAgo: 2 },
  ];
  for (const img of demo) await s.image('demo-app-repo', img);

  // team/api: immutable tags, scan on push (so every image has simulated findings).
  const api: SeedImage[] = [
    { id: 'api-2025.01.0', bases: ['debian', 'python'], appLayers: app, tags: ['2025.01.0'], daysAgo: 110 },
    { id: 'api-2025.02.0', bases: ['debian', 'python'], appLayers: app, tags: ['2025.02.0'], daysAgo: 80, pulledDaysAgo: 50 },
    { id: 'api-2025.03.0', bases: ['debian', 'python', 'tools'], appLayers: app, tags: ['2025.03.0'], daysAgo: 52, pulledDaysAgo: 20 },
    { id: 'api-2025.03.1', bases: ['debian', 'python', 'tools'], appLayers: app, tags: ['2025.03.1'], daysAgo: 33, pulledDaysAgo: 6 },
    { id: 'api-2025.04.0', bases: ['debian', 'python', 'tools'], appLayers: app, tags: ['2025.04.0', 'prod-2025-04'], daysAgo: 12, pulledDaysAgo: 1 },
    { id: 'api-2025.04.1', bases: ['debian', 'python', 'tools'], appLayers: app, tags: ['2025.04.1'], daysAgo: 1 },
  ];
  for (const img of api) await s.image('team/api', img);

  // team/web: nginx images plus one multi-platform index whose children are untagged.
  const web: SeedImage[] = [
    { id: 'web-41', bases: ['alpine', 'nginx'], appLayers: [[150_000, 400_000]], tags: ['build-41'], daysAgo: 70, pulledDaysAgo: 65 },
    { id: 'web-42', bases: ['alpine', 'nginx'], appLayers: [[150_000, 400_000]], tags: ['build-42'], daysAgo: 35 },
    { id: 'web-43', bases: ['alpine', 'nginx'], appLayers: [[150_000, 400_000]], tags: ['build-43', 'stable'], daysAgo: 14, pulledDaysAgo: 2 },
  ];
  for (const img of web) await s.image('team/web', img);
  const amd = await s.image('team/web', { id: 'web-44-amd64', bases: ['alpine', 'nginx'], appLayers: [[150_000, 400_000]], tags: [], daysAgo: 2, oci: true });
  const arm = await s.image('team/web', { id: 'web-44-arm64', bases: ['alpine', 'nginx'], appLayers: [[150_000, 400_000]], tags: [], daysAgo: 2, oci: true });
  await s.index('team/web', [amd, arm], ['build-44', 'latest'], 2);

  // team/batch-jobs: ~60 nightly builds over four months, some untagged.
  for (let i = 0; i < 60; i++) {
    const daysAgo = 119 - i * 2;
    const date = new Date(Date.UTC(2025, 0, 1) + i * 2 * DAY).toISOString().slice(0, 10).replace(/-/g, '');
    const tags = i === 59 ? [`nightly-${date}`, 'latest'] : i % 7 === 3 ? [] : [`nightly-${date}`];
    await s.image('team/batch-jobs', {
      id: `batch-${i}`,
      bases: ['alpine', i % 3 === 0 ? 'python' : 'tools'],
      appLayers: [[40_000, 160_000]],
      tags,
      daysAgo,
      pulledDaysAgo: i % 4 === 0 ? Math.max(0, daysAgo - 1) : undefined,
    });
  }

  env.db.prepare('UPDATE ecr_repositories SET lifecycle_policy = ? WHERE region = ? AND name = ?').run(DEMO_LIFECYCLE_POLICY, region, 'demo-app-repo');
  env.db.prepare('UPDATE ecr_repositories SET repository_policy = ? WHERE region = ? AND name = ?').run(TEAM_API_POLICY, region, 'team/api');
}
