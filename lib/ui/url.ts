// Building links that change one search param and keep the rest (region,
// filters), so state stays in the URL.

export type SearchParams = Record<string, string | string[] | undefined>;

export function param(sp: SearchParams, key: string): string | undefined {
  const v = sp[key];
  return Array.isArray(v) ? v[0] : v;
}

export function withParams(path: string, sp: SearchParams, changes: Record<string, string | number | null | undefined>): string {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) {
    const one = Array.isArray(v) ? v[0] : v;
    if (one !== undefined) next.set(k, one);
  }
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') next.delete(k);
    else next.set(k, String(v));
  }
  const q = next.toString();
  return q ? `${path}?${q}` : path;
}

export function pageNumber(sp: SearchParams, pages: number, key = 'page'): number {
  const n = Number.parseInt(param(sp, key) ?? '1', 10);
  return Number.isFinite(n) ? Math.min(Math.max(1, n), Math.max(1, pages)) : 1;
}
