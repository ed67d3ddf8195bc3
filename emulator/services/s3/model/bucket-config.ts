import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { FilterRule, LoggingEnabled, NotificationConfiguration, NotificationConfigurationFilter } from '@aws-sdk/client-s3';
import { AwsError } from '../../../core/errors';
import { getBucket } from './buckets';
import { bucketOrThrow, deleteDocument, invalidArgument, readDocument, writeDocument } from './documents';

// ---- server access logging
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
// The emulator stores the setting; it writes no log objects.

/** Logging is off (an empty BucketLoggingStatus) until PutBucketLogging turns it on. */
export function getLogging(db: Database.Database, bucket: string | undefined): LoggingEnabled | undefined {
  const b = bucketOrThrow(db, bucket);
  return readDocument<LoggingEnabled>(db, b.name, 'logging');
}

export function putLogging(db: Database.Database, bucket: string | undefined, accountId: string, enabled: LoggingEnabled | undefined): void {
  const b = bucketOrThrow(db, bucket);
  // An empty BucketLoggingStatus turns logging off.
  if (!enabled || (enabled.TargetBucket === undefined && enabled.TargetPrefix === undefined)) {
    deleteDocument(db, b.name, 'logging');
    return;
  }
  const targetName = enabled.TargetBucket ?? '';
  const target = getBucket(db, targetName);
  if (!target) {
    throw new AwsError('InvalidTargetBucketForLogging', 'The target bucket for logging does not exist', 400, {
      fields: { TargetBucket: targetName },
    });
  }
  if (target.owner_account !== accountId) {
    throw new AwsError('InvalidTargetBucketForLogging', 'The owner for the bucket to be logged and the target bucket must be the same.', 400, {
      fields: { TargetBucket: targetName },
    });
  }
  // Logs are delivered within a region only.
  if (target.region !== b.region) {
    throw new AwsError('CrossLocationLoggingProhibitted', 'Cross S3 location logging not allowed. ', 403, {
      fields: { TargetBucketLocation: target.region, SourceBucketLocation: b.region },
    });
  }
  writeDocument(db, b.name, 'logging', { ...enabled, TargetPrefix: enabled.TargetPrefix ?? '' });
}

// ---- event notifications
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
// Stored and returned only: the emulator sends no events, and cannot check that
// the SNS topics, SQS queues and Lambda functions named exist or allow S3 to
// publish (AWS does, unless x-amz-skip-destination-validation is true).

interface Destination {
  Id?: string;
  Events?: string[];
  Filter?: NotificationConfigurationFilter;
}

function filterRules(d: Destination): FilterRule[] {
  return d.Filter?.Key?.FilterRules ?? [];
}

function checkFilter(d: Destination): void {
  const seen = new Set<string>();
  for (const r of filterRules(d)) {
    const name = (r.Name ?? '').toLowerCase();
    if (seen.has(name)) {
      throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule', r.Name ?? '');
    }
    seen.add(name);
  }
}

function ruleValue(d: Destination, name: 'prefix' | 'suffix'): string {
  return filterRules(d).find((r) => (r.Name ?? '').toLowerCase() === name)?.Value ?? '';
}

/** `s3:ObjectCreated:*` covers `s3:ObjectCreated:Put`; equal names overlap too. */
function eventsOverlap(a: string, b: string): boolean {
  const base = (e: string) => (e.endsWith(':*') ? e.slice(0, -1) : undefined);
  const pa = base(a);
  const pb = base(b);
  return a === b || (pa !== undefined && b.startsWith(pa)) || (pb !== undefined && a.startsWith(pb));
}

/** Two destinations overlap when an object could match both filters for a shared event. */
function overlaps(a: Destination, b: Destination): boolean {
  const shareEvent = (a.Events ?? []).some((x) => (b.Events ?? []).some((y) => eventsOverlap(x, y)));
  if (!shareEvent) return false;
  const [pa, pb, sa, sb] = [ruleValue(a, 'prefix'), ruleValue(b, 'prefix'), ruleValue(a, 'suffix'), ruleValue(b, 'suffix')];
  const prefixesMeet = pa.startsWith(pb) || pb.startsWith(pa);
  const suffixesMeet = sa.endsWith(sb) || sb.endsWith(sa);
  return prefixesMeet && suffixesMeet;
}

export function putNotification(db: Database.Database, bucket: string | undefined, cfg: NotificationConfiguration | undefined): NotificationConfiguration {
  const b = bucketOrThrow(db, bucket);
  const doc: NotificationConfiguration = { ...(cfg ?? {}) };
  // S3 names destinations that come without an Id.
  const withIds = <T extends Destination>(list: T[] | undefined): T[] | undefined =>
    list?.map((d) => ({ ...d, Id: d.Id === undefined || d.Id === '' ? Buffer.from(randomUUID()).toString('base64').slice(0, 48) : d.Id }));
  doc.TopicConfigurations = withIds(doc.TopicConfigurations);
  doc.QueueConfigurations = withIds(doc.QueueConfigurations);
  doc.LambdaFunctionConfigurations = withIds(doc.LambdaFunctionConfigurations);
  const all: Destination[] = [...(doc.TopicConfigurations ?? []), ...(doc.QueueConfigurations ?? []), ...(doc.LambdaFunctionConfigurations ?? [])];
  for (const d of all) checkFilter(d);
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      if (overlaps(all[i]!, all[j]!)) {
        throw invalidArgument(
          'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
          'Event',
          'Configurations overlap',
        );
      }
    }
  }
  const empty = all.length === 0 && doc.EventBridgeConfiguration === undefined;
  if (empty) deleteDocument(db, b.name, 'notification');
  else writeDocument(db, b.name, 'notification', doc);
  return doc;
}

/** No notifications until configured: an empty NotificationConfiguration, not an error. */
export function getNotification(db: Database.Database, bucket: string | undefined): NotificationConfiguration {
  const b = bucketOrThrow(db, bucket);
  return readDocument<NotificationConfiguration>(db, b.name, 'notification') ?? {};
}
