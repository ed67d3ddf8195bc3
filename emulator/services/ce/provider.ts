import type { CostExplorer } from '@aws-sdk/client-cost-explorer';
import { AwsError } from '../../core/errors';
import type { RequestContext } from '../../core/types';
import type { Providers } from '../../core/wire/service';
import { accrued, usageItems, type UsageItem } from './usage';

/**
 * Cost Explorer's GetCostAndUsage over the emulator's own estimate of what it
 * stores, has stored and served at its edge (usage.ts). Every period is `Estimated` until its month has ended,
 * as Cost Explorer marks a month that is still being billed.
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html
 */

type Input = Parameters<CostExplorer['getCostAndUsage']>[0];
type Expression = NonNullable<Input['Filter']>;

const METRICS = ['AmortizedCost', 'BlendedCost', 'NetAmortizedCost', 'NetUnblendedCost', 'NormalizedUsageAmount', 'UnblendedCost', 'UsageQuantity'];
const COST_METRICS = new Set(['AmortizedCost', 'BlendedCost', 'NetAmortizedCost', 'NetUnblendedCost', 'UnblendedCost']);

// The dimensions AWS accepts in a GroupBy (its refusal lists them). The
// emulator has values for SERVICE, REGION, USAGE_TYPE, LINKED_ACCOUNT and
// RECORD_TYPE; the others group everything under AWS's "No<dimension>" label.
const GROUP_DIMENSIONS = [
  'AZ', 'INSTANCE_TYPE', 'LINKED_ACCOUNT', 'OPERATION', 'PURCHASE_TYPE', 'SERVICE', 'USAGE_TYPE', 'PLATFORM', 'TENANCY',
  'RECORD_TYPE', 'LEGAL_ENTITY_NAME', 'INVOICING_ENTITY', 'DEPLOYMENT_OPTION', 'DATABASE_ENGINE', 'CACHE_ENGINE',
  'INSTANCE_TYPE_FAMILY', 'REGION', 'BILLING_ENTITY', 'RESERVATION_ID', 'SAVINGS_PLANS_TYPE', 'SAVINGS_PLAN_ARN', 'OPERATING_SYSTEM',
];

const DAY = 86_400_000;

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

function parseDate(value: string | undefined, which: 'Start' | 'End'): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  // A date like 2026-02-30 rolls over in Date.UTC: compare back to refuse it.
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw validation(`${which} date ${JSON.stringify(value ?? '')} is not a valid date in the yyyy-MM-dd format.`);
  }
  return ms;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function monthStart(ms: number, add = 0): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1);
}

/** The periods of the answer: days, or calendar months clipped to the window. */
function periods(start: number, end: number, granularity: string): [number, number][] {
  const out: [number, number][] = [];
  for (let a = start; a < end; ) {
    const b = Math.min(end, granularity === 'DAILY' ? a + DAY : monthStart(a, 1));
    out.push([a, b]);
    a = b;
  }
  return out;
}

/**
 * Amounts as Cost Explorer writes them: a decimal string, never an exponent,
 * to ten decimals; an amount smaller than that (seconds of a small image's
 * storage) keeps its first significant digits instead of reading as nothing.
 */
function amount(n: number): string {
  if (n === 0) return '0';
  const decimals = Math.max(10, Math.min(20, 3 - Math.floor(Math.log10(Math.abs(n)))));
  return n.toFixed(decimals).replace(/0+$/, '').replace(/\.$/, '');
}

function dimensionValue(s: UsageItem, key: string, accountId: string): string {
  switch (key) {
    case 'SERVICE':
      return s.service;
    case 'REGION':
      return s.region;
    case 'USAGE_TYPE':
      return s.usageType;
    case 'LINKED_ACCOUNT':
      return accountId;
    case 'RECORD_TYPE':
      return 'Usage';
    default:
      return `No${key.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}`;
  }
}

function matches(s: UsageItem, e: Expression, accountId: string): boolean {
  if (e.And) return e.And.every((x) => matches(s, x, accountId));
  if (e.Or) return e.Or.some((x) => matches(s, x, accountId));
  if (e.Not) return !matches(s, e.Not, accountId);
  if (e.Dimensions) {
    const v = dimensionValue(s, e.Dimensions.Key ?? '', accountId);
    const values = e.Dimensions.Values ?? [];
    const options = e.Dimensions.MatchOptions ?? ['EQUALS'];
    if (options.includes('ABSENT')) return false;
    if (options.includes('CASE_INSENSITIVE')) return values.some((x) => x.toLowerCase() === v.toLowerCase());
    if (options.includes('STARTS_WITH')) return values.some((x) => v.startsWith(x));
    if (options.includes('ENDS_WITH')) return values.some((x) => v.endsWith(x));
    if (options.includes('CONTAINS')) return values.some((x) => v.includes(x));
    return values.includes(v);
  }
  // Nothing the emulator stores carries cost allocation tags or categories.
  if (e.Tags || e.CostCategories) return (e.Tags?.MatchOptions ?? e.CostCategories?.MatchOptions ?? []).includes('ABSENT');
  throw validation('Expression must contain exactly one of And, Or, Not, Dimensions, Tags or CostCategories.');
}

