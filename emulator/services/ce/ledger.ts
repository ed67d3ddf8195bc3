import type { TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type Database from 'better-sqlite3';
import type { EmulatorEnv } from '../../core/types';

/**
 * Cost Explorer's own durable record of what would be billed but is no longer
 * visible in the other services' tables:
 *
 * - `ce_ended_storage`: storage that has ended. When an ECR image or an S3
 *   object version (not a delete marker) leaves its table, for whatever
 *   reason (a delete, an overwrite of the `null` version, a forced
 *   DeleteRepository, a lifecycle expiry), a trigger adds it to the row for
 *   the hour it was written in and the hour it ended in. Rows are summed per
 *   (service, region, storage class, start hour, end hour), so deleting
 *   100,000 objects written in the same hour adds to one row, not 100,000.
 *   Each row keeps, besides the bytes, how much of its first and last hour
 *   the bytes were not stored (in byte-milliseconds), so the cost is that of
 *   the exact time stored, not of whole hours: a key overwritten every
 *   minute costs a minute per version, not an hour.
 *   The triggers sit beside the ones CloudWatch keeps on s3_objects
 *   (../cloudwatch/storage-metrics.ts) and run in the deleting statement's
 *   transaction, so a crash never keeps a delete without its ledger entry
 *   or the reverse.
 *
 * - `ce_edge_usage`: what the CloudFront edge served, per hour and usage
 *   type (requests counted, bytes sent to viewers), written as each answer
 *   finishes. CloudWatch's AWS/CloudFront metrics hold the same traffic, but
 *   per minute, per distribution, for 35 days and only when CloudWatch is
 *   emulated; a bill outlives all three.
 *
 * Rows are never pruned: their number grows with the hours in which
 * something was written, deleted or served, not with the objects.
 */

export const CE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE ce_ended_storage (
     service TEXT NOT NULL,          -- 'ecr' or 's3'
     region TEXT NOT NULL,
     storage_class TEXT NOT NULL,    -- S3's x-amz-storage-class; '' for ECR
     from_ms INTEGER NOT NULL,       -- start of the hour the bytes were written in
     to_ms INTEGER NOT NULL,         -- end of the hour they stopped being stored in
     bytes INTEGER NOT NULL,
     head_byte_ms REAL NOT NULL,     -- sum of bytes x (written - from_ms): not stored in the first hour
     tail_byte_ms REAL NOT NULL,     -- sum of bytes x (to_ms - ended): not stored in the last hour
     PRIMARY KEY (service, region, storage_class, from_ms, to_ms)
   ) WITHOUT ROWID;
   CREATE TABLE ce_edge_usage (
     hour_ms INTEGER NOT NULL,
     location TEXT NOT NULL,         -- the price list's edge location ('United States')
     usage_type TEXT NOT NULL,       -- 'US-Requests-Tier1', 'US-DataTransfer-Out-Bytes'...
     quantity REAL NOT NULL,         -- requests, or bytes
     PRIMARY KEY (hour_ms, location, usage_type)
   ) WITHOUT ROWID;`,
];

const HOUR = 3_600_000;

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function hasTrigger(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?").get(name) !== undefined;
}

/**
 * The INSERT a trigger runs for bytes written at `written` that stop being
 * stored now. emulator_now_ms() is the emulator's clock, registered on the
 * connection by server.ts (one instant per statement); a clock moved back
 * below the write time ends the storage where it began.
 */
function endedStorage(service: string, region: string, storageClass: string, bytes: string, written: string, from = ''): string {
  const ended = `MAX(CAST(emulator_now_ms() AS INTEGER), ${written})`;
  const endHour = `((${ended} + ${HOUR - 1}) / ${HOUR}) * ${HOUR}`;
  return `INSERT INTO ce_ended_storage (service, region, storage_class, from_ms, to_ms, bytes, head_byte_ms, tail_byte_ms)
      SELECT '${service}', ${region}, ${storageClass}, (${written} / ${HOUR}) * ${HOUR}, ${endHour}, ${bytes},
             CAST(${bytes} AS REAL) * (${written} % ${HOUR}), CAST(${bytes} AS REAL) * (${endHour} - ${ended})
        ${from || 'WHERE true'}
      ON CONFLICT (service, region, storage_class, from_ms, to_ms) DO UPDATE SET
        bytes = bytes + excluded.bytes,
        head_byte_ms = head_byte_ms + excluded.head_byte_ms,
        tail_byte_ms = tail_byte_ms + excluded.tail_byte_ms;`;
}

/**
 * Installs the triggers that write ended storage into the ledger, each once
 * and only where its service is emulated (its table exists). Runs after ECR's
 * and S3's migrations (see services/index.ts). Storage deleted before these
 * triggers existed is not in the ledger.
 */
export function installLedgerTriggers(db: Database.Database): void {
  db.transaction(() => {
    if (hasTable(db, 'ecr_images') && !hasTrigger(db, 'ce_ecr_images_ended')) {
      db.exec(`CREATE TRIGGER ce_ecr_images_ended AFTER DELETE ON ecr_images WHEN OLD.size_bytes > 0 BEGIN
        ${endedStorage('ecr', 'OLD.region', "''", 'OLD.size_bytes', 'OLD.pushed_at_ms')}
      END;`);
    }
    // A bucket is deleted only once empty (DeleteBucket answers BucketNotEmpty
    // otherwise), so every object's bucket, and its region, is still there.
    if (hasTable(db, 's3_objects') && !hasTrigger(db, 'ce_s3_objects_ended')) {
      db.exec(`CREATE TRIGGER ce_s3_objects_ended AFTER DELETE ON s3_objects WHEN OLD.is_delete_marker = 0 AND OLD.size > 0 BEGIN
        ${endedStorage('s3', 'b.region', 'OLD.storage_class', 'OLD.size', 'OLD.last_modified_ms', 'FROM s3_buckets b WHERE b.name = OLD.bucket')}
      END;`);
    }
  })();
}

/** Databases whose schema has the ledger (Cost Explorer is among the emulated services). */
const ready = new WeakSet<Database.Database>();

export function markLedgerReady(db: Database.Database): void {
  ready.add(db);
}

/**
 * The edge location whose prices and usage-type prefix the emulator's edge
 * bills under. It answers on this machine; AWS names the location by where
 * the viewer was served, and the emulator's viewers are local.
 */
export const EDGE_LOCATION = 'United States';
const EDGE_PREFIX = 'US-';

/**
 * The usage types of one edge answer, as CloudFront reports them: GET and
 * HEAD requests are Requests-Tier1 (HTTP) or Requests-Tier2-HTTPS; other
 * methods (POST, PUT, PATCH, DELETE, OPTIONS) are Requests-HTTP-Proxy or
 * Requests-HTTPS-Proxy; bytes sent to the viewer are DataTransfer-Out-Bytes.
 * https://aws.amazon.com/cloudfront/pricing/
 */
export function edgeUsageTypes(method: string, https: boolean): { request: string; transfer: string } {
  const plain = method === 'GET' || method === 'HEAD';
  const request = plain ? (https ? 'Requests-Tier2-HTTPS' : 'Requests-Tier1') : https ? 'Requests-HTTPS-Proxy' : 'Requests-HTTP-Proxy';
  return { request: `${EDGE_PREFIX}${request}`, transfer: `${EDGE_PREFIX}DataTransfer-Out-Bytes` };
}

/**
 * Adds one answered edge request to its hour: one request, and the body
 * bytes sent to the viewer. A no-op when Cost Explorer is not emulated.
 */
export function recordEdgeUsage(env: EmulatorEnv, req: IncomingMessage, method: string, bytesOut: number): void {
  const db = env.db;
  if (!ready.has(db)) return;
  const hour = Math.floor(env.now() / HOUR) * HOUR;
  const https = (req.socket as TLSSocket | undefined)?.encrypted === true;
  const types = edgeUsageTypes(method, https);
  const add = db.prepare(
    `INSERT INTO ce_edge_usage (hour_ms, location, usage_type, quantity) VALUES (?, ?, ?, ?)
     ON CONFLICT (hour_ms, location, usage_type) DO UPDATE SET quantity = quantity + excluded.quantity`,
  );
  db.transaction(() => {
    add.run(hour, EDGE_LOCATION, types.request, 1);
    if (bytesOut > 0) add.run(hour, EDGE_LOCATION, types.transfer, bytesOut);
  })();
}
