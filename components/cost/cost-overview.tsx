import Link from 'next/link';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';
import { Stat } from '@/components/ui/stat';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { formatMonthly, type Prices } from '@/lib/cost/estimate';
import { PRICE_TABLE } from '@/lib/cost/price-table';
import { bucketCosts, COST_CAP, COST_PAGE_SIZE, distributionCosts, regionPrices, repositoryCosts, TRAFFIC_DAYS, type Section } from '@/lib/cost/report';
import { berthServiceOf, monthToDateSpend, type MonthToDate } from '@/lib/cost/spend';
import { formatBytes, formatDateTime } from '@/lib/ui/format';
import { pageNumber, param, withParams, type SearchParams } from '@/lib/ui/url';

const SERVICE_LABEL = { ecr: 'Amazon ECR', s3: 'Amazon S3', cloudfront: 'Amazon CloudFront' } as const;

export function CostSkeleton() {
  return (
    <div className="space-y-5">
      <div className="grid grid-cols-4 gap-5">
        {[0, 1, 2, 3].map((i) => <Skeleton key={i} className="h-24 rounded-xl" />)}
      </div>
      <Card><TableSkeleton rows={4} columns={3} /></Card>
    </div>
  );
}

function money(usd: number | null): string {
  return usd === null ? '—' : formatMonthly(usd);
}

