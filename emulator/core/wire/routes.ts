import type { IncomingHttpHeaders } from 'node:http';
import type { OperationModel, ServiceModel } from './model';

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

interface CompiledSegment {
  literal?: string;
  label?: string;
  greedy?: boolean;
}

interface CompiledRoute {
  op: OperationModel;
  method: string;
  segments: CompiledSegment[];
  greedy: boolean;
  literals: [string, string | true][];
}

function compile(op: OperationModel): CompiledRoute | undefined {
  const http = op.http;
  if (!http) return undefined;
  const segments: CompiledSegment[] =
    http.path === '/'
      ? []
      : http.path
          .split('/')
          .slice(1)
          .map((s) => {
            const m = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(s);
            return m ? { label: m[1], greedy: m[2] === '+' } : { literal: s };
          });
  // Trailing empty segment from a template ending in '/' is not a segment.
  if (segments.at(-1)?.literal === '') segments.pop();
  return {
    op,
    method: http.method,
    segments,
    greedy: segments.at(-1)?.greedy ?? false,
    // `x-id` only tells the SDK's own logs which operation it meant; other
    // clients (the AWS CLI) leave it out, so it never decides a route.
    literals: Object.entries(http.literals).filter(([k]) => k !== 'x-id'),
  };
}

function matchSegments(route: CompiledRoute, rawPath: string): Record<string, string> | undefined {
  let segs = rawPath === '/' || rawPath === '' ? [] : rawPath.split('/').slice(1);
  // `/bucket/` addresses the bucket, like `/bucket`.
  if (!route.greedy && segs.length === route.segments.length + 1 && segs.at(-1) === '') segs = segs.slice(0, -1);
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const t = route.segments[i]!;
    if (t.label && t.greedy) {
      const rest = segs.slice(i).join('/');
      if (rest === '') return undefined;
      const v = safeDecode(rest);
      if (v === undefined) return undefined;
      params[t.label] = v;
      return params;
    }
    const seg = segs[i];
    if (seg === undefined) return undefined;
    if (t.label) {
      if (seg === '') return undefined;
      const v = safeDecode(seg);
      if (v === undefined) return undefined;
      params[t.label] = v;
    } else if (seg !== t.literal) {
      return undefined;
    }
  }
  return segs.length === route.segments.length ? params : undefined;
}

export interface RouteMatch {
  op: OperationModel;
  params: Record<string, string>;
}

/**
 * Routes REST requests by the models' HTTP bindings. Several operations can
 * share a method and path (S3's `PUT /{Bucket}/{Key+}` is PutObject,
 * CopyObject, UploadPart and UploadPartCopy); the request's query literals
 * and the required headers and query members it carries pick the most
 * specific one, so an UploadPartCopy is never served as an UploadPart.
 */
export class RestRouter {
  private readonly routes: CompiledRoute[];

  constructor(model: ServiceModel) {
    this.routes = [...model.operations.values()].map(compile).filter((r): r is CompiledRoute => r !== undefined);
  }

  match(method: string, rawPath: string, query: URLSearchParams, headers: IncomingHttpHeaders): RouteMatch | undefined {
    let best: { match: RouteMatch; score: number[] } | undefined;
    const xId = query.get('x-id');
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const params = matchSegments(route, rawPath);
      if (!params) continue;
      // Query literals are hard requirements: `?tagging` is GetObjectTagging or nothing.
      if (!route.literals.every(([k, v]) => query.has(k) && (v === true || query.get(k) === v))) continue;
      // Required header and query members only rank the candidates: present
      // ones make a route more specific (CopyObject over PutObject when
      // x-amz-copy-source is there), missing ones less (PutObject over
      // CopyObject when it is not). A literal still wins over them, so
      // `GET /k?attributes` without x-amz-object-attributes reaches
      // GetObjectAttributes, which refuses it as S3 does, and not GetObject.
      let present = 0;
      let missing = 0;
      const b = route.op.bindings;
      for (const [member, key] of b.query) {
        if (!route.op.required.has(member)) continue;
        if (query.has(key)) present++;
        else missing++;
      }
      for (const [member, header] of b.headers) {
        if (!route.op.required.has(member)) continue;
        if (headers[header] !== undefined) present++;
        else missing++;
      }
      const literalSegments = route.segments.filter((s) => s.literal !== undefined).length;
      const score = [route.literals.length, literalSegments, present, -missing, xId !== null && route.op.http?.literals['x-id'] === xId ? 1 : 0];
      if (!best || better(score, best.score)) best = { match: { op: route.op, params }, score };
    }
    return best?.match;
  }
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! !== b[i]!) return a[i]! > b[i]!;
  }
  return false;
}
