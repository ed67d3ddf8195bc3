import Link from 'next/link';
import { withParams, type SearchParams } from '@/lib/ui/url';
import { Th } from './table';

/** A column header that sorts by its key; a second click reverses the order. */
export function SortHeader({ path, sp, sortKey, current, dir, children, className }: { path: string; sp: SearchParams; sortKey: string; current: string; dir: 'asc' | 'desc'; children: React.ReactNode; className?: string }) {
  const active = current === sortKey;
  const nextDir = active && dir === 'asc' ? 'desc' : 'asc';
  return (
    <Th className={className} aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <Link href={withParams(path, sp, { sort: sortKey, dir: nextDir, page: null })} className="inline-flex items-center gap-1 hover:text-zinc-800 dark:hover:text-zinc-200">
        {children}
        <span aria-hidden className={active ? 'text-brand-600 dark:text-brand-300' : 'text-zinc-300 dark:text-zinc-600'}>
          {active ? (dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </Link>
    </Th>
  );
}
