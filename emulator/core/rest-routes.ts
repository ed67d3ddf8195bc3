import type { OperationDefinition, RestRoute } from './types';

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Matches a raw (still percent-encoded) path against a route template; returns decoded params. */
export function matchPath(template: string, rawPath: string): Record<string, string> | undefined {
  const tpl = template.split('/').slice(1);
  let segs = rawPath.split('/').slice(1);
  const greedy = tpl.at(-1)?.endsWith('+}') ?? false;
  // `/bucket/` addresses the bucket, like `/bucket`.
  if (!greedy && segs.length === tpl.length + 1 && segs.at(-1) === '') segs = segs.slice(0, -1);
  if (template === '/') return rawPath === '/' || rawPath === '' ? {} : undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < tpl.length; i++) {
    const t = tpl[i] ?? '';
    const m = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(t);
    if (m) {
      const name = m[1] ?? '';
      if (m[2] === '+') {
        const rest = segs.slice(i).join('/');
        if (rest === '') return undefined;
        const v = safeDecode(rest);
        if (v === undefined) return undefined;
        params[name] = v;
        return params;
      }
      const seg = segs[i];
      if (seg === undefined || seg === '') return undefined;
      const v = safeDecode(seg);
      if (v === undefined) return undefined;
      params[name] = v;
    } else if (segs[i] !== t) {
      return undefined;
    }
  }
  return segs.length === tpl.length ? params : undefined;
}

function queryMatches(route: RestRoute, query: URLSearchParams, reserved: readonly string[]): boolean {
  const wanted = route.query ?? {};
  for (const [k, v] of Object.entries(wanted)) {
    if (!query.has(k)) return false;
    if (v !== true && query.get(k) !== v) return false;
  }
  // A reserved key (an S3 subresource such as ?tagging) picks a different
  // operation; a route that does not name it must not swallow the request.
  for (const k of reserved) {
    if (query.has(k) && !(k in wanted)) return false;
  }
  return true;
}

/** Picks the most specific route (most required query keys) that matches. */
export function findRestOperation(
  operations: readonly OperationDefinition[],
  method: string,
  rawPath: string,
  query: URLSearchParams,
  reserved: readonly string[] = [],
  headers: Record<string, string | string[] | undefined> = {},
): { operation: OperationDefinition; params: Record<string, string> } | undefined {
  let best: { operation: OperationDefinition; params: Record<string, string>; score: number } | undefined;
  for (const op of operations) {
    const route = op.http;
    if (!route || route.method !== method) continue;
    const params = matchPath(route.path, rawPath);
    if (!params) continue;
    if (!queryMatches(route, query, reserved)) continue;
    if (route.headers?.some((h) => headers[h] === undefined)) continue;
    const score = Object.keys(route.query ?? {}).length + (route.headers?.length ?? 0);
    if (!best || score > best.score) best = { operation: op, params, score };
  }
  return best && { operation: best.operation, params: best.params };
}
