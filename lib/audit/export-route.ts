import 'server-only';
import { withRole } from '@/lib/auth/route';
import { getDb } from '@/lib/db';
import { exportStream } from './export';
import { auditRequestFrom } from './params';
import { allAuditEvents } from './query';

const TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

/**
 * The GET handler of one export: the Audit page's filters, streamed. Admins
 * only, and the export is itself an entry in the trail (withRole records it).
 */
export function auditExportRoute(format: 'csv' | 'json') {
  return withRole('admin', `audit.export.${format}`, async (req) => {
    const url = new URL(req.url);
    const { filter, problems } = auditRequestFrom((k) => url.searchParams.get(k) ?? undefined);
    if (problems.length) return Response.json({ message: `Fix the filters first: ${problems.join(' ')}` }, { status: 400 });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    return new Response(exportStream(allAuditEvents(await getDb(), filter), format), {
      headers: {
        'content-type': TYPES[format],
        'content-disposition': `attachment; filename="berth-audit-${stamp}.${format}"`,
        'cache-control': 'private, no-store',
      },
    });
  });
}
