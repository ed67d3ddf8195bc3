import Link from 'next/link';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Freshness } from '@/components/ui/freshness';
import { Table, Td, Th } from '@/components/ui/table';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { readActivity, type ActivityEntry, type ActivitySubject } from '@/lib/cloudtrail/activity';
import { readDataEventStatus, type Coverage, type DataEventStatus } from '@/lib/cloudtrail/data-events';
import type { ActivityKind } from '@/lib/cloudtrail/describe';
import { formatDateTime } from '@/lib/ui/format';
import { param, withParams, type SearchParams } from '@/lib/ui/url';
import { formatActivityTrail, MAX_ACTIVITY_DEPTH, parseActivityTrail } from '@/lib/validation/activity';

/** What the tab cannot show, said where people would look for it. */
const NOT_IN_HISTORY: Record<ActivitySubject['kind'], string> = {
  repository: 'Layer downloads through the pre-signed URLs GetDownloadUrlForLayer hands out are not API calls, and not in event history.',
  'public-repository': 'Pulls need no AWS credentials and stand for no ECR Public API action: they are not in event history.',
  bucket: 'Object reads and writes are data events, and never in event history (see above).',
  distribution: 'Viewer requests to the distribution are not API calls: they are in its standard logs, not in CloudTrail.',
};

/** What else the event history tells of the subject, after "created, changed, deleted". */
const PUSHES: Record<ActivitySubject['kind'], string> = { repository: ', pushed and pulled', 'public-repository': ' and pushed', bucket: '', distribution: '' };

const KIND_TONE: Record<ActivityKind, 'neutral' | 'brand' | 'green' | 'amber' | 'red'> = {
  push: 'brand',
  pull: 'green',
  layer: 'neutral',
  create: 'green',
  delete: 'red',
  policy: 'amber',
  change: 'amber',
  read: 'neutral',
};

/**
 * A repository's (private or public), bucket's or distribution's CloudTrail activity: who did
 * what, when, from where and how it ended, one page of LookupEvents at a time
 * (Older / Newer through the `ct` search param). A bucket adds whether its
 * object reads and writes are logged at all.
 */
export async function ActivityPanel({ subject, sp, path }: { subject: ActivitySubject; sp: SearchParams; path: string }) {
  // CloudFront and ECR Public are global: their events are in us-east-1's history.
  const region = subject.kind === 'distribution' || subject.kind === 'public-repository' ? 'us-east-1' : subject.region;
  const tokens = parseActivityTrail(param(sp, 'ct'));
  const current = tokens.at(-1);
  const everyCall = param(sp, 'calls') === 'all';
  const ctx = { service: 'CLOUDTRAIL' as const, endpoint: endpointFor('CLOUDTRAIL', region), action: 'cloudtrail:LookupEvents' };
  const r = await attempt(() => readActivity(subject, current, everyCall), ctx);

  return (
    <div className="space-y-5" data-testid="activity">
      {subject.kind === 'bucket' ? <DataEventsNote region={subject.region} bucket={subject.name} /> : null}
      {!r.ok ? (
        <AwsProblemAlert problem={r.problem} />
      ) : (
        <>
          <Card>
            <CardHeader
              title="CloudTrail activity"
              description={`Who created, changed, deleted${PUSHES[subject.kind]} — CloudTrail's event history of the last 90 days in ${region}, newest first.`}
              action={
                <Link
                  href={withParams(path, sp, { calls: everyCall ? null : 'all', ct: null })}
                  className="text-sm whitespace-nowrap text-brand-700 hover:underline dark:text-brand-300"
                  scroll={false}
                >
                  {everyCall ? 'Hide reads and layer steps' : 'Show every call'}
                </Link>
              }
            />
            {r.value.value.entries.length === 0 ? (
              <EmptyState title={r.value.value.hidden > 0 ? 'Only reads here' : tokens.length ? 'No older events' : 'No events recorded'}>
                {r.value.value.hidden > 0
                  ? `These events only read the resource or move single layers. Choose “Show every call” to see them${r.value.value.nextToken ? ', or Next for older events' : ''}.`
                  : tokens.length
                    ? 'CloudTrail holds nothing older for this resource.'
                    : 'CloudTrail has no management events naming this resource in the last 90 days. New events can take a few minutes to appear.'}
              </EmptyState>
            ) : (
              <ActivityTable entries={r.value.value.entries} />
            )}
            <ActivityPager path={path} sp={sp} tokens={tokens} next={r.value.value.nextToken} />
          </Card>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              {r.value.value.hidden === 1 ? '1 read or layer step is hidden on this page. ' : r.value.value.hidden > 1 ? `${r.value.value.hidden} reads and layer steps are hidden on this page. ` : ''}
              {r.value.value.skipped > 0
                ? `${r.value.value.skipped === 1 ? '1 event on this page names' : `${r.value.value.skipped} events on this page name`} another service's resource of the same name, not shown. `
                : ''}
              {NOT_IN_HISTORY[subject.kind]}
            </p>
            <Freshness readAt={r.value.readAt} tags={[readTags.activity()]} />
          </div>
        </>
      )}
    </div>
  );
}