function checkExpression(e: Expression): void {
  const set = [e.And, e.Or, e.Not, e.Dimensions, e.Tags, e.CostCategories].filter((x) => x !== undefined).length;
  if (set !== 1) throw validation('Expression must contain exactly one of And, Or, Not, Dimensions, Tags or CostCategories.');
  for (const x of [...(e.And ?? []), ...(e.Or ?? []), ...(e.Not ? [e.Not] : [])]) checkExpression(x);
  if (e.Dimensions && !GROUP_DIMENSIONS.includes(e.Dimensions.Key ?? '')) {
    throw validation(`Dimension ${e.Dimensions.Key} is not allowed. Valid values are ${GROUP_DIMENSIONS.join(', ')}.`);
  }
}

function getCostAndUsage(input: Input, ctx: RequestContext) {
  const now = ctx.env.now();
  const start = parseDate(input.TimePeriod?.Start, 'Start');
  const end = parseDate(input.TimePeriod?.End, 'End');
  // Both sentences are AWS's own (seen in its answers).
  if (start >= end) throw validation('Start date (and hour) should be before end date (and hour)');
  if (end > monthStart(now, 1)) throw validation('end date past the beginning of next month');
  const granularity = input.Granularity ?? 'MONTHLY';
  // Hourly data is an opt-in Cost Explorer setting this emulated account has not turned on.
  if (granularity === 'HOURLY') throw validation('Hourly timePeriod is not supported for this request');

  const metrics = input.Metrics ?? [];
  if (metrics.length === 0) throw validation('Metrics cannot be empty.');
  const bad = metrics.filter((m) => !METRICS.includes(m));
  if (bad.length > 0) throw validation(`Invalid metrics: ${bad.join(', ')}. Valid values are ${METRICS.join(', ')}.`);

  const groupBy = input.GroupBy ?? [];
  if (groupBy.length > 2) throw validation('You can group by at most two dimensions, tags or cost categories.');
  for (const g of groupBy) {
    if (!g.Type || !g.Key) throw validation('Group Definition is invalid. Both type an key need to be set to a non-empty value.');
    if (!['DIMENSION', 'TAG', 'COST_CATEGORY'].includes(g.Type)) throw validation('Group Definition type is invalid.');
    if (g.Type === 'DIMENSION' && !GROUP_DIMENSIONS.includes(g.Key)) {
      throw validation(`Group Definition dimension is invalid. Valid values are ${GROUP_DIMENSIONS.join(', ')}.`);
    }
  }
  if (input.Filter) checkExpression(input.Filter);
  if (input.NextPageToken !== undefined) {
    // Every answer fits one page, so no token was ever handed out.
    throw new AwsError('InvalidNextTokenException', 'The pagination token is invalid.', 400);
  }

  const accountId = ctx.env.accountId;
  const stored = usageItems(ctx.env.db, start, end).filter((s) => !input.Filter || matches(s, input.Filter, accountId));
  const keyOf = (s: UsageItem) =>
    groupBy.map((g) => (g.Type === 'DIMENSION' ? dimensionValue(s, g.Key!, accountId) : `${g.Key}$`));

  const metricValues = (usd: number, quantity: number) =>
    Object.fromEntries(
      metrics.map((m) => {
        if (COST_METRICS.has(m)) return [m, { Amount: amount(usd), Unit: 'USD' }];
        // Usage adds up only within one usage type; across types AWS writes N/A as the unit.
        if (m === 'UsageQuantity') return [m, { Amount: amount(quantity), Unit: 'N/A' }];
        return [m, { Amount: '0', Unit: 'N/A' }];
      }),
    );

  const ResultsByTime = periods(start, end, granularity).map(([a, b]) => {
    const estimated = b > monthStart(now) || a >= monthStart(now);
    const TimePeriod = { Start: day(a), End: day(b) };
    if (groupBy.length === 0) {
      let usd = 0;
      let gb = 0;
      for (const s of stored) {
        const x = accrued(s, a, b, now);
        usd += x.usd;
        gb += x.quantity;
      }
      return { TimePeriod, Total: metricValues(usd, gb), Groups: [], Estimated: estimated };
    }
    const groups = new Map<string, { keys: string[]; usd: number; gb: number }>();
    for (const s of stored) {
      const x = accrued(s, a, b, now);
      if (x.usd === 0 && x.quantity === 0) continue;
      const keys = keyOf(s);
      const g = groups.get(keys.join('\u0000')) ?? { keys, usd: 0, gb: 0 };
      g.usd += x.usd;
      g.gb += x.quantity;
      groups.set(keys.join('\u0000'), g);
    }
    const Groups = [...groups.values()]
      .sort((x, y) => x.keys.join().localeCompare(y.keys.join()))
      .map((g) => ({ Keys: g.keys, Metrics: metricValues(g.usd, g.gb) }));
    return { TimePeriod, Total: {}, Groups, Estimated: estimated };
  });

  return {
    ...(groupBy.length > 0 ? { GroupDefinitions: groupBy.map((g) => ({ Type: g.Type, Key: g.Key })) } : {}),
    ResultsByTime,
    DimensionValueAttributes: [],
  };
}

export const providers: Providers<CostExplorer> = {
  GetCostAndUsage: (input, ctx) => getCostAndUsage(input, ctx),
};
