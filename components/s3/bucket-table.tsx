import Link from 'next/link';
import { BucketFlagsCells } from '@/components/s3/bucket-flags-cells';
import { SortHeader } from '@/components/ui/sort-header';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { readBucketFlags, type BucketFlags, type BucketSummary } from '@/lib/s3/buckets';
import { formatDate, formatDateTime } from '@/lib/ui/format';
import { withParams, type SearchParams } from '@/lib/ui/url';

export interface BucketTableProps {
  rows: readonly BucketSummary[];
  sp: SearchParams;
  sort: string;
  dir: 'asc' | 'desc';
  regionParam: string | undefined;
}

/** One page of the bucket list; `flags` null while the flag columns are still being read. */
export function BucketTable({ rows, sp, sort, dir, regionParam, flags }: BucketTableProps & { flags: Map<string, BucketFlags | null> | null }) {
  return (
    <Table>
      <thead>
        <tr>
          <SortHeader path="/s3" sp={sp} sortKey="name" current={sort} dir={dir}>Name</SortHeader>
          <SortHeader path="/s3" sp={sp} sortKey="region" current={sort} dir={dir}>Region</SortHeader>
          <SortHeader path="/s3" sp={sp} sortKey="created" current={sort} dir={dir}>Created</SortHeader>
          <Th>Versioning</Th>
          <Th>Website</Th>
          <Th>Access</Th>
        </tr>
      </thead>
      <tbody data-testid="buckets">
        {rows.map((b) => (
          <Tr key={b.name}>
            <Td>
              <Link href={withParams(`/s3/${b.name}`, { region: regionParam }, {})} className="font-medium text-brand-700 hover:underline dark:text-brand-300">{b.name}</Link>
            </Td>
            <Td className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{b.region ?? '—'}</Td>
            <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400"><span title={formatDateTime(b.createdAt)}>{formatDate(b.createdAt)}</span></Td>
            <BucketFlagsCells flags={flags ? (flags.get(b.name) ?? null) : 'loading'} />
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}

/**
 * The same table once the flags of its rows are read: four small reads per
 * bucket shown (S3 has no call that answers them for many buckets), at most
 * four buckets at a time, shared through the read cache (readBucketFlags). The page
 * puts this in ONE Suspense boundary, with the flagless table as its fallback,
 * so the rows show at once and the flag columns arrive in one streamed chunk.
 */
export async function BucketTableWithFlags(props: BucketTableProps) {
  return <BucketTable {...props} flags={(await readBucketFlags(props.rows)).flags} />;
}
