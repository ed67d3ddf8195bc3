import type { Metadata } from 'next';
import Link from 'next/link';
import { AUDIT_PATH, AuditTable } from '@/components/audit/audit-table';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { inputClass } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { auditRequestFrom } from '@/lib/audit/params';
import { listAuditEvents } from '@/lib/audit/query';
import { requireRole } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { param, withParams } from '@/lib/ui/url';

export const metadata: Metadata = { title: 'Audit' };

const FILTERS = ['person', 'action', 'resource', 'from', 'to'] as const;

export default async function AuditPage({ searchParams }: PageProps<'/settings/audit'>) {
  await requireRole('admin');
  const sp = await searchParams;
  const { filter, before, after, problems } = auditRequestFrom((k) => param(sp, k));
  const page = await listAuditEvents(await getDb(), filter, { before, after });
  const kept = Object.fromEntries(FILTERS.map((k) => [k, param(sp, k)]));
  const filtered = FILTERS.some((k) => kept[k]);
  const days = env().BERTH_AUDIT_RETENTION_DAYS;
  const exportHref = (format: 'csv' | 'json') => withParams(`${AUDIT_PATH}/export.${format}`, kept, {});
  const link = 'text-brand-700 hover:underline dark:text-brand-300';

  return (
    <>
      <PageHeader
        eyebrow="Berth"
        title="Audit"
        description={`Who did what through Berth: every change, download and sign-in, with the AWS request id of each call. Entries are kept for ${days} day${days === 1 ? '' : 's'} (BERTH_AUDIT_RETENTION_DAYS).`}
        actions={
          <>
            <a href={exportHref('csv')} className={buttonClass('secondary', 'sm')} download>Export CSV</a>
            <a href={exportHref('json')} className={buttonClass('secondary', 'sm')} download>Export JSON</a>
          </>
        }
      />
      <Card className="mb-5 px-5 py-4">
        {/* A plain GET form: the filters are search params, so every view is a link. */}
        <form method="get" action={AUDIT_PATH} className="grid items-end gap-3 md:grid-cols-2 xl:grid-cols-[1fr_1fr_2fr_11rem_11rem_auto]" aria-label="Filter the audit trail">
          <label className="space-y-1 text-sm">
            <span className="font-medium text-zinc-800 dark:text-zinc-200">Person</span>
            <input name="person" type="search" defaultValue={kept.person} placeholder="email" className={inputClass} />
          </label>
          <label className="space-y-1 text-sm">
            <span className="font-medium text-zinc-800 dark:text-zinc-200">Action</span>
            <input name="action" type="search" defaultValue={kept.action} placeholder="s3.bucket.versioning" className={inputClass} />
          </label>
          <label className="space-y-1 text-sm">
            <span className="font-medium text-zinc-800 dark:text-zinc-200">Resource (ARN)</span>
            <input name="resource" type="search" defaultValue={kept.resource} placeholder="arn:aws:s3:::my-bucket" className={inputClass} />
          </label>
          <label className="space-y-1 text-sm">
            <span className="font-medium text-zinc-800 dark:text-zinc-200">From (UTC)</span>
            <input name="from" type="datetime-local" defaultValue={kept.from} className={inputClass} />
          </label>
          <label className="space-y-1 text-sm">
            <span className="font-medium text-zinc-800 dark:text-zinc-200">To (UTC)</span>
            <input name="to" type="datetime-local" defaultValue={kept.to} className={inputClass} />
          </label>
          <div className="flex gap-2">
            <button type="submit" className={buttonClass('primary')}>Filter</button>
            {filtered ? <Link href={AUDIT_PATH} className={buttonClass('ghost')}>Clear</Link> : null}
          </div>
        </form>
        {problems.length ? (
          <Alert tone="warning" className="mt-3" title="Some filters were left out">
            {problems.join(' ')}
          </Alert>
        ) : null}
      </Card>
      <Card>
        {page.events.length ? (
          <AuditTable events={page.events} />
        ) : (
          <EmptyState title={filtered ? 'No entries match' : 'No entries yet'}>
            {filtered ? 'Try a wider time range or fewer filters. A bucket’s ARN finds its objects too.' : 'Changes, downloads and sign-ins appear here as they happen.'}
          </EmptyState>
        )}
        {page.older !== null || page.newer !== null ? (
          <nav aria-label="Pages" className="flex items-center justify-between border-t border-zinc-100 px-5 py-3 text-sm dark:border-zinc-800">
            <span className="text-zinc-500 dark:text-zinc-400">{page.events.length} on this page, newest first</span>
            <span className="flex gap-4">
              {page.newer !== null ? (
                <>
                  <Link href={withParams(AUDIT_PATH, kept, {})} className={link}>« Newest</Link>
                  <Link href={withParams(AUDIT_PATH, kept, { after: page.newer })} className={link}>‹ Newer</Link>
                </>
              ) : null}
              {page.older !== null ? <Link href={withParams(AUDIT_PATH, kept, { before: page.older })} className={link}>Older ›</Link> : null}
            </span>
          </nav>
        ) : null}
      </Card>
    </>
  );
}
