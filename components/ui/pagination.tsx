import Link from 'next/link';
import { cn } from '@/lib/ui/cn';
import { withParams, type SearchParams } from '@/lib/ui/url';

/** `param` names the search param holding the page, for a page with several paged lists (default `page`). */
export function Pagination({ path, sp, page, pages, total, pageSize, noun, param = 'page' }: { path: string; sp: SearchParams; page: number; pages: number; total: number; pageSize: number; noun: string; param?: string }) {
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const link = (p: number, label: string, disabled: boolean) =>
    disabled ? (
      <span className="rounded-md px-2.5 py-1 text-zinc-300 dark:text-zinc-600">{label}</span>
    ) : (
      <Link href={withParams(path, sp, { [param]: p === 1 ? null : p })} className="rounded-md px-2.5 py-1 text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800" scroll={false}>
        {label}
      </Link>
    );
  return (
    <nav aria-label="Pages" className={cn('flex items-center justify-between border-t border-zinc-100 px-5 py-3 text-sm dark:border-zinc-800')}>
      <p className="text-zinc-500 dark:text-zinc-400" data-testid="pagination-summary">
        {from.toLocaleString('en-US')}–{to.toLocaleString('en-US')} of {total.toLocaleString('en-US')} {noun}
      </p>
      <div className="flex items-center gap-1">
        {link(1, '« First', page <= 1)}
        {link(page - 1, '‹ Previous', page <= 1)}
        <span className="px-2 text-zinc-500 dark:text-zinc-400">
          Page {page} of {Math.max(1, pages)}
        </span>
        {link(page + 1, 'Next ›', page >= pages)}
        {link(pages, 'Last »', page >= pages)}
      </div>
    </nav>
  );
}
