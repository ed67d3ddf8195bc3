import { z } from 'zod';

// The Audit page's and exports' search params. Times are UTC, as Berth shows
// every time: "2026-12-01", "2026-12-01T13:05" (a datetime-local field) or a
// full ISO instant.

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

const instant = z
  .string()
  .trim()
  .regex(DATE, 'Give a date like 2026-12-01 or 2026-12-01T13:05 (UTC).')
  .transform((v, ctx) => {
    const iso = v.length === 10 ? `${v}T00:00Z` : /(Z|[+-]\d{2}:\d{2})$/.test(v) ? v : `${v}Z`;
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'Not a date.' });
      return z.NEVER;
    }
    return ms;
  });

const cursor = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const auditFilterFields = {
  person: z.string().trim().min(1).max(254),
  action: z.string().trim().min(1).max(200),
  resource: z.string().trim().min(1).max(2048),
  from: instant,
  to: instant,
  before: cursor,
  after: cursor,
} as const;

export type AuditQueryParams = {
  person?: string;
  action?: string;
  resource?: string;
  from?: number;
  to?: number;
  before?: number;
  after?: number;
};

/**
 * Reads what it can from the URL: a field that does not parse is left out and
 * named in `problems`, so one typo does not blank the page.
 */
export function parseAuditParams(get: (key: string) => string | undefined): { params: AuditQueryParams; problems: string[] } {
  const params: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(auditFilterFields)) {
    const raw = get(key);
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = schema.safeParse(raw);
    if (parsed.success) params[key] = parsed.data;
    else problems.push(`${key}: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
  }
  const p = params as AuditQueryParams;
  if (p.from !== undefined && p.to !== undefined && p.from >= p.to) problems.push('to: must be after from.');
  return { params: p, problems };
}
