import { describe, expect, it } from 'vitest';
import { ReadCache, type ReadSpec } from './read-cache';
import { refreshReadsSchema } from '@/lib/validation/refresh';
import { readTags } from './read-cache-tags';

// The cache's rules, with a clock and an identity the test turns by hand.

function setup(over: { ttlMs?: number; maxEntries?: number; maxWeight?: number } = {}) {
  const state = { now: 1_000_000, who: 'alice' };
  const cache = new ReadCache({
    ttlMs: over.ttlMs ?? 30_000,
    maxEntries: over.maxEntries ?? 100,
    maxWeight: over.maxWeight ?? 1_000,
    identity: async () => state.who,
    now: () => state.now,
  });
  return { cache, state };
}

/** A load that counts its calls and answers what it is told, when told. */
function loader<T>(answer: () => T) {
  const calls: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const load = () =>
    new Promise<T>((resolve, reject) => {
      calls.push({ resolve: () => resolve(answer()), reject });
    });
  return { load, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const spec = (over: Partial<ReadSpec<unknown>> = {}): ReadSpec<unknown> => ({ key: 'ecr:repositories', region: 'us-east-1', tags: [readTags.repositories('us-east-1')], ...over });

describe('the shared read cache', () => {
  it('makes one call for identical reads in flight, and keeps the answer for its time', async () => {
    const { cache, state } = setup();
    let n = 0;
    const { load, calls } = loader(() => ++n);
    const reads = [cache.read(spec(), load), cache.read(spec(), load), cache.read(spec(), load)];
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve();
    const answers = await Promise.all(reads);
    expect(answers.map((a) => a.value)).toEqual([1, 1, 1]);
    expect(answers[0]!.readAt).toBe(1_000_000);

    state.now += 29_999;
    expect((await cache.read(spec(), load)).value).toBe(1);
    expect(calls).toHaveLength(1);

    state.now += 1; // expired
    const again = cache.read(spec(), load);
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve();
    expect(await again).toEqual({ value: 2, readAt: 1_030_000 });
  });

  it('keeps no failed read: everyone waiting sees the failure, the next read asks again', async () => {
    const { cache } = setup();
    const { load, calls } = loader(() => 'ok');
    const a = cache.read(spec(), load);
    const b = cache.read(spec(), load);
    await tick();
    calls[0]!.reject(new Error('ThrottlingException'));
    await expect(a).rejects.toThrow('ThrottlingException');
    await expect(b).rejects.toThrow('ThrottlingException');
    const c = cache.read(spec(), load);
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve();
    expect((await c).value).toBe('ok');
    expect(cache.size().entries).toBe(1);
  });

  it('forgets by tag, for every identity, and does not keep a read that was in flight across the write', async () => {
    const { cache, state } = setup();
    let n = 0;
    const { load, calls } = loader(() => ++n);
    const images = spec({ key: 'ecr:images:a', tags: [readTags.images('us-east-1', 'a')] });
    const first = cache.read(spec(), load);
    const other = cache.read(images, load);
    await tick();
    calls[0]!.resolve();
    calls[1]!.resolve();
    await Promise.all([first, other]);
    state.who = 'bob';
    const bobs = cache.read(spec(), load);
    await tick();
    calls[2]!.resolve();
    await bobs;
    state.who = 'alice';

    // A read starts, a write lands, the read ends: its answer may predate the write.
    state.now += 1;
    cache.invalidate([readTags.repositories('us-east-1')]);
    const before = cache.read(spec(), load);
    await tick();
    cache.invalidate([readTags.repositories('us-east-1')]);
    calls[3]!.resolve();
    expect((await before).value).toBe(4);
    expect(cache.size().entries).toBe(1); // only the images entry: neither identity's list, nor the read across the write

    const after = cache.read(spec(), load);
    await tick();
    expect(calls).toHaveLength(5);
    calls[4]!.resolve();
    expect((await after).value).toBe(5);
    // The untouched tag is still served.
    expect((await cache.read(images, load)).value).toBe(2);
    expect(calls).toHaveLength(5);
  });

  it('never gives one identity the answer read for another, nor one region the answer of another', async () => {
    const { cache, state } = setup();
    const seen: string[] = [];
    const load = async () => {
      seen.push(state.who);
      return `${state.who}'s repositories`;
    };
    expect((await cache.read(spec(), load)).value).toBe("alice's repositories");
    state.who = 'bob';
    expect((await cache.read(spec(), load)).value).toBe("bob's repositories");
    expect((await cache.read(spec({ region: 'eu-west-1' }), load)).value).toBe("bob's repositories");
    state.who = 'alice';
    expect((await cache.read(spec(), load)).value).toBe("alice's repositories");
    expect(seen).toEqual(['alice', 'bob', 'bob']);
  });

  it('holds at most so many entries and so much weight, dropping the least recently used', async () => {
    const { cache } = setup({ maxEntries: 3, maxWeight: 10 });
    const read = (key: string, weight = 1) => cache.read({ ...spec({ key }), weight: () => weight }, async () => key);
    await read('a');
    await read('b');
    await read('c');
    await read('a'); // used: now the newest
    await read('d'); // b goes
    expect(cache.size()).toEqual({ entries: 3, weight: 3 });
    let loads = 0;
    const counting = (key: string) => cache.read(spec({ key }), async () => (loads++, key));
    await counting('a');
    await counting('c');
    await counting('d');
    expect(loads).toBe(0);
    await counting('b');
    expect(loads).toBe(1);
    // A heavy answer pushes out the old ones; one heavier than the whole cache is not kept at all.
    await read('big', 9);
    expect(cache.size()).toEqual({ entries: 2, weight: 10 });
    await read('huge', 11);
    expect(cache.size()).toEqual({ entries: 2, weight: 10 });
  });

  it('serves a stale answer at once and reads again in the background, once', async () => {
    const { cache, state } = setup();
    let n = 0;
    const { load, calls } = loader(() => ++n);
    const swr = spec({ ttlMs: 1_000, staleMs: 60_000 });
    const first = cache.read(swr, load);
    await tick();
    calls[0]!.resolve();
    await first;
    state.now += 5_000;
    expect(await cache.read(swr, load)).toEqual({ value: 1, readAt: 1_000_000 });
    expect(await cache.read(swr, load)).toEqual({ value: 1, readAt: 1_000_000 });
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve();
    await tick();
    expect(await cache.read(swr, load)).toEqual({ value: 2, readAt: 1_005_000 });
    // Too old to serve: read in the foreground.
    state.now += 120_000;
    const late = cache.read(swr, load);
    await tick();
    expect(calls).toHaveLength(3);
    calls[2]!.resolve();
    expect((await late).value).toBe(3);
  });

  it('keeps an answer learned another way over a read that was already on its way', async () => {
    const { cache } = setup();
    const { load, calls } = loader(() => 'one page');
    const partial = cache.read(spec(), load);
    await tick();
    await cache.put(spec(), 'every page', 999_000);
    calls[0]!.resolve();
    expect((await partial).value).toBe('one page');
    expect(await cache.read(spec(), load)).toEqual({ value: 'every page', readAt: 999_000 });
  });

  it('lets a caller peek at a fresh answer without ever reading', async () => {
    const { cache, state } = setup();
    expect(await cache.peek(spec())).toBeUndefined();
    await cache.read(spec(), async () => 'list');
    expect(await cache.peek(spec())).toEqual({ value: 'list', readAt: 1_000_000 });
    state.who = 'bob';
    expect(await cache.peek(spec())).toBeUndefined();
    state.who = 'alice';
    state.now += 30_000;
    expect(await cache.peek(spec())).toBeUndefined();
  });

  it('keeps nothing with a time of 0, yet still makes identical reads in flight one call', async () => {
    const { cache } = setup({ ttlMs: 0 });
    const { load, calls } = loader(() => 'x');
    const both = [cache.read(spec(), load), cache.read(spec(), load)];
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve();
    await Promise.all(both);
    expect(cache.size().entries).toBe(0);
  });
});

describe('what a Refresh may ask to read again', () => {
  it('is a known tag, never anything else', () => {
    expect(refreshReadsSchema.safeParse({ tags: 'ecr:us-east-1:repositories' }).success).toBe(true);
    expect(refreshReadsSchema.safeParse({ tags: ['ecr:eu-west-1:images:team/api', 'ecr:eu-west-1:stats', 's3:buckets', 'cloudfront:distributions'] }).success).toBe(true);
    expect(refreshReadsSchema.safeParse({ tags: ['iam:authorization', 'iam:keys'] }).success).toBe(true);
    for (const bad of [[], ['everything'], ['iam:users'], ['iam:keys:alice'], ['ecr:us-east-1:images:'], ['ecr:mars:repositories'], ['s3:buckets\n'], Array(7).fill('s3:buckets')]) {
      expect(refreshReadsSchema.safeParse({ tags: bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
