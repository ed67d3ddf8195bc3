import { LineChart } from '@/components/charts/line-chart';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { repositoryPulls, type MetricRange } from '@/lib/cloudwatch/metrics';
import { ChartsSkeleton } from './chart-skeleton';
import { RangeLinks } from './range-links';

/**
 * A repository's image pulls from CloudWatch (AWS/ECR RepositoryPullCount). A
 * range link is a click within the page: a quick answer comes with the rest,
 * with no skeleton to hold it back (components/ui/suspense-if-slow.tsx).
 */
export async function RepositoryMonitoring({ region, repository, range, rangeHref }: { region: string; repository: string; range: MetricRange; rangeHref: (r: string) => string }) {
  const pulls = await suspenseIfSlow(Pulls({ region, repository, range }), <ChartsSkeleton />, { key: range });
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between gap-4">
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Image pulls, as Amazon ECR reports them to CloudWatch.</p>
        <RangeLinks current={range} href={rangeHref} />
      </div>
      {pulls}
    </div>
  );
}

async function Pulls({ region, repository, range }: { region: string; repository: string; range: MetricRange }) {
  const r = await attempt(() => repositoryPulls(region, repository, range), { service: 'CLOUDWATCH', endpoint: endpointFor('CLOUDWATCH', region), action: 'cloudwatch:GetMetricData' });
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const set = r.value;
  const total = set.series[0]?.points.reduce((n, p) => n + p.v, 0) ?? 0;
  return (
    <Card data-testid="repository-monitoring">
      <CardHeader title="Pulls" description={`${total.toLocaleString('en-US')} in this period · ${set.periodSec / 60 >= 60 ? `${set.periodSec / 3600}-hour` : `${set.periodSec / 60}-minute`} sums`} />
      <CardBody>
        <LineChart title={`Pulls of ${repository}`} series={set.series} startMs={set.startMs} endMs={set.endMs} emptyText="No pulls in this period." testId="chart-pulls" showTitle={false} />
        <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">
          Metric <span className="font-mono">AWS/ECR RepositoryPullCount</span> for <span className="font-mono">RepositoryName={repository}</span> in {region}, read with{' '}
          <span className="font-mono">cloudwatch:GetMetricData</span>.
        </p>
      </CardBody>
    </Card>
  );
}
