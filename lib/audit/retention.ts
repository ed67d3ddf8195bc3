import 'server-only';
import type { Kysely } from 'kysely';
import { getDb } from '@/lib/db';
import type { Database } from '@/lib/db/schema';
import { env } from '@/lib/env';

// Entries older than BERTH_AUDIT_RETENTION_DAYS are deleted a batch at a time,
// so a first sweep over years of entries never holds a long write lock (SQLite
// has one writer) or one huge transaction (PostgreSQL). Several instances may
// sweep at once: each batch deletes whatever old rows are still there, and a
// row another instance deleted first is simply not found again.

const DAY_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const FIRST_SWEEP_AFTER_MS = 60 * 1000;

export interface PruneOptions {
  now?: number;
  days?: number;
  batchSize?: number;
  /** Stop after this many batches; the next sweep goes on. Keeps one sweep short. */
  maxBatches?: number;
}

/** Deletes entries older than the retention; returns how many went. */
export async function pruneAuditEvents(db: Kysely<Database>, options: PruneOptions = {}): Promise<number> {
  const days = options.days ?? env().BERTH_AUDIT_RETENTION_DAYS;
  const cutoff = (options.now ?? Date.now()) - days * DAY_MS;
  const batchSize = options.batchSize ?? 5000;
  const maxBatches = options.maxBatches ?? 100;
  let deleted = 0;
  for (let i = 0; i < maxBatches; i++) {
    // The sub-select walks the (at) index from the oldest entry; both SQLite
    // and PostgreSQL allow LIMIT there, where DELETE … LIMIT is not portable.
    const result = await db
      .deleteFrom('audit_events')
      .where('id', 'in', (qb) => qb.selectFrom('audit_events').select('id').where('at', '<', cutoff).orderBy('at').limit(batchSize))
      .executeTakeFirst();
    const n = Number(result.numDeletedRows ?? 0);
    deleted += n;
    if (n < batchSize) break;
    // Let other requests at the database between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return deleted;
}

let timer: NodeJS.Timeout | undefined;

async function sweep(): Promise<void> {
  try {
    const n = await pruneAuditEvents(await getDb());
    if (n > 0) console.info(JSON.stringify({ at: new Date().toISOString(), action: 'audit.retention', deleted: n, days: env().BERTH_AUDIT_RETENTION_DAYS }));
  } catch (error) {
    console.error('[audit] retention sweep failed:', error);
  }
}

/** Starts this process's hourly sweep, once (the first audit write calls it). */
export function scheduleRetention(): void {
  if (timer) return;
  // unref: the sweep never keeps a process (a test, a script) alive.
  timer = setTimeout(function tick() {
    void sweep().finally(() => {
      timer = setTimeout(tick, SWEEP_EVERY_MS);
      timer.unref();
    });
  }, FIRST_SWEEP_AFTER_MS);
  timer.unref();
}
