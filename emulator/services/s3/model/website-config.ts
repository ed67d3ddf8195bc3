import type Database from 'better-sqlite3';
import type { WebsiteConfiguration } from '@aws-sdk/client-s3';
import { AwsError } from '../../../core/errors';
import { bucketOrThrow, malformedXml } from './buckets';

/**
 * A bucket's website configuration (s3_buckets.website, JSON), as
 * PutBucketWebsite checks it and the website endpoint (../website.ts) serves
 * it. Routing rules are accepted and not kept.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketWebsite.html
 */

/** The stored form (the column's format since the first release; keep it). */
export interface WebsiteConfig {
  indexSuffix?: string;
  errorKey?: string;
  redirectAll?: { hostName: string; protocol?: string };
}

export function websiteOf(db: Database.Database, bucket: string): WebsiteConfig | undefined {
  const row = db.prepare('SELECT website FROM s3_buckets WHERE name = ?').get(bucket) as { website: string | null } | undefined;
  return row?.website ? (JSON.parse(row.website) as WebsiteConfig) : undefined;
}

function invalidArgument(message: string, name: string, value: string): AwsError {
  return new AwsError('InvalidArgument', message, 400, { fields: { ArgumentName: name, ArgumentValue: value } });
}

/** Checks a WebsiteConfiguration as S3 does and turns it into the stored form. */
export function checkWebsite(cfg: WebsiteConfiguration | undefined): WebsiteConfig {
  if (!cfg) throw malformedXml();
  const redirect = cfg.RedirectAllRequestsTo;
  const index = cfg.IndexDocument;
  const error = cfg.ErrorDocument;
  if (redirect) {
    if (index || error || cfg.RoutingRules !== undefined) {
      throw invalidArgument('RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', 'RedirectAllRequestsTo', 'not null');
    }
    const hostName = redirect.HostName;
    // HostName is required in RedirectAllRequestsTo.
    if (!hostName) throw malformedXml();
    const protocol = redirect.Protocol as string | undefined;
    if (protocol !== undefined && protocol !== 'http' && protocol !== 'https') {
      throw invalidArgument('Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.', 'Protocol', protocol);
    }
    return { redirectAll: { hostName, ...(protocol ? { protocol } : {}) } };
  }
  const suffix = index?.Suffix;
  if (!suffix) {
    throw invalidArgument('A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 'IndexDocument', 'null');
  }
  if (suffix.includes('/')) throw invalidArgument('The IndexDocument Suffix is not well formed', 'IndexDocument', suffix);
  const errorKey = error?.Key;
  if (error && !errorKey) throw invalidArgument('The ErrorDocument Key is not well formed', 'ErrorDocument', 'null');
  return { indexSuffix: suffix, ...(errorKey ? { errorKey } : {}) };
}

export function putWebsite(db: Database.Database, bucket: string | undefined, cfg: WebsiteConfiguration | undefined): void {
  const b = bucketOrThrow(db, bucket);
  const stored = checkWebsite(cfg);
  db.prepare('UPDATE s3_buckets SET website = ? WHERE name = ?').run(JSON.stringify(stored), b.name);
}

/** The configuration in the API's shape; NoSuchWebsiteConfiguration when there is none. */
export function getWebsite(db: Database.Database, bucket: string | undefined): WebsiteConfiguration {
  const b = bucketOrThrow(db, bucket);
  const cfg = websiteOf(db, b.name);
  if (!cfg) {
    throw new AwsError('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', 404, {
      fields: { BucketName: b.name },
    });
  }
  if (cfg.redirectAll) {
    return { RedirectAllRequestsTo: { HostName: cfg.redirectAll.hostName, Protocol: cfg.redirectAll.protocol as 'http' | 'https' | undefined } };
  }
  return {
    IndexDocument: { Suffix: cfg.indexSuffix },
    ...(cfg.errorKey ? { ErrorDocument: { Key: cfg.errorKey } } : {}),
  };
}

export function deleteWebsite(db: Database.Database, bucket: string | undefined): void {
  const b = bucketOrThrow(db, bucket);
  db.prepare('UPDATE s3_buckets SET website = NULL WHERE name = ?').run(b.name);
}
