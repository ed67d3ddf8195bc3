import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { requireRole } from '@/lib/auth/session';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { listDistributions } from '@/lib/cloudfront/distributions';
import { formatDateTime } from '@/lib/ui/format';

export const metadata: Metadata = { title: 'CloudFront distributions' };

export default async function CloudFrontPage() {
  await requireRole('viewer');
  return (
    <>
      <PageHeader eyebrow="Amazon CloudFront" title="Distributions" description="CloudFront is global: the same list in every region." />
      <Card>
        <Suspense fallback={<TableSkeleton columns={5} />}>
          <Distributions />
        </Suspense>
      </Card>
    </>
  );
}

async function Distributions() {
  const r = await attempt(() => listDistributions(), { service: 'CLOUDFRONT', endpoint: endpointFor('CLOUDFRONT', 'us-east-1'), action: 'cloudfront:ListDistributions' });
  if (!r.ok) {
    return (
      <div className="p-5">
        <AwsProblemAlert problem={r.problem} />
      </div>
    );
  }
  const list = r.value;
  if (list.length === 0) {
    return <EmptyState title="No distributions yet">A distribution serves an S3 bucket worldwide over HTTPS.</EmptyState>;
  }
  return (
    <Table>
      <thead>
        <tr>
          <Th>ID</Th>
          <Th>Domain name</Th>
          <Th>Origin</Th>
          <Th>Status</Th>
          <Th>Last modified</Th>
        </tr>
      </thead>
      <tbody>
        {list.map((d) => (
          <Tr key={d.id}>
            <Td className="font-mono text-xs">{d.id}</Td>
            <Td className="font-mono text-xs">{d.domainName}</Td>
            <Td className="text-zinc-600 dark:text-zinc-400">{d.origins.join(', ')}</Td>
            <Td>
              <Badge tone={d.status === 'Deployed' ? 'green' : 'amber'}>{d.status}</Badge>
            </Td>
            <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">{formatDateTime(d.lastModified)}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}
