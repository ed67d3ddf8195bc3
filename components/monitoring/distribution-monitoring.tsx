import { LineChart } from '@/components/charts/line-chart';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { CLOUDFRONT_METRICS_REGION, distributionMonitoring, type MetricRange, type Series } from '@/lib/cloudwatch/metrics';
import { formatBytes } from '@/lib/ui/format';
import { ChartsSkeleton } from './chart-skeleton';
import { RangeLinks } from './range-links';

const percent = (v: number) => `${v.toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;
const sum = (s: Series | undefined) => s?.points.reduce((n, p) => n + p.v, 0) ?? 0;

/**
 * A distribution's requests, bytes and error rates from CloudWatch
 * (AWS/CloudFront, us-east-1): one GetMetricData call. A quick answer comes
 * with the rest of the tab, so a range link is not held back by a skeleton
 * (components/ui/suspense-if-slow.tsx).
 */
export async function DistributionMonitoring({ id, range, rangeHref }: { id: string; range: MetricRange; rangeHref: (r: string) => string }) {
  const charts = await suspenseIfSlow(Charts({ id, range }), <ChartsSkeleton count={3} />, { key: range });
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between gap-4">
        <p className="text-sm text-zinc-500 dark:text-zinc-400">CloudFront’s default metrics for this distribution, from CloudWatch in us-east-1.</p>
        <RangeLinks current={range} href={rangeHref} />
      </div>
      {charts}
    </div>
  );
}

async function Charts({ id, range }: { id: string; range: MetricRange }) {
  const r = await attempt(() => distributionMonitoring(id, range), {
    service: 'CLOUDWATCH',
    endpoint: endpointFor('CLOUDWATCH', CLOUDFRONT_METRICS_REGION),
    action: 'cloudwatch:GetMetricData',
  });
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const set = r.value;
  const s = (sid: string) => set.series.find((x) => x.id === sid);
  const pick = (...ids: string[]) => ids.map(s).filter((x): x is Series => x !== undefined);
  const requests = sum(s('requests'));
  const errorsShown = pick('e4xx', 'e5xx');
  const common = { startMs: set.startMs, endMs: set.endMs };
  return (
    <div className="space-y-5" data-testid="distribution-monitoring">
      <Card>
        <CardHeader title="Requests" description={`${requests.toLocaleString('en-US')} in this period`} />
        <CardBody>
          <LineChart title="Requests" series={pick('requests')} {...common} emptyText="No requests in this period." testId="chart-requests" showTitle={false} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Data transfer" description={`${formatBytes(sum(s('downloaded')))} downloaded · ${formatBytes(sum(s('uploaded')))} uploaded`} />
        <CardBody>
          <LineChart title="Bytes downloaded and uploaded" series={pick('downloaded', 'uploaded')} {...common} format={(v) => formatBytes(v)} binary testId="chart-bytes" showTitle={false} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Error rates" description="Share of viewer requests answered with a 4xx or 5xx status, averaged per period." />
        <CardBody>
          <LineChart title="4xx and 5xx error rates" series={errorsShown} {...common} format={percent} yMax={100} testId="chart-errors" showTitle={false} />
        </CardBody>
      </Card>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Metrics <span className="font-mono">AWS/CloudFront</span> Requests, BytesDownloaded, BytesUploaded, 4xxErrorRate and 5xxErrorRate for{' '}
        <span className="font-mono">DistributionId={id}, Region=Global</span>, read with <span className="font-mono">cloudwatch:GetMetricData</span>.
      </p>
    </div>
  );
}
