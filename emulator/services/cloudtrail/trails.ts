import type { AdvancedEventSelector, EventSelector, Trail } from '@aws-sdk/client-cloudtrail';
import { AwsError } from '../../core/errors';
import type { EmulatorEnv } from '../../core/types';
import type { TrailEvent } from './events';

/**
 * Trails: enough of them to say which data events CloudTrail records. A
 * trail logs (after StartLogging) the management events and the data events
 * its selectors choose; event history (LookupEvents) never depends on trails.
 * Log files are not delivered to the trail's bucket.
 */

export interface Caller {
  env: EmulatorEnv;
  region: string;
}

interface TrailRow {
  name: string;
  region: string;
  arn: string;
  s3_bucket: string;
  s3_prefix: string | null;
  include_global: number;
  multi_region: number;
  log_file_validation: number;
  is_logging: number;
  started_ms: number | null;
  stopped_ms: number | null;
  event_selectors_json: string | null;
  advanced_selectors_json: string | null;
  created_ms: number;
}

/** What a new trail selects until PutEventSelectors: every management event, no data events. */
const DEFAULT_SELECTORS: EventSelector[] = [
  { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
];

/** The trail quota per Region (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html). */
const MAX_TRAILS_PER_REGION = 5;

// CreateTrail's naming rules, from its Name documentation: 3 to 128 characters
// of letters, digits, periods, underscores and dashes; starting and ending
// with a letter or digit; no two of `._-` side by side; not an IP address.
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;
const TRAIL_ARN_RE = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

function checkName(name: string): void {
  if (!NAME_RE.test(name) || /[._-]{2}/.test(name) || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    throw new AwsError(
      'InvalidTrailNameException',
      'Trail name must starts with a letter or number, end with a letter or number, be between 3 and 128 characters, contain only letters, numbers, periods, underscores and dashes, and not contain adjacent periods, underscores or dashes, and not resemble an IP address.',
    );
  }
}

function arnOf(region: string, account: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
}

/** A trail by name (in the caller's region, or a multi-region one from elsewhere) or by ARN. */
function findTrail(c: Caller, nameOrArn: string | undefined): TrailRow {
  const value = nameOrArn ?? '';
  if (value === '') throw new AwsError('InvalidTrailNameException', 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).');
  let row: TrailRow | undefined;
  if (value.startsWith('arn:')) {
    if (!TRAIL_ARN_RE.test(value)) throw new AwsError('CloudTrailARNInvalidException', `Invalid CloudTrail ARN: ${value}`);
    row = c.env.db.prepare('SELECT * FROM cloudtrail_trails WHERE arn = ?').get(value) as TrailRow | undefined;
    if (row && row.region !== c.region && row.multi_region === 0) row = undefined;
  } else {
    checkName(value);
    row =
      (c.env.db.prepare('SELECT * FROM cloudtrail_trails WHERE region = ? AND name = ?').get(c.region, value) as TrailRow | undefined) ??
      (c.env.db.prepare('SELECT * FROM cloudtrail_trails WHERE name = ? AND multi_region = 1').get(value) as TrailRow | undefined);
  }
  if (!row) throw new AwsError('TrailNotFoundException', `Unknown trail: ${value} for the user: ${c.env.accountId}`);
  return row;
}

/** Changes are made in the trail's home region only (InvalidHomeRegionException elsewhere). */
function inHomeRegion(c: Caller, row: TrailRow): void {
  if (row.region !== c.region) {
    throw new AwsError(
      'InvalidHomeRegionException',
      `This operation must be called from the trail's home region, ${row.region}.`,
    );
  }
}

function toTrail(row: TrailRow): Trail {
  return {
    Name: row.name,
    S3BucketName: row.s3_bucket,
    ...(row.s3_prefix ? { S3KeyPrefix: row.s3_prefix } : {}),
    IncludeGlobalServiceEvents: row.include_global === 1,
    IsMultiRegionTrail: row.multi_region === 1,
    HomeRegion: row.region,
    TrailARN: row.arn,
    LogFileValidationEnabled: row.log_file_validation === 1,
    HasCustomEventSelectors: row.advanced_selectors_json !== null || row.event_selectors_json !== JSON.stringify(DEFAULT_SELECTORS),
    HasInsightSelectors: false,
    IsOrganizationTrail: false,
  };
}

export interface CreateTrailInput {
  Name?: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  IncludeGlobalServiceEvents?: boolean;
  IsMultiRegionTrail?: boolean;
  EnableLogFileValidation?: boolean;
  IsOrganizationTrail?: boolean;
}

export function createTrail(c: Caller, input: CreateTrailInput): Trail {
  const name = input.Name ?? '';
  checkName(name);
  const bucket = input.S3BucketName ?? '';
  const db = c.env.db;
  if (input.IsOrganizationTrail) {
    throw new AwsError('OrganizationsNotInUseException', 'This account is not a member of an organization.');
  }
  if (db.prepare('SELECT 1 FROM cloudtrail_trails WHERE region = ? AND name = ?').get(c.region, name)) {
    throw new AwsError('TrailAlreadyExistsException', `Trail ${name} already exists for customer: ${c.env.accountId}`);
  }
  // The bucket must exist; whether its policy lets CloudTrail write is not checked, as nothing is delivered.
  if (!db.prepare('SELECT 1 FROM s3_buckets WHERE name = ?').get(bucket)) {
    throw new AwsError('S3BucketDoesNotExistException', `S3 bucket ${bucket} does not exist.`);
  }
  const count = (db.prepare('SELECT COUNT(*) AS n FROM cloudtrail_trails WHERE region = ?').get(c.region) as { n: number }).n;
  if (count >= MAX_TRAILS_PER_REGION) {
    throw new AwsError('MaximumNumberOfTrailsExceededException', `User: ${c.env.accountId} already has ${MAX_TRAILS_PER_REGION} trails in ${c.region}.`);
  }
  const arn = arnOf(c.region, c.env.accountId, name);
  db.prepare(
    `INSERT INTO cloudtrail_trails (name, region, arn, s3_bucket, s3_prefix, include_global, multi_region, log_file_validation,
       event_selectors_json, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    name,
    c.region,
    arn,
    bucket,
    input.S3KeyPrefix ?? null,
    input.IncludeGlobalServiceEvents === false ? 0 : 1,
    input.IsMultiRegionTrail ? 1 : 0,
    input.EnableLogFileValidation ? 1 : 0,
    JSON.stringify(DEFAULT_SELECTORS),
    c.env.now(),
  );
  return findTrailOutput(c, arn);
}

function findTrailOutput(c: Caller, arn: string): Trail {
  return toTrail(findTrail(c, arn));
}

export function deleteTrail(c: Caller, nameOrArn: string | undefined): void {
  const row = findTrail(c, nameOrArn);
  inHomeRegion(c, row);
  c.env.db.prepare('DELETE FROM cloudtrail_trails WHERE arn = ?').run(row.arn);
}

/**
 * DescribeTrails: the trails of this region and the multi-region trails of
 * others (shadow trails, unless includeShadowTrails is false), or those named.
 */
export function describeTrails(c: Caller, names: string[] | undefined, includeShadowTrails: boolean | undefined): Trail[] {
  const shadows = includeShadowTrails !== false;
  const rows = c.env.db
    .prepare('SELECT * FROM cloudtrail_trails WHERE region = ? OR (multi_region = 1 AND ? = 1) ORDER BY name, region')
    .all(c.region, shadows ? 1 : 0) as TrailRow[];
  if (!names || names.length === 0) return rows.map(toTrail);
  const out: Trail[] = [];
  for (const n of names) {
    // A name or ARN that matches nothing is left out, as AWS does.
    if (n.startsWith('arn:') && !TRAIL_ARN_RE.test(n)) throw new AwsError('CloudTrailARNInvalidException', `Invalid CloudTrail ARN: ${n}`);
    const hit = rows.find((r) => r.arn === n || r.name === n);
    if (hit && !out.some((t) => t.TrailARN === hit.arn)) out.push(toTrail(hit));
  }
  return out;
}

export function getTrailStatus(c: Caller, nameOrArn: string | undefined) {
  const row = findTrail(c, nameOrArn);
  const started = row.started_ms !== null ? new Date(row.started_ms) : undefined;
  const stopped = row.stopped_ms !== null ? new Date(row.stopped_ms) : undefined;
  return {
    IsLogging: row.is_logging === 1,
    ...(started ? { StartLoggingTime: started, TimeLoggingStarted: started.toISOString() } : {}),
    ...(stopped ? { StopLoggingTime: stopped, TimeLoggingStopped: stopped.toISOString() } : {}),
  };
}

export function setLogging(c: Caller, nameOrArn: string | undefined, on: boolean): void {
  const row = findTrail(c, nameOrArn);
  inHomeRegion(c, row);
  if (on) c.env.db.prepare('UPDATE cloudtrail_trails SET is_logging = 1, started_ms = ? WHERE arn = ?').run(c.env.now(), row.arn);
  else c.env.db.prepare('UPDATE cloudtrail_trails SET is_logging = 0, stopped_ms = ? WHERE arn = ?').run(c.env.now(), row.arn);
}

// ---- event selectors

/** Basic selectors log data events of these types (PutEventSelectors' DataResource.Type). */
const BASIC_DATA_TYPES = new Set(['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table']);
const MAX_BASIC_SELECTORS = 5;
const MAX_DATA_RESOURCES = 250;
/** Advanced selector fields this emulator can evaluate against its events. */
const ADVANCED_FIELDS = new Set([
  'eventCategory',
  'eventSource',
  'eventName',
  'eventType',
  'readOnly',
  'resources.type',
  'resources.ARN',
  'errorCode',
  'userIdentity.arn',
]);
const OPERATORS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;

function badSelectors(message: string): AwsError {
  return new AwsError('InvalidEventSelectorsException', message);
}

function checkBasic(selectors: EventSelector[]): void {
  if (selectors.length > MAX_BASIC_SELECTORS) throw badSelectors(`You can add up to ${MAX_BASIC_SELECTORS} event selectors per trail.`);
  let values = 0;
  for (const s of selectors) {
    for (const d of s.DataResources ?? []) {
      if (!BASIC_DATA_TYPES.has(d.Type ?? '')) throw badSelectors(`Value ${d.Type ?? ''} for parameter DataResources.Type is invalid.`);
      for (const v of d.Values ?? []) {
        values++;
        if (d.Type === 'AWS::S3::Object' && v !== 'arn:aws:s3' && !v.startsWith('arn:aws:s3:::')) {
          throw badSelectors(`Value ${v} for parameter DataResources.Values is invalid.`);
        }
      }
    }
  }
  if (values > MAX_DATA_RESOURCES) throw badSelectors(`You can specify up to ${MAX_DATA_RESOURCES} data resources per trail.`);
}

function checkAdvanced(selectors: AdvancedEventSelector[]): void {
  for (const s of selectors) {
    const fields = s.FieldSelectors ?? [];
    const category = fields.find((f) => f.Field === 'eventCategory');
    if (!category || !category.Equals || category.Equals.length === 0) {
      throw badSelectors('You must specify the eventCategory field with the Equals operator in each advanced event selector.');
    }
    for (const f of fields) {
      if (!ADVANCED_FIELDS.has(f.Field ?? '')) throw badSelectors(`Invalid field: ${f.Field ?? ''} is not supported by this emulator's advanced event selectors.`);
      if (!OPERATORS.some((op) => (f[op]?.length ?? 0) > 0)) throw badSelectors(`Field ${f.Field ?? ''} must have at least one operator.`);
    }
  }
}

