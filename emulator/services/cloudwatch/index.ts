import type { CloudWatch, Datapoint, MetricDataResult, StandardUnit } from '@aws-sdk/client-cloudwatch';
import * as schemas from '@aws-sdk/client-cloudwatch/dist-es/schemas/schemas_0.js';
import { applyMigrations } from '../../core/db';
import { AwsError } from '../../core/errors';
import type { RequestContext, ServiceDefinition } from '../../core/types';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService, type Providers } from '../../core/wire/service';
import { validationMessage } from '../../core/wire/validate';
import {
  BASIC_STATISTICS,
  checkPeriod,
  invalidCombination,
  invalidValue,
  isBasicStatistic,
  periods,
  roundStart,
  statValue,
  type BasicStatistic,
} from './queries';
import { installStorageTriggers, sampleStorageIfDue } from './storage-metrics';
import { CLOUDWATCH_MIGRATIONS, dimensionsOf, listMetricRows, markReady, putSample, type DimensionPair } from './store';

/**
 * Amazon CloudWatch metrics: PutMetricData, ListMetrics,
 * GetMetricStatistics and GetMetricData over the metric store, which the
 * other services feed with what they really serve (store.ts callers: ECR's
 * registry pulls, CloudFront's edge, S3's daily storage samples).
 *
 * CloudWatch speaks two protocols to today's clients: the SDK's model
 * carries awsJson1_0 with awsQueryCompatible (the v3 SDK sends JSON 1.0 with
 * X-Amz-Target GraniteServiceVersion20100801.*), while botocore's model in
 * Debian's AWS CLI v2 says `query`. Both are answered here, from the one
 * model, and RPC v2 CBOR as well for clients configured with it.
 */

const model = loadServiceModel(schemas, {
  protocol: 'awsQuery',
  version: '2010-08-01',
  targetPrefix: 'GraniteServiceVersion20100801',
  serviceName: 'GraniteServiceVersion20100801',
  xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
});

/** https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html */
const STANDARD_UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count',
  'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second',
  'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

/** AWS's limits: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html */
const MAX_METRIC_DATA = 1000;
const MAX_DIMENSIONS = 30;
const MAX_QUERIES = 500;
const MAX_DATAPOINTS_PER_CALL = 100_800;
const MAX_STATISTICS_DATAPOINTS = 1440;
const LIST_PAGE = 500;
const TWO_WEEKS_MS = 14 * 86_400_000;
const TWO_HOURS_MS = 2 * 3_600_000;

function checkUnit(unit: string | undefined, where: string): void {
  if (unit !== undefined && !STANDARD_UNITS.has(unit)) {
    throw invalidValue(`The parameter ${where} must be a value in the set [ ${[...STANDARD_UNITS].join(', ')} ].`);
  }
}

function dims(list: { Name?: string; Value?: string }[] | undefined, where: string): DimensionPair[] {
  const out = (list ?? []).map((d, i) => {
    if (!d.Name || d.Value === undefined) throw new AwsError('MissingParameter', `The parameter ${where}.member.${i + 1}.${d.Name ? 'Value' : 'Name'} is required.`, 400);
    return { Name: d.Name, Value: d.Value };
  });
  if (out.length > MAX_DIMENSIONS) throw invalidValue(`The collection ${where} must not have a size greater than ${MAX_DIMENSIONS}.`);
  return out;
}

function time(d: Date | undefined): number {
  return d instanceof Date ? d.getTime() : Number.NaN;
}

function checkRange(startMs: number, endMs: number): void {
  if (!(startMs < endMs)) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
}

