import type { AccessCheck } from '../authorize';
import { MAX_BODY_BYTES } from '../body';
import { AwsError } from '../errors';
import type {
  OperationDefinition,
  PreContext,
  ProtocolAdapter,
  RenderedResponse,
  Reply,
  RequestContext,
  ServiceDefinition,
} from '../types';
import { ParameterError, readRestInput, writeRestOutput, type DocumentFormat } from './bindings';
import { errorProtocol, type RestXmlFlavor } from './errors';
import type { OperationModel, ServiceModel, WireProtocol } from './model';
import { RestRouter } from './routes';
import { MalformedBodyError, readCbor, readJson, readQuery, writeCbor, writeJson, writeXmlMembers } from './serde';
import { validateInput, validationMessage, type Violation } from './validate';

/**
 * A typed operation: the SDK's own input type in, its output type out. The
 * wire layer parses the request into `input` by the operation's schema and
 * serializes what the handler returns the same way.
 */
export interface TypedOperation<I = never, O = unknown> {
  handler(input: I, ctx: RequestContext): O | Promise<O>;
  /** The IAM action the operation is authorized as; defaults to `<signingName>:<Operation>`. */
  iamAction?: string;
  /** The ARN of the resource it acts on (authorized, and named in denials). */
  resource?(input: I, ctx: RequestContext): string;
  /** Every permission the request needs, when `iamAction` on `resource` does not say it all (see OperationDefinition). */
  accessChecks?(input: I, ctx: RequestContext): AccessCheck[];
  maxBodyBytes?: number;
  /** `none` for operations AWS serves unsigned (STS's AssumeRoleWithWebIdentity): no key is looked up, none is required. */
  auth?: 'aws' | 'none';
}

type Out<T> = Omit<T, '$metadata'>;
type ProviderEntry<I, O> = TypedOperation<I, Out<O>> | TypedOperation<I, Out<O>>['handler'];

/**
 * The operations of an aggregated SDK client (`ECR`, `S3`…), by their wire
 * names, with the SDK's Input and Output types: `Providers<ECR>['CreateRepository']`
 * takes `CreateRepositoryCommandInput` and returns `CreateRepositoryCommandOutput`.
 */
export type Providers<Client> = {
  [K in keyof Client & string as Capitalize<K>]?: Client[K] extends (
    args: infer I,
    options: infer _Options,
    cb: (err: unknown, data?: infer O) => void,
  ) => void
    ? ProviderEntry<I, O>
    : never;
};

export interface ModelServiceOptions extends Omit<ServiceDefinition, 'protocol' | 'operations' | 'targetPrefix'> {
  model: ServiceModel;
  /** REST-XML services differ in error shape (S3's bare `<Error>`, CloudFront's `<ErrorResponse>`). */
  xmlFlavor?: RestXmlFlavor;
  providers: Record<string, unknown>;
  /**
   * How a typed operation's input that breaks the model (a missing required
   * member, a length, pattern, enum or range) is refused. By default the JSON,
   * query and CBOR services answer as AWS's front ends do, with
   * ValidationException and the standard "N validation errors detected"
   * message; REST-XML services (S3, CloudFront) check their own inputs, as
   * those services do, so they validate nothing here unless given a function.
   * `false` turns the check off.
   */
  validation?: false | ((violations: readonly Violation[], operation: string, ctx: RequestContext) => AwsError);
  /**
   * Protocols the service answers besides the model's own, told apart per
   * request (RPC v2 CBOR by its `/service/…/operation/…` path, JSON by
   * `X-Amz-Target`). CloudWatch speaks query to older clients (Debian's AWS
   * CLI) and JSON 1.0 to the current SDK, with the same operations.
   */
  alsoServes?: WireProtocol[];
  /** The model carries awsQueryCompatible: JSON and CBOR errors also say their query code (see ErrorProtocolOptions.queryCompatible). */
  queryCompatible?: boolean;
  /**
   * JSON services whose X-Amz-Target AWS accepts under a second prefix: the
   * SDK v3 sends the Smithy service name (`CloudTrail_20131101.LookupEvents`),
   * botocore the fully qualified one from its model's `targetPrefix`
   * (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`).
   */
  alsoTargetPrefixes?: readonly string[];
}

