import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';
import type { FaultRule } from '@/emulator/core/faults';

// The bucket list's AWS calls over a real emulator, counted where they arrive.
// The list itself is one ListBuckets for the whole account. Its versioning,
// website and access columns have no batch call in S3, so they cost a bounded,
// documented set: four reads (GetBucketVersioning, GetBucketWebsite,
// GetPublicAccessBlock, GetBucketPolicyStatus) per bucket on the page shown
// (at most 50), kept in the shared read cache like the list: per identity, and
// forgotten by Berth's own writes to the bucket and by the list's Refresh.

let emu: SpawnedEmulator;
const BUCKETS = Array.from({ length: 12 }, (_, i) => `page-calls-list-${String(i).padStart(2, '0')}`);
const PER_BUCKET = ['GetBucketPolicyStatus', 'GetBucketVersioning', 'GetBucketWebsite', 'GetPublicAccessBlock'];

/** Signs the calls Berth makes from now on with this access key (the emulator knows `test` and `readonly`). */
function signAs(accessKeyId: string): void {
  vi.stubEnv('AWS_ACCESS_KEY_ID', accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', accessKeyId);
}

beforeAll(async () => {
  emu = await startConsoleEmulator({ args: ['--no-seed'] }, { env: { BERTH_READ_CACHE_SECONDS: '30' } });
  // Credentials that say they have expired are resolved again on every call
  // (the SDK refreshes expired temporary credentials before it signs): the one
  // process can then change identity between two reads, as a credential
  // refresh does in production. The emulator does not check expiry.
  vi.stubEnv('AWS_CREDENTIAL_EXPIRATION', new Date(Date.now() - 60_000).toISOString());
  signAs('test');
  const s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  for (const Bucket of BUCKETS) await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKETS[0], VersioningConfiguration: { Status: 'Enabled' } }));
});
afterAll(() => stopConsoleEmulator(emu));
beforeEach(async () => {
  signAs('test');
  (await import('@/lib/aws/read-cache')).sharedReads().clear();
});

const mark = () => emu.settled();

/** S3 operations logged after `since`, as [operation, bucket] pairs. */
async function callsSince(since: number): Promise<[string, string][]> {
  await emu.settled();
  return emu
    .requests()
    .slice(since)
    .filter((r) => r.operation.startsWith('s3.'))
    .map((r) => [r.operation.slice(3), r.path.split('/')[1] ?? '']);
}

/** The four flag reads for each of these buckets, and nothing else. */
function fourEach(calls: [string, string][], buckets: readonly string[]): void {
  expect(calls).toHaveLength(4 * buckets.length);
  for (const b of buckets) expect(calls.filter(([, bucket]) => bucket === b).map(([op]) => op).sort(), b).toEqual(PER_BUCKET);
}

const faults = (rules: FaultRule[]) => emu.setFaults(rules);