/** A section's total: "—" when none of its figures is known, a "+" when only some are. */
function sectionTotal(s: Section<unknown>): string {
  if (s.unknown > 0 && s.totalUsd === 0) return '—';
  return `${formatMonthly(s.totalUsd)}${s.unknown ? '+' : ''}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function pages(s: Section<unknown>): number {
  return Math.max(1, Math.ceil(s.count / COST_PAGE_SIZE));
}

export async function CostOverview({ region, sp }: { region: string; sp: SearchParams }) {
  const prices = await regionPrices(region);
  const [repos, buckets, dists, spend] = await Promise.all([
    repositoryCosts(region, pageNumber(sp, Number.MAX_SAFE_INTEGER, 'rp'), prices),
    bucketCosts(region, pageNumber(sp, Number.MAX_SAFE_INTEGER, 'bp'), prices),
    distributionCosts(pageNumber(sp, Number.MAX_SAFE_INTEGER, 'dp'), prices),
    monthToDateSpend(),
  ]);
  const unknown = repos.unknown + buckets.unknown + dists.unknown;
  const all = repos.totalUsd + buckets.totalUsd + dists.totalUsd;
  const regionParam = param(sp, 'region');
  const link = (path: string) => withParams(path, { region: regionParam }, {});
  return (
    <div className="space-y-5">
      <div className="grid grid-cols-2 gap-5 lg:grid-cols-4">
        <Stat label="Estimated per month" value={`${formatMonthly(all)}${unknown ? '+' : ''}`} note={unknown ? `${unknown} figure${unknown === 1 ? '' : 's'} not known yet` : 'storage, requests and transfer below'} testId="cost-total" />
        <Stat label="ECR storage" value={sectionTotal(repos)} note={plural(repos.count, 'repository', 'repositories')} testId="cost-total-ecr" />
        <Stat label="S3 storage" value={sectionTotal(buckets)} note={`${plural(buckets.count, 'bucket', 'buckets')} in ${region}`} testId="cost-total-s3" />
        <Stat label="CloudFront" value={sectionTotal(dists)} note={`${plural(dists.count, 'distribution', 'distributions')}, last ${TRAFFIC_DAYS} days scaled to a month`} testId="cost-total-cloudfront" />
      </div>

      <SpendCard spend={spend} />
      <PricesCard prices={prices} />

      <Card data-testid="cost-repositories">
        <CardHeader title="Repositories" description="ECR storage: the size of every image, at the price per GB-month. Sizes are the ones the ECR list reads." />
        {repos.problem ? <CardBody><AwsProblemAlert problem={repos.problem} /></CardBody> : (
          <>
            <Table>
              <thead><tr><Th>Repository</Th><Th className="text-right">Stored</Th><Th className="text-right">Per month</Th></tr></thead>
              <tbody>
                {repos.rows.map((r) => (
                  <Tr key={r.name}>
                    <Td><Link href={link(`/ecr/${r.name}`)} className="font-medium text-brand-700 hover:underline dark:text-brand-300">{r.name}</Link></Td>
                    <Td className="text-right tabular-nums">{r.bytes === null ? '—' : `${r.partial ? 'at least ' : ''}${formatBytes(r.bytes)}`}</Td>
                    <Td className="text-right tabular-nums">{money(r.monthlyUsd)}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
            {repos.count === 0 ? <CardBody><p className="text-sm text-zinc-500">No repositories in {region}.</p></CardBody> : null}
            {repos.count > COST_PAGE_SIZE ? <Pagination path="/cost" sp={sp} page={pageNumber(sp, pages(repos), 'rp')} pages={pages(repos)} total={repos.count} pageSize={COST_PAGE_SIZE} noun="repositories" param="rp" /> : null}
            {repos.note ? <CardBody><p className="text-xs text-zinc-500 dark:text-zinc-400">{repos.note}</p></CardBody> : null}
          </>
        )}
      </Card>

      <Card data-testid="cost-buckets">
        <CardHeader title="Buckets" description={`S3 storage by class, from CloudWatch’s daily BucketSizeBytes metric, at each class’s price per GB-month. Requests and transfer are not included.`} />
        {buckets.problem ? <CardBody><AwsProblemAlert problem={buckets.problem} /></CardBody> : (
          <>
            <Table>
              <thead><tr><Th>Bucket</Th><Th>Storage classes</Th><Th className="text-right">Stored</Th><Th className="text-right">Per month</Th></tr></thead>
              <tbody>
                {buckets.rows.map((b) => (
                  <Tr key={b.name}>
                    <Td><Link href={link(`/s3/${b.name}`)} className="font-medium text-brand-700 hover:underline dark:text-brand-300">{b.name}</Link></Td>
                    <Td>
                      {b.bytesByClass ? (
                        <span className="flex flex-wrap gap-1">{Object.keys(b.bytesByClass).map((c) => <Badge key={c}>{c}</Badge>)}{b.from === 'counted' ? <span className="text-xs text-zinc-500">counted on its Storage tab</span> : null}</span>
                      ) : <span className="text-xs text-zinc-500">no metric yet</span>}
                    </Td>
                    <Td className="text-right tabular-nums">{b.bytes === null ? '—' : formatBytes(b.bytes)}</Td>
                    <Td className="text-right tabular-nums">{money(b.monthlyUsd)}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
            {buckets.count === 0 ? <CardBody><p className="text-sm text-zinc-500">No buckets in {region}.</p></CardBody> : null}
            {buckets.count > COST_PAGE_SIZE ? <Pagination path="/cost" sp={sp} page={pageNumber(sp, pages(buckets), 'bp')} pages={pages(buckets)} total={buckets.count} pageSize={COST_PAGE_SIZE} noun="buckets" param="bp" /> : null}
            <CardBody><p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="cost-buckets-note">{[buckets.note, buckets.capped ? `The total covers the first ${COST_CAP} buckets.` : ''].filter(Boolean).join(' ')}</p></CardBody>
          </>
        )}
      </Card>

      <Card data-testid="cost-distributions">
        <CardHeader title="Distributions" description={`CloudFront requests and data transfer out over the last ${TRAFFIC_DAYS} days (CloudWatch’s Requests and BytesDownloaded), scaled to a month, at the United States and Europe rates. The free tier is not subtracted.`} />
        {dists.problem ? <CardBody><AwsProblemAlert problem={dists.problem} /></CardBody> : (
          <>
            <Table>
              <thead><tr><Th>Distribution</Th><Th className="text-right">Requests</Th><Th className="text-right">Transferred</Th><Th className="text-right">Per month</Th></tr></thead>
              <tbody>
                {dists.rows.map((d) => (
                  <Tr key={d.id}>
                    <Td>
                      <Link href={link(`/cloudfront/${d.id}`)} className="font-mono text-sm font-medium text-brand-700 hover:underline dark:text-brand-300">{d.id}</Link>
                      <span className="block text-xs text-zinc-500">{d.comment || d.domainName}{d.enabled ? '' : ' · disabled'}</span>
                    </Td>
                    <Td className="text-right tabular-nums">{d.traffic ? d.traffic.requests.toLocaleString('en-US') : '—'}</Td>
                    <Td className="text-right tabular-nums">{d.traffic ? formatBytes(d.traffic.bytesDownloaded) : '—'}</Td>
                    <Td className="text-right tabular-nums">{money(d.monthlyUsd)}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
            {dists.count === 0 ? <CardBody><p className="text-sm text-zinc-500">No distributions.</p></CardBody> : null}
            {dists.count > COST_PAGE_SIZE ? <Pagination path="/cost" sp={sp} page={pageNumber(sp, pages(dists), 'dp')} pages={pages(dists)} total={dists.count} pageSize={COST_PAGE_SIZE} noun="distributions" param="dp" /> : null}
            {dists.note || dists.capped ? <CardBody><p className="text-xs text-zinc-500 dark:text-zinc-400">{[dists.note, dists.capped ? `The total covers the first ${COST_CAP} distributions.` : ''].filter(Boolean).join(' ')}</p></CardBody> : null}
          </>
        )}
      </Card>
    </div>
  );
}

function SpendCard({ spend }: { spend: MonthToDate }) {
  return (
    <Card data-testid="cost-spend">
      <CardHeader
        title="Spent this month"
        description="Actual month-to-date charges for the whole account (every region), from AWS Cost Explorer. Each Cost Explorer request costs $0.01, so Berth asks at most once every six hours and shares the answer."
      />
      <CardBody>
        {!spend.ok ? (
          <Alert tone="warning" title="Cost Explorer not available">
            {spend.problem.missingAction === 'ce:GetCostAndUsage' || spend.problem.title === 'Permission missing'
              ? 'Berth may not read the month’s spend: its AWS identity lacks the ce:GetCostAndUsage permission (the optional CostReadOnly statement in docs/iam-policy.json). The estimates below do not need it.'
              : spend.problem.message}
          </Alert>
        ) : (
          <div className="space-y-3">
            <div className="flex flex-wrap gap-x-8 gap-y-2">
              {(['ecr', 's3', 'cloudfront'] as const).map((k) => {
                const usd = spend.services.filter((s) => berthServiceOf(s.service) === k).reduce((n, s) => n + s.usd, 0);
                return (
                  <p key={k} className="text-sm">
                    <span className="text-zinc-500 dark:text-zinc-400">{SERVICE_LABEL[k]}</span>{' '}
                    <span className="font-semibold tabular-nums" data-testid={`spend-${k}`}>{formatMonthly(usd)}</span>
                  </p>
                );
              })}
              <p className="text-sm">
                <span className="text-zinc-500 dark:text-zinc-400">Whole account</span>{' '}
                <span className="font-semibold tabular-nums" data-testid="spend-total">{formatMonthly(spend.totalUsd)}</span>
              </p>
            </div>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              {spend.start} to {spend.end} (end excluded){spend.estimated ? ', estimated until the month is billed' : ''}; asked {formatDateTime(new Date(spend.readAt).toISOString())}.
            </p>
          </div>
        )}
      </CardBody>
    </Card>
  );
}

function PricesCard({ prices }: { prices: Prices & { problem?: { message: string; missingAction?: string }; fromTable: string[] } }) {
  const fromList = prices.source === 'price-list';
  return (
    <Card data-testid="cost-prices">
      <CardHeader title="Prices used" />
      <CardBody className="space-y-2 text-sm text-zinc-600 dark:text-zinc-300">
        <p data-testid="cost-price-source">
          {fromList
            ? `From the AWS Price List API, published ${prices.asOf}; Berth asks for it once a day (it is free).`
            : `From Berth’s price table of ${PRICE_TABLE.asOf} (${PRICE_TABLE.source}).`}
          {' '}ECR {formatMonthly(prices.ecrPerGb)} per GB-month; S3 Standard ${prices.s3PerGb.STANDARD?.toFixed(4)} per GB-month; CloudFront ${prices.cloudFrontPerGbOut.toFixed(3)} per GB out and ${(prices.cloudFrontPerRequest * 10_000).toFixed(4)} per 10,000 HTTPS requests.
        </p>
        {prices.problem ? (
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            {prices.problem.missingAction
              ? `The Price List API is not allowed (${prices.problem.missingAction}), so the table is used.`
              : `The Price List API did not answer (${prices.problem.message}), so the table is used.`}
          </p>
        ) : null}
        {fromList && prices.fromTable.length ? <p className="text-xs text-zinc-500 dark:text-zinc-400">Not in the Price List answer, so from the table: {prices.fromTable.join(', ')}.</p> : null}
      </CardBody>
    </Card>
  );
}
