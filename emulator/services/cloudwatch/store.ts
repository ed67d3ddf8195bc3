import type Database from 'better-sqlite3';
import type { EmulatorEnv } from '../../core/types';

/**
 * CloudWatch's metric store. Data points are aggregated on write into
 * one-minute buckets per metric and unit (sample count, sum, minimum,
 * maximum), which is what CloudWatch itself keeps at standard resolution and
 * all that Sum, Average, Minimum, Maximum and SampleCount need. Percentiles
 * would need the raw values; they are not kept (see emulator/README.md).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Statistic
 */

export const CLOUDWATCH_MIGRATIONS: readonly string[] = [
  `CREATE TABLE cloudwatch_metrics (
     id INTEGER PRIMARY KEY,
     region TEXT NOT NULL,
     namespace TEXT NOT NULL,
     metric_name TEXT NOT NULL,
     -- canonical JSON [[name, value], ...] sorted by name: a metric is its exact set of dimensions
     dimensions TEXT NOT NULL,
     last_point_ms INTEGER NOT NULL,
     UNIQUE (region, namespace, metric_name, dimensions)
   );
   CREATE TABLE cloudwatch_points (
     metric_id INTEGER NOT NULL REFERENCES cloudwatch_metrics (id) ON DELETE CASCADE,
     minute_ms INTEGER NOT NULL,
     unit TEXT NOT NULL,
     sample_count REAL NOT NULL,
     sum REAL NOT NULL,
     minimum REAL NOT NULL,
     maximum REAL NOT NULL,
     PRIMARY KEY (metric_id, minute_ms, unit)
   ) WITHOUT ROWID;
   CREATE INDEX cloudwatch_points_by_time ON cloudwatch_points (minute_ms);
   -- Running totals of every bucket's stored bytes and objects per storage
   -- class, kept by triggers on s3_objects (storage-metrics.ts), so a daily
   -- sample reads a few rows instead of every object version.
   CREATE TABLE cloudwatch_s3_totals (
     bucket TEXT NOT NULL,
     storage_class TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     objects INTEGER NOT NULL,
     PRIMARY KEY (bucket, storage_class)
   );
   CREATE TABLE cloudwatch_s3_samples (
     day_ms INTEGER NOT NULL,
     bucket TEXT NOT NULL,
     PRIMARY KEY (day_ms, bucket)
   );`,
];

/** How long data points are kept: a month of charts and a margin. CloudWatch keeps minutes for 15 days and hours for 15 months; see README. */
export const RETENTION_MS = 35 * 24 * 3600 * 1000;
export const MINUTE_MS = 60_000;

export interface DimensionPair {
  Name: string;
  Value: string;
}

export function dimensionsKey(dims: readonly DimensionPair[]): string {
  return JSON.stringify([...dims].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0)).map((d) => [d.Name, d.Value]));
}

export function dimensionsOf(key: string): DimensionPair[] {
  return (JSON.parse(key) as [string, string][]).map(([Name, Value]) => ({ Name, Value }));
}

/** Databases whose schema includes the metric tables (the service is part of this emulator). */
const ready = new WeakSet<Database.Database>();

export function markReady(db: Database.Database): void {
  ready.add(db);
}

export interface Sample {
  count: number;
  sum: number;
  min: number;
  max: number;
}

let writesSincePrune = 0;

/**
 * Adds a statistic set to a metric's one-minute bucket. Services call this
 * for what they serve (registry pulls, edge requests); PutMetricData for
 * custom metrics. A no-op when CloudWatch is not among the emulated services.
 */
export function putSample(
  env: EmulatorEnv,
  region: string,
  namespace: string,
  metricName: string,
  dims: readonly DimensionPair[],
  unit: string,
  atMs: number,
  s: Sample,
): void {
  const db = env.db;
  if (!ready.has(db)) return;
  const key = dimensionsKey(dims);
  const minute = Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
  db.prepare(
    `INSERT INTO cloudwatch_metrics (region, namespace, metric_name, dimensions, last_point_ms) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (region, namespace, metric_name, dimensions) DO UPDATE SET last_point_ms = MAX(last_point_ms, excluded.last_point_ms)`,
  ).run(region, namespace, metricName, key, minute);
  const id = (
    db.prepare('SELECT id FROM cloudwatch_metrics WHERE region = ? AND namespace = ? AND metric_name = ? AND dimensions = ?').get(region, namespace, metricName, key) as {
      id: number;
    }
  ).id;
  db.prepare(
    `INSERT INTO cloudwatch_points (metric_id, minute_ms, unit, sample_count, sum, minimum, maximum) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (metric_id, minute_ms, unit) DO UPDATE SET
       sample_count = sample_count + excluded.sample_count, sum = sum + excluded.sum,
       minimum = MIN(minimum, excluded.minimum), maximum = MAX(maximum, excluded.maximum)`,
  ).run(id, minute, unit, s.count, s.sum, s.min, s.max);
  if (++writesSincePrune >= 1000) {
    writesSincePrune = 0;
    prune(env);
  }
}