interface ModelOperationDefinition extends OperationDefinition {
  model: OperationModel;
  typed?: TypedOperation<Record<string, unknown>, Record<string, unknown>>;
}

const TYPED_OUTPUT = Symbol('typed output');
interface TypedReply extends Reply {
  [TYPED_OUTPUT]?: Record<string, unknown>;
}

function notImplemented(service: string, model: ServiceModel, op: string): AwsError {
  return new AwsError(
    'NotImplemented',
    `${op} is an operation of ${service} (API version ${model.version}) that this emulator does not implement yet.`,
    501,
  );
}

function contentTypeOf(protocol: WireProtocol): string {
  switch (protocol) {
    case 'awsJson1_0':
      return 'application/x-amz-json-1.0';
    case 'awsJson1_1':
      return 'application/x-amz-json-1.1';
    case 'rpcv2Cbor':
      return 'application/cbor';
    case 'restJson1':
      return 'application/json';
    default:
      return 'text/xml';
  }
}

/**
 * Builds a service whose routing, parsing and serialization come from its
 * model. Every operation in the model is routed: to its typed provider, or
 * to a NotImplemented answer naming it in the protocol's own error shape. Nothing falls through to a different operation.
 */
export function defineModelService(opts: ModelServiceOptions): ServiceDefinition {
  const { model, providers, xmlFlavor, validation, alsoServes, queryCompatible, alsoTargetPrefixes, ...rest } = opts;
  const targetPrefixes = new Set([model.targetPrefix, ...(alsoTargetPrefixes ?? [])]);
  // Named by the service, not its signing name: S3 Control signs as `s3`.
  const serviceName = opts.name;

  for (const name of Object.keys(providers)) {
    if (!model.operations.has(name)) throw new Error(`${opts.name}: provider ${name} is not an operation of the model`);
  }

  const operations: ModelOperationDefinition[] = [...model.operations.values()].map((om) => {
    const raw = providers[om.name];
    if (raw !== undefined) {
      const typed = (typeof raw === 'function' ? { handler: raw } : raw) as TypedOperation<Record<string, unknown>, Record<string, unknown>>;
      return {
        name: om.name,
        model: om,
        typed,
        iamAction: typed.iamAction,
        resource: typed.resource ? (ctx) => typed.resource!(ctx.input, ctx) : undefined,
        accessChecks: typed.accessChecks ? (ctx) => typed.accessChecks!(ctx.input, ctx) : undefined,
        maxBodyBytes: typed.maxBodyBytes,
        auth: typed.auth,
        streamBody: om.streamingInput,
        async handler(ctx): Promise<TypedReply> {
          const output = (await typed.handler(ctx.input, ctx)) ?? {};
          return { [TYPED_OUTPUT]: output };
        },
      };
    }
    return {
      name: om.name,
      model: om,
      handler() {
        throw notImplemented(serviceName, model, om.name);
      },
    };
  });
  const byName = new Map(operations.map((o) => [o.name, o]));

  const adapter = protocolAdapter(model.protocol);
  const others = new Map((alsoServes ?? []).map((p) => [p, protocolAdapter(p)]));
  const protocolFor =
    others.size === 0
      ? undefined
      : (pre: PreContext): ProtocolAdapter => {
          const cbor = others.get('rpcv2Cbor');
          if (cbor && pre.path.startsWith('/service/')) return cbor;
          const target = pre.headers['x-amz-target'];
          const json = others.get('awsJson1_0') ?? others.get('awsJson1_1');
          if (json && typeof target === 'string' && target !== '') return json;
          return adapter;
        };

  return {
    ...rest,
    protocol: adapter,
    ...(protocolFor ? { protocolFor } : {}),
    targetPrefix: model.targetPrefix,
    operations,
  };

  /** The parsing, routing and rendering of one protocol over the shared operations. */
  function protocolAdapter(protocol: WireProtocol): ProtocolAdapter {
    const refuse =
      validation === false
        ? undefined
        : (validation ??
          (protocol === 'restXml'
            ? undefined
            : (violations: readonly Violation[]) => new AwsError('ValidationException', validationMessage(violations), 400)));
    const base = errorProtocol({
      protocol,
      xmlNamespace: model.xmlNamespace,
      version: model.version,
      xmlFlavor,
      queryCompatible: queryCompatible && protocol !== 'awsQuery' ? model.queryErrorShapes : undefined,
    });
    const router = protocol === 'restXml' || protocol === 'restJson1' ? new RestRouter(model) : undefined;
    const format: DocumentFormat = protocol === 'restJson1' ? 'json' : 'xml';
    const contentType = contentTypeOf(protocol);

    async function parseTyped(ctx: RequestContext, op: ModelOperationDefinition): Promise<Record<string, unknown>> {
      try {
        switch (protocol) {
          case 'awsJson1_0':
          case 'awsJson1_1':
            return await readJson(op.model.input, ctx.body.toString('utf8'), false);
          case 'rpcv2Cbor':
            return readCbor(op.model.input, ctx.body);
          case 'awsQuery': {
            const params = new URLSearchParams(ctx.query);
            if (ctx.method === 'POST') for (const [k, v] of new URLSearchParams(ctx.body.toString('utf8'))) params.append(k, v);
            return readQuery(op.model.input, params);
          }
          default:
            return await readRestInput(
              op.model,
              { params: ctx.params, query: ctx.query, headers: ctx.headers, body: ctx.body, stream: op.streamBody ? ctx.req : undefined },
              format,
            );
        }
      } catch (err) {
        if (err instanceof MalformedBodyError) throw base.errors.malformedBody(err.message);
        if (err instanceof ParameterError) {
          throw new AwsError('InvalidArgument', err.message, 400, { fields: { ArgumentName: err.name, ArgumentValue: err.value } });
        }
        throw err;
      }
    }

    const adapter: ProtocolAdapter = {
      protocol,
      errors: base.errors,
      baseHeaders: base.baseHeaders,
      renderError: base.renderError,

      async resolve(pre, service) {
        switch (protocol) {
          case 'awsJson1_0':
          case 'awsJson1_1': {
            const target = pre.headers['x-amz-target'];
            const t = typeof target === 'string' ? target : '';
            const dot = t.lastIndexOf('.');
            const name = dot >= 0 ? t.slice(dot + 1) : t || `${pre.method} ${pre.path}`;
            if (!targetPrefixes.has(t.slice(0, Math.max(dot, 0))) || pre.method !== 'POST') return { name, params: {} };
            return { name, operation: byName.get(name), params: {} };
          }
          case 'awsQuery': {
            const params = new URLSearchParams(pre.query);
            if (pre.method === 'POST') {
              const body = await pre.loadBody(MAX_BODY_BYTES);
              for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
            }
            const action = params.get('Action');
            if (action === null || action === '') throw new AwsError('MissingAction', 'Missing Action', 400);
            const operation = byName.get(action);
            if (operation?.typed) return { name: action, operation, params: {} };
            // Legacy query handlers read the flat parameters.
            const flat: Record<string, unknown> = {};
            for (const [k, v] of params) flat[k] = v;
            return { name: action, operation, params: {}, input: flat };
          }
          case 'rpcv2Cbor': {
            const m = /^\/service\/([^/]+)\/operation\/([^/]+)$/.exec(pre.path);
            const name = m?.[2] ?? `${pre.method} ${pre.path}`;
            if (!m || m[1] !== model.serviceName || pre.method !== 'POST') return { name, params: {} };
            return { name, operation: byName.get(name), params: {} };
          }
          default: {
            const path = service.rewritePath ? service.rewritePath(pre.host, pre.path) : pre.path;
            const hit = router!.match(pre.method, path, pre.query, pre.headers);
            const q = [...pre.query.keys()].filter((k) => !k.startsWith('X-Amz-') && k !== 'x-id');
            const name = hit?.op.name ?? `${pre.method} ${path}${q.length ? `?${q.join('&')}` : ''}`;
            return { name, operation: hit ? byName.get(hit.op.name) : undefined, params: hit?.params ?? {} };
          }
        }
      },

      async parseInput(ctx) {
        const op = ctx.operation as ModelOperationDefinition;
        // An operation with no handler answers NotImplemented whatever its body says.
        if (!op.typed) return {};
        const input = await parseTyped(ctx, op);
        if (refuse) {
          const violations = validateInput(op.model.input, input, opts.name);
          if (violations.length > 0) throw refuse(violations, op.name, ctx);
        }
        return input;
      },

      renderSuccess(ctx, reply: TypedReply): RenderedResponse {
        const output = reply[TYPED_OUTPUT];
        if (output === undefined) {
          // Only a typed provider or NotImplemented (which throws) reaches here; a raw Reply is sent as it is.
          return { status: reply.status ?? 200, headers: { ...base.baseHeaders(ctx.requestId), ...reply.headers }, body: reply.body };
        }
        const op = ctx.operation as ModelOperationDefinition;
        const extra = ctx.response;
        const headers: Record<string, string> = { ...base.baseHeaders(ctx.requestId) };
        if (extra.body !== undefined) {
          const out = writeRestOutput(op.model, output, format, model.xmlNamespace ?? '');
          return {
            status: extra.status ?? out.status,
            headers: { ...headers, ...out.headers, ...extra.headers },
            body: ctx.method === 'HEAD' ? undefined : extra.body,
          };
        }
        switch (protocol) {
          case 'awsJson1_0':
          case 'awsJson1_1':
            return {
              status: extra.status ?? 200,
              headers: { ...headers, 'Content-Type': contentType, ...extra.headers },
              body: writeJson(op.model.output, output, false),
            };
          case 'rpcv2Cbor':
            return {
              status: extra.status ?? 200,
              headers: { ...headers, 'Content-Type': contentType, 'smithy-protocol': 'rpc-v2-cbor', ...extra.headers },
              body: writeCbor(op.model.output, output),
            };
          case 'awsQuery': {
            const ns = model.xmlNamespace ?? '';
            // An operation with no output (IAM's AddUserToGroup, DeleteUser…) answers
            // only the response metadata, with no <XResult> element, as AWS does.
            const result = op.model.output.isStructSchema()
              ? `<${op.name}Result>${writeXmlMembers(op.model.output, output)}</${op.name}Result>`
              : '';
            const body =
              `<${op.name}Response xmlns="${ns}">${result}` +
              `<ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></${op.name}Response>`;
            return { status: extra.status ?? 200, headers: { ...headers, 'Content-Type': 'text/xml', ...extra.headers }, body };
          }
          default: {
            const out = writeRestOutput(op.model, output, format, model.xmlNamespace ?? '');
            return {
              status: extra.status ?? out.status,
              headers: { ...headers, ...out.headers, ...extra.headers },
              body: ctx.method === 'HEAD' ? undefined : out.body,
            };
          }
        }
      },
    };

    return adapter;
  }
}

export type OperationStatus = 'implemented' | 'not implemented';

/** Every operation of a model-driven service with whether the emulator implements it, in the model's order. */
export function operationStatuses(service: ServiceDefinition): { name: string; status: OperationStatus }[] {
  return service.operations.map((o) => {
    const m = o as Partial<ModelOperationDefinition>;
    return { name: o.name, status: m.typed ? 'implemented' : 'not implemented' };
  });
}
