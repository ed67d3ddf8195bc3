import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';

// The bucket list's AWS calls over a real emulator, counted where they arrive.
// The list itself is one ListBuckets for the whole account. Its versioning,
// website and access columns have no batch call in S3, so they cost a bounded,
// documented set: four reads (GetBucketVersioning, GetBucketWebsite,
// GetPublicAccessBlock, GetBucketPolicyStatus) per bucket on the page shown
// (at most 50), and none again for a minute.

let emu: SpawnedEmulator;
const BUCKETS = Array.from({ length: 12 }, (_, i) => `page-calls-list-${String(i).padStart(2, '0')}`);
const PER_BUCKET = ['GetBucketPolicyStatus', 'GetBucketVersioning', 'GetBucketWebsite', 'GetPublicAccessBlock'];

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed'] });
  for (const [k, v] of Object.entries({ AWS_ENDPOINT_URL: emu.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PROFILE: '', AWS_REGION: 'us-east-1' })) {
    vi.stubEnv(k, v);
  }
  const s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  for (const Bucket of BUCKETS) await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKETS[0], VersioningConfiguration: { Status: 'Enabled' } }));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emu?.stop();
});

/** Where the log stands once the calls made so far have all been logged. */
async function mark(): Promise<number> {
  let seen = -1;
  while (emu.stderr().length !== seen) {
    seen = emu.stderr().length;
    await new Promise((r) => setTimeout(r, 100));
  }
  return seen;
}

/** S3 operations logged after `since`, as [operation, bucket] pairs. */
async function callsSince(since: number): Promise<[string, string][]> {
  await mark();
  return [...emu.stderr().slice(since).matchAll(/ (?:GET|PUT|HEAD|POST|DELETE) \/([^/?\s]*)\S* -> s3\.(\w+) \d{3} /g)].map((m) => [m[2]!, m[1]!]);
}

describe('the bucket list', () => {
  it('reads the list once, and four flags for each bucket shown, only for those', async () => {
    const { getBucketFlags, knownBucketFlags, listBuckets } = await import('./buckets');
    let since = await mark();
    const all = (await listBuckets('us-east-1')).filter((b) => b.name.startsWith('page-calls-list-'));
    expect(all.map((b) => b.name)).toEqual(BUCKETS);
    expect((await callsSince(since)).map(([op]) => op)).toEqual(['ListBuckets']);

    // A page of five rows: twenty reads, four per row, none for the seven rows not shown.
    const shown = all.slice(0, 5);
    expect(knownBucketFlags(shown)).toBeNull();
    since = await mark();
    const flags = await getBucketFlags(shown);
    expect(flags.get(BUCKETS[0]!)?.versioning).toBe('Enabled');
    const calls = await callsSince(since);
    expect(calls).toHaveLength(4 * shown.length);
    for (const b of shown) expect(calls.filter(([, bucket]) => bucket === b.name).map(([op]) => op).sort()).toEqual(PER_BUCKET);

    // Within the minute: the page renders them at once, and asks nothing again.
    since = await mark();
    expect(knownBucketFlags(shown)?.get(BUCKETS[0]!)?.versioning).toBe('Enabled');
    await getBucketFlags(shown);
    expect(await callsSince(since)).toEqual([]);
    // A row that was not read yet is not known: the page streams that page's flags.
    expect(knownBucketFlags(all.slice(4, 6))).toBeNull();
  });
});