/** One value, as a single data point. */
export function putValue(env: EmulatorEnv, region: string, namespace: string, metricName: string, dims: readonly DimensionPair[], unit: string, atMs: number, value: number): void {
  putSample(env, region, namespace, metricName, dims, unit, atMs, { count: 1, sum: value, min: value, max: value });
}

/** Drops data points past the retention, and metrics left with none. */
export function prune(env: EmulatorEnv): void {
  const cutoff = env.now() - RETENTION_MS;
  env.db.prepare('DELETE FROM cloudwatch_points WHERE minute_ms < ?').run(cutoff);
  env.db.prepare('DELETE FROM cloudwatch_metrics WHERE last_point_ms < ?').run(cutoff);
  env.db.prepare('DELETE FROM cloudwatch_s3_samples WHERE day_ms < ?').run(cutoff);
}

export interface MetricRow {
  id: number;
  region: string;
  namespace: string;
  metric_name: string;
  dimensions: string;
}

export function findMetric(db: Database.Database, region: string, namespace: string, metricName: string, dims: readonly DimensionPair[]): MetricRow | undefined {
  return db
    .prepare('SELECT id, region, namespace, metric_name, dimensions FROM cloudwatch_metrics WHERE region = ? AND namespace = ? AND metric_name = ? AND dimensions = ?')
    .get(region, namespace, metricName, dimensionsKey(dims)) as MetricRow | undefined;
}

export interface Bucket {
  /** Index of the period from the start time. */
  k: number;
  unit: string;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * A metric's data points between `fromMs` (inclusive) and `endMs`
 * (exclusive), aggregated into periods counted from `startMs`; per unit, or
 * all units together when `byUnit` is false.
 */
export function aggregate(
  db: Database.Database,
  metricId: number,
  startMs: number,
  fromMs: number,
  endMs: number,
  periodMs: number,
  unit: string | undefined,
  byUnit: boolean,
): Bucket[] {
  const unitClause = unit === undefined ? '' : ' AND unit = @unit';
  const rows = db
    .prepare(
      `SELECT CAST((minute_ms - @start) / @period AS INTEGER) AS k, ${byUnit ? 'unit' : "'' AS unit"},
              SUM(sample_count) AS count, SUM(sum) AS sum, MIN(minimum) AS min, MAX(maximum) AS max
       FROM cloudwatch_points
       WHERE metric_id = @id AND minute_ms >= @from AND minute_ms < @end${unitClause}
       GROUP BY k${byUnit ? ', unit' : ''}
       ORDER BY k`,
    )
    .all({ id: metricId, start: startMs, from: fromMs, end: endMs, period: periodMs, ...(unit === undefined ? {} : { unit }) }) as Bucket[];
  return rows;
}

/** Units a metric has points in, within a time range. */
export function unitsOf(db: Database.Database, metricId: number, startMs: number, endMs: number): string[] {
  return db
    .prepare('SELECT DISTINCT unit FROM cloudwatch_points WHERE metric_id = ? AND minute_ms >= ? AND minute_ms < ?')
    .pluck()
    .all(metricId, startMs, endMs) as string[];
}

export function listMetricRows(db: Database.Database, region: string, sinceMs: number, afterId: number, namespace?: string, metricName?: string): MetricRow[] {
  return db
    .prepare(
      `SELECT id, region, namespace, metric_name, dimensions FROM cloudwatch_metrics
       WHERE region = @region AND last_point_ms >= @since AND id > @after
         AND (@namespace IS NULL OR namespace = @namespace) AND (@name IS NULL OR metric_name = @name)
       ORDER BY id`,
    )
    .all({ region, since: sinceMs, after: afterId, namespace: namespace ?? null, name: metricName ?? null }) as MetricRow[];
}
