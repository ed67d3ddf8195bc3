import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { requireRole } from '@/lib/auth/session';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { resolveRegion } from '@/lib/aws/region';
import { listBuckets } from '@/lib/s3/buckets';
import { formatDateTime } from '@/lib/ui/format';

export const metadata: Metadata = { title: 'S3 buckets' };

export default async function S3Page({ searchParams }: PageProps<'/s3'>) {
  await requireRole('viewer');
  const region = resolveRegion(await searchParams);
  return (
    <>
      <PageHeader eyebrow="Amazon S3" title="Buckets" description="Every bucket in the account, with the region it lives in." />
      <Card>
        <Suspense key={region} fallback={<TableSkeleton columns={3} />}>
          <Buckets region={region} />
        </Suspense>
      </Card>
    </>
  );
}

async function Buckets({ region }: { region: string }) {
  const r = await attempt(() => listBuckets(region), { service: 'S3', endpoint: endpointFor('S3', region), action: 's3:ListAllMyBuckets' });
  if (!r.ok) {
    return (
      <div className="p-5">
        <AwsProblemAlert problem={r.problem} />
      </div>
    );
  }
  const buckets = r.value;
  if (buckets.length === 0) {
    return <EmptyState title="No buckets yet">Buckets hold objects, versions and static websites.</EmptyState>;
  }
  return (
    <Table>
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Region</Th>
          <Th>Created</Th>
        </tr>
      </thead>
      <tbody>
        {buckets.map((b) => (
          <Tr key={b.name}>
            <Td className="font-medium">{b.name}</Td>
            <Td className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{b.region ?? '—'}</Td>
            <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">{formatDateTime(b.createdAt)}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}
