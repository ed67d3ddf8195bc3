import type Database from 'better-sqlite3';
import type { DistributionConfig, Tag } from '@aws-sdk/client-cloudfront';
import { AwsError } from '../../../core/errors';

/** Row access shared by the CloudFront model, the edge and WAFv2 (which must know what uses a web ACL). */

export interface DistributionRow {
  id: string;
  caller_reference: string;
  domain_name: string;
  etag: string;
  last_modified_ms: number;
  deployed_at_ms: number;
  enabled: number;
  /** Columns of the first schema, no longer written (kept empty). */
  config_xml: string;
  summary_xml: string;
  /** The DistributionConfig in the SDK's shape. */
  config_json: string;
  tags: string;
}

export interface OacRow {
  id: string;
  name: string;
  etag: string;
  config_json: string;
}

export interface OaiRow {
  id: string;
  caller_reference: string;
  comment: string;
  canonical_user_id: string;
  etag: string;
}

/** Changes take effect after the configured delay, as CloudFront's propagation does. */
export function distributionStatus(row: Pick<DistributionRow, 'deployed_at_ms'>, now: number): 'InProgress' | 'Deployed' {
  return now < row.deployed_at_ms ? 'InProgress' : 'Deployed';
}

export function getDistribution(db: Database.Database, id: string): DistributionRow | undefined {
  return db.prepare('SELECT * FROM cloudfront_distributions WHERE id = ?').get(id) as DistributionRow | undefined;
}

export function noSuchDistribution(): AwsError {
  return new AwsError('NoSuchDistribution', 'The specified distribution does not exist.', 404);
}

export function requireDistribution(db: Database.Database, id: string): DistributionRow {
  const row = getDistribution(db, id);
  if (!row) throw noSuchDistribution();
  return row;
}

export function configOf(row: Pick<DistributionRow, 'config_json'>): DistributionConfig {
  return JSON.parse(row.config_json) as DistributionConfig;
}

export function tagsOf(row: Pick<DistributionRow, 'tags'>): Tag[] {
  return JSON.parse(row.tags) as Tag[];
}

export function allDistributions(db: Database.Database): DistributionRow[] {
  return db.prepare('SELECT * FROM cloudfront_distributions ORDER BY id').all() as DistributionRow[];
}

export function distributionByDomain(db: Database.Database, domain: string): DistributionRow | undefined {
  return db.prepare('SELECT * FROM cloudfront_distributions WHERE domain_name = ?').get(domain) as DistributionRow | undefined;
}

/** Ids of distributions whose config makes `test` true (a full scan: CloudFront allows a few hundred per account). */
export function distributionsWhere(db: Database.Database, test: (c: DistributionConfig) => boolean): string[] {
  return allDistributions(db)
    .filter((r) => test(configOf(r)))
    .map((r) => r.id);
}

export function distributionsUsingWebAcl(db: Database.Database, webAclArn: string): string[] {
  return distributionsWhere(db, (c) => c.WebACLId === webAclArn);
}

/** `origin-access-identity/cloudfront/E…` → `E…`; '' when the origin has no OAI. */
export function oaiIdOf(value: string | undefined): string {
  if (!value) return '';
  const m = /^origin-access-identity\/cloudfront\/([A-Za-z0-9._~-]+)$/.exec(value);
  return m?.[1] ?? value;
}

export function getOac(db: Database.Database, id: string): OacRow | undefined {
  return db.prepare('SELECT * FROM cloudfront_origin_access_controls WHERE id = ?').get(id) as OacRow | undefined;
}

export function getOai(db: Database.Database, id: string): OaiRow | undefined {
  return db.prepare('SELECT * FROM cloudfront_origin_access_identities WHERE id = ?').get(id) as OaiRow | undefined;
}

/** The IAM principal S3 bucket policies name an OAI by. */
export function oaiPrincipalArn(id: string): string {
  return `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${id}`;
}
