import { AwsError } from '../../core/errors';
import type { Reply, RequestContext } from '../../core/types';
import { encode, encodeRoot, type Obj } from './codec';
import { API, PUBLIC_ENDPOINT, checkIfMatch, distributionArn, newDomainName, newEtag, newId, paging, listXml, readBody } from './common';
import { applyDefaults, validateConfig } from './config';
import {
  DistributionConfigShape,
  DistributionConfigWithTagsShape,
  DistributionShape,
  DistributionSummaryShape,
} from './shapes';
import { configOf, distributionStatus, requireDistribution, type DistributionRow } from './store';
import { checkTags } from './tagging';
import type { DistributionConfig, Tag } from './types';

export { CLOUDFRONT_NS } from './common';

export { distributionArn, distributionStatus, type DistributionRow };

function inProgressInvalidations(ctx: RequestContext, id: string): number {
  const r = ctx.env.db
    .prepare('SELECT COUNT(*) AS n FROM cloudfront_invalidations WHERE distribution_id = ? AND completed_at_ms > ?')
    .get(id, ctx.env.now()) as { n: number };
  return r.n;
}

/** The full Distribution element, as Create/Get/Update return it. */
function distributionXml(ctx: RequestContext, row: DistributionRow): string {
  const value: Obj = {
    Id: row.id,
    ARN: distributionArn(ctx.env.accountId, row.id),
    Status: distributionStatus(row, ctx.env.now()),
    LastModifiedTime: row.last_modified_ms,
    InProgressInvalidationBatches: inProgressInvalidations(ctx, row.id),
    DomainName: row.domain_name,
    ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
    ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
    DistributionConfig: configOf(row),
  };
  return encodeRoot(DistributionShape, value);
}

function distributionReply(ctx: RequestContext, row: DistributionRow, status = 200): Reply {
  const headers: Record<string, string> = { ETag: row.etag };
  if (status === 201) headers.Location = `${PUBLIC_ENDPOINT}${API}/distribution/${row.id}`;
  return { status, headers, xml: distributionXml(ctx, row) };
}

function writeConfig(config: DistributionConfig): { json: string; xml: string } {
  return { json: JSON.stringify(config), xml: encode(DistributionConfigShape, config, 'DistributionConfig') };
}

/** Stores a new distribution (also used by the seed); refuses a CallerReference seen before. */
export function insertDistribution(env: RequestContext['env'], config: DistributionConfig, tags: Tag[]): DistributionRow {
  const db = env.db;
  const row = db
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
      const stored = writeConfig(config);
      const r: DistributionRow = {
        id: newId(),
        caller_reference: config.CallerReference,
        domain_name: newDomainName(),
        etag: newEtag(),
        last_modified_ms: now,
        deployed_at_ms: now + env.deployDelayMs,
        enabled: config.Enabled ? 1 : 0,
        config_xml: stored.xml,
        summary_xml: '',
        config_json: stored.json,
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
  return row;
}

function createDistribution(ctx: RequestContext, config: DistributionConfig, tags: Tag[]): Reply {
  return distributionReply(ctx, insertDistribution(ctx.env, config, tags), 201);
}

export function createDistributionHandler(ctx: RequestContext): Reply {
  const config = readBody(ctx, 'DistributionConfig', DistributionConfigShape) as unknown as DistributionConfig;
  return createDistribution(ctx, config, []);
}

export function createDistributionWithTagsHandler(ctx: RequestContext): Reply {
  const body = readBody(ctx, 'DistributionConfigWithTags', DistributionConfigWithTagsShape);
  const tags = ((body.Tags as { Items?: Tag[] }).Items ?? []);
  checkTags(tags);
  return createDistribution(ctx, body.DistributionConfig as DistributionConfig, tags);
}

export function getDistributionHandler(ctx: RequestContext): Reply {
  return distributionReply(ctx, requireDistribution(ctx.env.db, ctx.params.Id ?? ''));
}

export function getDistributionConfigHandler(ctx: RequestContext): Reply {
  const row = requireDistribution(ctx.env.db, ctx.params.Id ?? '');
  return { headers: { ETag: row.etag }, xml: encodeRoot(DistributionConfigShape, configOf(row)) };
}

export function updateDistributionHandler(ctx: RequestContext): Reply {
  const db = ctx.env.db;
  const id = ctx.params.Id ?? '';
  const row = db
    .transaction(() => {
      const current = requireDistribution(db, id);
      checkIfMatch(ctx, current.etag);
      const config = readBody(ctx, 'DistributionConfig', DistributionConfigShape) as unknown as DistributionConfig;
      if (config.CallerReference !== current.caller_reference) {
        throw new AwsError('IllegalUpdate', 'The CallerReference of a distribution cannot be changed.', 400);
      }
      // The whole config is replaced: members left out go back to their defaults.
      applyDefaults(config);
      validateConfig(db, config, id);
      const now = ctx.env.now();
      const stored = writeConfig(config);
      const next: DistributionRow = {
        ...current,
        etag: newEtag(),
        last_modified_ms: now,
        deployed_at_ms: now + ctx.env.deployDelayMs,
        enabled: config.Enabled ? 1 : 0,
        config_xml: stored.xml,
        config_json: stored.json,
      };
      db.prepare(
        `UPDATE cloudfront_distributions SET etag = @etag, last_modified_ms = @last_modified_ms, deployed_at_ms = @deployed_at_ms,
           enabled = @enabled, config_xml = @config_xml, config_json = @config_json WHERE id = @id`,
      ).run(next);
      return next;
    })
    .immediate();
  return distributionReply(ctx, row);
}

export function deleteDistributionHandler(ctx: RequestContext): Reply {
  const db = ctx.env.db;
  db.transaction(() => {
    const row = requireDistribution(db, ctx.params.Id ?? '');
    checkIfMatch(ctx, row.etag);
    if (row.enabled || distributionStatus(row, ctx.env.now()) !== 'Deployed') {
      throw new AwsError(
        'DistributionNotDisabled',
        'The distribution you are trying to delete has not been disabled, or the change that disabled it is still InProgress. Disable it, wait until its status is Deployed, and try again.',
        409,
      );
    }
    db.prepare('DELETE FROM cloudfront_distributions WHERE id = ?').run(row.id);
  }).immediate();
  return { status: 204 };
}

function summaryXml(ctx: RequestContext, row: DistributionRow): string {
  const c = configOf(row);
  const value: Obj = {
    ...c,
    Id: row.id,
    ARN: distributionArn(ctx.env.accountId, row.id),
    ETag: row.etag,
    Status: distributionStatus(row, ctx.env.now()),
    LastModifiedTime: row.last_modified_ms,
    DomainName: row.domain_name,
    Staging: c.Staging ?? false,
  };
  return encode(DistributionSummaryShape, value, 'DistributionSummary');
}

export function listDistributionsHandler(ctx: RequestContext): Reply {
  const { marker, maxItems } = paging(ctx);
  const rows = ctx.env.db
    .prepare('SELECT * FROM cloudfront_distributions WHERE id > ? ORDER BY id LIMIT ?')
    .all(marker, maxItems + 1) as DistributionRow[];
  const page = rows.slice(0, maxItems);
  const truncated = rows.length > maxItems;
  const last = page.at(-1);
  const items = page.map((r) => summaryXml(ctx, r)).join('');
  return { xml: listXml('DistributionList', marker, maxItems, truncated, last?.id, page.length, items) };
}
