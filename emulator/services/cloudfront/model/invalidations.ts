import type Database from 'better-sqlite3';
import type { Invalidation, InvalidationBatch, InvalidationList } from '@aws-sdk/client-cloudfront';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { checkQuantities, invalidArgument, newId, paging } from './common';
import { configOf, requireDistribution } from './store';

/**
 * Invalidations: each is InProgress for the deploy delay, then Completed. The
 * edge cache entries it covers are dropped when it is created, so the next
 * request goes to the origin.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Invalidation.html
 */

const MAX_PATHS_PER_BATCH = 3000;
const MAX_PATHS_IN_PROGRESS = 3000;
const MAX_WILDCARDS_IN_PROGRESS = 15;
const MAX_PATH_LENGTH = 4000;

interface InvalidationRow {
  distribution_id: string;
  id: string;
  seq: number;
  caller_reference: string;
  paths_json: string;
  created_at_ms: number;
  completed_at_ms: number;
}

function status(row: InvalidationRow, now: number): 'InProgress' | 'Completed' {
  return now < row.completed_at_ms ? 'InProgress' : 'Completed';
}

function invalidationOf(row: InvalidationRow, now: number): Invalidation {
  const paths = JSON.parse(row.paths_json) as string[];
  return {
    Id: row.id,
    Status: status(row, now),
    CreateTime: new Date(row.created_at_ms),
    InvalidationBatch: { Paths: { Quantity: paths.length, Items: paths }, CallerReference: row.caller_reference },
  };
}

