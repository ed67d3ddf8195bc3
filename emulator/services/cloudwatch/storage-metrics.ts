import type Database from 'better-sqlite3';
import type { EmulatorEnv } from '../../core/types';
import { putValue } from './store';

/**
 * S3's daily storage metrics (namespace AWS/S3): BucketSizeBytes per
 * StorageType and NumberOfObjects for AllStorageTypes, one data point a day
 * stamped at 00:00 UTC, in the bucket's region. Both count every version
 * (current and noncurrent) and NumberOfObjects counts delete markers too.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html
 *
 * Sizes come from running totals that SQLite triggers keep as objects are
 * written and removed, so a sample costs a few rows whatever the bucket holds.
 * Parts of unfinished multipart uploads, which AWS also counts, are not.
 */

const DAY_MS = 86_400_000;

/** x-amz-storage-class → the StorageType dimension value of its bytes. */
const STORAGE_TYPES: Record<string, string> = {
  STANDARD: 'StandardStorage',
  STANDARD_IA: 'StandardIAStorage',
  ONEZONE_IA: 'OneZoneIAStorage',
  REDUCED_REDUNDANCY: 'ReducedRedundancyStorage',
  INTELLIGENT_TIERING: 'IntelligentTieringFAStorage',
  GLACIER: 'GlacierStorage',
  GLACIER_IR: 'GlacierInstantRetrievalStorage',
  DEEP_ARCHIVE: 'DeepArchiveStorage',
  EXPRESS_ONEZONE: 'ExpressOneZone',
};

export function storageTypeOf(storageClass: string): string {
  return STORAGE_TYPES[storageClass] ?? 'StandardStorage';
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * Installs the triggers that keep cloudwatch_s3_totals in step with
 * s3_objects, counting what is already stored the first time. Skipped when
 * S3 is not emulated (no s3_objects table).
 */
export function installStorageTriggers(db: Database.Database): void {
  if (!hasTable(db, 's3_objects')) return;
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'cloudwatch_s3_objects_insert'").get()) return;
  const add = (sign: '+' | '-', row: 'NEW' | 'OLD') =>
    `INSERT INTO cloudwatch_s3_totals (bucket, storage_class, bytes, objects) VALUES (${row}.bucket, ${row}.storage_class, ${sign}${row}.size, ${sign}1)
     ON CONFLICT (bucket, storage_class) DO UPDATE SET bytes = bytes + excluded.bytes, objects = objects + excluded.objects;`;
  db.transaction(() => {
    db.exec(`
      DELETE FROM cloudwatch_s3_totals;
      INSERT INTO cloudwatch_s3_totals (bucket, storage_class, bytes, objects)
        SELECT bucket, storage_class, SUM(size), COUNT(*) FROM s3_objects GROUP BY bucket, storage_class;
      CREATE TRIGGER cloudwatch_s3_objects_insert AFTER INSERT ON s3_objects BEGIN ${add('+', 'NEW')} END;
      CREATE TRIGGER cloudwatch_s3_objects_delete AFTER DELETE ON s3_objects BEGIN ${add('-', 'OLD')} END;
      CREATE TRIGGER cloudwatch_s3_objects_update AFTER UPDATE OF bucket, size, storage_class ON s3_objects BEGIN
        ${add('-', 'OLD')}
        ${add('+', 'NEW')}
      END;
    `);
  })();
}

export interface StorageTotals {
  storageClass: string;
  bytes: number;
  objects: number;
}

export function totalsOf(db: Database.Database, bucket: string): StorageTotals[] {
  return db
    .prepare('SELECT storage_class AS storageClass, bytes, objects FROM cloudwatch_s3_totals WHERE bucket = ? AND objects > 0 ORDER BY storage_class')
    .all(bucket) as StorageTotals[];
}

/**
 * Takes today's sample of every bucket not yet sampled today. Called before
 * each read of metrics, so a running emulator has a point for every day it
 * was asked on; days it was not asked have none, as a gap in AWS's data would.
 * A bucket created later in the day is sampled at the first read after it.
 */
export function sampleStorageIfDue(env: EmulatorEnv): void {
  const db = env.db;
  if (!hasTable(db, 's3_buckets')) return;
  const day = Math.floor(env.now() / DAY_MS) * DAY_MS;
  const due = db
    .prepare('SELECT name, region FROM s3_buckets WHERE name NOT IN (SELECT bucket FROM cloudwatch_s3_samples WHERE day_ms = ?)')
    .all(day) as { name: string; region: string }[];
  if (due.length === 0) return;
  db.transaction(() => {
    for (const b of due) sampleBucket(env, b.name, b.region, day);
  })();
}

/** Records one bucket's sample for `day` unless it has one. */
export function sampleBucket(env: EmulatorEnv, bucket: string, region: string, day: number): void {
  const db = env.db;
  const fresh = db.prepare('INSERT OR IGNORE INTO cloudwatch_s3_samples (bucket, day_ms) VALUES (?, ?)').run(bucket, day);
  if (fresh.changes === 0) return;
  const totals = totalsOf(db, bucket);
  const bytesByType = new Map<string, number>([['StandardStorage', 0]]);
  let objects = 0;
  for (const t of totals) {
    const type = storageTypeOf(t.storageClass);
    bytesByType.set(type, (bytesByType.get(type) ?? 0) + t.bytes);
    objects += t.objects;
  }
  for (const [type, bytes] of bytesByType) {
    putValue(env, region, 'AWS/S3', 'BucketSizeBytes', [{ Name: 'BucketName', Value: bucket }, { Name: 'StorageType', Value: type }], 'Bytes', day, bytes);
  }
  putValue(env, region, 'AWS/S3', 'NumberOfObjects', [{ Name: 'BucketName', Value: bucket }, { Name: 'StorageType', Value: 'AllStorageTypes' }], 'Count', day, objects);
}
