import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { requireRole } from '@/lib/auth/session';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { resolveRegion } from '@/lib/aws/region';
import { listRepositories } from '@/lib/ecr/repositories';
import { formatDateTime } from '@/lib/ui/format';

export const metadata: Metadata = { title: 'ECR repositories' };

export default async function EcrPage({ searchParams }: PageProps<'/ecr'>) {
  await requireRole('viewer');
  const region = resolveRegion(await searchParams);
  return (
    <>
      <PageHeader eyebrow="Amazon ECR" title="Repositories" description={`Private container image repositories in ${region}.`} />
      <Card>
        <Suspense key={region} fallback={<TableSkeleton columns={5} />}>
          <Repositories region={region} />
        </Suspense>
      </Card>
    </>
  );
}

async function Repositories({ region }: { region: string }) {
  const r = await attempt(() => listRepositories(region), { service: 'ECR', endpoint: endpointFor('ECR', region), action: 'ecr:DescribeRepositories' });
  if (!r.ok) {
    return (
      <div className="p-5">
        <AwsProblemAlert problem={r.problem} />
      </div>
    );
  }
  const repos = r.value;
  if (repos.length === 0) {
    return <EmptyState title="No repositories in this region">Repositories hold your container images. Try another region at the top right.</EmptyState>;
  }
  return (
    <Table>
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>URI</Th>
          <Th>Created</Th>
          <Th>Tags</Th>
          <Th>Scan on push</Th>
          <Th>Encryption</Th>
        </tr>
      </thead>
      <tbody>
        {repos.map((r) => (
          <Tr key={r.arn}>
            <Td className="font-medium whitespace-nowrap">{r.name}</Td>
            <Td>
              <span className="flex items-center gap-1">
                <span className="max-w-[22rem] truncate font-mono text-xs text-zinc-600 dark:text-zinc-400">{r.uri}</span>
                <CopyButton value={r.uri} label="Copy URI" />
              </span>
            </Td>
            <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">{formatDateTime(r.createdAt)}</Td>
            <Td>
              <Badge tone={r.tagMutability === 'IMMUTABLE' ? 'brand' : 'neutral'}>{r.tagMutability === 'IMMUTABLE' ? 'Immutable' : 'Mutable'}</Badge>
            </Td>
            <Td>{r.scanOnPush ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}</Td>
            <Td className="text-zinc-600 dark:text-zinc-400">{r.encryption}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}
