import { NormalizedSchema } from '@smithy/core/schema';

/**
 * A service's API as its model describes it, read at start-up from the
 * per-operation schemas the `@aws-sdk/client-*` packages generate from AWS's
 * Smithy models (`dist-es/schemas/schemas_0.js`). The emulator never writes an
 * operation's shape by hand: routing, parsing and serialization all walk these.
 *
 * The schema tuples are the SDK's "static schema" format: an operation is
 * `[9, namespace, name, traits, () => input, () => output]`, a structure is
 * `[3, namespace, name, traits, memberNames, memberSchemas, requiredCount?]`
 * (required members come first). `NormalizedSchema` from `@smithy/core/schema`
 * reads them; we only look at the raw tuple for the required count.
 */

/** The wire protocols AWS services speak (Smithy protocol trait names). */
export type WireProtocol = 'awsJson1_0' | 'awsJson1_1' | 'awsQuery' | 'restXml' | 'restJson1' | 'rpcv2Cbor';

export interface HttpBinding {
  method: string;
  /** Path template, e.g. `/{Bucket}/{Key+}` or `/2020-05-31/distribution/{Id}`. */
  path: string;
  /** Query literals from the URI template (`?tagging`, `?list-type=2`); `true` means present with any value. */
  literals: Record<string, string | true>;
  /** The success status code the model names. */
  code: number;
}

export interface OperationModel {
  name: string;
  http?: HttpBinding;
  input: NormalizedSchema;
  output: NormalizedSchema;
  /** Names of the input's required members. */
  required: ReadonlySet<string>;
  /** Input members carried outside the body, by binding. */
  bindings: InputBindings;
  /** The input's payload is a streaming blob (S3 PutObject, UploadPart): the body is not buffered. */
  streamingInput: boolean;
}

export interface InputBindings {
  labels: string[];
  /** member → query key */
  query: Map<string, string>;
  /** member → header name (lower case) */
  headers: Map<string, string>;
  prefixHeaders: Map<string, string>;
  queryParams?: string;
  payload?: string;
}

export interface ServiceModel {
  /** The SDK's service name space, e.g. `com.amazonaws.ecr`. */
  namespace: string;
  protocol: WireProtocol;
  /** X-Amz-Target prefix of JSON RPC services, e.g. `AmazonEC2ContainerRegistry_V20150921`. */
  targetPrefix?: string;
  /** The Smithy service shape name, used by RPC v2 CBOR paths. */
  serviceName?: string;
  xmlNamespace?: string;
  version: string;
  operations: ReadonlyMap<string, OperationModel>;
  /**
   * Error shapes by the code their `awsQueryError` trait gives them
   * (`InvalidParameterValue` → `InvalidParameterValueException`): a service
   * that moved from query to JSON (awsQueryCompatible) names the shape in
   * JSON and the old code in `x-amzn-query-error`.
   */
  queryErrorShapes: ReadonlyMap<string, string>;
}

export interface ServiceModelOptions {
  protocol: WireProtocol;
  version: string;
  targetPrefix?: string;
  serviceName?: string;
  xmlNamespace?: string;
  /**
   * Labels bound outside the URI template: S3's SDK models leave `{Bucket}`
   * out of each path because the endpoint rules place it in the host. The
   * emulator serves path-style requests, so such labels go first in the path.
   */
  hostLabelsFirst?: boolean;
}

type StaticError = [-3, string, string, Record<string, unknown> | 0, ...unknown[]];

function isErrorTuple(v: unknown): v is StaticError {
  return Array.isArray(v) && v[0] === -3 && typeof v[2] === 'string';
}

type StaticOperation = [9, string, string, Record<string, unknown> | 0, () => unknown, () => unknown];

function isOperationTuple(v: unknown): v is StaticOperation {
  return Array.isArray(v) && v[0] === 9 && typeof v[2] === 'string' && typeof v[4] === 'function';
}

function requiredMembers(schema: NormalizedSchema): Set<string> {
  const raw = schema.getSchema() as unknown;
  if (!Array.isArray(raw) || raw[0] !== 3) return new Set();
  const names = (raw[4] ?? []) as string[];
  const count = typeof raw[6] === 'number' ? raw[6] : 0;
  return new Set(names.slice(0, count));
}

function parseUri(uri: string): { path: string; literals: Record<string, string | true> } {
  const q = uri.indexOf('?');
  const path = q >= 0 ? uri.slice(0, q) : uri;
  const literals: Record<string, string | true> = {};
  if (q >= 0) {
    for (const part of uri.slice(q + 1).split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      if (eq < 0) literals[decodeURIComponent(part)] = true;
      else literals[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
    }
  }
  return { path: path === '' ? '/' : path, literals };
}

function inputBindings(input: NormalizedSchema): InputBindings {
  const b: InputBindings = { labels: [], query: new Map(), headers: new Map(), prefixHeaders: new Map() };
  if (!input.isStructSchema()) return b;
  for (const [name, member] of input.structIterator()) {
    const t = member.getMergedTraits();
    if (t.httpLabel) b.labels.push(name);
    else if (typeof t.httpQuery === 'string') b.query.set(name, t.httpQuery);
    else if (typeof t.httpHeader === 'string') b.headers.set(name, t.httpHeader.toLowerCase());
    else if (typeof t.httpPrefixHeaders === 'string') b.prefixHeaders.set(name, t.httpPrefixHeaders.toLowerCase());
    else if (t.httpQueryParams) b.queryParams = name;
    else if (t.httpPayload) b.payload = name;
  }
  return b;
}

/** Reads every operation exported by an SDK schemas module. */
export function loadServiceModel(schemas: Record<string, unknown>, opts: ServiceModelOptions): ServiceModel {
  const operations = new Map<string, OperationModel>();
  const queryErrorShapes = new Map<string, string>();
  let namespace = '';
  for (const value of Object.values(schemas)) {
    if (isErrorTuple(value)) {
      const q = value[3] === 0 ? undefined : (value[3] as Record<string, unknown>).awsQueryError;
      if (Array.isArray(q) && typeof q[0] === 'string') queryErrorShapes.set(q[0], value[2]);
      continue;
    }
    if (!isOperationTuple(value)) continue;
    namespace = value[1];
    const name = value[2];
    const traits = value[3] === 0 ? {} : value[3];
    const input = NormalizedSchema.of(value[4]() as never);
    const output = NormalizedSchema.of(value[5]() as never);
    const bindings = inputBindings(input);
    let http: HttpBinding | undefined;
    const h = (traits as Record<string, unknown>).http;
    if (Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string') {
      const { path, literals } = parseUri(h[1]);
      let full = path;
      if (opts.hostLabelsFirst) {
        const missing = bindings.labels.filter((l) => !path.includes(`{${l}}`) && !path.includes(`{${l}+}`));
        if (missing.length > 0) full = `/${missing.map((l) => `{${l}}`).join('/')}${path === '/' ? '' : path}`;
      }
      http = { method: h[0].toUpperCase(), path: full, literals, code: typeof h[2] === 'number' ? h[2] : 200 };
    }
    let streamingInput = false;
    if (bindings.payload) {
      const p = input.getMemberSchema(bindings.payload);
      streamingInput = p.isBlobSchema() && p.isStreaming();
    }
    operations.set(name, { name, http, input, output, required: requiredMembers(input), bindings, streamingInput });
  }
  if (operations.size === 0) throw new Error('the schemas module has no operations');
  return { namespace, ...opts, operations, queryErrorShapes };
}