export function putEventSelectors(
  c: Caller,
  input: { TrailName?: string; EventSelectors?: EventSelector[]; AdvancedEventSelectors?: AdvancedEventSelector[] },
) {
  const row = findTrail(c, input.TrailName);
  inHomeRegion(c, row);
  const basic = input.EventSelectors;
  const advanced = input.AdvancedEventSelectors;
  if ((basic && advanced) || (!basic && !advanced)) {
    throw new AwsError('InvalidParameterCombinationException', 'You must specify either EventSelectors or AdvancedEventSelectors, but not both.');
  }
  if (basic) checkBasic(basic);
  if (advanced) checkAdvanced(advanced);
  c.env.db
    .prepare('UPDATE cloudtrail_trails SET event_selectors_json = ?, advanced_selectors_json = ? WHERE arn = ?')
    .run(basic ? JSON.stringify(basic) : null, advanced ? JSON.stringify(advanced) : null, row.arn);
  return getEventSelectors(c, row.arn);
}

export function getEventSelectors(c: Caller, nameOrArn: string | undefined) {
  const row = findTrail(c, nameOrArn);
  return {
    TrailARN: row.arn,
    ...(row.event_selectors_json ? { EventSelectors: JSON.parse(row.event_selectors_json) as EventSelector[] } : {}),
    ...(row.advanced_selectors_json ? { AdvancedEventSelectors: JSON.parse(row.advanced_selectors_json) as AdvancedEventSelector[] } : {}),
  };
}

