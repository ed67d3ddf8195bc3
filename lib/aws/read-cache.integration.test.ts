import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateRepositoryCommand, DescribeImagesCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { s3Config } from '@/emulator/test-support/cloudfront';
import { describe as blob, makeImage, ociManifest, OCI_CONFIG, OCI_LAYER, OCI_MANIFEST, pushImage } from '@/emulator/test-support/ecr';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';
import { consoleAgainst, stopConsoleEmulator } from '@/test/console-env';

// The shared read cache over a real emulator, with every AWS call counted
// from the emulator's own request log: a repeat view within the cache's time
// makes no call, the image-count fan-out of the repositories list is one
// DescribeImages page per row whatever a repository holds, and Berth's own
// writes are seen at once.

let emu: SpawnedEmulator;
let ecr: ECRClient;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGION = 'us-east-1';
const BIG = 'shared/big';
const BIG_IMAGES = 2_500;
const SMALL = Array.from({ length: 12 }, (_, i) => `shared/small-${String(i).padStart(2, '0')}`);

/** Fresh lib modules (and a fresh shared cache) under these credentials. */
async function load(accessKeyId = 'test') {
  consoleAgainst(emu.url, { key: { id: accessKeyId, secret: accessKeyId }, region: REGION, env: { BERTH_READ_CACHE_SECONDS: '30' } });
  const cache = await import('./read-cache');
  return {
    ...cache,
    ...(await import('@/lib/ecr/repositories')),
    ...(await import('@/lib/ecr/images')),
    ...(await import('@/lib/ecr/stats')),
    ...(await import('@/lib/s3/buckets')),
    ...(await import('@/lib/cloudfront/distributions')),
  };
}

/** The AWS calls `fn` made, by operation, read from the emulator's request log between two markers. */
async function calls<T>(fn: () => Promise<T>): Promise<{ value: T; made: Record<string, number> }> {
  const id = randomUUID();
  const mark = async (at: string) => {
    await fetch(`${emu.url}/read-cache-mark-${at}-${id}`);
    await vi.waitFor(() => expect(emu.stderr()).toContain(`read-cache-mark-${at}-${id}`), { timeout: 10_000 });
  };
  await mark('start');
  const value = await fn();
  await mark('end');
  const log = emu.stderr();
  const between = log.slice(log.indexOf(`read-cache-mark-start-${id}`), log.indexOf(`read-cache-mark-end-${id}`));
  const made: Record<string, number> = {};
  for (const m of between.matchAll(/ -> (\w+\.\w+) \d{3} /g)) if (!m[1]!.endsWith('.ListObjects')) made[m[1]!] = (made[m[1]!] ?? 0) + 1;
  return { value, made };
}

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed', '--deploy-delay-ms', '0'] });
  ecr = new ECRClient({ endpoint: emu.url, region: REGION, credentials });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: BIG }));
  for (const name of SMALL) await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
  await pushImage(ecr, SMALL[0]!, makeImage([1024]), 'v1');
  // 2,500 images sharing one config and layer: distinct manifests, pushed as the registry API would store them.
  const base = makeImage([512]);
  await pushImage(ecr, BIG, base, 'base');
  const config = blob(OCI_CONFIG, base.config);
  const layers = base.layers.map((l) => blob(OCI_LAYER, l));
  for (let i = 1; i < BIG_IMAGES; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, BIG_IMAGES - i) }, (_, j) =>
        ecr.send(new PutImageCommand({ repositoryName: BIG, imageManifest: ociManifest(config, layers, { n: String(i + j) }), imageManifestMediaType: OCI_MANIFEST, imageTag: `build-${i + j}` })),
      ),
    );
  }
}, 300_000);
afterAll(() => stopConsoleEmulator(emu));
beforeEach(async () => {
  (await load()).sharedReads().clear();
});

