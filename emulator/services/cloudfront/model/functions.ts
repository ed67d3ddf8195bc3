import type Database from 'better-sqlite3';
import type { FunctionConfig, FunctionSummary, Tag, TestResult } from '@aws-sdk/client-cloudfront';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { checkIfMatch, checkQuantities, invalidArgument, newEtag, pageOf, type Page } from './common';
import { checkSyntax, runFunction } from './function-runtime';
import { behaviorsOf } from './policies';
import { distributionsWhere } from './store';
import { checkTags } from './tagging';

/**
 * CloudFront Functions. A function has a DEVELOPMENT stage, which
 * UpdateFunction changes, and once published a LIVE stage, a copy of
 * DEVELOPMENT at the time of PublishFunction. Each stage has its own ETag;
 * changes name the ETag of the stage they act on. Only a LIVE function can be
 * associated with a cache behavior.
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateFunction.html
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/managing-functions.html
 */

export type Stage = 'DEVELOPMENT' | 'LIVE';

/** CloudFront's quotas: 10 KB of code per function and 100 functions per account. */
const MAX_CODE_BYTES = 10 * 1024;
const MAX_FUNCTIONS = 100;

interface FunctionRow {
  name: string;
  stage: Stage;
  comment: string;
  runtime: string;
  kvs_json: string;
  code: Buffer;
  etag: string;
  created_ms: number;
  last_modified_ms: number;
  tags: string;
}

export function functionArn(accountId: string, name: string): string {
  return `arn:aws:cloudfront::${accountId}:function/${name}`;
}

function noSuchFunction(name: string, stage?: Stage): AwsError {
  return new AwsError('NoSuchFunctionExists', `The function ${name} does not exist${stage ? ` in the ${stage} stage` : ''}.`, 404);
}

function rowOf(db: Database.Database, name: string, stage: Stage): FunctionRow | undefined {
  return db.prepare('SELECT * FROM cloudfront_functions WHERE name = ? AND stage = ?').get(name, stage) as FunctionRow | undefined;
}

function requireRow(db: Database.Database, name: string, stage: Stage): FunctionRow {
  const row = rowOf(db, name, stage);
  if (!row) {
    if (stage === 'LIVE' && rowOf(db, name, 'DEVELOPMENT')) throw noSuchFunction(name, stage);
    throw noSuchFunction(name);
  }
  return row;
}

function stageOf(value: string | undefined): Stage {
  return value === 'LIVE' ? 'LIVE' : 'DEVELOPMENT';
}

/** The function an association's ARN names, if it exists in the LIVE stage. */
export function findLiveFunctionByArn(db: Database.Database, arn: string): boolean {
  const m = /^arn:aws:cloudfront::\d{12}:function\/([^/]+)$/.exec(arn);
  return !!m?.[1] && !!rowOf(db, m[1], 'LIVE');
}

function distributionsUsing(env: EmulatorEnv, name: string): string[] {
  const arn = functionArn(env.accountId, name);
  return distributionsWhere(env.db, (c) => behaviorsOf(c).some((b) => (b.FunctionAssociations?.Items ?? []).some((f) => f.FunctionARN === arn)));
}

/**
 * UNPUBLISHED: DEVELOPMENT differs from what is LIVE (or nothing is). A LIVE
 * function is DEPLOYED when a distribution uses it, UNASSOCIATED when none does.
 */
function statusOf(env: EmulatorEnv, row: FunctionRow): string {
  const live = row.stage === 'LIVE' ? row : rowOf(env.db, row.name, 'LIVE');
  if (row.stage === 'DEVELOPMENT' && (!live || row.last_modified_ms > live.last_modified_ms)) return 'UNPUBLISHED';
  return distributionsUsing(env, row.name).length > 0 ? 'DEPLOYED' : 'UNASSOCIATED';
}

function summaryOf(env: EmulatorEnv, row: FunctionRow): FunctionSummary {
  const kvs = JSON.parse(row.kvs_json) as NonNullable<FunctionConfig['KeyValueStoreAssociations']>;
  return {
    Name: row.name,
    Status: statusOf(env, row),
    FunctionConfig: { Comment: row.comment, Runtime: row.runtime as FunctionConfig['Runtime'], ...(kvs.Quantity ? { KeyValueStoreAssociations: kvs } : {}) },
    FunctionMetadata: {
      FunctionARN: functionArn(env.accountId, row.name),
      Stage: row.stage,
      CreatedTime: new Date(row.created_ms),
      LastModifiedTime: new Date(row.last_modified_ms),
    },
  };
}

