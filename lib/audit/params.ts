import 'server-only';
import { parseAuditParams } from '@/lib/validation/audit';
import type { AuditFilter } from './query';

/** The Audit page's and exports' filters and cursor, from the URL. */
export function auditRequestFrom(get: (key: string) => string | undefined) {
  const { params, problems } = parseAuditParams(get);
  const filter: AuditFilter = { person: params.person, action: params.action, resource: params.resource, from: params.from, to: params.to };
  return { filter, before: params.before, after: params.after, problems };
}
