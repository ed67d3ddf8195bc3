import 'server-only';
import { cache } from 'react';
import { LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import { cloudtrailClient } from '@/lib/aws/clients';
import { sharedReads, type Fresh } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import { actionOf, actorOf, clientOf, outcomeOf, type ActivityKind, type Actor } from './describe';
import './errors';

// A resource's recent activity from CloudTrail's event history (LookupEvents,
// management events of the last 90 days), one page per call.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
//
// LookupEvents is limited to two requests per second per account and region,
// so every page is kept briefly in the shared read cache (keyed by resource
// and page token): ten people opening the same Activity tab make one call.

/** What the activity is about, and which service's events count. */
export type ActivitySubject =
  | { kind: 'repository'; region: string; name: string }
  | { kind: 'public-repository'; name: string }
  | { kind: 'bucket'; region: string; name: string }
  | { kind: 'distribution'; id: string };

export interface ActivityEntry {
  id: string;
  /** ISO time of the call. */
  time: string;
  eventName: string;
  kind: ActivityKind;
  /** The operation in words, e.g. "pushed v1". */
  action: string;
  actor: Actor;
  sourceIp?: string;
  /** The client, shortened from the user agent: "docker/27.0". */
  client?: string;
  /** Set when the call failed: its code and the outcome in words. */
  error?: { code: string; words: string };
  readOnly: boolean;
}

export interface ActivityPage {
  entries: ActivityEntry[];
  /** CloudTrail's token for the next (older) page, when there is one. */
  nextToken?: string;
  /** Events on this page that belonged to another service's resource of the same name, left out. */
  skipped: number;
  /** Reads (Describe…, Get…, List…; pulls excepted) and single layer steps left out because every call was not asked for. */
  hidden: number;
}

/** How many events a page asks for: LookupEvents returns at most 50. */
export const ACTIVITY_PAGE_SIZE = 25;
/** At most this many LookupEvents for one page, when the first ones held little worth showing. */
const MAX_CALLS_PER_PAGE = 3;
/** With reads and layer steps hidden, a page reads on (within MAX_CALLS_PER_PAGE) until it has this many events to show. */
const FILL_TARGET = 10;
/** How long a page is shared: long enough to absorb a burst, short enough that a push shows within seconds. */
const ACTIVITY_TTL_MS = 10_000;

/**
 * The name CloudTrail's Resources carries for the resource: the repository
 * name, the bucket name, the distribution id (the same as the ResourceName
 * lookup attribute matches), and the event source whose events count.
 */
function lookupTarget(s: ActivitySubject): { region: string; name: string; source: string } {
  switch (s.kind) {
    case 'repository':
      return { region: s.region, name: s.name, source: 'ecr.amazonaws.com' };
    case 'public-repository':
      // ECR Public is global; its calls are recorded in us-east-1.
      // https://docs.aws.amazon.com/AmazonECR/latest/public/logging-using-cloudtrail.html
      return { region: 'us-east-1', name: s.name, source: 'ecr-public.amazonaws.com' };
    case 'bucket':
      return { region: s.region, name: s.name, source: 's3.amazonaws.com' };
    case 'distribution':
      // CloudFront is global; its calls are recorded in us-east-1.
      return { region: 'us-east-1', name: s.id, source: 'cloudfront.amazonaws.com' };
  }
}

function toEntry(e: Event): ActivityEntry {
  let record: Record<string, unknown> = {};
  try {
    record = JSON.parse(e.CloudTrailEvent ?? '{}') as Record<string, unknown>;
  } catch {
    // A record CloudTrail could not give whole: what LookupEvents says beside it still reads.
  }
  const readOnly = e.ReadOnly === 'true';
  const action = actionOf(e.EventName ?? '', record.requestParameters as Record<string, unknown> | null | undefined, readOnly);
  const code = typeof record.errorCode === 'string' ? record.errorCode : undefined;
  return {
    id: e.EventId ?? '',
    time: (e.EventTime ?? new Date(0)).toISOString(),
    eventName: e.EventName ?? '',
    kind: action.kind,
    action: action.text,
    actor: actorOf(record.userIdentity, e.Username),
    sourceIp: typeof record.sourceIPAddress === 'string' ? record.sourceIPAddress : undefined,
    client: clientOf(typeof record.userAgent === 'string' ? record.userAgent : undefined),
    ...(code ? { error: { code, words: outcomeOf(code) ?? 'failed' } } : {}),
    readOnly,
  };
}

/**
 * One page of a resource's events, newest first, from the token of the page
 * before (none for the first). Events of another service's resource with the
 * same name (a bucket and a repository both called `web`) are left out, and so
 * are reads and layer steps unless `everyCall`: every look at a resource
 * (Berth's own pages included) is a Describe or Get event, and a docker push
 * of five layers is some fifteen layer events; they would bury the pushes,
 * pulls and changes people open the tab for (PutImage and BatchGetImage).
 */
export const readActivity = cache(
  (subject: ActivitySubject, token: string | undefined, everyCall = false): Promise<Fresh<ActivityPage>> => {
    const t = lookupTarget(subject);
    return sharedReads().read(
      {
        key: `cloudtrail:activity:${t.source}:${t.name}:${everyCall ? 'all' : 'changes'}:${token ?? ''}`,
        region: t.region,
        tags: [readTags.activity()],
        ttlMs: ACTIVITY_TTL_MS,
        weight: (p) => p.entries.length,
      },
      async () => {
        // LookupEvents takes one attribute (here ResourceName), so neither the
        // service nor read-only can be asked for as well: a page that held
        // little to show reads on, up to a few calls, rather than show nothing.
        const entries: ActivityEntry[] = [];
        let skipped = 0;
        let hidden = 0;
        let next = token;
        for (let calls = 0; calls < MAX_CALLS_PER_PAGE; calls++) {
          const out = await cloudtrailClient(t.region).send(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: t.name }],
              MaxResults: ACTIVITY_PAGE_SIZE,
              NextToken: next,
            }),
          );
          const events = out.Events ?? [];
          const mine = events.filter((e) => e.EventSource === t.source);
          const shown = mine.map(toEntry).filter((e) => everyCall || (e.kind !== 'read' && e.kind !== 'layer'));
          entries.push(...shown);
          skipped += events.length - mine.length;
          hidden += mine.length - shown.length;
          next = out.NextToken;
          if (!next || entries.length >= (everyCall ? 1 : FILL_TARGET)) break;
        }
        return { entries, nextToken: next, skipped, hidden };
      },
    );
  },
);
