import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { authorizeOperation, sourceIpOf } from './core/authorize';
import { BlobStore } from './core/blobs';
import { BodyTooLargeError, MAX_BODY_BYTES, readBody } from './core/body';
import { CONTROL_PREFIX, handleControl } from './core/control';
import { verifyRequest } from './core/authenticate';
import { ACCOUNT_ID, builtInCredential, parseAuth } from './core/credentials';
import { getMeta, openDatabase, setMeta } from './core/db';
import { AwsError, isAwsError } from './core/errors';
import { FaultInjector, faultRulesFromEnv, type FaultRule } from './core/faults';
import { newRequestId } from './core/ids';
import { pickService } from './core/router';
import { sha256Hex } from './core/sigv4';
import { errorProtocol } from './core/wire/errors';
import type {
  ActivityNote,
  CredentialRecord,
  EmulatorEnv,
  PayloadSigning,
  PreContext,
  Principal,
  ProtocolAdapter,
  RenderedResponse,
  RequestContext,
  ServedCall,
  ServiceDefinition,
} from './core/types';
import { SERVICES as ALL_SERVICES } from './services/index';

export type { FaultRule } from './core/faults';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  dataDir: string;
  seed?: boolean;
  deployDelayMs?: number;
  /** How long an ECR scan stays IN_PROGRESS (default 1500 ms). */
  scanDelayMs?: number;
  /** Initial clock offset in ms (env BERTH_EMULATOR_CLOCK_OFFSET_MS); tests shift time with it. */
  clockOffsetMs?: number;
  faults?: FaultRule[];
  log?: (line: string) => void;
  /** The services to serve; every emulated service by default (tests of the wire layer pass their own). */
  services?: readonly ServiceDefinition[];
}

export interface RunningEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Region of seeded resources and of requests whose signature names none. */
export const DEFAULT_REGION = 'us-east-1';
const DEFAULT_DEPLOY_DELAY_MS = 3000;
const DEFAULT_SCAN_DELAY_MS = 1500;

function clockOffsetFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 0;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`BERTH_EMULATOR_CLOCK_OFFSET_MS must be a number of milliseconds, got "${raw}"`);
  return Math.trunc(n);
}

// Shapes for answering a request signed for a service the emulator lacks.
const fallbackJson = errorProtocol({ protocol: 'awsJson1_1' });
const fallbackQuery = errorProtocol({ protocol: 'awsQuery', xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/', version: '2011-06-15' });
const fallbackXml = errorProtocol({ protocol: 'restXml', xmlFlavor: 's3' });

function splitUrl(raw: string): { path: string; query: URLSearchParams } {
  // The raw path is kept percent-encoded and un-normalised: S3 keys may
  // contain `..` or `%2F`, which URL parsing would rewrite.
  const q = raw.indexOf('?');
  const p = q >= 0 ? raw.slice(0, q) : raw;
  const qs = q >= 0 ? raw.slice(q + 1) : '';
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(qs);
  } catch {
    query = new URLSearchParams();
  }
  return { path: p.startsWith('/') ? p : `/${p}`, query };
}

/** Bodies up to this size are read and dropped before an early error is answered. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** Reads and discards the rest of a request body; false when it is larger than `limit` or fails. */
function drain(req: IncomingMessage, limit: number): Promise<boolean> {
  if (req.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let seen = 0;
    const done = (ok: boolean) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (!ok) req.pause();
      resolve(ok);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) done(false);
    };
    const onEnd = () => done(true);
    const onError = () => done(false);
    const onClose = () => done(req.readableEnded);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
    req.resume();
  });
}

async function send(res: ServerResponse, r: RenderedResponse): Promise<void> {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = { ...r.headers };
  const body = r.body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    headers['Content-Length'] = String(Buffer.byteLength(body));
  } else if (body === undefined) {
    headers['Content-Length'] ??= '0';
  }
  res.writeHead(r.status, headers);
  if (body instanceof Readable) {
    await pipeline(body, res).catch(() => res.destroy());
  } else {
    res.end(body);
  }
}