function ActivityTable({ entries }: { entries: ActivityEntry[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Who</Th>
          <Th>What</Th>
          <Th>From</Th>
          <Th>Outcome</Th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} data-testid="activity-row" data-event-id={e.id}>
            <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-300">
              <time dateTime={e.time}>{formatDateTime(e.time)}</time>
            </Td>
            <Td>
              <div className="font-medium text-zinc-900 dark:text-zinc-100">{e.actor.name}</div>
              {e.actor.kind === 'role' ? (
                <div className="text-xs text-zinc-500 dark:text-zinc-400">
                  {e.actor.sourceIdentity ? `as ${e.actor.session ?? 'a session'} of ` : 'session of '}role {e.actor.role ?? '?'}
                  {e.actor.sourceIdentity ? ' (source identity)' : ''}
                </div>
              ) : e.actor.kind === 'user' ? (
                <div className="text-xs text-zinc-500 dark:text-zinc-400">IAM user</div>
              ) : null}
            </Td>
            <Td>
              <div className="flex items-center gap-2">
                <Badge tone={KIND_TONE[e.kind]}>{e.kind}</Badge>
                <span>{e.action}</span>
              </div>
              <div className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{e.eventName}</div>
            </Td>
            <Td className="text-xs text-zinc-600 dark:text-zinc-300">
              <div className="font-mono">{e.sourceIp ?? '—'}</div>
              {e.client ? <div className="text-zinc-500 dark:text-zinc-400">{e.client}</div> : null}
            </Td>
            <Td>
              {e.error ? (
                <div>
                  <Badge tone="red">{e.error.words}</Badge>
                  <div className="mt-0.5 font-mono text-xs text-zinc-500 dark:text-zinc-400">{e.error.code}</div>
                </div>
              ) : (
                <Badge tone="green">succeeded</Badge>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function ActivityPager({ path, sp, tokens, next }: { path: string; sp: SearchParams; tokens: string[]; next?: string }) {
  const newer = tokens.length > 0 ? withParams(path, sp, { ct: formatActivityTrail(tokens.slice(0, -1)) }) : undefined;
  const older = next && tokens.length < MAX_ACTIVITY_DEPTH ? withParams(path, sp, { ct: formatActivityTrail([...tokens, next]) }) : undefined;
  const link = (href: string | undefined, label: string) =>
    href ? (
      <Link href={href} className="rounded-md px-2.5 py-1 text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800" scroll={false}>
        {label}
      </Link>
    ) : (
      <span className="rounded-md px-2.5 py-1 text-zinc-300 dark:text-zinc-600">{label}</span>
    );
  return (
    <nav aria-label="Activity pages" className="flex items-center justify-between border-t border-zinc-100 px-5 py-3 text-sm dark:border-zinc-800">
      <p className="text-zinc-500 dark:text-zinc-400">Page {tokens.length + 1}</p>
      <div className="flex items-center gap-1">
        {link(newer, '‹ Previous')}
        {link(older, 'Next ›')}
      </div>
    </nav>
  );
}

const COVERAGE_WORDS: Record<Coverage, string> = { all: 'logged', some: 'partly logged', none: 'not logged' };

/** What the bucket's object reads and writes need to be seen, and whether a trail already logs them. */
async function DataEventsNote({ region, bucket }: { region: string; bucket: string }) {
  const r = await attempt(() => readDataEventStatus(region, bucket), {
    service: 'CLOUDTRAIL',
    endpoint: endpointFor('CLOUDTRAIL', region),
    action: 'cloudtrail:DescribeTrails',
  });
  const lead =
    'Object reads and writes (GetObject, PutObject, DeleteObject…) are CloudTrail data events: they never appear below, and are logged only by a trail with data events for this bucket, to that trail’s S3 bucket.';
  if (!r.ok) {
    return (
      <Alert tone="warning" title="Object reads and writes need a trail with data events">
        <p>{lead}</p>
        <p className="mt-1">Berth could not check the trails: {r.problem.message}</p>
      </Alert>
    );
  }
  const s: DataEventStatus = r.value.value;
  const covering = s.trails.filter((t) => t.logging && (t.reads !== 'none' || t.writes !== 'none'));
  const ok = s.reads !== 'none' && s.writes !== 'none';
  return (
    <Alert tone={ok ? 'info' : 'warning'} title={covering.length ? 'Object reads and writes go to a trail' : 'Object reads and writes are not logged'}>
      <p>{lead}</p>
      <p className="mt-1" data-testid="data-events-status">
        Reads are {COVERAGE_WORDS[s.reads]}, writes are {COVERAGE_WORDS[s.writes]}
        {covering.length
          ? ` by ${covering.map((t) => `${t.name} (to s3://${t.bucket ?? '?'}; reads ${COVERAGE_WORDS[t.reads]}, writes ${COVERAGE_WORDS[t.writes]})`).join(', ')}.`
          : s.trails.length
            ? `: ${s.trails.length === 1 ? 'the one trail here does' : `none of the ${s.trails.length} trails here do`} not ${s.trails.some((t) => t.logging) ? 'select this bucket’s objects' : 'log (logging is stopped)'}.`
            : ': there is no trail in this region.'}
      </p>
    </Alert>
  );
}