describe('the bucket list', () => {
  it('reads the list once, and four flags for each bucket shown, only for those', async () => {
    const { readBucketFlags, knownBucketFlags, listBuckets } = await import('./buckets');
    let since = await mark();
    const all = (await listBuckets('us-east-1')).filter((b) => b.name.startsWith('page-calls-list-'));
    expect(all.map((b) => b.name)).toEqual(BUCKETS);
    expect((await callsSince(since)).map(([op]) => op)).toEqual(['ListBuckets']);

    // A page of five rows: twenty reads, four per row, none for the seven rows not shown.
    const shown = all.slice(0, 5);
    expect((await knownBucketFlags(shown)).flags).toBeNull();
    since = await mark();
    const read = await readBucketFlags(shown);
    expect(read.flags.get(BUCKETS[0]!)?.versioning).toBe('Enabled');
    fourEach(await callsSince(since), BUCKETS.slice(0, 5));

    // Within the cache's time: the page renders them at once, says how old they are, and asks nothing again.
    since = await mark();
    const known = await knownBucketFlags(shown);
    expect(known.flags?.get(BUCKETS[0]!)?.versioning).toBe('Enabled');
    expect(known.readAt).toBe(read.readAt);
    await readBucketFlags([...shown]);
    expect(await callsSince(since)).toEqual([]);
    // A row that was not read yet is not known: the page streams that page's
    // flags, and its freshness line dates them by the oldest row already kept.
    const partial = await knownBucketFlags(all.slice(4, 6));
    expect(partial.flags).toBeNull();
    expect(partial.readAt).toBe((await readBucketFlags(all.slice(4, 5))).readAt);
    expect(await callsSince(since)).toEqual([]);
  });

  it('keeps one identity’s flags from another: another access key makes its own four reads per row', async () => {
    const { readBucketFlags, knownBucketFlags, listBuckets } = await import('./buckets');
    const shown = (await listBuckets('us-east-1')).filter((b) => BUCKETS.slice(0, 3).includes(b.name));
    await readBucketFlags(shown);
    expect((await knownBucketFlags(shown)).flags).not.toBeNull();

    // Same process, same module, same shared cache; other credentials.
    signAs('readonly');
    expect((await knownBucketFlags(shown)).flags).toBeNull();
    let since = await mark();
    expect((await readBucketFlags([...shown])).flags.get(BUCKETS[0]!)?.versioning).toBe('Enabled');
    fourEach(await callsSince(since), BUCKETS.slice(0, 3));

    // Each identity's answers are kept side by side.
    for (const key of ['test', 'readonly']) {
      signAs(key);
      since = await mark();
      expect((await knownBucketFlags(shown)).flags, key).not.toBeNull();
      await readBucketFlags([...shown]);
      expect(await callsSince(since), key).toEqual([]);
    }
  });

  it('shows a versioning change made through Berth on the next read, even when a list view read the flags during the write', async () => {
    const { readBucketFlags, listBuckets } = await import('./buckets');
    const { setVersioning } = await import('./properties');
    const bucket = BUCKETS[1]!;
    const shown = (await listBuckets('us-east-1')).filter((b) => BUCKETS.slice(1, 4).includes(b.name));
    expect((await readBucketFlags(shown)).flags.get(bucket)?.versioning).toBe('Off');

    // The write is held at the emulator while a list view reads (the cache is
    // emptied first, so that view really asks AWS): it sees the bucket as it
    // still is, and must not keep that answer past the write.
    (await import('@/lib/aws/read-cache')).sharedReads().clear();
    await faults([{ service: 's3', operation: 'PutBucketVersioning', kind: 'delay', rate: 1, delayMs: 3_000 }]);
    try {
      const write = setVersioning(bucket, 'Enabled');
      expect((await readBucketFlags([...shown])).flags.get(bucket)?.versioning).toBe('Off');
      await write;
    } finally {
      await faults([]);
    }

    // The next list read asks again for that bucket only: four calls, no other row.
    const since = await mark();
    const after = await readBucketFlags([...shown]);
    expect(after.flags.get(bucket)?.versioning).toBe('Enabled');
    fourEach(await callsSince(since), [bucket]);
  });

  it('reads every row’s flags again on the list’s Refresh, and nothing else', async () => {
    const { readBucketFlags, listBuckets } = await import('./buckets');
    const { invalidateReads } = await import('@/lib/aws/read-cache');
    const { readTags } = await import('@/lib/aws/read-cache-tags');
    const shown = (await listBuckets('us-east-1')).filter((b) => BUCKETS.slice(4, 6).includes(b.name));
    const first = await readBucketFlags(shown);
    invalidateReads([readTags.bucketFlags()]);
    const since = await mark();
    const again = await readBucketFlags([...shown]);
    fourEach(await callsSince(since), BUCKETS.slice(4, 6));
    expect(again.readAt).toBeGreaterThanOrEqual(first.readAt!);
  });
});
