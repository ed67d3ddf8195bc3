import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { ActivityTab } from '@/components/cloudtrail/activity-tab';
import { CiPanel } from '@/components/ci/ci-panel';
import { DeleteDistributionForm, EnableButton, FixButton, InvalidationForm, SettingsForm } from '@/components/cloudfront/distribution-forms';
import { Elapsed, LiveRefresh } from '@/components/cloudfront/live-refresh';
import { DeployBadge } from '@/components/cloudfront/status-badge';
import { Alert } from '@/components/ui/alert';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { Tabs } from '@/components/ui/tabs';
import { DistributionMonitoring } from '@/components/monitoring/distribution-monitoring';
import { parseRange } from '@/lib/cloudwatch/metrics';
import { roleAllows } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { getDistribution, type DistributionDetail } from '@/lib/cloudfront/distributions';
import { listInvalidations } from '@/lib/cloudfront/invalidations';
import { PRICE_CLASS_LABELS, VIEWER_PROTOCOL_LABELS, webAclName } from '@/lib/cloudfront/names';
import { securityCheck } from '@/lib/cloudfront/security';
import { distributionLinker } from '@/lib/cloudfront/urls';
import { listWebAcls } from '@/lib/cloudfront/waf';
import { formatDateTime } from '@/lib/ui/format';
import { param, withParams } from '@/lib/ui/url';
import { DISTRIBUTION_ID } from '@/lib/validation/cloudfront';
import { distributionSaving } from '@/lib/cost/savings';

export async function generateMetadata({ params }: PageProps<'/cloudfront/[id]'>): Promise<Metadata> {
  return { title: (await params).id };
}

const ctx = { service: 'CLOUDFRONT' as const, endpoint: endpointFor('CLOUDFRONT', 'us-east-1') };

export default async function DistributionPage({ params, searchParams }: PageProps<'/cloudfront/[id]'>) {
  const user = await requireRole('viewer');
  const { id } = await params;
  if (!DISTRIBUTION_ID.test(id)) notFound();
  const sp = await searchParams;
  const isAdmin = roleAllows(user.role, 'admin');
  // The link maker (which may ask STS once per process) does not wait for the distribution.
  const [r, linkTo] = await Promise.all([attempt(() => getDistribution(id), { ...ctx, action: 'cloudfront:GetDistribution' }), distributionLinker()]);
  if (!r.ok) {
    if (r.problem.code === 'NoSuchDistribution') notFound();
    return <AwsProblemAlert problem={r.problem} />;
  }
  const d = r.value;
  const tabs = ['overview', 'monitoring', 'settings', 'invalidations', 'ci', 'activity', ...(isAdmin ? ['delete'] : [])];
  const tab = tabs.includes(param(sp, 'tab') ?? '') ? param(sp, 'tab')! : 'overview';
  const keep = { region: param(sp, 'region') };
  const base = `/cloudfront/${id}`;
  const url = linkTo(d.domainName);
  return (
    <>
      <nav className="mb-2 text-sm text-zinc-500 dark:text-zinc-400">
        <Link href={withParams('/cloudfront', keep, {})} className="hover:underline">Distributions</Link> / <span>{id}</span>
      </nav>
      <PageHeader title={d.comment || id} description={<span className="font-mono text-xs">{id} · {d.arn}</span>} />
      <LiveRefresh active={d.status === 'InProgress'} />
      {param(sp, 'created') === '1' ? (
        <Alert tone="success" className="mb-5">
          Distribution created, and {d.origins[0]?.bucket ?? 'the bucket'} now lets only it read. CloudFront is deploying it to its edge locations; this page follows along.
        </Alert>
      ) : null}
      <div className="mb-5 grid grid-cols-3 gap-5">
        <Card className="px-5 py-4">
          <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Status</p>
          <div className="mt-2 flex items-center gap-2" data-testid="deploy-status">
            <DeployBadge status={d.status} />
            {d.enabled ? <Badge tone="brand">Enabled</Badge> : <Badge>Disabled</Badge>}
          </div>
          <p className="mt-1.5 text-xs text-zinc-500 dark:text-zinc-400">
            {d.status === 'InProgress' && d.lastModified ? <>Deploying the last change <Elapsed since={d.lastModified} /> · usually a few minutes</> : <>Last change {formatDateTime(d.lastModified)}</>}
          </p>
        </Card>
        <Card className="col-span-2 px-5 py-4">
          <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Domain name</p>
          <div className="mt-1.5 flex items-center gap-3">
            <a href={url} target="_blank" rel="noreferrer" className="truncate font-mono text-sm font-medium text-brand-700 hover:underline dark:text-brand-300" data-testid="distribution-url">{url}</a>
            <CopyButton value={d.domainName} label="Copy domain" />
          </div>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{d.domainName}{d.aliases.length ? ` · also ${d.aliases.join(', ')}` : ''}</p>
        </Card>
      </div>
      <Tabs
        current={tab}
        tabs={tabs.map((t) => ({
          id: t,
          label: { overview: 'Overview', monitoring: 'Monitoring', settings: 'Settings', invalidations: 'Invalidations', ci: 'Deploy from CI', activity: 'Activity', delete: 'Disable and delete' }[t]!,
          href: withParams(base, keep, t === 'overview' ? {} : { tab: t }),
        }))}
      />
      {tab === 'monitoring' ? (
        <DistributionMonitoring
          id={d.id}
          range={parseRange(param(sp, 'range'))}
          rangeHref={(range) => withParams(base, keep, { tab: 'monitoring', range })}
        />
      ) : tab === 'activity' ? (
        <ActivityTab arn={d.arn} isAdmin={isAdmin} subject={{ kind: 'distribution', id: d.id }} sp={sp} path={base} />
      ) : tab === 'settings' ? (
        <Settings d={d} isAdmin={isAdmin} />
      ) : tab === 'invalidations' ? (
        <Invalidations d={d} isAdmin={isAdmin} />
      ) : tab === 'ci' ? (
        <CiPanel
          target={{ kind: 'site', distributionId: d.id, distributionArn: d.arn, bucket: (d.origins.find((o) => o.bucket && !o.websiteEndpoint) ?? d.origins.find((o) => o.bucket))?.bucket ?? null }}
          isAdmin={isAdmin}
        />
      ) : tab === 'delete' && isAdmin ? (
        <DisableAndDelete d={d} />
      ) : (
        await Overview({ d, isAdmin })
      )}
    </>
  );
}

