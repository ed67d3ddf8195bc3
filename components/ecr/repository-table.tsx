import { SortHeader } from '@/components/ui/sort-header';
import { Table, Th } from '@/components/ui/table';
import type { RepositorySummary } from '@/lib/ecr/repositories';
import type { RepositoryStats } from '@/lib/ecr/stats';
import type { SearchParams } from '@/lib/ui/url';
import { CopyOnClick } from './copy-on-click';
import { repositoryRowsHtml } from './repository-rows-html';

// The repositories list renders up to 50 rows, and every byte of a row is sent
// twice (HTML and the RSC payload that hydrates it). Table styles the cells
// once; in the same way the look of a badge, the name link and the copy
// button is written once on the table body with descendant variants (the same
// classes as Badge and CopyButton in components/ui), and a row carries only
// its data and a data attribute or two. The rows themselves are one string
// (components/ecr/repository-rows-html.ts).
const BODY = [
  '[&_[data-dim]]:text-zinc-600 dark:[&_[data-dim]]:text-zinc-400',
  '[&_[data-num]]:text-right [&_[data-num]]:whitespace-nowrap [&_[data-num]]:tabular-nums',
  // Badge
  '[&_[data-badge]]:inline-flex [&_[data-badge]]:items-center [&_[data-badge]]:rounded-full [&_[data-badge]]:px-2 [&_[data-badge]]:py-0.5 [&_[data-badge]]:text-xs [&_[data-badge]]:font-medium [&_[data-badge]]:whitespace-nowrap [&_[data-badge]]:ring-1 [&_[data-badge]]:ring-inset',
  '[&_[data-badge=neutral]]:bg-zinc-100 [&_[data-badge=neutral]]:text-zinc-700 [&_[data-badge=neutral]]:ring-zinc-200 dark:[&_[data-badge=neutral]]:bg-zinc-800 dark:[&_[data-badge=neutral]]:text-zinc-300 dark:[&_[data-badge=neutral]]:ring-zinc-700',
  '[&_[data-badge=brand]]:bg-brand-50 [&_[data-badge=brand]]:text-brand-800 [&_[data-badge=brand]]:ring-brand-200 dark:[&_[data-badge=brand]]:bg-brand-950 dark:[&_[data-badge=brand]]:text-brand-200 dark:[&_[data-badge=brand]]:ring-brand-800',
  '[&_[data-badge=green]]:bg-emerald-50 [&_[data-badge=green]]:text-emerald-800 [&_[data-badge=green]]:ring-emerald-200 dark:[&_[data-badge=green]]:bg-emerald-950 dark:[&_[data-badge=green]]:text-emerald-300 dark:[&_[data-badge=green]]:ring-emerald-900',
  // Name link, URI and its copy button
  '[&_a]:font-medium [&_a]:text-brand-700 [&_a:hover]:underline dark:[&_a]:text-brand-300',
  '[&_[data-uri]]:mt-0.5 [&_[data-uri]]:flex [&_[data-uri]]:items-center [&_[data-uri]]:gap-1',
  '[&_[data-uri]>span]:max-w-[14rem] [&_[data-uri]>span]:truncate [&_[data-uri]>span]:font-mono [&_[data-uri]>span]:text-xs [&_[data-uri]>span]:text-zinc-500 2xl:[&_[data-uri]>span]:max-w-[26rem] dark:[&_[data-uri]>span]:text-zinc-400',
  '[&_[data-copy]]:inline-grid [&_[data-copy]]:size-7 [&_[data-copy]]:shrink-0 [&_[data-copy]]:place-items-center [&_[data-copy]]:rounded-md [&_[data-copy]]:text-zinc-500 [&_[data-copy]:hover]:bg-zinc-100 [&_[data-copy]:hover]:text-zinc-800 dark:[&_[data-copy]]:text-zinc-400 dark:[&_[data-copy]:hover]:bg-zinc-800 dark:[&_[data-copy]:hover]:text-zinc-100',
  '[&_[data-copied]]:text-emerald-600 dark:[&_[data-copied]]:text-emerald-400 [&_[data-copy]>svg]:size-4',
].join(' ');

/** One page of the repositories list, with each row's image count and size. */
export function RepositoryTable({
  rows,
  stats,
  sp,
  sort,
  dir,
  regionParam,
}: {
  rows: RepositorySummary[];
  stats: Map<string, RepositoryStats | null>;
  sp: SearchParams;
  sort: string;
  dir: 'asc' | 'desc';
  regionParam: string | undefined;
}) {
  return (
    <CopyOnClick>
      <Table>
        <thead>
          <tr>
            <SortHeader path="/ecr" sp={sp} sortKey="name" current={sort} dir={dir}>Name and URI</SortHeader>
            <SortHeader path="/ecr" sp={sp} sortKey="created" current={sort} dir={dir}>Created</SortHeader>
            <Th>Tags</Th>
            <Th>Scan</Th>
            <Th>Encryption</Th>
            <Th className="text-right">Images</Th>
            <Th className="text-right">Size</Th>
          </tr>
        </thead>
        {/* The rows' markup is escaped where it is built (repositoryRowsHtml). */}
        <tbody data-testid="repositories" className={BODY} dangerouslySetInnerHTML={{ __html: repositoryRowsHtml(rows, stats, regionParam) }} />
      </Table>
    </CopyOnClick>
  );
}
