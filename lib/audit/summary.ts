import 'server-only';
import { getCallerIdentity } from '@/lib/aws/identity';
import { arnOf, needsAccount, type AuditService } from './resources';
import { isReadOperation, outsideAuditScope, type AuditScope } from './scope';

export interface ScopeSummary {
  target: string | null;
  region: string | null;
  requestId: string | null;
  /** The AWS error code of the last failed call, if any. */
  lastError: string | null;
}

async function selfAccount(): Promise<{ account: string; partition: string } | null> {
  try {
    // Read outside the scope: Berth's own identity call is not part of the action.
    const me = await outsideAuditScope(() => getCallerIdentity());
    return { account: me.account, partition: me.partition };
  } catch {
    return null;
  }
}

/**
 * Target, region and request id from what a request did in AWS. The target is
 * the first resource named by a call to the action's own service (the
 * distribution a create made, not the bucket whose policy it also wrote), else
 * by any call; the request id is that of the last call that changed something,
 * else the last call.
 */
export async function summarizeScope(scope: AuditScope, prefer?: AuditService): Promise<ScopeSummary> {
  const calls = scope.calls;
  const withResource = calls.filter((c) => c.resource);
  const main = (prefer ? withResource.find((c) => c.service === prefer) : undefined) ?? withResource[0];
  let target = scope.target ?? null;
  if (!target && main?.resource) {
    target = arnOf(main.resource, needsAccount(main.resource) ? await selfAccount() : null);
  }
  const writes = calls.filter((c) => !isReadOperation(c.operation));
  const last = writes.at(-1) ?? calls.at(-1);
  const failed = calls.filter((c) => c.error).at(-1);
  return {
    target,
    region: main?.region ?? last?.region ?? null,
    requestId: last?.requestId ?? null,
    lastError: failed?.error ?? null,
  };
}