describe('the repositories list', () => {
  it('costs one DescribeImages page per row, even for 2,500 images, and a repeat view makes no call', async () => {
    const m = await load();
    const view = async () => {
      const repos = (await m.readRepositories(REGION)).value;
      return m.getRepositoryStats(REGION, repos.map((r) => r.name));
    };
    const cold = await calls(view);
    expect(cold.made).toEqual({ 'ecr.DescribeRepositories': 1, 'ecr.DescribeImages': SMALL.length + 1 });
    expect(cold.value.get(BIG)).toMatchObject({ imageCount: 1000, complete: false });
    expect(cold.value.get(SMALL[0]!)).toMatchObject({ imageCount: 1, complete: true });
    expect(cold.value.get(SMALL[1]!)).toMatchObject({ imageCount: 0, totalBytes: 0, complete: true });

    const warm = await calls(view);
    expect(warm.made).toEqual({});
    expect(warm.value.get(BIG)).toEqual(cold.value.get(BIG));
  });

  it('shows the exact figure once the repository page has read every image', async () => {
    const m = await load();
    const page = await calls(() => m.readImages(REGION, BIG));
    expect(page.made).toEqual({ 'ecr.DescribeImages': 3 });
    expect(page.value.value).toHaveLength(BIG_IMAGES);
    const list = await calls(() => m.getRepositoryStats(REGION, [BIG]));
    expect(list.made).toEqual({});
    expect(list.value.get(BIG)).toMatchObject({ imageCount: BIG_IMAGES, complete: true });
  });

  it('keeps an exact figure from the repository page for the hour; a one-page figure is served stale after five minutes and refreshed in the background', async () => {
    const m = await load();
    await m.readImages(REGION, BIG);
    const small = SMALL[0]!;
    const first = (await m.getRepositoryStats(REGION, [small])).get(small)!;
    // Ten minutes on (signatures stay within AWS's 15 minutes of clock skew).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10 * 60_000);
    try {
      const later = await calls(() => m.getRepositoryStats(REGION, [BIG, small]));
      expect(later.value.get(BIG)).toMatchObject({ imageCount: BIG_IMAGES, complete: true });
      // The small one's last figure, at once; its refresh is the only call, made in the background.
      expect(later.value.get(small)).toEqual(first);
      expect(later.made['ecr.DescribeImages'] ?? 0).toBeLessThanOrEqual(1);
      await vi.waitFor(async () => expect((await m.getRepositoryStats(REGION, [small])).get(small)!.readAt).toBeGreaterThan(first.readAt), { timeout: 10_000 });
      // No background read replaced the exact figure with a one-page "1,000+".
      await new Promise((r) => setTimeout(r, 500));
      expect((await m.getRepositoryStats(REGION, [BIG])).get(BIG)).toMatchObject({ imageCount: BIG_IMAGES, complete: true });
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps no failed read: a repository it cannot read is "—" and asked again next view', async () => {
    const m = await load();
    const first = await calls(() => m.getRepositoryStats(REGION, ['shared/not-there']));
    expect(first.value.get('shared/not-there')).toBeNull();
    const again = await calls(() => m.getRepositoryStats(REGION, ['shared/not-there']));
    expect([first.made, again.made]).toEqual([{ 'ecr.DescribeImages': 1 }, { 'ecr.DescribeImages': 1 }]);
  });

  it('sees a repository created or deleted through Berth at once', async () => {
    const m = await load();
    await m.readRepositories(REGION);
    await m.createRepository(REGION, { name: 'shared/made-here', region: REGION, tagMutability: 'MUTABLE', scanOnPush: false, encryption: 'AES256' } as never);
    const after = await calls(() => m.readRepositories(REGION));
    expect(after.made).toEqual({ 'ecr.DescribeRepositories': 1 });
    expect(after.value.value.map((r) => r.name)).toContain('shared/made-here');
    await m.deleteRepository(REGION, 'shared/made-here', true);
    expect((await m.readRepositories(REGION)).value.map((r) => r.name)).not.toContain('shared/made-here');
  });
});

describe('a repository page', () => {
  it('takes the repository from the shared list when it is there, and asks for it alone when not', async () => {
    const m = await load();
    const alone = await calls(() => m.getRepository(REGION, BIG));
    expect(alone.made).toEqual({ 'ecr.DescribeRepositories': 1 });
    await m.readRepositories(REGION);
    const listed = await calls(() => m.getRepository(REGION, BIG));
    expect(listed.made).toEqual({});
    expect(listed.value).toEqual(alone.value);
    const missing = await calls(() => m.getRepository(REGION, 'shared/not-there'));
    expect([missing.value, missing.made]).toEqual([null, { 'ecr.DescribeRepositories': 1 }]);
  });
});

describe('a repository of 2,500 images', () => {
  it('is read once for identical views in flight, and a repeat view makes no DescribeImages call', async () => {
    const m = await load();
    const ten = await calls(() => Promise.all(Array.from({ length: 10 }, () => m.readImages(REGION, BIG))));
    expect(ten.made).toEqual({ 'ecr.DescribeImages': 3 });
    expect(new Set(ten.value.map((r) => r.value)).size).toBe(1);
    const again = await calls(() => m.readImages(REGION, BIG));
    expect(again.made).toEqual({});
  });

  it('shows an image deleted through Berth as gone at once, on the page and in the list', async () => {
    const m = await load();
    const before = (await m.readImages(REGION, BIG)).value;
    const victim = before.find((i) => i.tags.includes('build-7'))!;
    await m.deleteImages(REGION, BIG, [victim.digest]);
    const after = await calls(() => m.readImages(REGION, BIG));
    expect(after.made).toEqual({ 'ecr.DescribeImages': 3 });
    expect(after.value.value).toHaveLength(BIG_IMAGES - 1);
    expect((await m.getRepositoryStats(REGION, [BIG])).get(BIG)).toMatchObject({ imageCount: BIG_IMAGES - 1, complete: true });
    // Only that image went.
    const kept = (await ecr.send(new DescribeImagesCommand({ repositoryName: BIG, imageIds: [{ imageTag: 'build-8' }] }))).imageDetails!;
    expect(kept).toHaveLength(1);
  });

  it('does not leak between two identities: another key asks AWS itself', async () => {
    const a = await load('test');
    await a.readImages(REGION, SMALL[0]!);
    expect((await calls(() => a.readImages(REGION, SMALL[0]!))).made).toEqual({});
    // Same process, same shared cache, other credentials.
    const b = await load('readonly');
    const other = await calls(() => b.readImages(REGION, SMALL[0]!));
    expect(other.made).toEqual({ 'ecr.DescribeImages': 1 });
    // Both answers are kept side by side in the one cache.
    expect((await calls(() => a.readImages(REGION, SMALL[0]!))).made).toEqual({});
    expect((await calls(() => b.readImages(REGION, SMALL[0]!))).made).toEqual({});
  });
});

describe('buckets and distributions', () => {
  it('lists buckets once per window, and sees a bucket Berth creates at once', async () => {
    const m = await load();
    await new S3Client({ endpoint: emu.url, region: REGION, forcePathStyle: true, credentials }).send(new CreateBucketCommand({ Bucket: 'shared-theirs' }));
    const first = await calls(() => m.readBuckets(REGION));
    const second = await calls(() => m.readBuckets(REGION));
    expect([first.made, second.made]).toEqual([{ 's3.ListBuckets': 1 }, {}]);
    await m.createBucket({ name: 'shared-ours', region: REGION, versioning: false, blockPublicAccess: true });
    const after = await calls(() => m.readBuckets(REGION));
    expect(after.made).toEqual({ 's3.ListBuckets': 1 });
    expect(after.value.value.map((b) => b.name)).toEqual(['shared-ours', 'shared-theirs']);
    await m.deleteBucket('shared-ours');
    expect((await m.readBuckets(REGION)).value.map((b) => b.name)).toEqual(['shared-theirs']);
  });

  it('lists distributions once per window, and sees a change made through Berth at once', async () => {
    const m = await load();
    const cf = new CloudFrontClient({ endpoint: emu.url, region: REGION, credentials });
    const made = await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('shared-theirs') }));
    const id = made.Distribution!.Id!;
    await vi.waitFor(async () => expect((await m.listDistributions()).find((d) => d.id === id)?.status).toBe('Deployed'), { timeout: 20_000 });
    const first = await calls(() => m.readDistributions());
    const second = await calls(() => m.readDistributions());
    expect([first.made, second.made]).toEqual([{ 'cloudfront.ListDistributions': 1 }, {}]);
    expect(second.value.value.find((d) => d.id === id)?.enabled).toBe(true);
    await m.setDistributionEnabled(id, false);
    const after = await calls(() => m.readDistributions());
    expect(after.made).toEqual({ 'cloudfront.ListDistributions': 1 });
    expect(after.value.value.find((d) => d.id === id)?.enabled).toBe(false);
  });
});
