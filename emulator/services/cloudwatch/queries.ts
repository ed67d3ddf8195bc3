import type { EmulatorEnv } from '../../core/types';
import { AwsError } from '../../core/errors';
import { aggregate, findMetric, type Bucket, type DimensionPair } from './store';

/**
 * The arithmetic of GetMetricStatistics and GetMetricData: how CloudWatch
 * rounds the start time, which periods it accepts, which data it still has
 * at a resolution, and what each statistic is.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */

const DAY_MS = 86_400_000;

export const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type BasicStatistic = (typeof BASIC_STATISTICS)[number];

export function isBasicStatistic(s: string): s is BasicStatistic {
  return (BASIC_STATISTICS as readonly string[]).includes(s);
}

export function invalidValue(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message, 400);
}

export function invalidCombination(message: string): AwsError {
  return new AwsError('InvalidParameterCombination', message, 400);
}

/** Periods of 1, 5, 10, 20 and 30 seconds (high resolution) or any multiple of 60. */
export function checkPeriod(period: number, where: string): void {
  if (!Number.isInteger(period) || period < 1 || (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 20, 30].includes(period))) {
    throw invalidValue(`The parameter ${where} must be 1, 5, 10, 20, 30, or a multiple of 60.`);
  }
}

/**
 * "Start time less than 15 days ago - Round down to the nearest whole minute.
 * Between 15 and 63 days ago - round down to the nearest 5-minute clock
 * interval. Greater than 63 days ago - round down to the nearest 1-hour clock
 * interval."
 */
export function roundStart(startMs: number, nowMs: number): number {
  const age = nowMs - startMs;
  const step = age > 63 * DAY_MS ? 3_600_000 : age > 15 * DAY_MS ? 300_000 : 60_000;
  return Math.floor(startMs / step) * step;
}

/**
 * The oldest time whose data a period can still read: one-minute data is
 * kept 15 days, five-minute data 63 days, and beyond that only whole hours.
 * A period that is not a multiple of the coarser resolution sees nothing past
 * the finer one's horizon.
 */
export function horizon(periodSec: number, nowMs: number): number {
  if (periodSec % 3600 === 0) return 0;
  if (periodSec % 300 === 0) return nowMs - 63 * DAY_MS;
  return nowMs - 15 * DAY_MS;
}

export function statValue(b: Bucket, stat: BasicStatistic): number {
  switch (stat) {
    case 'SampleCount':
      return b.count;
    case 'Sum':
      return b.sum;
    case 'Minimum':
      return b.min;
    case 'Maximum':
      return b.max;
    case 'Average':
      return b.count === 0 ? 0 : b.sum / b.count;
  }
}

export interface MetricQuery {
  region: string;
  namespace: string;
  metricName: string;
  dimensions: DimensionPair[];
  startMs: number;
  endMs: number;
  periodSec: number;
  unit?: string;
  byUnit: boolean;
}

/** A metric's periods that hold data, each with its time stamp. */
export function periods(env: EmulatorEnv, q: MetricQuery): { at: number; bucket: Bucket }[] {
  const metric = findMetric(env.db, q.region, q.namespace, q.metricName, q.dimensions);
  if (!metric) return [];
  const now = env.now();
  const start = roundStart(q.startMs, now);
  const periodMs = q.periodSec * 1000;
  // Data older than the period's resolution allows is gone; so are whole periods before that.
  const from = Math.max(start, horizon(q.periodSec, now));
  if (from >= q.endMs) return [];
  return aggregate(env.db, metric.id, start, from, q.endMs, periodMs, q.unit, q.byUnit).map((b) => ({ at: start + b.k * periodMs, bucket: b }));
}
