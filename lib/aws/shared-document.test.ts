import { describe, expect, it } from 'vitest';
import { ChangeNotKept, mergeSharedDocument, samePolicyText, withKeyLock } from './shared-document';

describe('withKeyLock', () => {
  it('runs work on one key one at a time, and a failure does not block the next', async () => {
    const order: string[] = [];
    const job = (name: string, ms: number, fail = false) => withKeyLock('k', async () => {
      order.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`${name}:end`);
      if (fail) throw new Error(name);
      return name;
    });
    const results = await Promise.allSettled([job('a', 30, true), job('b', 5), withKeyLock('other', async () => order.push('other'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(order.filter((o) => o !== 'other')).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
    expect(order.indexOf('other')).toBeLessThan(order.indexOf('a:end'));
  });
});

describe('mergeSharedDocument', () => {
  it('merges again on what another writer left, and gives up with a sentence when it never sticks', async () => {
    let doc = ['theirs'];
    let clobbers = 1;
    const out = await mergeSharedDocument<string[]>({
      key: 'doc',
      what: 'test document',
      read: async () => [...doc],
      merge: (d) => (d.includes('mine') ? null : [...d, 'mine']),
      write: async (next) => {
        doc = next;
        // Another writer replaces it right after, once.
        if (clobbers-- > 0) doc = ['theirs', 'late'];
      },
      holds: (d) => d.includes('mine'),
      pauseMs: () => 1,
      settleMs: () => 1,
    });
    expect(out.after).toEqual(['theirs', 'late', 'mine']);

    const never = mergeSharedDocument<string[]>({
      key: 'doc',
      what: 'test document',
      read: async () => ['theirs'],
      merge: (d) => [...d, 'mine'],
      write: async () => {},
      holds: (d) => d.includes('mine'),
      pauseMs: () => 1,
      settleMs: () => 1,
    });
    await expect(never).rejects.toBeInstanceOf(ChangeNotKept);
    await expect(never).rejects.toThrow('each time another change replaced it');
  });
});

describe('samePolicyText', () => {
  it('ignores formatting and treats empty as absent', () => {
    expect(samePolicyText('{"a": 1}', '{\n  "a": 1\n}')).toBe(true);
    expect(samePolicyText('', null)).toBe(true);
    expect(samePolicyText('{"a": 1}', '{"a": 2}')).toBe(false);
  });
});
