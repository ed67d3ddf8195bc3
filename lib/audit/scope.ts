import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { InitializeHandler, InitializeHandlerArguments, InitializeMiddleware, MetadataBearer, Pluggable } from '@smithy/types';
import { resourceOfCall, type AuditService, type ResourceRef } from './resources';

// What one server action or route handler did in AWS, gathered while it runs:
// each SDK call's region, request id and resource. defineAction and withRole
// open a scope; a middleware on every AWS client (lib/aws/clients.ts) adds to
// the scope of whatever request it runs in. That way the lib/ functions keep
// their plain return types and still every AWS request id reaches the audit
// trail. AsyncLocalStorage follows the awaits of one request:
// https://nodejs.org/api/async_context.html#class-asynclocalstorage

export interface AwsCall {
  service: AuditService;
  operation: string;
  region: string;
  requestId: string | null;
  resource: ResourceRef | null;
  /** The AWS error code when the call failed. */
  error: string | null;
}

export interface AuditScope {
  calls: AwsCall[];
  /** Set by the handler when the resource is not the one its calls name. */
  target?: string;
  detail?: Record<string, unknown>;
}

const storage = new AsyncLocalStorage<AuditScope>();

/** Runs `fn` with a fresh scope, and hands back the scope with what `fn` returned. */
export async function withAuditScope<T>(fn: () => Promise<T>): Promise<{ scope: AuditScope; result: T }> {
  const scope: AuditScope = { calls: [] };
  const result = await storage.run(scope, fn);
  return { scope, result };
}

/** Runs `fn` with the scope given (so a caller keeps hold of it if `fn` throws). */
export function runInAuditScope<T>(scope: AuditScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** Runs `fn` outside any scope: the audit writer's own AWS calls (Berth's account) must not count. */
export function outsideAuditScope<T>(fn: () => T): T {
  return storage.exit(fn);
}

/** For a handler: name the target (an ARN) and add a little detail to the current audit entry. */
export function noteAudit(note: { target?: string; detail?: Record<string, unknown> }): void {
  const scope = storage.getStore();
  if (!scope) return;
  if (note.target) scope.target = note.target;
  if (note.detail) scope.detail = { ...scope.detail, ...note.detail };
}

// Calls that only read. The request id kept for an entry is that of its last
// call that changed something, when there was one.
const READ = /^(Get|List|Describe|Head|BatchGet|BatchCheck|Simulate|Lookup)/;

export function isReadOperation(operation: string): boolean {
  return READ.test(operation);
}

function errorCode(error: unknown): string | null {
  const e = error as { name?: unknown; Code?: unknown; code?: unknown };
  const code = typeof e?.Code === 'string' ? e.Code : typeof e?.name === 'string' ? e.name : typeof e?.code === 'string' ? e.code : null;
  return code;
}

function requestIdOf(v: unknown): string | null {
  const id = (v as Partial<MetadataBearer> | undefined)?.$metadata?.requestId;
  return typeof id === 'string' && id ? id : null;
}

/**
 * The SDK middleware. It sits in the initialize step, outside the retry loop,
 * so it sees each command once with its final output or error; both carry
 * `$metadata.requestId` (https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/middleware-stack.html).
 */
export function auditMiddleware(service: AuditService, region: string): Pluggable<object, MetadataBearer> {
  const middleware: InitializeMiddleware<object, MetadataBearer> =
    (next: InitializeHandler<object, MetadataBearer>, context) =>
    async (args: InitializeHandlerArguments<object>) => {
      const scope = storage.getStore();
      if (!scope) return next(args);
      const operation = String((context as { commandName?: string }).commandName ?? 'Unknown').replace(/Command$/, '');
      try {
        const out = await next(args);
        scope.calls.push({ service, operation, region, requestId: requestIdOf(out.output), resource: resourceOfCall(service, operation, region, args.input, out.output), error: null });
        return out;
      } catch (error) {
        scope.calls.push({ service, operation, region, requestId: requestIdOf(error), resource: resourceOfCall(service, operation, region, args.input), error: errorCode(error) });
        throw error;
      }
    };
  return {
    applyToStack(stack) {
      stack.add(middleware, { step: 'initialize', name: 'berthAuditMiddleware', priority: 'high', override: true });
    },
  };
}
