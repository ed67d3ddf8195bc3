import 'server-only';
import { cache } from 'react';
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type AdvancedEventSelector,
  type EventSelector,
} from '@aws-sdk/client-cloudtrail';
import { cloudtrailClient } from '@/lib/aws/clients';
import { sharedReads, type Fresh } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import './errors';

// Whether a bucket's object reads and writes are logged anywhere. They are
// CloudTrail data events: event history (LookupEvents) never holds them, and
// a trail logs them only when its event selectors ask for them.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html

/** How much of the bucket's object activity a trail logs. */
export type Coverage = 'all' | 'some' | 'none';

export interface TrailCoverage {
  name: string;
  arn: string;
  homeRegion: string;
  logging: boolean;
  /** Object reads (GetObject, HeadObject…): every object, some (a key prefix or a narrower selector), or none. */
  reads: Coverage;
  /** Object writes (PutObject, DeleteObject…). */
  writes: Coverage;
  /** Where the trail delivers its log files. */
  bucket?: string;
}

export interface DataEventStatus {
  trails: TrailCoverage[];
  /** Whether a logging trail records at least some of the bucket's object reads / writes. */
  reads: Coverage;
  writes: Coverage;
}

/** How long the answer is shared: trail settings change rarely, and each trail costs two calls. */
const TTL_MS = 60_000;

const rank: Record<Coverage, number> = { none: 0, some: 1, all: 2 };
const best = (a: Coverage, b: Coverage): Coverage => (rank[a] >= rank[b] ? a : b);

/** A basic selector's DataResources values against the bucket: all of it, a prefix of it, or nothing. */
function basicValueCovers(value: string, bucket: string): Coverage {
  // `arn:aws:s3` (or the partition's bare `arn:aws:s3:::`) selects every bucket.
  if (/^arn:[a-z-]+:s3(:::)?$/.test(value)) return 'all';
  const m = /^arn:[a-z-]+:s3:::([^/]+)(?:\/(.*))?$/.exec(value);
  if (!m || m[1] !== bucket) return 'none';
  return m[2] === undefined || m[2] === '' ? 'all' : 'some';
}

export function basicCoverage(selectors: EventSelector[], bucket: string): { reads: Coverage; writes: Coverage } {
  let reads: Coverage = 'none';
  let writes: Coverage = 'none';
  for (const s of selectors) {
    let c: Coverage = 'none';
    for (const d of s.DataResources ?? []) {
      if (d.Type !== 'AWS::S3::Object') continue;
      for (const v of d.Values ?? []) c = best(c, basicValueCovers(v, bucket));
    }
    const rw = s.ReadWriteType ?? 'All';
    if (rw !== 'WriteOnly') reads = best(reads, c);
    if (rw !== 'ReadOnly') writes = best(writes, c);
  }
  return { reads, writes };
}

type FieldSelector = NonNullable<AdvancedEventSelector['FieldSelectors']>[number];

/** What an advanced selector's `resources.ARN` conditions leave of the bucket. */
function arnCoverage(f: FieldSelector | undefined, bucket: string): Coverage {
  if (!f) return 'all';
  const whole = `arn:aws:s3:::${bucket}/`;
  const excluded =
    (f.NotStartsWith ?? []).some((p) => whole.startsWith(p)) || (f.NotEquals ?? []).some((p) => p === whole);
  if (excluded) return 'none';
  const narrowing = (f.NotStartsWith ?? []).some((p) => p.startsWith(whole)) || (f.NotEndsWith ?? []).length > 0 || (f.NotEquals ?? []).length > 0;
  const positives = [...(f.Equals ?? []), ...(f.StartsWith ?? []), ...(f.EndsWith ?? [])];
  if (positives.length === 0) return narrowing ? 'some' : 'all';
  let c: Coverage = 'none';
  for (const p of f.StartsWith ?? []) {
    if (whole.startsWith(p)) c = best(c, 'all');
    else if (p.startsWith(whole)) c = best(c, 'some');
  }
  for (const p of f.Equals ?? []) if (p.startsWith(whole)) c = best(c, 'some');
  if ((f.EndsWith ?? []).length > 0) c = best(c, 'some');
  return c === 'all' && narrowing ? 'some' : c;
}

export function advancedCoverage(selectors: AdvancedEventSelector[], bucket: string): { reads: Coverage; writes: Coverage } {
  let reads: Coverage = 'none';
  let writes: Coverage = 'none';
  for (const s of selectors) {
    const fields = s.FieldSelectors ?? [];
    const field = (name: string) => fields.find((f) => f.Field === name);
    if (!(field('eventCategory')?.Equals ?? []).includes('Data')) continue;
    if (!(field('resources.type')?.Equals ?? []).includes('AWS::S3::Object')) continue;
    let c = arnCoverage(field('resources.ARN'), bucket);
    // Conditions on names, sources or callers log only part of the bucket's calls.
    if (fields.some((f) => !['eventCategory', 'resources.type', 'resources.ARN', 'readOnly'].includes(f.Field ?? '')) && c === 'all') c = 'some';
    const ro = field('readOnly')?.Equals ?? [];
    if (ro.length === 0 || ro.includes('true')) reads = best(reads, c);
    if (ro.length === 0 || ro.includes('false')) writes = best(writes, c);
  }
  return { reads, writes };
}

/**
 * The trails that apply in the bucket's region (its own and the multi-region
 * trails of others, as DescribeTrails lists them) and what each logs of the
 * bucket's objects: one DescribeTrails, then GetTrailStatus and
 * GetEventSelectors per trail (at most five trails per region, plus shadows).
 */
export const readDataEventStatus = cache(
  (region: string, bucket: string): Promise<Fresh<DataEventStatus>> =>
    sharedReads().read(
      { key: `cloudtrail:data-events:${bucket}`, region, tags: [readTags.activity()], ttlMs: TTL_MS },
      async () => {
        const client = cloudtrailClient(region);
        const { trailList = [] } = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
        const trails = await Promise.all(
          trailList.map(async (t): Promise<TrailCoverage> => {
            const ref = t.TrailARN ?? t.Name ?? '';
            const [status, selectors] = await Promise.all([
              client.send(new GetTrailStatusCommand({ Name: ref })),
              client.send(new GetEventSelectorsCommand({ TrailName: ref })),
            ]);
            const c = selectors.AdvancedEventSelectors?.length
              ? advancedCoverage(selectors.AdvancedEventSelectors, bucket)
              : basicCoverage(selectors.EventSelectors ?? [], bucket);
            return {
              name: t.Name ?? ref,
              arn: t.TrailARN ?? '',
              homeRegion: t.HomeRegion ?? region,
              logging: status.IsLogging === true,
              bucket: t.S3BucketName,
              ...c,
            };
          }),
        );
        const live = trails.filter((t) => t.logging);
        return {
          trails,
          reads: live.reduce<Coverage>((c, t) => best(c, t.reads), 'none'),
          writes: live.reduce<Coverage>((c, t) => best(c, t.writes), 'none'),
        };
      },
    ),
);
