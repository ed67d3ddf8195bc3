import { auditExportRoute } from '@/lib/audit/export-route';

// The audit trail as a download (lib/audit/export-route.ts).
export const GET = auditExportRoute('csv');
