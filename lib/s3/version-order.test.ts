import { describe, expect, it } from 'vitest';
import { compareKeys, inListingOrder } from './version-order';

describe('compareKeys', () => {
  it('orders keys by their UTF-8 bytes, as S3 lists them', () => {
    const keys = ['a.txt', 'B.txt', 'é.txt', '😀.txt', '\uFF21.txt', 'a', 'a/b', 'a-b', '_x', 'Z'];
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8')));
    expect([...keys].sort(compareKeys)).toEqual(byBytes);
    // The cases where the obvious comparisons go wrong:
    expect(compareKeys('B.txt', 'a.txt')).toBeLessThan(0); // localeCompare says the opposite
    expect(compareKeys('\uFF21', '😀')).toBeLessThan(0); // `<` on UTF-16 says the opposite
    expect(compareKeys('same', 'same')).toBe(0);
  });
});

describe('inListingOrder', () => {
  it('puts versions and delete markers back in one listing: by key, the current one first, then newest first', () => {
    const v = (key: string, id: string, lastModified: string | null, isLatest = false) => ({ key, id, lastModified, isLatest });
    const versions = [v('B.txt', 'b2', '2026-01-02T00:00:00.000Z', true), v('B.txt', 'b1', '2026-01-01T00:00:00.000Z'), v('a.txt', 'a1', '2026-01-01T00:00:00.000Z')];
    const markers = [v('a.txt', 'a-marker', '2026-01-03T00:00:00.000Z', true), v('B.txt', 'b-old-marker', '2026-01-01T12:00:00.000Z')];
    expect(inListingOrder([...versions, ...markers]).map((e) => e.id)).toEqual(['b2', 'b-old-marker', 'b1', 'a-marker', 'a1']);
  });

  it('keeps the current version first when two share a timestamp', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const out = inListingOrder([
      { key: 'k', id: 'older', lastModified: at, isLatest: false },
      { key: 'k', id: 'current', lastModified: at, isLatest: true },
    ]);
    expect(out.map((e) => e.id)).toEqual(['current', 'older']);
  });
});
