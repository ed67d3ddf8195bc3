import type { Metadata } from 'next';
import Link from 'next/link';
import { LiveRefresh } from '@/components/cloudfront/live-refresh';
import { DeployBadge } from '@/components/cloudfront/status-badge';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Freshness } from '@/components/ui/freshness';
import { FilterInput } from '@/components/ui/filter-input';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { roleAllows } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { readDistributions, type DistributionSummary } from '@/lib/cloudfront/distributions';
import { distributionLinker } from '@/lib/cloudfront/urls';
import { webAclName } from '@/lib/cloudfront/names';
import { formatDate, formatDateTime } from '@/lib/ui/format';
import { pageNumber, param, withParams, type SearchParams } from '@/lib/ui/url';

export const metadata: Metadata = { title: 'CloudFront distributions' };

const PAGE_SIZE = 50;

export default async function CloudFrontPage({ searchParams }: PageProps<'/cloudfront'>) {
  const user = await requireRole('viewer');
  const sp = await searchParams;
  const isAdmin = roleAllows(user.role, 'admin');
  const keep = { region: param(sp, 'region') };
  return (
    <>
      <PageHeader
        eyebrow="Amazon CloudFront"
        title="Distributions"
        description="CloudFront is global: the same list in every region."
        actions={
          isAdmin ? (
            <>
              <Link href={withParams('/cloudfront/-/site', keep, {})} className={buttonClass('secondary')}>Static site</Link>
              <Link href={withParams('/cloudfront/-/new', keep, {})} className={buttonClass('primary')}>Create distribution</Link>
            </>
          ) : null
        }
      />
      <Card>
        <div className="flex items-center justify-between gap-4 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800">
          <FilterInput placeholder="Filter distributions" className="w-96" />
        </div>
        {await suspenseIfSlow(Distributions({ sp }), <TableSkeleton columns={8} />, { key: JSON.stringify(sp) })}
      </Card>
    </>
  );
}

function matches(d: DistributionSummary, q: string): boolean {
  return [d.id, d.domainName, d.comment, ...d.origins.map((o) => o.domainName)].some((s) => s.toLowerCase().includes(q));
}

async function Distributions({ sp }: { sp: SearchParams }) {
  const r = await attempt(() => readDistributions(), { service: 'CLOUDFRONT', endpoint: endpointFor('CLOUDFRONT', 'us-east-1'), action: 'cloudfront:ListDistributions' });
  if (!r.ok) {
    return (
      <div className="p-5">
        <AwsProblemAlert problem={r.problem} />
      </div>
    );
  }
  const all = r.value.value;
  const freshness = <Freshness className="justify-end px-5 py-2" readAt={r.value.readAt} tags={[readTags.distributions()]} />;
  if (all.length === 0) {
    return <><EmptyState title="No distributions yet">A distribution serves an S3 bucket worldwide over HTTPS, with only CloudFront allowed to read the bucket.</EmptyState>{freshness}</>;
  }
  const q = (param(sp, 'q') ?? '').trim().toLowerCase();
  // A copy: the list is shared with every other viewer.
  const shown = (q ? all.filter((d) => matches(d, q)) : [...all]).sort((a, b) => (b.lastModified ?? '').localeCompare(a.lastModified ?? ''));
  if (shown.length === 0) return <EmptyState title={`No distribution matches “${q}”`}>Clear the filter to see all {all.length}.</EmptyState>;
  const pages = Math.ceil(shown.length / PAGE_SIZE);
  const page = pageNumber(sp, pages);
  const rows = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const keep = { region: param(sp, 'region') };
  const distributionUrl = await distributionLinker();
  return (
    <>
      <LiveRefresh active={rows.some((d) => d.status === 'InProgress')} />
      <Table>
        <thead>
          <tr>
            <Th>ID</Th>
            <Th>Domain name</Th>
            <Th>Origin</Th>
            <Th>Status</Th>
            <Th>WAF</Th>
            <Th title="Price class: which edge locations serve it">Price</Th>
            <Th>Modified</Th>
          </tr>
        </thead>
        <tbody data-testid="distributions">
          {rows.map((d) => (
            <Tr key={d.id}>
              <Td>
                <Link href={withParams(`/cloudfront/${d.id}`, keep, {})} className="font-mono text-xs font-medium text-brand-700 hover:underline dark:text-brand-300">{d.id}</Link>
                {d.comment ? <span className="block max-w-40 truncate text-xs text-zinc-500 dark:text-zinc-400" title={d.comment}>{d.comment}</span> : null}
              </Td>
              <Td>
                <a href={distributionUrl(d.domainName)} target="_blank" rel="noreferrer" className="font-mono text-xs text-zinc-700 hover:underline dark:text-zinc-300">{d.domainName} ↗</a>
              </Td>
              <Td className="text-xs text-zinc-600 dark:text-zinc-400">
                {/* A table cell ignores max-width; a block inside it truncates. */}
                <span className="block max-w-32 truncate" title={d.origins.map((o) => o.bucket ?? o.domainName).join(', ')}>{d.origins.map((o) => o.bucket ?? o.domainName).join(', ')}</span>
              </Td>
              <Td data-testid={`status-${d.id}`}>
                <span className="flex flex-col items-start gap-1">
                  <DeployBadge status={d.status} />
                  <span className={`text-xs ${d.enabled ? 'text-zinc-500 dark:text-zinc-400' : 'font-medium text-zinc-700 dark:text-zinc-300'}`}>{d.enabled ? 'Enabled' : 'Disabled'}</span>
                </span>
              </Td>
              <Td className="text-xs">{d.webAclId ? <span className="block max-w-28 truncate" title={d.webAclId}>On · {webAclName(d.webAclId)}</span> : <span className="text-zinc-500">Off</span>}</Td>
              <Td className="text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">{d.priceClass.replace('PriceClass_', '')}</Td>
              <Td className="text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400"><span title={formatDateTime(d.lastModified)}>{formatDate(d.lastModified)}</span></Td>
            </Tr>
          ))}
        </tbody>
      </Table>
      {freshness}
      <Pagination path="/cloudfront" sp={sp} page={page} pages={pages} total={shown.length} pageSize={PAGE_SIZE} noun="distributions" />
    </>
  );
}
