import { pageNumber, param, type SearchParams } from './url';

// What a list page reads from its URL, in one place: ?q= filters by name
// (without case), ?sort= and ?dir= order the rows, ?page= picks the slice
// shown. Pure: the page renders the rows; the URL stays the state.

export type Compare<T> = (a: T, b: T) => number;

/** The rows whose name holds ?q= (trimmed, without case), and the query as read. */
export function filterByName<T extends { name: string }>(all: readonly T[], sp: SearchParams): { q: string; shown: T[] } {
  const q = (param(sp, 'q') ?? '').trim().toLowerCase();
  return { q, shown: q ? all.filter((x) => x.name.toLowerCase().includes(q)) : [...all] };
}

export interface ListPage<T> {
  /** The ?sort= key when `sorts` has it, else `fallback`. */
  sort: string;
  dir: 'asc' | 'desc';
  /** Every row, in order (what the page counts as the total). */
  sorted: T[];
  page: number;
  pages: number;
  /** The slice on screen. */
  rows: T[];
}

/** Orders the rows by ?sort= and ?dir= (none when `sorts` is null) and slices out ?page=. */
export function sortAndPage<T>(shown: readonly T[], sp: SearchParams, sorts: Record<string, Compare<T>> | null, pageSize: number, fallback = 'name'): ListPage<T> {
  const asked = param(sp, 'sort');
  const sort = asked && sorts?.[asked] ? asked : fallback;
  const dir = param(sp, 'dir') === 'desc' ? 'desc' : 'asc';
  const by = sorts?.[sort];
  const sorted = by ? [...shown].sort((a, b) => (dir === 'asc' ? 1 : -1) * by(a, b)) : [...shown];
  const pages = Math.ceil(sorted.length / pageSize);
  const page = pageNumber(sp, pages);
  return { sort, dir, sorted, page, pages, rows: sorted.slice((page - 1) * pageSize, page * pageSize) };
}
