import { ecrPaths } from '@/lib/ecr/paths';
import type { RepositorySummary } from '@/lib/ecr/repositories';
import type { RepositoryStats } from '@/lib/ecr/stats';
import { formatBytes, formatDate, formatDateTime } from '@/lib/ui/format';
import { escapeHtml as e } from '@/lib/ui/html';
import { withParams } from '@/lib/ui/url';

// The repositories list's rows as one string of HTML, for its table body
// (components/ecr/repository-table.tsx styles them).

const COPY_ICON =
  '<svg viewBox="0 0 20 20" fill="none" stroke="currentColor" stroke-width="1.6" aria-hidden="true"><path d="M7 7h9.5v9.5H7zM13 7V5a1.5 1.5 0 0 0-1.5-1.5h-6A1.5 1.5 0 0 0 4 5v6.5A1.5 1.5 0 0 0 5.5 13H7"></path></svg>';

const COUNT_PARTIAL = 'More than the 1,000 images one call returns: open the repository for the exact figure';
const SIZE_PARTIAL = 'The size of the first 1,000 images: open the repository for the whole';

function figures(stats: RepositoryStats | null): string {
  if (stats === null) return '<td data-num="" class="text-zinc-400">—</td><td data-num="" class="text-zinc-400">—</td>';
  const count = stats.imageCount.toLocaleString('en-US');
  const size = e(formatBytes(stats.totalBytes));
  return stats.complete
    ? `<td data-num="">${count}</td><td data-num="">${size}</td>`
    : `<td data-num="" title="${COUNT_PARTIAL}">${count}+</td><td data-num="" title="${SIZE_PARTIAL}">${size}+</td>`;
}

/**
 * The rows as one string of HTML, for the table body: 50 rows of React
 * elements cost the server about twice the CPU, and the RSC payload carried
 * every element as JSON besides. Every value from ECR goes through escapeHtml.
 * A name opens its repository within the page (`data-nav`, CopyOnClick) and
 * its copy button copies the URI beside it.
 */
export function repositoryRowsHtml(rows: readonly RepositorySummary[], stats: ReadonlyMap<string, RepositoryStats | null>, regionParam: string | undefined): string {
  let out = '';
  for (const repo of rows) {
    const href = withParams(ecrPaths.repository(repo.name), { region: regionParam }, {});
    out +=
      `<tr><td><a href="${e(href)}" data-nav="">${e(repo.name)}</a>` +
      `<span data-uri=""><span title="${e(repo.uri)}">${e(repo.uri)}</span>` +
      `<button type="button" data-copy="" aria-label="Copy URI of ${e(repo.name)}" title="Copy URI">${COPY_ICON}</button></span></td>` +
      `<td data-dim="" class="whitespace-nowrap"><span title="${e(formatDateTime(repo.createdAt))}">${e(formatDate(repo.createdAt))}</span></td>` +
      `<td>${repo.tagMutability === 'IMMUTABLE' ? '<span data-badge="brand">Immutable</span>' : '<span data-badge="neutral">Mutable</span>'}</td>` +
      `<td>${repo.scanOnPush ? '<span data-badge="green">On</span>' : '<span data-badge="neutral">Off</span>'}</td>` +
      `<td data-dim="">${repo.encryption === 'KMS' ? 'KMS' : 'AES-256'}</td>` +
      `${figures(stats.get(repo.name) ?? null)}</tr>`;
  }
  return out;
}