export interface FunctionView {
  summary: FunctionSummary;
  etag: string;
}

function view(env: EmulatorEnv, row: FunctionRow): FunctionView {
  return { summary: summaryOf(env, row), etag: row.etag };
}

function checkCode(code: Uint8Array | undefined): Buffer {
  const buf = Buffer.from(code ?? new Uint8Array());
  if (buf.length === 0) throw invalidArgument('The function code must not be empty.');
  if (buf.length > MAX_CODE_BYTES) {
    throw new AwsError('FunctionSizeLimitExceeded', `The function is too large: its code can be at most ${MAX_CODE_BYTES} bytes.`, 413);
  }
  try {
    checkSyntax(buf.toString('utf8'));
  } catch (err) {
    throw invalidArgument(`The function code is not valid JavaScript: ${(err as Error).message}`);
  }
  return buf;
}

function checkConfig(config: FunctionConfig | undefined): { comment: string; runtime: string; kvs: string } {
  checkQuantities(config, 'FunctionConfig');
  const kvs = config?.KeyValueStoreAssociations ?? { Quantity: 0 };
  if ((kvs.Items ?? []).length > 0) {
    // Key value stores are not emulated, so no ARN can name one that exists.
    throw new AwsError('EntityNotFound', `The key value store ${kvs.Items?.[0]?.KeyValueStoreARN ?? ''} does not exist.`, 404);
  }
  return { comment: config?.Comment ?? '', runtime: config?.Runtime ?? '', kvs: JSON.stringify(kvs) };
}

export function createFunction(env: EmulatorEnv, name: string, config: FunctionConfig | undefined, code: Uint8Array | undefined, tags: Tag[]): FunctionView {
  const c = checkConfig(config);
  const buf = checkCode(code);
  checkTags(tags);
  const db = env.db;
  return db
    .transaction(() => {
      if (rowOf(db, name, 'DEVELOPMENT')) throw new AwsError('FunctionAlreadyExists', `A function with the name ${name} already exists.`, 409);
      const n = (db.prepare("SELECT COUNT(*) AS n FROM cloudfront_functions WHERE stage = 'DEVELOPMENT'").get() as { n: number }).n;
      if (n >= MAX_FUNCTIONS) throw new AwsError('TooManyFunctions', `You have reached the maximum number of CloudFront functions (${MAX_FUNCTIONS}) for this AWS account.`, 400);
      const now = env.now();
      const row: FunctionRow = {
        name,
        stage: 'DEVELOPMENT',
        comment: c.comment,
        runtime: c.runtime,
        kvs_json: c.kvs,
        code: buf,
        etag: newEtag(),
        created_ms: now,
        last_modified_ms: now,
        tags: JSON.stringify(tags),
      };
      db.prepare(
        `INSERT INTO cloudfront_functions (name, stage, comment, runtime, kvs_json, code, etag, created_ms, last_modified_ms, tags)
         VALUES (@name, @stage, @comment, @runtime, @kvs_json, @code, @etag, @created_ms, @last_modified_ms, @tags)`,
      ).run(row);
      return view(env, row);
    })
    .immediate();
}

export function describeFunction(env: EmulatorEnv, name: string, stage: string | undefined): FunctionView {
  return view(env, requireRow(env.db, name, stageOf(stage)));
}

export function functionCode(env: EmulatorEnv, name: string, stage: string | undefined): { code: Buffer; etag: string } {
  const row = requireRow(env.db, name, stageOf(stage));
  return { code: row.code, etag: row.etag };
}

export function updateFunction(env: EmulatorEnv, name: string, ifMatch: string | undefined, config: FunctionConfig | undefined, code: Uint8Array | undefined): FunctionView {
  const c = checkConfig(config);
  const buf = checkCode(code);
  const db = env.db;
  return db
    .transaction(() => {
      const current = requireRow(db, name, 'DEVELOPMENT');
      checkIfMatch(ifMatch, current.etag);
      // Never the same millisecond as the last publish, so a change always reads UNPUBLISHED.
      const live = rowOf(db, name, 'LIVE');
      const now = Math.max(env.now(), (live?.last_modified_ms ?? 0) + 1);
      const next: FunctionRow = { ...current, comment: c.comment, runtime: c.runtime, kvs_json: c.kvs, code: buf, etag: newEtag(), last_modified_ms: now };
      db.prepare(
        `UPDATE cloudfront_functions SET comment = @comment, runtime = @runtime, kvs_json = @kvs_json, code = @code, etag = @etag,
           last_modified_ms = @last_modified_ms WHERE name = @name AND stage = 'DEVELOPMENT'`,
      ).run(next);
      return view(env, next);
    })
    .immediate();
}

