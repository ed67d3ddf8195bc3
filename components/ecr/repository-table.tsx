import Link from 'next/link';
import { SortHeader } from '@/components/ui/sort-header';
import { Table, Th } from '@/components/ui/table';
import { ecrPaths } from '@/lib/ecr/paths';
import type { RepositorySummary } from '@/lib/ecr/repositories';
import type { RepositoryStats } from '@/lib/ecr/stats';
import { formatBytes, formatDate, formatDateTime } from '@/lib/ui/format';
import { withParams, type SearchParams } from '@/lib/ui/url';
import { CopyOnClick } from './copy-on-click';

// The repositories list renders up to 50 rows, and every byte of a row is sent
// twice (HTML and the RSC payload that hydrates it). Table styles the cells
// once; in the same way the look of a badge, the name link and the copy
// button is written once on the table body with descendant variants (the same
// classes as Badge and CopyButton in components/ui), and a row carries only
// its data and a data attribute or two.
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

const COPY_ICON = (
  <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
    <path d="M7 7h9.5v9.5H7zM13 7V5a1.5 1.5 0 0 0-1.5-1.5h-6A1.5 1.5 0 0 0 4 5v6.5A1.5 1.5 0 0 0 5.5 13H7" />
  </svg>
);

const COUNT_PARTIAL = 'More than the 1,000 images one call returns: open the repository for the exact figure';
const SIZE_PARTIAL = 'The size of the first 1,000 images: open the repository for the whole';

function Figures({ stats }: { stats: RepositoryStats | null }) {
  if (stats === null) {
    return (
      <>
        <td data-num="" className="text-zinc-400">—</td>
        <td data-num="" className="text-zinc-400">—</td>
      </>
    );
  }
  const count = stats.imageCount.toLocaleString('en-US');
  return stats.complete ? (
    <>
      <td data-num="">{count}</td>
      <td data-num="">{formatBytes(stats.totalBytes)}</td>
    </>
  ) : (
    <>
      <td data-num="" title={COUNT_PARTIAL}>{count}+</td>
      <td data-num="" title={SIZE_PARTIAL}>{formatBytes(stats.totalBytes)}+</td>
    </>
  );
}

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
        <tbody data-testid="repositories" className={BODY}>
          {rows.map((repo) => (
            <tr key={repo.name}>
              <td>
                <Link href={withParams(ecrPaths.repository(repo.name), { region: regionParam }, {})}>{repo.name}</Link>
                <span data-uri="">
                  <span title={repo.uri}>{repo.uri}</span>
                  {/* Copies the URI beside it (CopyOnClick). */}
                  <button type="button" data-copy="" aria-label={`Copy URI of ${repo.name}`} title="Copy URI">{COPY_ICON}</button>
                </span>
              </td>
              <td data-dim="" className="whitespace-nowrap"><span title={formatDateTime(repo.createdAt)}>{formatDate(repo.createdAt)}</span></td>
              <td>{repo.tagMutability === 'IMMUTABLE' ? <span data-badge="brand">Immutable</span> : <span data-badge="neutral">Mutable</span>}</td>
              <td>{repo.scanOnPush ? <span data-badge="green">On</span> : <span data-badge="neutral">Off</span>}</td>
              <td data-dim="">{repo.encryption === 'KMS' ? 'KMS' : 'AES-256'}</td>
              <Figures stats={stats.get(repo.name) ?? null} />
            </tr>
          ))}
        </tbody>
      </Table>
    </CopyOnClick>
  );
}
