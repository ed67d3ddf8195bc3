import 'server-only';
import { headers } from 'next/headers';
import { clientAddress } from '@/lib/auth/client-address';
import { env } from '@/lib/env';
import type { AuditService } from './resources';
import type { AuditScope } from './scope';
import { summarizeScope } from './summary';
import { recordAudit } from './writer';

// The glue between the places that act (defineAction, withRole, sign-in and
// sign-out) and the writer: who and from where, plus what the scope gathered.

/** The client address of the request being served, or null outside one. */
export async function requestClientAddress(from?: Headers): Promise<string | null> {
  try {
    return clientAddress(from ?? (await headers()), env().BERTH_TRUSTED_PROXY_HOPS);
  } catch {
    return null;
  }
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** A region named by the request itself (a form's hidden region field), for entries with no AWS call. */
export function regionFromInput(input: unknown): string | null {
  const r = input instanceof FormData ? input.get('region') : input && typeof input === 'object' ? (input as Record<string, unknown>).region : undefined;
  return typeof r === 'string' && REGION.test(r) ? r : null;
}

function requestIdOfError(error: unknown): string | null {
  const id = (error as { $metadata?: { requestId?: unknown } } | null)?.$metadata?.requestId;
  return typeof id === 'string' && id ? id : null;
}

export interface RequestAudit {
  action: string;
  user: { email: string; role: string } | null;
  outcome: string;
  scope?: AuditScope;
  /** The action's own service, to pick its resource as the target. */
  service?: AuditService;
  input?: unknown;
  /** The error the request failed with: its request id is the one that counts. */
  error?: unknown;
  headers?: Headers;
}

/** Records one request's entry. Never throws. */
export async function auditRequest(r: RequestAudit): Promise<void> {
  try {
    const summary = r.scope ? await summarizeScope(r.scope, r.service) : null;
    await recordAudit({
      action: r.action,
      actor: r.user?.email ?? null,
      role: r.user?.role ?? null,
      outcome: r.outcome,
      target: summary?.target ?? null,
      region: summary?.region ?? regionFromInput(r.input),
      requestId: requestIdOfError(r.error) ?? summary?.requestId ?? null,
      clientAddress: await requestClientAddress(r.headers),
      detail: r.scope?.detail ?? null,
    });
  } catch (error) {
    console.error(`[audit] could not record ${r.action}:`, error);
  }
}
