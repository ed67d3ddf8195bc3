import type { Distribution, DistributionConfig, DistributionIdList, DistributionList, DistributionSummary, Tag } from '@aws-sdk/client-cloudfront';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { checkIfMatch, checkQuantities, distributionArn, newDomainName, newEtag, newId, pageOf } from './common';
import { applyDefaults, validateConfig } from './config';
import { allDistributions, configOf, distributionStatus, requireDistribution, type DistributionRow } from './store';
import { checkTags } from './tagging';

/**
 * Distributions: CallerReference idempotency, ETag/If-Match, InProgress →
 * Deployed after the deploy delay, and deletion only once disabled and deployed.
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateDistribution.html
 */

function inProgressInvalidations(env: EmulatorEnv, id: string): number {
  const r = env.db
    .prepare('SELECT COUNT(*) AS n FROM cloudfront_invalidations WHERE distribution_id = ? AND completed_at_ms > ?')
    .get(id, env.now()) as { n: number };
  return r.n;
}

export interface DistributionView {
  distribution: Distribution;
  etag: string;
}

/** The full Distribution, as Create/Get/Update return it. */
export function distributionOf(env: EmulatorEnv, row: DistributionRow): DistributionView {
  return {
    etag: row.etag,
    distribution: {
      Id: row.id,
      ARN: distributionArn(env.accountId, row.id),
      Status: distributionStatus(row, env.now()),
      LastModifiedTime: new Date(row.last_modified_ms),
      InProgressInvalidationBatches: inProgressInvalidations(env, row.id),
      DomainName: row.domain_name,
      ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
      ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
      DistributionConfig: configOf(row),
    },
  };
}

/** Stores a new distribution (also used by the seed); refuses a CallerReference seen before. */
export function insertDistribution(env: EmulatorEnv, config: DistributionConfig, tags: Tag[]): DistributionRow {
  const db = env.db;
  checkQuantities(config, 'DistributionConfig');
  return db
    .transaction(() => {
      // A CallerReference seen before means a retried or repeated request: never a second distribution.
      const existing = db.prepare('SELECT id FROM cloudfront_distributions WHERE caller_reference = ?').get(config.CallerReference) as
        | { id: string }
        | undefined;
      if (existing) {
        throw new AwsError(
          'DistributionAlreadyExists',
          `The caller reference that you are using to create a distribution is associated with another distribution. Already exists: ${existing.id}`,
          409,
        );
      }
      applyDefaults(config);
      validateConfig(db, config);
      const now = env.now();
      const r: DistributionRow = {
        id: newId(),
        caller_reference: config.CallerReference ?? '',
        domain_name: newDomainName(),
        etag: newEtag(),
        last_modified_ms: now,
        deployed_at_ms: now + env.deployDelayMs,
        enabled: config.Enabled ? 1 : 0,
        config_xml: '',
        summary_xml: '',
        config_json: JSON.stringify(config),
        tags: JSON.stringify(tags),
      };
      db.prepare(
        `INSERT INTO cloudfront_distributions
           (id, caller_reference, domain_name, etag, last_modified_ms, deployed_at_ms, enabled, config_xml, summary_xml, config_json, tags)
         VALUES (@id, @caller_reference, @domain_name, @etag, @last_modified_ms, @deployed_at_ms, @enabled, @config_xml, @summary_xml, @config_json, @tags)`,
      ).run(r);
      return r;
    })
    .immediate();
}

export function createDistribution(env: EmulatorEnv, config: DistributionConfig, tags: Tag[] = []): DistributionView {
  checkTags(tags);
  return distributionOf(env, insertDistribution(env, config, tags));
}

export function getDistribution(env: EmulatorEnv, id: string): DistributionView {
  return distributionOf(env, requireDistribution(env.db, id));
}

export function getDistributionConfig(env: EmulatorEnv, id: string): { config: DistributionConfig; etag: string } {
  const row = requireDistribution(env.db, id);
  return { config: configOf(row), etag: row.etag };
}