async function runSeeds(env: EmulatorEnv, services: readonly ServiceDefinition[]): Promise<void> {
  // Seeds must be idempotent: a crash mid-seed means they run again next start.
  for (const s of services) await s.seed?.({ env, region: DEFAULT_REGION });
  setMeta(env.db, 'seeded', new Date(env.now()).toISOString());
}

export async function startEmulator(opts: EmulatorOptions): Promise<RunningEmulator> {
  const SERVICES = opts.services ?? ALL_SERVICES;
  const log = opts.log ?? (() => {});
  const dataDir = path.resolve(opts.dataDir);
  const faults = new FaultInjector([...(opts.faults ?? []), ...faultRulesFromEnv(process.env.BERTH_EMULATOR_FAULTS)]);
  const clock = { offsetMs: opts.clockOffsetMs ?? clockOffsetFromEnv(process.env.BERTH_EMULATOR_CLOCK_OFFSET_MS) };
  const db = openDatabase(dataDir);
  const hasCredentialSource = SERVICES.some((s) => s.credentialSource !== undefined);
  // One service keeps principals and their policies (IAM); without it, callers have no identity policies.
  const identitySource = SERVICES.find((s) => s.identitySource)?.identitySource;
  const env: EmulatorEnv = {
    db,
    blobs: new BlobStore(dataDir, db),
    dataDir,
    accountId: ACCOUNT_ID,
    deployDelayMs: opts.deployDelayMs ?? DEFAULT_DEPLOY_DELAY_MS,
    scanDelayMs: opts.scanDelayMs ?? DEFAULT_SCAN_DELAY_MS,
    now: () => Date.now() + clock.offsetMs,
    clock,
    log,
    resolveCredential(accessKeyId: string): CredentialRecord | undefined {
      for (const s of SERVICES) {
        const found = s.credentialSource?.(env, accessKeyId);
        if (found) return found;
      }
      // TEMPORARY: the fixed keys answer only where no service holds
      // credentials (a service list without IAM, as wire-layer tests build);
      // with IAM present, its users' keys are the only ones, so a deleted or
      // deactivated `test` key really stops working.
      return hasCredentialSource ? undefined : builtInCredential(accessKeyId);
    },
    identityOf(principalArn: string) {
      return identitySource?.principal(env, principalArn) ?? { policies: [], tags: {} };
    },
    managedPolicyDocument(policyArn: string) {
      return identitySource?.managedPolicyDocument(env, policyArn);
    },
  };

  // The emulator's clock (with the test offset) inside SQL, for triggers that
  // stamp when something happened (Cost Explorer's ledger of ended storage).
  // One reading per synchronous run: every row a statement or transaction
  // touches gets the same instant, however many times a trigger asks.
  let sqlNow: number | undefined;
  db.function('emulator_now_ms', { deterministic: false }, () => {
    if (sqlNow === undefined) {
      sqlNow = env.now();
      queueMicrotask(() => (sqlNow = undefined));
    }
    return sqlNow;
  });

  try {
    for (const s of SERVICES) s.migrate?.(db);
    if (opts.seed !== false && getMeta(db, 'seeded') === undefined) {
      await runSeeds(env, SERVICES);
      log('seeded demo data');
    }
  } catch (err) {
    db.close();
    throw err;
  }

  const observers = SERVICES.filter((s) => s.observe !== undefined);

  /** Hands a served request to the observers (CloudTrail); a failing observer never fails the request. */
  function notify(call: ServedCall): void {
    for (const s of observers) {
      try {
        s.observe!(env, call);
      } catch (err) {
        log(`${call.requestId} ${s.name} observer failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  function observe(ctx: RequestContext | undefined, error: AwsError | undefined, time: number): void {
    if (!ctx || observers.length === 0) return;
    const ua = ctx.headers['user-agent'];
    notify({
      requestId: ctx.requestId,
      time,
      service: ctx.service,
      operation: ctx.operation.name,
      region: ctx.region,
      principal: ctx.principal,
      input: ctx.input,
      sourceIp: sourceIpOf(ctx.req),
      userAgent: typeof ua === 'string' ? ua : undefined,
      ...(error ? { error: { code: error.code, message: error.message } } : {}),
      ...(ctx.activity ? { activity: ctx.activity } : {}),
      ...(ctx.answered ? { answered: ctx.answered } : {}),
    });
  }

  async function handleAws(req: IncomingMessage, res: ServerResponse, requestId: string, started: number) {
    const arrived = env.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const { path: rawPath, query } = splitUrl(req.url ?? '/');
    let bodyPromise: Promise<Buffer> | undefined;
    const pre: PreContext = {
      requestId,
      method,
      path: rawPath,
      query,
      headers: req.headers,
      host: typeof req.headers.host === 'string' ? req.headers.host : '',
      req,
      // The first reader's limit wins; later readers share the same buffer.
      loadBody: (limit) => (bodyPromise ??= readBody(req, limit)),
    };
    const auth = parseAuth(req.headers, query);
    const pick = await pickService(SERVICES, pre, auth);

    if (pick.kind === 'unknown') {
      const protocol = req.headers['x-amz-target'] ? fallbackJson : pre.query.has('Action') ? fallbackQuery : fallbackXml;
      const err = protocol.errors.unknownOperation(`for service ${pick.signingName}, which this emulator does not provide`);
      await send(res, protocol.renderError(err, requestId, method));
      log(`${requestId} ${method} ${rawPath} -> ${pick.signingName}? ${err.status} ${Date.now() - started}ms`);
      return;
    }

    const service = pick.service;
    const protocol: ProtocolAdapter = service.protocolFor?.(pre) ?? service.protocol;
    let opName = '?';
    let status = 500;
    // Set once the request has an operation and a caller: from then on it is observed, answered or refused.
    let served: RequestContext | undefined;
    let failure: AwsError | undefined;
    try {
      const resolved = await protocol.resolve(pre, service);
      opName = resolved.name;
      const op = resolved.operation;

      // Authenticate: who is this, and is the signature theirs?
      let principal: Principal | null = null;
      let payload: PayloadSigning | undefined;
      if (op?.auth !== 'none') {
        if (auth.kind === 'malformed') throw protocol.errors.malformedAuth();
        if (auth.kind === 'credential') {
          const verified = await verifyRequest({
            env,
            errors: protocol.errors,
            s3: service.signingName === 's3',
            req,
            auth,
            query,
            body: op?.streamBody ? undefined : () => pre.loadBody(op?.maxBodyBytes ?? MAX_BODY_BYTES),
          });
          principal = verified.principal;
          payload = verified.payload;
        } else if (!service.anonymousAllowed) {
          throw protocol.errors.missingAuth();
        }
      }
      if (!op) throw protocol.errors.unknownOperation(resolved.name);

      const region =
        service.fixedRegion ?? (auth.kind === 'credential' ? auth.credential.region : undefined) ?? DEFAULT_REGION;
      const ctx: RequestContext = {
        requestId,
        env,
        service,
        operation: op,
        region,
        principal,
        method,
        path: service.rewritePath ? service.rewritePath(pre.host, rawPath) : rawPath,
        query,
        headers: req.headers,
        params: resolved.params,
        body: Buffer.alloc(0),
        input: {},
        req,
        response: { headers: {} },
        // A streamed body is checked against the signature as it is stored.
        ...(op.streamBody && payload ? { payload } : {}),
      };
      served = ctx;
      // The body is read before authorising because access-denied messages
      // name the resource, which JSON operations carry in the body.
      if (!op.streamBody) {
        ctx.body = await pre.loadBody(op.maxBodyBytes ?? MAX_BODY_BYTES);
        if (payload?.sha256 !== undefined) {
          const computed = sha256Hex(ctx.body);
          if (computed !== payload.sha256) throw payload.mismatch(computed);
        }
      }
      ctx.input = resolved.input ?? (await protocol.parseInput(ctx));

      // Authorise: the caller's IAM policies and the resource's policy, as AWS decides
      // (anonymous S3 requests: the bucket policy alone, under Block Public Access).
      if (op.auth !== 'none') authorizeOperation(ctx);

      const fault = await faults.apply(service.name, op.name);
      if (fault) {
        const base = fault.kind === 'throttle' ? protocol.errors.throttled() : protocol.errors.internal();
        throw new AwsError(base.code, base.message, fault.status ?? base.status, { fields: base.fields });
      }

      const reply = await op.handler(ctx);
      const rendered = protocol.renderSuccess(ctx, reply);
      status = rendered.status;
      await send(res, rendered);
    } catch (err) {
      let e: AwsError;
      if (isAwsError(err)) {
        e = err;
      } else if (err instanceof BodyTooLargeError) {
        e = protocol.errors.tooLarge(err.limit);
        // The rest of the upload is not worth reading; close after answering.
        e.headers.Connection = 'close';
      } else {
        log(`${requestId} ${service.name}.${opName} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        e = protocol.errors.internal();
      }
      status = e.status;
      failure = e;
      // An error before a streamed body was read (a fault, a refusal): read
      // the rest of a body of a part's size first, so the client, still
      // sending, gets the answer rather than a broken pipe; anything larger
      // is cut off after the answer.
      if (bodyPromise === undefined && !req.readableEnded && e.headers.Connection !== 'close') {
        if (!(await drain(req, DRAIN_LIMIT_BYTES))) e.headers.Connection = 'close';
      }
      await send(res, protocol.renderError(e, requestId, method));
    }
    observe(served, failure, arrived);
    log(`${requestId} ${method} ${rawPath} -> ${service.name}.${opName} ${status} ${Date.now() - started}ms`);
  }

  /** Gives services a chance at requests outside the AWS API (S3 website endpoints), then routes to AWS. */
  async function serveRawOrAws(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    started: number,
    rawPath: string,
    query: URLSearchParams,
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const host = typeof req.headers.host === 'string' ? req.headers.host : '';
    const arrived = env.now();
    for (const s of SERVICES) {
      if (!s.serveRaw) continue;
      const activity: ActivityNote[] = [];
      const served = await s.serveRaw(env, req, res, { requestId, method, host, path: rawPath, query, activity });
      if (served) {
        // Outside the AWS API, only what a request stood for in it is observed (the public registry's push steps).
        const first = activity[0];
        if (first && observers.length > 0) {
          const ua = req.headers['user-agent'];
          notify({
            requestId,
            time: arrived,
            service: s,
            operation: 'Registry',
            region: first.region,
            principal: first.principal,
            input: {},
            sourceIp: sourceIpOf(req),
            userAgent: typeof ua === 'string' ? ua : undefined,
            activity,
          });
        }
        log(`${requestId} ${method} ${host}${rawPath} -> ${s.name}.raw ${res.statusCode} ${Date.now() - started}ms`);
        return;
      }
    }
    await handleAws(req, res, requestId, started);
  }

  const server = http.createServer((req, res) => {
    const started = Date.now();
    const requestId = newRequestId();
    req.on('error', () => {});
    res.on('error', () => {});
    const { path: p, query: q } = splitUrl(req.url ?? '/');
    const work = p.startsWith(CONTROL_PREFIX)
      ? handleControl(req, res, p, faults, clock)
      : serveRawOrAws(req, res, requestId, started, p, q);
    work.catch((err: unknown) => {
      // Last line of defence: nothing a client sends may take the process down.
      log(`${requestId} unhandled: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain', 'x-amzn-RequestId': requestId });
        res.end('internal error');
      } else {
        res.destroy();
      }
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      db.close();
      reject(err);
    };
    server.once('error', onError);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          for (const s of SERVICES) {
            try {
              s.close?.(env);
            } catch (err) {
              log(`${s.name} close failed: ${err instanceof Error ? err.message : String(err)}`);
            }
          }
          db.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
