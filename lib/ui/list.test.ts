import { describe, expect, it } from 'vitest';
import { filterByName, sortAndPage } from './list';

const rows = ['delta', 'Alpha', 'charlie', 'bravo', 'echo'].map((name, i) => ({ name, n: i }));
const SORTS = { name: (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name), n: (a: { n: number }, b: { n: number }) => a.n - b.n };

describe('filterByName', () => {
  it('keeps names holding ?q=, without case, trimmed', () => {
    expect(filterByName(rows, { q: ' AL ' })).toEqual({ q: 'al', shown: [rows[1]] });
    expect(filterByName(rows, {}).shown).toEqual(rows);
  });
});

describe('sortAndPage', () => {
  it('orders by a known ?sort= and ?dir=, falling back to name ascending', () => {
    expect(sortAndPage(rows, { sort: 'n', dir: 'desc' }, SORTS, 10).rows.map((r) => r.n)).toEqual([4, 3, 2, 1, 0]);
    const fallback = sortAndPage(rows, { sort: 'bogus' }, SORTS, 10);
    expect([fallback.sort, fallback.dir]).toEqual(['name', 'asc']);
    expect(fallback.rows.map((r) => r.name)).toEqual(['Alpha', 'bravo', 'charlie', 'delta', 'echo']);
  });

  it('keeps the given order without sorts, and slices ?page= within range', () => {
    const p = sortAndPage(rows, { page: '2' }, null, 2);
    expect(p).toMatchObject({ page: 2, pages: 3, rows: [rows[2], rows[3]] });
    expect(p.sorted).toEqual(rows);
    expect(sortAndPage(rows, { page: '9' }, null, 2).rows).toEqual([rows[4]]);
    expect(sortAndPage([], {}, null, 2)).toMatchObject({ page: 1, pages: 0, rows: [] });
  });
});
