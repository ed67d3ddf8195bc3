import Link from 'next/link';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { EmptyState } from '@/components/ui/empty-state';
import { Freshness } from '@/components/ui/freshness';
import { Pagination } from '@/components/ui/pagination';
import { Table, Th } from '@/components/ui/table';
import { ECR_PUBLIC_REGION, endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { ecrPublicPaths } from '@/lib/ecr-public/paths';
import { getPublicRegistry } from '@/lib/ecr-public/registry';
import { readPublicRepositories } from '@/lib/ecr-public/repositories';
import { formatDate, formatDateTime } from '@/lib/ui/format';
import { filterByName, sortAndPage } from '@/lib/ui/list';
import type { SearchParams } from '@/lib/ui/url';

const PAGE_SIZE = 50;
const BY_NAME = { name: (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name) };
const ctx = { service: 'ECR_PUBLIC' as const, endpoint: endpointFor('ECR_PUBLIC', ECR_PUBLIC_REGION) };

/** The account's public registry: its alias and address, as ECR Public names them. */
export async function PublicRegistrySummary() {
  const r = await attempt(() => getPublicRegistry(), { ...ctx, action: 'ecr-public:DescribeRegistries' });
  if (!r.ok) return <div className="px-5 py-3"><AwsProblemAlert problem={r.problem} /></div>;
  if (!r.value) {
    return <p className="px-5 py-3 text-sm text-zinc-500 dark:text-zinc-400">No public registry yet: AWS makes one, with its default alias, for the first public repository.</p>;
  }
  const reg = r.value;
  return (
    <dl className="flex flex-wrap items-center gap-x-6 gap-y-1 px-5 py-3 text-sm" data-testid="public-registry">
      <div className="flex items-center gap-2">
        <dt className="text-zinc-500 dark:text-zinc-400">Registry</dt>
        <dd className="flex items-center gap-1 font-mono text-xs">{reg.registryUri}<CopyButton value={reg.registryUri} label="Copy registry URI" /></dd>
      </div>
      {reg.alias ? (
        <div className="flex items-center gap-2">
          <dt className="text-zinc-500 dark:text-zinc-400">Alias</dt>
          <dd className="font-mono text-xs">{reg.alias}</dd>
        </div>
      ) : null}
      {reg.displayName ? (
        <div className="flex items-center gap-2">
          <dt className="text-zinc-500 dark:text-zinc-400">Display name</dt>
          <dd>{reg.displayName}</dd>
        </div>
      ) : null}
      <div><dd><Badge tone={reg.verified ? 'green' : 'neutral'}>{reg.verified ? 'Verified account' : 'Not verified'}</Badge></dd></div>
    </dl>
  );
}

/** One page of the account's public repositories, each marked Public. */
export async function PublicRepositoryList({ sp, isAdmin }: { sp: SearchParams; isAdmin: boolean }) {
  const r = await attempt(() => readPublicRepositories(), { ...ctx, action: 'ecr-public:DescribeRepositories' });
  if (!r.ok) return <div className="p-5"><AwsProblemAlert problem={r.problem} /></div>;
  const all = r.value.value;
  // ECR Public's names are lower-case, so filtering without case is the filter as typed.
  const { q, shown } = filterByName(all, sp);
  const { sorted, page, pages, rows } = sortAndPage(shown, sp, BY_NAME, PAGE_SIZE);
  const freshness = <Freshness className="justify-end px-5 py-2" readAt={r.value.readAt} tags={[readTags.publicRepositories()]} />;

  if (all.length === 0) {
    return (
      <>
        <EmptyState
          title="No public repositories"
          action={isAdmin ? <Link href={ecrPublicPaths.create} className={buttonClass('primary')}>Create public repository</Link> : null}
        >
          Public repositories can be pulled by anyone, with no AWS account, and are listed in the Amazon ECR Public Gallery.
        </EmptyState>
        {freshness}
      </>
    );
  }
  if (rows.length === 0) return <EmptyState title={`No public repository matches “${q}”`}>Clear the filter to see all {all.length}.</EmptyState>;
  return (
    <>
      <Table>
        <thead>
          <tr>
            <Th>Name and URI</Th>
            <Th>Visibility</Th>
            <Th>Created</Th>
          </tr>
        </thead>
        <tbody data-testid="public-repositories">
          {rows.map((repo) => (
            <tr key={repo.name}>
              <td>
                <Link href={ecrPublicPaths.repository(repo.name)} className="font-medium text-brand-700 hover:underline dark:text-brand-300">{repo.name}</Link>
                <span className="mt-0.5 flex items-center gap-1">
                  <span title={repo.uri} className="max-w-[26rem] truncate font-mono text-xs text-zinc-500 dark:text-zinc-400">{repo.uri}</span>
                  <CopyButton value={repo.uri} label={`Copy URI of ${repo.name}`} />
                </span>
              </td>
              <td><Badge tone="amber">Public</Badge></td>
              <td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400"><span title={formatDateTime(repo.createdAt)}>{formatDate(repo.createdAt)}</span></td>
            </tr>
          ))}
        </tbody>
      </Table>
      {freshness}
      <Pagination path="/ecr" sp={sp} page={page} pages={pages} total={sorted.length} pageSize={PAGE_SIZE} noun="public repositories" />
    </>
  );
}