export function updateDistribution(env: EmulatorEnv, id: string, ifMatch: string | undefined, config: DistributionConfig): DistributionView {
  const db = env.db;
  const row = db
    .transaction(() => {
      const current = requireDistribution(db, id);
      checkIfMatch(ifMatch, current.etag);
      checkQuantities(config, 'DistributionConfig');
      if (config.CallerReference !== current.caller_reference) {
        throw new AwsError('IllegalUpdate', 'The CallerReference of a distribution cannot be changed.', 400);
      }
      // The whole config is replaced: members left out go back to their defaults.
      applyDefaults(config);
      validateConfig(db, config, id);
      const now = env.now();
      const next: DistributionRow = {
        ...current,
        etag: newEtag(),
        last_modified_ms: now,
        deployed_at_ms: now + env.deployDelayMs,
        enabled: config.Enabled ? 1 : 0,
        config_xml: '',
        config_json: JSON.stringify(config),
      };
      db.prepare(
        `UPDATE cloudfront_distributions SET etag = @etag, last_modified_ms = @last_modified_ms, deployed_at_ms = @deployed_at_ms,
           enabled = @enabled, config_xml = @config_xml, config_json = @config_json WHERE id = @id`,
      ).run(next);
      return next;
    })
    .immediate();
  return distributionOf(env, row);
}

/**
 * AssociateDistributionWebACL / DisassociateDistributionWebACL: the same
 * change as an UpdateDistribution that sets only WebACLId (a new ETag, and
 * InProgress until deployed). If-Match is optional in these calls; when given
 * it must be current.
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_AssociateDistributionWebACL.html
 */
export function setDistributionWebAcl(env: EmulatorEnv, id: string, ifMatch: string | undefined, webAclArn: string): DistributionView {
  const current = requireDistribution(env.db, id);
  if (ifMatch !== undefined) checkIfMatch(ifMatch, current.etag);
  return updateDistribution(env, id, current.etag, { ...configOf(current), WebACLId: webAclArn });
}

export function deleteDistribution(env: EmulatorEnv, id: string, ifMatch: string | undefined): void {
  const db = env.db;
  db.transaction(() => {
    const row = requireDistribution(db, id);
    checkIfMatch(ifMatch, row.etag);
    if (row.enabled || distributionStatus(row, env.now()) !== 'Deployed') {
      throw new AwsError(
        'DistributionNotDisabled',
        'The distribution you are trying to delete has not been disabled, or the change that disabled it is still InProgress. Disable it, wait until its status is Deployed, and try again.',
        409,
      );
    }
    db.prepare('DELETE FROM cloudfront_distributions WHERE id = ?').run(row.id);
  }).immediate();
}

function summaryOf(env: EmulatorEnv, row: DistributionRow): DistributionSummary {
  const c = configOf(row);
  return {
    ...(c as Omit<DistributionSummary, 'Id' | 'ARN' | 'Status' | 'LastModifiedTime' | 'DomainName' | 'Staging'>),
    Id: row.id,
    ARN: distributionArn(env.accountId, row.id),
    ETag: row.etag,
    Status: distributionStatus(row, env.now()),
    LastModifiedTime: new Date(row.last_modified_ms),
    DomainName: row.domain_name,
    Staging: c.Staging ?? false,
  };
}

/** A DistributionList page of the distributions `test` accepts (all of them when none is given), in id order. */
export function listDistributions(env: EmulatorEnv, input: { Marker?: string; MaxItems?: number }, test?: (c: DistributionConfig) => boolean): DistributionList {
  const rows = allDistributions(env.db).filter((r) => !test || test(configOf(r)));
  const page = pageOf(rows, (r) => r.id, input);
  return {
    Marker: page.marker,
    NextMarker: page.nextMarker,
    MaxItems: page.maxItems,
    IsTruncated: page.truncated,
    Quantity: page.items.length,
    ...(page.items.length > 0 ? { Items: page.items.map((r) => summaryOf(env, r)) } : {}),
  };
}

/** The same, as the DistributionIdList some ListDistributionsBy* calls answer with. */
export function listDistributionIds(env: EmulatorEnv, input: { Marker?: string; MaxItems?: number }, test: (c: DistributionConfig) => boolean): DistributionIdList {
  const ids = allDistributions(env.db)
    .filter((r) => test(configOf(r)))
    .map((r) => r.id);
  const page = pageOf(ids, (id) => id, input);
  return {
    Marker: page.marker,
    NextMarker: page.nextMarker,
    MaxItems: page.maxItems,
    IsTruncated: page.truncated,
    Quantity: page.items.length,
    ...(page.items.length > 0 ? { Items: page.items } : {}),
  };
}