// ---- which trails take a data event

function basicTakes(selectors: EventSelector[], e: TrailEvent): boolean {
  return selectors.some((s) => {
    const rw = s.ReadWriteType ?? 'All';
    if ((rw === 'ReadOnly' && !e.readOnly) || (rw === 'WriteOnly' && e.readOnly)) return false;
    return (s.DataResources ?? []).some(
      (d) =>
        d.Type === 'AWS::S3::Object' &&
        // `arn:aws:s3` (or the bare `arn:aws:s3:::`) is every bucket; otherwise a bucket with a key prefix.
        (d.Values ?? []).some((v) => v === 'arn:aws:s3' || e.dataArns.some((arn) => arn.startsWith(v))),
    );
  });
}

function fieldValues(field: string, e: TrailEvent): string[] {
  const r = e.record;
  switch (field) {
    case 'eventCategory':
      return [e.category];
    case 'eventSource':
      return [e.eventSource];
    case 'eventName':
      return [e.eventName];
    case 'eventType':
      return ['AwsApiCall'];
    case 'readOnly':
      return [String(e.readOnly)];
    case 'resources.type':
      return e.resources.map((x) => x.ResourceType);
    case 'resources.ARN':
      return e.dataArns;
    case 'errorCode':
      return typeof r.errorCode === 'string' ? [r.errorCode] : [];
    case 'userIdentity.arn': {
      const arn = (r.userIdentity as { arn?: string } | undefined)?.arn;
      return arn ? [arn] : [];
    }
    default:
      return [];
  }
}