function checkPath(p: string): void {
  const problem = !p.startsWith('/')
    ? 'must start with a slash (/)'
    : p.indexOf('*') >= 0 && p.indexOf('*') !== p.length - 1
      ? 'may contain * only as its last character'
      : p.length > MAX_PATH_LENGTH
        ? `is longer than ${MAX_PATH_LENGTH} characters`
        : undefined;
  if (problem) throw invalidArgument(`Your request contains one or more invalid invalidation paths: "${p}" ${problem}.`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Drops the cached responses an invalidation covers: exact paths, or a prefix for a trailing `*`. */
export function clearEdgeCache(db: Database.Database, distributionId: string, paths: string[], defaultRootObject: string): number {
  const cached = db.prepare('SELECT path FROM cloudfront_edge_cache WHERE distribution_id = ?').all(distributionId) as { path: string }[];
  const tests = paths.map((raw) => {
    const p = safeDecode(raw);
    if (p.endsWith('*')) {
      const prefix = p.slice(0, -1);
      return (c: string) => c.startsWith(prefix);
    }
    // The root is cached under its default root object.
    const alias = p === '/' && defaultRootObject ? `/${defaultRootObject}` : p;
    return (c: string) => c === p || c === alias;
  });
  const del = db.prepare('DELETE FROM cloudfront_edge_cache WHERE distribution_id = ? AND path = ?');
  let n = 0;
  for (const { path } of cached) {
    if (tests.some((t) => t(path))) n += del.run(distributionId, path).changes;
  }
  return n;
}

function samePaths(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

export function createInvalidation(env: EmulatorEnv, distributionId: string, batch: InvalidationBatch): Invalidation {
  const db = env.db;
  const now = env.now();
  checkQuantities(batch, 'InvalidationBatch');
  const row = db
    .transaction(() => {
      const dist = requireDistribution(db, distributionId);
      const paths = batch.Paths?.Items ?? [];
      const ref = batch.CallerReference ?? '';
      if (ref === '') throw invalidArgument('The parameter CallerReference must not be empty.');
      if (paths.length === 0) throw invalidArgument('Your request must contain at least one invalidation path.');
      if (paths.length > MAX_PATHS_PER_BATCH) throw new AwsError('BatchTooLarge', 'Invalidation batch specified is too large.', 413);
      for (const p of paths) checkPath(p);

      const existing = db
        .prepare('SELECT * FROM cloudfront_invalidations WHERE distribution_id = ? AND caller_reference = ?')
        .get(distributionId, ref) as InvalidationRow | undefined;
      if (existing) {
        if (samePaths(JSON.parse(existing.paths_json) as string[], paths)) return existing;
        throw new AwsError(
          'InvalidationBatchAlreadyExists',
          `The CallerReference ${ref} was already used for invalidation ${existing.id} with different paths.`,
          409,
        );
      }

      const running = db
        .prepare('SELECT paths_json FROM cloudfront_invalidations WHERE distribution_id = ? AND completed_at_ms > ?')
        .all(distributionId, now) as { paths_json: string }[];
      const runningPaths = running.flatMap((r) => JSON.parse(r.paths_json) as string[]);
      const wildcards = [...runningPaths, ...paths].filter((p) => p.endsWith('*')).length;
      if (runningPaths.length + paths.length > MAX_PATHS_IN_PROGRESS || wildcards > MAX_WILDCARDS_IN_PROGRESS) {
        throw new AwsError(
          'TooManyInvalidationsInProgress',
          `You have exceeded the maximum number of allowable InProgress invalidation batch requests, or invalidation objects (at most ${MAX_PATHS_IN_PROGRESS} paths, ${MAX_WILDCARDS_IN_PROGRESS} of them with *, per distribution).`,
          400,
        );
      }

      const seq = (db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM cloudfront_invalidations WHERE distribution_id = ?').get(distributionId) as { n: number }).n;
      const r: InvalidationRow = {
        distribution_id: distributionId,
        id: newId('I'),
        seq,
        caller_reference: ref,
        paths_json: JSON.stringify(paths),
        created_at_ms: now,
        completed_at_ms: now + env.deployDelayMs,
      };
      db.prepare(
        `INSERT INTO cloudfront_invalidations (distribution_id, id, seq, caller_reference, paths_json, created_at_ms, completed_at_ms)
         VALUES (@distribution_id, @id, @seq, @caller_reference, @paths_json, @created_at_ms, @completed_at_ms)`,
      ).run(r);
      // The emulator has one edge: it forgets the covered responses at once, while the
      // invalidation still reads InProgress for the deploy delay.
      clearEdgeCache(db, distributionId, paths, configOf(dist).DefaultRootObject ?? '');
      return r;
    })
    .immediate();
  return invalidationOf(row, now);
}

export function getInvalidation(env: EmulatorEnv, distributionId: string, id: string): Invalidation {
  const db = env.db;
  requireDistribution(db, distributionId);
  const row = db
    .prepare('SELECT * FROM cloudfront_invalidations WHERE distribution_id = ? AND id = ?')
    .get(distributionId, id) as InvalidationRow | undefined;
  if (!row) throw new AwsError('NoSuchInvalidation', 'The specified invalidation does not exist.', 404);
  return invalidationOf(row, env.now());
}

export function listInvalidations(env: EmulatorEnv, distributionId: string, input: { Marker?: string; MaxItems?: number }): InvalidationList {
  const db = env.db;
  requireDistribution(db, distributionId);
  const { marker, maxItems } = paging(input);
  // Newest first; the marker is the id of the last invalidation on the previous page.
  let below = Number.MAX_SAFE_INTEGER;
  if (marker !== '') {
    const m = db.prepare('SELECT seq FROM cloudfront_invalidations WHERE distribution_id = ? AND id = ?').get(distributionId, marker) as
      | { seq: number }
      | undefined;
    if (!m) throw invalidArgument(`The marker ${marker} is not an invalidation of this distribution.`);
    below = m.seq;
  }
  const rows = db
    .prepare('SELECT * FROM cloudfront_invalidations WHERE distribution_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?')
    .all(distributionId, below, maxItems + 1) as InvalidationRow[];
  const page = rows.slice(0, maxItems);
  const truncated = rows.length > maxItems;
  const now = env.now();
  const last = page.at(-1);
  return {
    Marker: marker,
    NextMarker: truncated ? last?.id : undefined,
    MaxItems: maxItems,
    IsTruncated: truncated,
    Quantity: page.length,
    ...(page.length > 0 ? { Items: page.map((r) => ({ Id: r.id, CreateTime: new Date(r.created_at_ms), Status: status(r, now) })) } : {}),
  };
}
