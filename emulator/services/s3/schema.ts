/** S3 tables. Append new steps; never edit a shipped one (see applyMigrations). */
export const S3_MIGRATIONS: readonly string[] = [
  `CREATE TABLE s3_buckets (
     name TEXT PRIMARY KEY,
     region TEXT NOT NULL,
     created_at_ms INTEGER NOT NULL,
     owner_account TEXT NOT NULL,
     object_ownership TEXT NOT NULL DEFAULT 'BucketOwnerEnforced',
     object_lock_enabled INTEGER NOT NULL DEFAULT 0
   );
   -- Filled by the object API later; DeleteBucket already refuses a bucket with rows here.
   CREATE TABLE s3_objects (
     bucket TEXT NOT NULL REFERENCES s3_buckets (name) ON DELETE CASCADE,
     key TEXT NOT NULL,
     version_id TEXT NOT NULL DEFAULT 'null',
     is_latest INTEGER NOT NULL DEFAULT 1,
     is_delete_marker INTEGER NOT NULL DEFAULT 0,
     size INTEGER NOT NULL DEFAULT 0,
     etag TEXT,
     content_type TEXT,
     blob_sha256 TEXT,
     last_modified_ms INTEGER NOT NULL,
     metadata TEXT NOT NULL DEFAULT '{}',
     PRIMARY KEY (bucket, key, version_id)
   );`,
];