function Dl({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[12rem_1fr] gap-x-4 gap-y-2.5 text-sm">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-zinc-500 dark:text-zinc-400">{k}</dt>
          <dd className="min-w-0 text-zinc-900 dark:text-zinc-100">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Called from the page, not rendered as its own component: a security check that answers quickly comes with the header (components/ui/suspense-if-slow.tsx). */
async function Overview({ d, isAdmin }: { d: DistributionDetail; isAdmin: boolean }) {
  const security = await suspenseIfSlow(
    Security({ d, isAdmin }),
    <div className="space-y-3 p-5" role="status" aria-label="Loading">{[0, 1, 2, 3, 4].map((i) => <Skeleton key={i} className="h-5 w-2/3" />)}</div>,
    { keepState: true },
  );
  return (
    <div className="space-y-5">
      <Card>
        <CardHeader title="Security check" description="What a careful reviewer looks at for a site served from S3." />
        {security}
      </Card>
      <Card>
        <CardHeader title="General" />
        <CardBody>
          <Dl
            rows={[
              ['Default root object', d.defaultRootObject ? <span className="font-mono">{d.defaultRootObject}</span> : <span className="text-zinc-500">None</span>],
              ['Viewer protocol', VIEWER_PROTOCOL_LABELS[d.viewerProtocolPolicy] ?? d.viewerProtocolPolicy],
              ['Price class', PRICE_CLASS_LABELS[d.priceClass] ?? d.priceClass],
              ['AWS WAF', d.webAclId ? <span title={d.webAclId}>On · {webAclName(d.webAclId)}</span> : <span className="text-zinc-500">Off</span>],
              ['HTTP versions', d.httpVersion || '—'],
              ['IPv6', d.ipv6 ? 'On' : 'Off'],
              ['Caller reference', <span key="cr" className="font-mono text-xs">{d.callerReference}</span>],
            ]}
          />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Origins" />
        <Table>
          <thead>
            <tr><Th>ID</Th><Th>Domain</Th><Th>Bucket</Th><Th>Access</Th></tr>
          </thead>
          <tbody>
            {d.origins.map((o) => (
              <Tr key={o.id}>
                <Td className="font-mono text-xs">{o.id}</Td>
                <Td className="font-mono text-xs">{o.domainName}</Td>
                <Td>{o.bucket ? <Link href={`/s3/${o.bucket}`} className="text-brand-700 hover:underline dark:text-brand-300">{o.bucket}</Link> : '—'}</Td>
                <Td className="text-xs">
                  {o.originAccessControlId ? <Badge tone="green">OAC {o.originAccessControlId}</Badge> : o.originAccessIdentityId ? <Badge tone="amber">OAI {o.originAccessIdentityId} (legacy)</Badge> : <Badge tone="red">No origin access</Badge>}
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card>
        <CardHeader title="Behaviours" />
        <Table>
          <thead>
            <tr><Th>Path</Th><Th>Origin</Th><Th>Viewer protocol</Th><Th>Methods</Th><Th>Cache policy</Th><Th>Compress</Th></tr>
          </thead>
          <tbody>
            {d.behaviors.map((b) => (
              <Tr key={b.pathPattern}>
                <Td className="font-mono text-xs">{b.pathPattern}</Td>
                <Td className="font-mono text-xs">{b.targetOriginId}</Td>
                <Td className="text-xs">{VIEWER_PROTOCOL_LABELS[b.viewerProtocolPolicy] ?? b.viewerProtocolPolicy}</Td>
                <Td className="text-xs">{b.allowedMethods.join(', ')}</Td>
                <Td className="font-mono text-xs">{b.cachePolicyId === '658327ea-f89d-4fab-a63d-7e88639e58f6' ? 'CachingOptimized' : b.cachePolicyId ?? 'legacy settings'}</Td>
                <Td className="text-xs">{b.compress ? 'Yes' : 'No'}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}

async function Security({ d, isAdmin }: { d: DistributionDetail; isAdmin: boolean }) {
  const r = await attempt(() => securityCheck(d), { ...ctx, action: 'cloudfront:ListTagsForResource' });
  if (!r.ok) return <div className="p-5"><AwsProblemAlert problem={r.problem} /></div>;
  return (
    <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="security-check">
      {r.value.map((f) => (
        <li key={f.id} className="flex items-start justify-between gap-6 px-5 py-3.5" data-testid={`finding-${f.id}`} data-ok={f.ok}>
          <div className="flex gap-3">
            <span aria-hidden className={`mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full text-xs font-bold text-white ${f.ok ? 'bg-emerald-500' : 'bg-amber-500'}`}>{f.ok ? '✓' : '!'}</span>
            <div>
              <p className="text-sm font-medium">{f.title}<span className="sr-only">{f.ok ? ': passed' : ': needs attention'}</span></p>
              <p className="text-sm text-zinc-600 dark:text-zinc-400">{f.detail}</p>
            </div>
          </div>
          {isAdmin && f.fixes.length ? (
            <div className="flex shrink-0 gap-2">{f.fixes.map((x) => <FixButton key={x.id} id={d.id} fix={x.id} label={x.label} />)}</div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

async function Settings({ d, isAdmin }: { d: DistributionDetail; isAdmin: boolean }) {
  if (!isAdmin) {
    return (
      <Card>
        <CardBody>
          <Dl
            rows={[
              ['Comment', d.comment || '—'],
              ['Default root object', d.defaultRootObject || 'None'],
              ['Viewer protocol', VIEWER_PROTOCOL_LABELS[d.viewerProtocolPolicy] ?? d.viewerProtocolPolicy],
              ['Price class', PRICE_CLASS_LABELS[d.priceClass] ?? d.priceClass],
              ['AWS WAF', d.webAclId ? webAclName(d.webAclId) : 'Off'],
            ]}
          />
        </CardBody>
      </Card>
    );
  }
  const acls = await attempt(() => listWebAcls(), { service: 'WAFV2', action: 'wafv2:ListWebACLs' });
  return (
    <Card>
      <CardHeader title="Settings" description="Saving sends the whole configuration back with the version you loaded; if someone changed it since, CloudFront refuses and nothing is lost." />
      <CardBody className="py-6">
        <SettingsForm
          values={{ id: d.id, etag: d.etag, comment: d.comment, defaultRootObject: d.defaultRootObject, viewerProtocolPolicy: d.viewerProtocolPolicy, priceClass: d.priceClass, webAclArn: d.webAclId }}
          webAcls={acls.ok ? acls.value.map((a) => ({ arn: a.arn, name: a.name })) : null}
        />
      </CardBody>
    </Card>
  );
}

async function Invalidations({ d, isAdmin }: { d: DistributionDetail; isAdmin: boolean }) {
  return (
    <div className="space-y-5">
      {isAdmin ? (
        <Card>
          <CardHeader title="Invalidate" description="Makes the edge caches fetch these paths from the origin again. The first 1,000 paths a month are free." />
          <CardBody>
            <InvalidationForm id={d.id} callerReference={randomUUID()} />
          </CardBody>
        </Card>
      ) : null}
      <Card>
        <CardHeader title="Recent invalidations" />
        {await suspenseIfSlow(InvalidationList({ id: d.id }), <TableSkeleton columns={3} rows={3} />)}
      </Card>
    </div>
  );
}

async function InvalidationList({ id }: { id: string }) {
  // One ListInvalidations call: its summaries have no paths, and fetching each
  // invalidation for them would be a call per row.
  const r = await attempt(() => listInvalidations(id, 25), { ...ctx, action: 'cloudfront:ListInvalidations' });
  if (!r.ok) return <div className="p-5"><AwsProblemAlert problem={r.problem} /></div>;
  if (r.value.length === 0) return <EmptyState title="No invalidations yet">After uploading new versions, invalidate their paths so visitors see them before the cache expires.</EmptyState>;
  return (
    <>
      <LiveRefresh active={r.value.some((i) => i.status === 'InProgress')} />
      <Table>
        <thead>
          <tr><Th>ID</Th><Th>Status</Th><Th>Created</Th></tr>
        </thead>
        <tbody data-testid="invalidations">
          {r.value.map((i) => (
            <Tr key={i.id}>
              <Td className="font-mono text-xs">{i.id}</Td>
              <Td>{i.status === 'Completed' ? <Badge tone="green">Completed</Badge> : <Badge tone="amber">In progress</Badge>}</Td>
              <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">{formatDateTime(i.createdAt)}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

/** Its requests and transfer over the last month, priced: one batched CloudWatch read, kept for minutes. */
async function DistributionSaving({ id }: { id: string }) {
  return <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="saving">{await distributionSaving(id)} Requests and data transfer over the last 30 days; the bucket it serves from is billed separately.</p>;
}

/** The guided delete. Its state is the distribution's own (enabled? deployed?), so a reload resumes it. */
function DisableAndDelete({ d }: { d: DistributionDetail }) {
  const step = d.enabled ? 1 : d.status === 'InProgress' ? 2 : 3;
  const items = [
    { n: 1, title: 'Disable', body: 'Stops serving the site. CloudFront keeps the configuration, so it can be enabled again.' },
    { n: 2, title: 'Wait for “Deployed”', body: 'CloudFront rolls the change out to every edge location; it usually takes a few minutes.' },
    { n: 3, title: 'Delete', body: 'Removes the distribution for good, using its latest version (ETag).' },
    { n: 4, title: 'Clean up', body: 'Offers to remove the origin access control and the bucket policy statement it used.' },
  ];
  return (
    <Card className="border-red-200 dark:border-red-900/60">
      <CardHeader title="Disable and delete this distribution" description="CloudFront only deletes a distribution that is disabled and fully deployed. Berth walks through it; leaving and coming back picks up where it was." />
      <CardBody className="space-y-5">
        <Suspense fallback={<p className="text-sm text-zinc-500">Estimating what this saves…</p>}>
          <DistributionSaving id={d.id} />
        </Suspense>
        <ol className="grid grid-cols-4 gap-3" data-testid="delete-steps">
          {items.map((it) => (
            <li key={it.n} className={`rounded-lg border p-3 text-sm ${it.n === step ? 'border-red-300 bg-red-50/50 dark:border-red-800 dark:bg-red-950/30' : it.n < step ? 'border-emerald-200 dark:border-emerald-900' : 'border-zinc-200 dark:border-zinc-800'}`} aria-current={it.n === step ? 'step' : undefined}>
              <p className="font-medium">{it.n < step ? '✓ ' : `${it.n}. `}{it.title}</p>
              <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{it.body}</p>
            </li>
          ))}
        </ol>
        {step === 1 ? <EnableButton id={d.id} enabled /> : null}
        {step === 2 ? (
          <p className="flex items-center gap-2 text-sm" data-testid="waiting-for-deploy">
            <DeployBadge status="InProgress" /> Waiting for CloudFront to finish disabling{d.lastModified ? <> (<Elapsed since={d.lastModified} prefix="running for" />)</> : null}. This page updates by itself.
          </p>
        ) : null}
        {step === 3 ? (
          <div className="space-y-4">
            <DeleteDistributionForm id={d.id} />
            <div className="border-t border-zinc-100 pt-4 dark:border-zinc-800">
              <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">Changed your mind?</p>
              <EnableButton id={d.id} enabled={false} />
            </div>
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}
