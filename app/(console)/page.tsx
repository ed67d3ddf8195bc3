import Link from 'next/link';
import { PendingHint } from '@/components/shell/pending-hint';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { PageHeader } from '@/components/ui/page-header';
import { Skeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { requireRole } from '@/lib/auth/session';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { getCallerIdentity } from '@/lib/aws/identity';
import { checkServiceShared } from '@/lib/aws/reachability';
import { readTags } from '@/lib/aws/read-cache-tags';
import { RefreshReads } from '@/components/ui/freshness-refresh';
import { resolveRegion } from '@/lib/aws/region';
import { regionName } from '@/lib/aws/regions';
import { env } from '@/lib/env';

type Service = { service: 'ECR' | 'S3' | 'CLOUDFRONT'; name: string; blurb: string; path: string };

const SERVICES: Service[] = [
  { service: 'ECR', name: 'Amazon ECR', blurb: 'Container image repositories', path: '/ecr' },
  { service: 'S3', name: 'Amazon S3', blurb: 'Buckets, versions and static sites', path: '/s3' },
  { service: 'CLOUDFRONT', name: 'Amazon CloudFront', blurb: 'Global distributions (us-east-1)', path: '/cloudfront' },
];

export default async function OverviewPage({ searchParams }: PageProps<'/'>) {
  const user = await requireRole('viewer');
  const region = resolveRegion(await searchParams);
  const [identity, ...health] = await Promise.all([
    suspenseIfSlow(IdentityDetails(), <CardBody><Skeleton className="h-16 w-full" /></CardBody>),
    ...SERVICES.map((s) => suspenseIfSlow(ServiceHealth({ ...s, region }), <ServiceHealthSkeleton {...s} />)),
  ]);
  return (
    <>
      <PageHeader
        eyebrow="Overview"
        title={`Welcome${user.name ? `, ${user.name}` : ''}`}
        description="Where Berth is connected, and whether each service answers for the selected region."
      />
      <div className="grid grid-cols-3 gap-5">
        <Card className="col-span-2">
          <CardHeader title="AWS identity" description="Berth calls AWS as this identity. Nobody signed in to Berth holds its keys." />
          {identity}
        </Card>
        <Card>
          <CardHeader title="Region" />
          <CardBody>
            <p data-testid="overview-region" className="font-mono text-lg">{region}</p>
            <p className="text-sm text-zinc-500 dark:text-zinc-400">{regionName(region)}</p>
            <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">Switch it at the top right; the choice is kept in the page’s link.</p>
          </CardBody>
        </Card>
      </div>
      <div className="mt-10 mb-3 flex items-center justify-between gap-3">
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Services</h2>
        <div className="text-xs text-zinc-500 dark:text-zinc-400">
          <RefreshReads tags={[readTags.health(region)]} />
        </div>
      </div>
      <div className="grid grid-cols-3 gap-5">
        {SERVICES.map((s, i) => (
          <ServiceCard key={s.service} {...s} href={`${s.path}?region=${region}`} health={health[i]} />
        ))}
      </div>
    </>
  );
}

async function IdentityDetails() {
  // Read once per process and set of credentials, as the top bar's; whether
  // each service answers now is the cards' business below.
  const r = await attempt(() => getCallerIdentity(), { service: 'STS', endpoint: endpointFor('STS', env().defaultRegion), action: 'sts:GetCallerIdentity' });
  if (r.ok) {
    const id = r.value;
    return (
      <CardBody>
        <dl className="grid grid-cols-[8rem_1fr] gap-y-3 text-sm">
          <dt className="text-zinc-500 dark:text-zinc-400">Account</dt>
          <dd className="flex items-center gap-1 font-mono">
            <span data-testid="overview-account">{id.account}</span>
            <CopyButton value={id.account} label="Copy account id" />
          </dd>
          <dt className="text-zinc-500 dark:text-zinc-400">Caller ARN</dt>
          <dd className="flex min-w-0 items-center gap-1 font-mono">
            <span className="truncate" data-testid="overview-arn">{id.arn}</span>
            <CopyButton value={id.arn} label="Copy ARN" />
          </dd>
          <dt className="text-zinc-500 dark:text-zinc-400">User id</dt>
          <dd className="font-mono text-zinc-600 dark:text-zinc-300">{id.userId}</dd>
        </dl>
      </CardBody>
    );
  }
  return (
    <CardBody>
      <AwsProblemAlert problem={r.problem} />
    </CardBody>
  );
}

function ServiceHealthSkeleton({ name, blurb }: Service) {
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
        <h3 className="font-medium whitespace-nowrap">{name}</h3>
        <Skeleton className="h-5 w-20 rounded-full" />
      </div>
      <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{blurb}</p>
      <Skeleton className="mt-3 h-4 w-2/3" />
    </>
  );
}

function ServiceCard(props: Service & { href: string; health: React.ReactNode }) {
  return (
    <Card className="flex flex-col" data-testid={`service-${props.service.toLowerCase()}`}>
      <div className="flex-1 px-5 pt-4 pb-3">{props.health}</div>
      <Link href={props.href} className="flex items-center justify-between border-t border-zinc-100 px-5 py-2.5 text-sm font-medium text-brand-700 hover:bg-zinc-50 dark:border-zinc-800 dark:text-brand-300 dark:hover:bg-zinc-800/50">
        Open {props.name.replace('Amazon ', '')} →
        <PendingHint />
      </Link>
    </Card>
  );
}

async function ServiceHealth({ service, region, name, blurb }: Service & { region: string }) {
  const r = await checkServiceShared(service, region);
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
        <h3 className="font-medium whitespace-nowrap">{name}</h3>
        {r.ok ? (
          <Badge tone="green">
            <span className="size-1.5 rounded-full bg-emerald-500" /> Reachable
          </Badge>
        ) : (
          <Badge tone="red">
            <span className="size-1.5 rounded-full bg-red-500" /> {r.problem.title}
          </Badge>
        )}
      </div>
      <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{blurb}</p>
      {r.ok ? (
        <p className="mt-3 truncate text-xs text-zinc-500 dark:text-zinc-400">
          <span className="font-mono">{r.endpoint.replace(/^https?:\/\//, '')}</span> · answered in {r.latencyMs} ms
          <CheckedAgo readAt={r.readAt} />
        </p>
      ) : (
        <p className="mt-3 text-xs text-red-700 dark:text-red-300" data-testid="service-problem">{r.problem.message}</p>
      )}
    </>
  );
}

/** How long ago a kept check was asked, when it was not asked for this view. */
function CheckedAgo({ readAt }: { readAt: number }) {
  // A server component renders once per request: the age is as of this render.
  // eslint-disable-next-line react-hooks/purity
  const seconds = Math.floor((Date.now() - readAt) / 1000);
  if (seconds < 1) return null;
  return <span title={`Checked at ${new Date(readAt).toISOString().slice(11, 19)} UTC`}>, {seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min`} ago</span>;
}
