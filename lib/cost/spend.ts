import 'server-only';
import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { costExplorerClient, endpointFor } from '@/lib/aws/clients';
import { describeAwsError, type AwsProblem } from '@/lib/aws/errors';

// Month-to-date spend per service from Cost Explorer. Each GetCostAndUsage
// request is billed ($0.01 each, https://aws.amazon.com/aws-cost-management/aws-cost-explorer/pricing/),
// and Cost Explorer refreshes its data a few times a day, so Berth asks once
// per six hours for everyone and keeps the answer in memory. One request: the
// month so far, one MONTHLY period, grouped by SERVICE, UnblendedCost.
// https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html

export const SPEND_KEEP_MS = 6 * 3_600_000;
const KEEP_REFUSAL_MS = 10 * 60_000;

export interface ServiceSpend {
  service: string;
  usd: number;
}

export type MonthToDate =
  | { ok: true; start: string; end: string; services: ServiceSpend[]; totalUsd: number; estimated: boolean; readAt: number }
  | { ok: false; problem: AwsProblem; readAt: number };

let kept: { at: number; keepMs: number; key: string; value: MonthToDate } | undefined;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The month so far as Cost Explorer's period: from the 1st (UTC) to tomorrow, end exclusive. */
export function monthToDatePeriod(nowMs: number): { start: string; end: string } {
  const d = new Date(nowMs);
  const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const tomorrow = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  return { start: day(first), end: day(tomorrow) };
}

/** Which of Berth's three services a Cost Explorer SERVICE value is. */
export function berthServiceOf(name: string): 'ecr' | 's3' | 'cloudfront' | undefined {
  if (/Container Registry/i.test(name)) return 'ecr';
  if (/Simple Storage Service/i.test(name)) return 's3';
  if (/CloudFront/i.test(name)) return 'cloudfront';
  return undefined;
}

async function ask(start: string, end: string): Promise<MonthToDate> {
  const out = await costExplorerClient().send(
    new GetCostAndUsageCommand({
      TimePeriod: { Start: start, End: end },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    }),
  );
  const byService = new Map<string, number>();
  let estimated = false;
  for (const r of out.ResultsByTime ?? []) {
    estimated ||= Boolean(r.Estimated);
    for (const g of r.Groups ?? []) {
      const name = g.Keys?.[0] ?? 'Unknown';
      byService.set(name, (byService.get(name) ?? 0) + Number(g.Metrics?.UnblendedCost?.Amount ?? 0));
    }
  }
  const services = [...byService.entries()].map(([service, usd]) => ({ service, usd })).sort((a, b) => b.usd - a.usd);
  return { ok: true, start, end, services, totalUsd: services.reduce((n, s) => n + s.usd, 0), estimated, readAt: Date.now() };
}

/** Month-to-date spend for the whole account (Cost Explorer is not regional), kept six hours. */
export async function monthToDateSpend(opts: { fresh?: boolean } = {}): Promise<MonthToDate> {
  const { start, end } = monthToDatePeriod(Date.now());
  const key = `${start}/${end}`;
  if (!opts.fresh && kept && kept.key === key && Date.now() - kept.at < kept.keepMs) return kept.value;
  // Each request is billed: views arriving while one is on its way share it.
  if (!opts.fresh && asking?.key === key) return asking.value;
  const value = readSpend(start, end, key);
  asking = { key, value };
  try {
    return await value;
  } finally {
    if (asking?.value === value) asking = undefined;
  }
}

let asking: { key: string; value: Promise<MonthToDate> } | undefined;

async function readSpend(start: string, end: string, key: string): Promise<MonthToDate> {
  let value: MonthToDate;
  let keepMs = SPEND_KEEP_MS;
  try {
    value = await ask(start, end);
  } catch (err) {
    value = { ok: false, problem: describeAwsError(err, { service: 'COST_EXPLORER', endpoint: endpointFor('COST_EXPLORER', 'us-east-1'), action: 'ce:GetCostAndUsage' }), readAt: Date.now() };
    keepMs = KEEP_REFUSAL_MS;
  }
  kept = { at: Date.now(), keepMs, key, value };
  return value;
}
