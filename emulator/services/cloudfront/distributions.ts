import { AwsError } from '../../core/errors';
import type { Reply, RequestContext } from '../../core/types';
import { isoTime, leaf, node } from '../../core/xml';

export const CLOUDFRONT_NS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

export interface DistributionRow {
  id: string;
  caller_reference: string;
  domain_name: string;
  etag: string;
  last_modified_ms: number;
  deployed_at_ms: number;
  enabled: number;
  config_xml: string;
  summary_xml: string;
}

/** Changes take effect after the configured delay, as CloudFront's real propagation does. */
export function distributionStatus(row: DistributionRow, now: number): 'InProgress' | 'Deployed' {
  return now < row.deployed_at_ms ? 'InProgress' : 'Deployed';
}

export function distributionArn(accountId: string, id: string): string {
  return `arn:aws:cloudfront::${accountId}:distribution/${id}`;
}

function summaryXml(ctx: RequestContext, row: DistributionRow): string {
  return node(
    'DistributionSummary',
    leaf('Id', row.id) +
      leaf('ARN', distributionArn(ctx.env.accountId, row.id)) +
      leaf('ETag', row.etag) +
      leaf('Status', distributionStatus(row, ctx.env.now())) +
      leaf('LastModifiedTime', isoTime(row.last_modified_ms)) +
      leaf('DomainName', row.domain_name) +
      row.summary_xml,
  );
}

const DEFAULT_MAX_ITEMS = 100;

export function listDistributionsHandler(ctx: RequestContext): Reply {
  const marker = ctx.query.get('Marker') ?? '';
  const rawMax = ctx.query.get('MaxItems');
  let maxItems = DEFAULT_MAX_ITEMS;
  if (rawMax !== null && rawMax !== '') {
    if (!/^\d+$/.test(rawMax)) throw new AwsError('InvalidArgument', 'MaxItems must be a positive integer.');
    // CloudFront caps a page at 100 whatever is asked for.
    maxItems = Math.min(Math.max(Number(rawMax), 1), DEFAULT_MAX_ITEMS);
  }
  const rows = ctx.env.db
    .prepare('SELECT * FROM cloudfront_distributions WHERE id > ? ORDER BY id LIMIT ?')
    .all(marker, maxItems + 1) as DistributionRow[];
  const page = rows.slice(0, maxItems);
  const truncated = rows.length > maxItems;
  const last = page.at(-1);
  const items = page.map((r) => summaryXml(ctx, r)).join('');
  const xml = node(
    'DistributionList',
    leaf('Marker', marker) +
      (truncated && last ? leaf('NextMarker', last.id) : '') +
      leaf('MaxItems', maxItems) +
      leaf('IsTruncated', truncated) +
      leaf('Quantity', page.length) +
      (page.length > 0 ? node('Items', items) : ''),
    { xmlns: CLOUDFRONT_NS },
  );
  return { xml };
}
