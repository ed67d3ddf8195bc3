import type BetterSqlite3 from 'better-sqlite3';

// A synthetic audit trail, for the scale test and the bench: `count` entries a
// second apart from T0, spread over 50 people, 20 actions, 1,000 resources
// (buckets, their objects, repositories) and a few failures.

export const SYNTHETIC_T0 = Date.UTC(2026, 0, 1);

export const SYNTHETIC_COLUMNS = ['at', 'actor', 'role', 'action', 'target', 'parent', 'region', 'outcome', 'request_id', 'client_address', 'instance', 'detail'] as const;

const ACTIONS = [
  's3.object.download', 's3.object.upload', 's3.objects.delete', 's3.bucket.versioning', 's3.bucket.policy.save', 's3.bucket.tags', 's3.bucket.website',
  'ecr.images.delete', 'ecr.repository.settings', 'ecr.repository.policy.save', 'ecr.repository.lifecycle.save', 'ecr.image.scan',
  'cloudfront.distribution.update', 'cloudfront.invalidation.create', 'cloudfront.distribution.enable', 'sign-in', 'sign-out', 'reads.refresh', 'audit.export.csv', 'users.save',
];

export function syntheticPerson(i: number): string {
  return `person-${i % 50}@example.com`;
}

export function syntheticTarget(i: number): string {
  const r = i % 1000;
  if (r < 400) return `arn:aws:s3:::bucket-${r % 40}/objects/${r}.bin`;
  if (r < 600) return `arn:aws:s3:::bucket-${r % 40}`;
  return `arn:aws:ecr:eu-west-1:123456789012:repository/team/repo-${r}`;
}

/** The resource page entry i belongs to (audit_events.parent): an object's bucket, else the target. */
export function syntheticParent(i: number): string {
  const r = i % 1000;
  return r < 600 ? `arn:aws:s3:::bucket-${r % 40}` : syntheticTarget(i);
}

/** The values of entry i (0-based), in SYNTHETIC_COLUMNS order. */
export function syntheticRow(i: number): (string | number | null)[] {
  return [
    SYNTHETIC_T0 + i * 1000,
    syntheticPerson(i),
    i % 7 === 0 ? 'viewer' : 'admin',
    ACTIONS[i % ACTIONS.length]!,
    syntheticTarget(i),
    syntheticParent(i),
    'eu-west-1',
    i % 97 === 0 ? 'error:AccessDenied' : 'ok',
    `req-${i.toString(36)}`,
    `10.0.${(i >> 8) & 255}.${i & 255}`,
    `bench:${i % 2}`,
    null,
  ];
}

/**
 * Appends `count` synthetic entries to a migrated SQLite database, fast: 500
 * rows a statement in one transaction, with the table's indexes dropped
 * first and built again after from their own definitions (building an index
 * once over sorted keys is several times quicker than a million inserts
 * into four of them), so the indexes are exactly the migration's.
 */
export function insertSynthetic(raw: BetterSqlite3.Database, count: number, batch = 500): void {
  const indexes = raw.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  const row = `(${SYNTHETIC_COLUMNS.map(() => '?').join(', ')})`;
  const full = raw.prepare(`INSERT INTO audit_events (${SYNTHETIC_COLUMNS.join(', ')}) VALUES ${Array(batch).fill(row).join(', ')}`);
  raw.transaction(() => {
    for (const index of indexes) raw.exec(`DROP INDEX "${index.name}"`);
    for (let i = 0; i < count; i += batch) {
      const n = Math.min(batch, count - i);
      const values: (string | number | null)[] = [];
      for (let j = i; j < i + n; j++) values.push(...syntheticRow(j));
      (n === batch ? full : raw.prepare(`INSERT INTO audit_events (${SYNTHETIC_COLUMNS.join(', ')}) VALUES ${Array(n).fill(row).join(', ')}`)).run(values);
    }
    for (const index of indexes) raw.exec(index.sql);
  })();
}