/**
 * One field selector: positive operators are ORed, negative ones must all
 * hold (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html).
 */
function fieldMatches(f: NonNullable<AdvancedEventSelector['FieldSelectors']>[number], e: TrailEvent): boolean {
  const values = fieldValues(f.Field ?? '', e);
  const any = (pred: (v: string) => boolean) => values.some(pred);
  const positive = [
    ...(f.Equals ?? []).map((x) => () => any((v) => v === x)),
    ...(f.StartsWith ?? []).map((x) => () => any((v) => v.startsWith(x))),
    ...(f.EndsWith ?? []).map((x) => () => any((v) => v.endsWith(x))),
  ];
  if (positive.length > 0 && !positive.some((p) => p())) return false;
  if ((f.NotEquals ?? []).some((x) => any((v) => v === x))) return false;
  if ((f.NotStartsWith ?? []).some((x) => any((v) => v.startsWith(x)))) return false;
  if ((f.NotEndsWith ?? []).some((x) => any((v) => v.endsWith(x)))) return false;
  return true;
}

function advancedTakes(selectors: AdvancedEventSelector[], e: TrailEvent): boolean {
  return selectors.some((s) => {
    const fields = s.FieldSelectors ?? [];
    // An S3 data event is selected only by a selector for the AWS::S3::Object resource type.
    if (!fields.some((f) => f.Field === 'resources.type')) return false;
    return fields.every((f) => fieldMatches(f, e));
  });
}

/** The names of the logging trails whose selectors record this data event, from the event's region. */
export function trailsTaking(env: EmulatorEnv, e: TrailEvent): string[] {
  const rows = env.db
    .prepare('SELECT * FROM cloudtrail_trails WHERE is_logging = 1 AND (region = ? OR multi_region = 1)')
    .all(e.region) as TrailRow[];
  const out: string[] = [];
  for (const row of rows) {
    const takes = row.advanced_selectors_json
      ? advancedTakes(JSON.parse(row.advanced_selectors_json) as AdvancedEventSelector[], e)
      : basicTakes(JSON.parse(row.event_selectors_json ?? '[]') as EventSelector[], e);
    if (takes) out.push(row.arn);
  }
  return out;
}

/** Whether any trail logs anything: the data-event check is skipped when none does. */
export function anyTrailLogging(env: EmulatorEnv): boolean {
  return env.db.prepare('SELECT 1 FROM cloudtrail_trails WHERE is_logging = 1 LIMIT 1').get() !== undefined;
}