function token(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function untoken<T>(raw: string | undefined, check: (v: unknown) => v is T): T | undefined {
  if (raw === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (check(v)) return v;
  } catch {
    // falls through to the error below
  }
  throw new AwsError('InvalidNextToken', 'The service returned an error: NextToken is invalid.', 400);
}

const isSkipToken = (v: unknown): v is { skip: number } =>
  typeof v === 'object' && v !== null && Number.isInteger((v as { skip?: unknown }).skip) && (v as { skip: number }).skip >= 0;
const isAfterToken = (v: unknown): v is { after: number } =>
  typeof v === 'object' && v !== null && Number.isInteger((v as { after?: unknown }).after);

/** Every read of AWS/S3 sees today's storage sample (storage-metrics.ts). */
function beforeRead(ctx: RequestContext): void {
  sampleStorageIfDue(ctx.env);
}

const read = (name: string) => ({ iamAction: `cloudwatch:${name}` });

const providers: Providers<CloudWatch> = {
  /** https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html */
  PutMetricData: {
    iamAction: 'cloudwatch:PutMetricData',
    handler(input, ctx) {
      const namespace = input.Namespace!;
      if (namespace.startsWith('AWS/')) throw invalidValue(`The value ${namespace} for parameter Namespace is invalid.`);
      const data = input.MetricData ?? [];
      if (data.length > MAX_METRIC_DATA) throw invalidValue(`The collection MetricData must not have a size greater than ${MAX_METRIC_DATA}.`);
      const now = ctx.env.now();
      const writes: (() => void)[] = [];
      data.forEach((d, i) => {
        const where = `MetricData.member.${i + 1}`;
        const unit = d.Unit ?? 'None';
        checkUnit(d.Unit, `${where}.Unit`);
        const at = d.Timestamp ? d.Timestamp.getTime() : now;
        if (at < now - TWO_WEEKS_MS || at > now + TWO_HOURS_MS) {
          throw invalidValue(`The parameter ${where}.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.`);
        }
        const dimensions = dims(d.Dimensions, `${where}.Dimensions`);
        const given = [d.Value !== undefined, d.StatisticValues !== undefined, d.Values !== undefined].filter(Boolean).length;
        if (given > 1) throw invalidCombination(`The parameters ${where}.Value, ${where}.StatisticValues and ${where}.Values are mutually exclusive and you have specified more than one.`);
        const put = (count: number, sum: number, min: number, max: number) => () =>
          putSample(ctx.env, ctx.region, namespace, d.MetricName!, dimensions, unit, at, { count, sum, min, max });
        if (d.StatisticValues) {
          const s = d.StatisticValues;
          if (!(s.SampleCount! > 0) || s.Minimum! > s.Maximum!) throw invalidValue(`The parameter ${where}.StatisticValues is not valid.`);
          writes.push(put(s.SampleCount!, s.Sum!, s.Minimum!, s.Maximum!));
        } else if (d.Values) {
          const counts = d.Counts ?? d.Values.map(() => 1);
          if (counts.length !== d.Values.length) throw invalidValue(`The parameters ${where}.Values and ${where}.Counts must be of the same size.`);
          d.Values.forEach((v, j) => {
            if (!Number.isFinite(v)) throw invalidValue(`The value ${v} for parameter ${where}.Values.member.${j + 1} is invalid.`);
            const c = counts[j] ?? 1;
            writes.push(put(c, v * c, v, v));
          });
        } else {
          const v = d.Value ?? 0;
          if (!Number.isFinite(v)) throw invalidValue(`The value ${v} for parameter ${where}.Value is invalid.`);
          writes.push(put(1, v, v, v));
        }
      });
      // All or nothing: a bad datum anywhere refuses the whole call.
      ctx.env.db.transaction(() => writes.forEach((w) => w()))();
      return {};
    },
  },

  /** https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListMetrics.html */
  ListMetrics: {
    ...read('ListMetrics'),
    handler(input, ctx) {
      beforeRead(ctx);
      if (input.RecentlyActive !== undefined && input.RecentlyActive !== 'PT3H') {
        throw invalidValue('The parameter RecentlyActive must be a value in the set [ PT3H ].');
      }
      const after = untoken(input.NextToken, isAfterToken)?.after ?? 0;
      const now = ctx.env.now();
      // ListMetrics shows metrics with data in the last two weeks (or 3 hours).
      const since = now - (input.RecentlyActive === 'PT3H' ? 3 * 3_600_000 : TWO_WEEKS_MS);
      const filters = input.Dimensions ?? [];
      const rows = listMetricRows(ctx.env.db, ctx.region, since, after, input.Namespace, input.MetricName).filter((r) => {
        const d = dimensionsOf(r.dimensions);
        return filters.every((f) => d.some((x) => x.Name === f.Name && (f.Value === undefined || x.Value === f.Value)));
      });
      const page = rows.slice(0, LIST_PAGE);
      return {
        Metrics: page.map((r) => ({ Namespace: r.namespace, MetricName: r.metric_name, Dimensions: dimensionsOf(r.dimensions) })),
        ...(rows.length > LIST_PAGE ? { NextToken: token({ after: page[page.length - 1]!.id }) } : {}),
        ...(input.IncludeLinkedAccounts ? { OwningAccounts: page.map(() => ctx.env.accountId) } : {}),
      };
    },
  },

  /** https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html */
  GetMetricStatistics: {
    ...read('GetMetricStatistics'),
    handler(input, ctx) {
      beforeRead(ctx);
      const stats = input.Statistics ?? [];
      if (stats.length === 0 && (input.ExtendedStatistics ?? []).length === 0) {
        throw new AwsError('MissingParameter', 'Must specify either Statistics or ExtendedStatistics.', 400);
      }
      stats.forEach((s, i) => {
        if (!isBasicStatistic(s)) throw invalidValue(`The parameter Statistics.member.${i + 1} must be a value in the set [ ${BASIC_STATISTICS.join(', ')} ].`);
      });
      if ((input.ExtendedStatistics ?? []).length > 0) {
        throw invalidValue('ExtendedStatistics (percentiles) are not available: this emulator keeps one-minute aggregates, not the values within them.');
      }
      checkPeriod(input.Period!, 'Period');
      checkUnit(input.Unit, 'Unit');
      const startMs = time(input.StartTime);
      const endMs = time(input.EndTime);
      checkRange(startMs, endMs);
      const start = roundStart(startMs, ctx.env.now());
      const requested = Math.ceil((endMs - start) / (input.Period! * 1000));
      if (requested > MAX_STATISTICS_DATAPOINTS) {
        throw invalidCombination(
          `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS.toLocaleString('en-US')}. ` +
            'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
        );
      }
      const found = periods(ctx.env, {
        region: ctx.region,
        namespace: input.Namespace!,
        metricName: input.MetricName!,
        dimensions: dims(input.Dimensions, 'Dimensions'),
        startMs,
        endMs,
        periodSec: input.Period!,
        unit: input.Unit,
        byUnit: true,
      });
      const Datapoints: Datapoint[] = found.map(({ at, bucket }) => {
        const p: Datapoint = { Timestamp: new Date(at), Unit: bucket.unit as StandardUnit };
        for (const s of stats as BasicStatistic[]) p[s] = statValue(bucket, s);
        return p;
      });
      return { Label: input.MetricName, Datapoints };
    },
  },

  /** https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html */
  GetMetricData: {
    ...read('GetMetricData'),
    handler(input, ctx) {
      beforeRead(ctx);
      const queries = input.MetricDataQueries ?? [];
      if (queries.length === 0) throw new AwsError('MissingParameter', 'The parameter MetricDataQueries is required.', 400);
      if (queries.length > MAX_QUERIES) {
        throw new AwsError('ValidationError', `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`, 400);
      }
      const startMs = time(input.StartTime);
      const endMs = time(input.EndTime);
      checkRange(startMs, endMs);
      const scan = input.ScanBy ?? 'TimestampDescending';
      if (scan !== 'TimestampDescending' && scan !== 'TimestampAscending') {
        throw invalidValue('The parameter ScanBy must be a value in the set [ TimestampDescending, TimestampAscending ].');
      }
      const max = input.MaxDatapoints ?? MAX_DATAPOINTS_PER_CALL;
      if (!(max >= 1)) throw invalidValue('The parameter MaxDatapoints must be greater than 0.');
      const perCall = Math.min(max, MAX_DATAPOINTS_PER_CALL);

      const ids = new Set<string>();
      queries.forEach((q, i) => {
        const where = `MetricDataQueries.member.${i + 1}`;
        if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.Id!) || q.Id!.length > 255) {
          throw new AwsError('ValidationError', `The value ${q.Id} for parameter ${where}.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.`, 400);
        }
        if (ids.has(q.Id!)) throw new AwsError('ValidationError', `The value ${q.Id} for parameter ${where}.Id is not unique.`, 400);
        ids.add(q.Id!);
        if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
          throw new AwsError('ValidationError', `Exactly one of ${where}.MetricStat and ${where}.Expression must be specified.`, 400);
        }
        if (q.Expression !== undefined) {
          // Metric math and Metrics Insights queries are not evaluated here.
          throw new AwsError('ValidationError', `Error in expression ${q.Id}: metric math and Metrics Insights expressions are not supported by this emulator.`, 400);
        }
        const m = q.MetricStat!;
        if (!m.Metric?.MetricName || !m.Metric.Namespace) {
          throw new AwsError('MissingParameter', `The parameter ${where}.MetricStat.Metric.${m.Metric?.Namespace ? 'MetricName' : 'Namespace'} is required.`, 400);
        }
        checkPeriod(m.Period!, `${where}.MetricStat.Period`);
        if (!isBasicStatistic(m.Stat!)) {
          throw invalidValue(
            `The parameter ${where}.MetricStat.Stat must be one of ${BASIC_STATISTICS.join(', ')}: percentiles and other extended statistics are not kept by this emulator.`,
          );
        }
        checkUnit(m.Unit, `${where}.MetricStat.Unit`);
      });

      const skip = untoken(input.NextToken, isSkipToken)?.skip ?? 0;
      let seen = 0;
      let emitted = 0;
      let truncated = false;
      const results: MetricDataResult[] = [];
      for (const q of queries) {
        if (q.ReturnData === false) continue;
        const m = q.MetricStat!;
        const found = periods(ctx.env, {
          region: ctx.region,
          namespace: m.Metric!.Namespace!,
          metricName: m.Metric!.MetricName!,
          dimensions: dims(m.Metric!.Dimensions, 'Dimensions'),
          startMs,
          endMs,
          periodSec: m.Period!,
          unit: m.Unit,
          byUnit: false,
        });
        if (scan === 'TimestampDescending') found.reverse();
        const Timestamps: Date[] = [];
        const Values: number[] = [];
        let partial = false;
        for (const p of found) {
          if (seen++ < skip) continue;
          if (emitted >= perCall) {
            partial = true;
            truncated = true;
            break;
          }
          emitted++;
          Timestamps.push(new Date(p.at));
          Values.push(statValue(p.bucket, m.Stat as BasicStatistic));
        }
        results.push({ Id: q.Id, Label: q.Label ?? m.Metric!.MetricName, Timestamps, Values, StatusCode: partial ? 'PartialData' : 'Complete' });
      }
      return { MetricDataResults: results, Messages: [], ...(truncated ? { NextToken: token({ skip: skip + emitted }) } : {}) };
    },
  },
};

/** CloudWatch, in its query, JSON 1.0 and CBOR forms (see the note at the top). */
export const cloudwatch: ServiceDefinition = defineModelService({
  name: 'cloudwatch',
  signingName: 'monitoring',
  model,
  providers,
  alsoServes: ['awsJson1_0', 'rpcv2Cbor'],
  queryCompatible: true,
  // CloudWatch names a missing parameter MissingParameter, and any other
  // model violation ValidationError (JSON: MissingRequiredParameterException, ValidationException).
  validation: (violations) => {
    const missing = violations.find((v) => v.constraint === 'Member must not be null');
    if (missing) return new AwsError('MissingParameter', `The parameter ${missing.path.charAt(0).toUpperCase()}${missing.path.slice(1)} is required.`, 400);
    return new AwsError('ValidationError', validationMessage(violations), 400);
  },
  migrate(db) {
    applyMigrations(db, 'cloudwatch', CLOUDWATCH_MIGRATIONS);
    installStorageTriggers(db);
    markReady(db);
  },
});
