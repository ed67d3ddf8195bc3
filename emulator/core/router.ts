import { MAX_BODY_BYTES } from './body';
import type { AuthParse } from './credentials';
import type { PreContext, ServiceDefinition } from './types';

export type ServicePick =
  | { kind: 'service'; service: ServiceDefinition }
  /** The caller signed for a service this emulator does not have. */
  | { kind: 'unknown'; signingName: string };

function isFormBody(pre: PreContext): boolean {
  const ct = pre.headers['content-type'];
  return typeof ct === 'string' && ct.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/**
 * Chooses the service for a request, most reliable signal first: the SigV4
 * credential scope (and, among services sharing a signing name, the one that
 * `claims` the request), then a service's `claims`, then X-Amz-Target, then
 * a service's own path prefix, then a query-protocol Action, and finally S3,
 * which owns every other path.
 */
export async function pickService(
  services: readonly ServiceDefinition[],
  pre: PreContext,
  auth: AuthParse,
): Promise<ServicePick> {
  if (auth.kind === 'credential' && auth.credential.service) {
    const name = auth.credential.service;
    const named = services.filter((s) => s.signingName === name);
    // Two services may share a signing name (S3 and S3 Control both sign as `s3`).
    const svc = named.find((s) => s.claims?.(pre)) ?? named.find((s) => !s.claims);
    return svc ? { kind: 'service', service: svc } : { kind: 'unknown', signingName: name };
  }

  // An unsigned request for a service that knows its own by their shape.
  const claimed = services.find((s) => s.claims?.(pre));
  if (claimed) return { kind: 'service', service: claimed };

  const target = pre.headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) {
    const prefix = target.slice(0, target.lastIndexOf('.'));
    const svc = services.find((s) => s.targetPrefix === prefix);
    if (svc) return { kind: 'service', service: svc };
  }

  for (const svc of services) {
    if (svc.pathPrefixes?.some((p) => pre.path.startsWith(p))) return { kind: 'service', service: svc };
  }

  const queryServices = services.filter((s) => s.protocol.protocol === 'awsQuery');
  if (queryServices.length > 0) {
    let action = pre.query.get('Action');
    // Only a form POST to the root can be a query-protocol call; sniffing
    // other bodies would misroute S3 uploads that happen to be form-typed.
    if (action === null && pre.method === 'POST' && pre.path === '/' && isFormBody(pre)) {
      try {
        const body = await pre.loadBody(MAX_BODY_BYTES);
        action = new URLSearchParams(body.toString('utf8')).get('Action');
      } catch {
        action = null;
      }
    }
    if (action !== null) {
      const svc = queryServices.find((s) => s.operations.some((o) => o.name === action)) ?? queryServices[0];
      if (svc) return { kind: 'service', service: svc };
    }
  }

  const s3 = services.find((s) => s.name === 's3');
  if (s3) return { kind: 'service', service: s3 };
  return { kind: 'unknown', signingName: 'unknown' };
}
