import type { EmulatorEnv } from '../../core/types';
import type { LookupResource, TrailEvent } from './events';
import { anyTrailLogging, trailsTaking } from './trails';

/**
 * Where events live. Recording sits on every request's path, so events are
 * queued and written in one transaction per turn of the event loop (or when
 * many are waiting); a lookup writes what is queued first, so a call is in
 * the history as soon as its answer has gone. Event history keeps 90 days,
 * as CloudTrail's does; older events are pruned as new ones arrive.
 */

export const RETENTION_MS = 90 * 24 * 60 * 60 * 1000;
/** Write at once past this many queued events, whatever the event loop is doing. */
const FLUSH_AT = 256;
/** Prune at most this often (the emulator's clock). */
const PRUNE_EVERY_MS = 60_000;
/**
 * At most this many events are kept, whatever their age: a load test of a
 * million requests must not grow the data folder by gigabytes. CloudTrail
 * has no such cap; 90 days of a real account's calls are rarely this many.
 */
export const MAX_EVENTS = positiveIntFromEnv(process.env.BERTH_EMULATOR_CLOUDTRAIL_MAX_EVENTS) ?? 250_000;

function positiveIntFromEnv(raw: string | undefined): number | undefined {
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

interface Recorder {
  queue: TrailEvent[];
  scheduled: boolean;
  lastPruneMs: number;
}

const recorders = new WeakMap<EmulatorEnv, Recorder>();

function recorderOf(env: EmulatorEnv): Recorder {
  let r = recorders.get(env);
  if (!r) {
    r = { queue: [], scheduled: false, lastPruneMs: 0 };
    recorders.set(env, r);
  }
  return r;
}

/** The lookup attributes an event can be found by (one row each in cloudtrail_lookup). */
function lookupPairs(e: TrailEvent): [string, string][] {
  const pairs: [string, string][] = [
    ['EventId', e.eventId],
    ['EventName', e.eventName],
    ['EventSource', e.eventSource],
    ['ReadOnly', String(e.readOnly)],
  ];
  if (e.username) pairs.push(['Username', e.username]);
  if (e.accessKeyId) pairs.push(['AccessKeyId', e.accessKeyId]);
  for (const r of e.resources) {
    pairs.push(['ResourceName', r.ResourceName]);
    pairs.push(['ResourceType', r.ResourceType]);
  }
  return pairs;
}

export function flush(env: EmulatorEnv): void {
  const r = recorderOf(env);
  if (r.queue.length === 0) return;
  const batch = r.queue;
  r.queue = [];
  const db = env.db;
  const insertEvent = db.prepare(
    `INSERT INTO cloudtrail_events (event_id, region, category, time_ms, event_name, event_source, username, access_key_id,
       read_only, resources_json, trails_json, record_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLookup = db.prepare('INSERT OR IGNORE INTO cloudtrail_lookup (key, value, region, time_ms, seq) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const e of batch) {
      const trails = e.category === 'Data' ? e.trails : undefined;
      const info = insertEvent.run(
        e.eventId,
        e.region,
        e.category,
        e.timeMs,
        e.eventName,
        e.eventSource,
        e.username ?? null,
        e.accessKeyId ?? null,
        e.readOnly ? 1 : 0,
        JSON.stringify(e.resources),
        trails ? JSON.stringify(trails) : null,
        JSON.stringify(e.record),
      );
      // Data events are never in event history, so they get no lookup rows.
      if (e.category === 'Management') {
        for (const [k, v] of lookupPairs(e)) insertLookup.run(k, v, e.region, e.timeMs, info.lastInsertRowid);
      }
    }
    const now = env.now();
    if (now - r.lastPruneMs >= PRUNE_EVERY_MS) {
      r.lastPruneMs = now;
      const cutoff = now - RETENTION_MS;
      db.prepare('DELETE FROM cloudtrail_events WHERE time_ms < ?').run(cutoff);
      db.prepare('DELETE FROM cloudtrail_lookup WHERE time_ms < ?').run(cutoff);
      const newest = (db.prepare('SELECT MAX(seq) AS seq FROM cloudtrail_events').get() as { seq: number | null }).seq ?? 0;
      if (newest > MAX_EVENTS) {
        // Oldest first by seq; lookup rows go by the time of the oldest kept
        // event, and any left at that same time are dropped by the lookup's join.
        const kept = db.prepare('SELECT time_ms FROM cloudtrail_events WHERE seq > ? ORDER BY seq LIMIT 1').get(newest - MAX_EVENTS) as { time_ms: number } | undefined;
        db.prepare('DELETE FROM cloudtrail_events WHERE seq <= ?').run(newest - MAX_EVENTS);
        if (kept) db.prepare('DELETE FROM cloudtrail_lookup WHERE time_ms < ?').run(kept.time_ms);
      }
    }
  })();
}

/**
 * Queues events for writing. A data event is kept only when a logging trail
 * selects it (decided now, with the trails as they are at the call).
 */
export function record(env: EmulatorEnv, events: TrailEvent[]): void {
  if (events.length === 0) return;
  const r = recorderOf(env);
  let checkedTrails: boolean | undefined;
  for (const e of events) {
    if (e.category === 'Data') {
      checkedTrails ??= anyTrailLogging(env);
      if (!checkedTrails) continue;
      const trails = trailsTaking(env, e);
      if (trails.length === 0) continue;
      r.queue.push({ ...e, trails });
    } else {
      r.queue.push(e);
    }
  }
  if (r.queue.length >= FLUSH_AT) {
    flush(env);
  } else if (!r.scheduled && r.queue.length > 0) {
    r.scheduled = true;
    setImmediate(() => {
      r.scheduled = false;
      try {
        flush(env);
      } catch (err) {
        // The database closed under a late flush (shutdown): the queued events go with it.
        env.log(`cloudtrail: could not write events: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  }
}

export interface StoredEvent {
  seq: number;
  eventId: string;
  eventName: string;
  eventSource: string;
  timeMs: number;
  username?: string;
  accessKeyId?: string;
  readOnly: boolean;
  resources: LookupResource[];
  recordJson: string;
}

interface EventRow {
  seq: number;
  event_id: string;
  event_name: string;
  event_source: string;
  time_ms: number;
  username: string | null;
  access_key_id: string | null;
  read_only: number;
  resources_json: string;
  record_json: string;
}

export interface LookupQuery {
  region: string;
  attribute?: { key: string; value: string };
  startMs: number;
  endMs: number;
  limit: number;
  /** Continue after this (time, seq), newest first. */
  after?: { timeMs: number; seq: number };
}

/** Management events newest first, one index range whatever the attribute. */
export function lookup(env: EmulatorEnv, q: LookupQuery): StoredEvent[] {
  flush(env);
  const after = q.after ?? { timeMs: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER };
  const rows = q.attribute
    ? (env.db
        .prepare(
          `SELECT e.* FROM cloudtrail_lookup l JOIN cloudtrail_events e ON e.seq = l.seq
           WHERE l.key = ? AND l.value = ? AND l.region = ? AND l.time_ms >= ? AND l.time_ms <= ?
             AND (l.time_ms < ? OR (l.time_ms = ? AND l.seq < ?))
           ORDER BY l.time_ms DESC, l.seq DESC LIMIT ?`,
        )
        .all(q.attribute.key, q.attribute.value, q.region, q.startMs, q.endMs, after.timeMs, after.timeMs, after.seq, q.limit) as EventRow[])
    : (env.db
        .prepare(
          `SELECT * FROM cloudtrail_events
           WHERE region = ? AND category = 'Management' AND time_ms >= ? AND time_ms <= ?
             AND (time_ms < ? OR (time_ms = ? AND seq < ?))
           ORDER BY time_ms DESC, seq DESC LIMIT ?`,
        )
        .all(q.region, q.startMs, q.endMs, after.timeMs, after.timeMs, after.seq, q.limit) as EventRow[]);
  return rows.map((r) => ({
    seq: r.seq,
    eventId: r.event_id,
    eventName: r.event_name,
    eventSource: r.event_source,
    timeMs: r.time_ms,
    username: r.username ?? undefined,
    accessKeyId: r.access_key_id ?? undefined,
    readOnly: r.read_only === 1,
    resources: JSON.parse(r.resources_json) as LookupResource[],
    recordJson: r.record_json,
  }));
}