/** Copies DEVELOPMENT to LIVE; distributions that use the function run the new copy from then on. */
export function publishFunction(env: EmulatorEnv, name: string, ifMatch: string | undefined): FunctionView {
  const db = env.db;
  return db
    .transaction(() => {
      const dev = requireRow(db, name, 'DEVELOPMENT');
      checkIfMatch(ifMatch, dev.etag);
      const live: FunctionRow = { ...dev, stage: 'LIVE', etag: newEtag(), last_modified_ms: Math.max(env.now(), dev.last_modified_ms) };
      db.prepare(
        `INSERT INTO cloudfront_functions (name, stage, comment, runtime, kvs_json, code, etag, created_ms, last_modified_ms, tags)
         VALUES (@name, @stage, @comment, @runtime, @kvs_json, @code, @etag, @created_ms, @last_modified_ms, @tags)
         ON CONFLICT (name, stage) DO UPDATE SET comment = excluded.comment, runtime = excluded.runtime, kvs_json = excluded.kvs_json,
           code = excluded.code, etag = excluded.etag, last_modified_ms = excluded.last_modified_ms`,
      ).run(live);
      return view(env, requireRow(db, name, 'LIVE'));
    })
    .immediate();
}

/**
 * Deletes both stages. The If-Match value is the ETag DescribeFunction
 * returned, for either stage (the API reference does not say which stage it
 * must be, so either is taken).
 */
export function deleteFunction(env: EmulatorEnv, name: string, ifMatch: string | undefined): void {
  const db = env.db;
  db.transaction(() => {
    const dev = requireRow(db, name, 'DEVELOPMENT');
    const live = rowOf(db, name, 'LIVE');
    const given = (ifMatch ?? '').trim().replace(/^"|"$/g, '');
    checkIfMatch(ifMatch, live && given === live.etag ? live.etag : dev.etag);
    const users = distributionsUsing(env, name);
    if (users.length > 0) {
      throw new AwsError('FunctionInUse', `Cannot delete the function because it is associated with one or more cache behaviors: ${users.join(', ')}.`, 409);
    }
    db.prepare('DELETE FROM cloudfront_functions WHERE name = ?').run(name);
  }).immediate();
}

/** Every function in name order; both stages of each unless `stage` picks one. */
export function listFunctions(env: EmulatorEnv, input: { Stage?: string; Marker?: string; MaxItems?: number }): Page<FunctionSummary> {
  const rows = (
    input.Stage
      ? env.db.prepare('SELECT * FROM cloudfront_functions WHERE stage = ? ORDER BY name').all(stageOf(input.Stage))
      : env.db.prepare('SELECT * FROM cloudfront_functions ORDER BY name, stage').all()
  ) as FunctionRow[];
  // The marker is XML text (no control characters) and sorts as the rows do: a space is below every character a name may have.
  const page = pageOf(rows, (r) => `${r.name} ${r.stage}`, input);
  return { ...page, items: page.items.map((r) => summaryOf(env, r)) };
}

/**
 * Runs the stage's code on the event object. The event is JSON as the
 * developer guide's "Event structure" describes; what the function returns
 * comes back as FunctionOutput, its console.log lines as FunctionExecutionLogs.
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_TestFunction.html
 */
export function testFunction(env: EmulatorEnv, name: string, ifMatch: string | undefined, stage: string | undefined, event: Uint8Array | undefined): TestResult {
  const row = requireRow(env.db, name, stageOf(stage));
  checkIfMatch(ifMatch, row.etag);
  const text = Buffer.from(event ?? new Uint8Array()).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidArgument('The event object is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidArgument('The event object must be a JSON object.');
  const run = runFunction(row.code.toString('utf8'), text);
  return {
    FunctionSummary: summaryOf(env, row),
    ComputeUtilization: run.computeUtilization,
    FunctionExecutionLogs: run.logs,
    FunctionErrorMessage: run.errorMessage,
    FunctionOutput: run.output,
  };
}
