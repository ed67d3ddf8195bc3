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
  // Objects, versions, multipart uploads and bucket sub-resources.
  `ALTER TABLE s3_objects ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX s3_objects_current ON s3_objects (bucket, key) WHERE is_latest = 1 AND is_delete_marker = 0;
   CREATE INDEX s3_objects_by_seq ON s3_objects (bucket, key, seq DESC);
   ALTER TABLE s3_buckets ADD COLUMN versioning TEXT;
   ALTER TABLE s3_buckets ADD COLUMN website TEXT;
   ALTER TABLE s3_buckets ADD COLUMN policy TEXT;
   ALTER TABLE s3_buckets ADD COLUMN public_access_block TEXT;
   ALTER TABLE s3_buckets ADD COLUMN tags TEXT;
   CREATE TABLE s3_uploads (
     upload_id TEXT PRIMARY KEY,
     bucket TEXT NOT NULL REFERENCES s3_buckets (name) ON DELETE CASCADE,
     key TEXT NOT NULL,
     initiated_ms INTEGER NOT NULL,
     content_type TEXT,
     metadata TEXT NOT NULL DEFAULT '{}'
   );
   CREATE INDEX s3_uploads_by_key ON s3_uploads (bucket, key, initiated_ms);
   CREATE TABLE s3_parts (
     upload_id TEXT NOT NULL REFERENCES s3_uploads (upload_id) ON DELETE CASCADE,
     part_number INTEGER NOT NULL,
     size INTEGER NOT NULL,
     etag TEXT NOT NULL,
     blob_sha256 TEXT NOT NULL,
     last_modified_ms INTEGER NOT NULL,
     PRIMARY KEY (upload_id, part_number)
   );`,
  // Storage classes, as x-amz-storage-class sets them.
  `ALTER TABLE s3_objects ADD COLUMN storage_class TEXT NOT NULL DEFAULT 'STANDARD';
   ALTER TABLE s3_uploads ADD COLUMN storage_class TEXT NOT NULL DEFAULT 'STANDARD';`,
  // Object tags per version (gone with their version), tags an upload carries to
  // completion, and the bucket's default encryption (NULL: SSE-S3, S3's default).
  `CREATE TABLE s3_object_tags (
     bucket TEXT NOT NULL,
     key TEXT NOT NULL,
     version_id TEXT NOT NULL,
     tags TEXT NOT NULL,
     PRIMARY KEY (bucket, key, version_id),
     FOREIGN KEY (bucket, key, version_id) REFERENCES s3_objects (bucket, key, version_id) ON DELETE CASCADE
   );
   ALTER TABLE s3_uploads ADD COLUMN tags TEXT;
   ALTER TABLE s3_buckets ADD COLUMN encryption TEXT;`,
  // Bucket sub-resources kept as the SDK's own shapes in JSON (lifecycle, CORS,
  // logging, notification, bucket ACL); object ACLs set while ACLs are enabled;
  // the part sizes of objects completed from multipart uploads. Both go with
  // their object version, like object tags.
  `CREATE TABLE s3_bucket_documents (
     bucket TEXT NOT NULL REFERENCES s3_buckets (name) ON DELETE CASCADE,
     kind TEXT NOT NULL,
     document TEXT NOT NULL,
     PRIMARY KEY (bucket, kind)
   );
   CREATE TABLE s3_object_acls (
     bucket TEXT NOT NULL,
     key TEXT NOT NULL,
     version_id TEXT NOT NULL,
     grants TEXT NOT NULL,
     PRIMARY KEY (bucket, key, version_id),
     FOREIGN KEY (bucket, key, version_id) REFERENCES s3_objects (bucket, key, version_id) ON DELETE CASCADE
   );
   CREATE TABLE s3_object_parts (
     bucket TEXT NOT NULL,
     key TEXT NOT NULL,
     version_id TEXT NOT NULL,
     part_number INTEGER NOT NULL,
     size INTEGER NOT NULL,
     PRIMARY KEY (bucket, key, version_id, part_number),
     FOREIGN KEY (bucket, key, version_id) REFERENCES s3_objects (bucket, key, version_id) ON DELETE CASCADE
   );`,
  // The account-level Block Public Access setting (S3 Control's
  // PutPublicAccessBlock with x-amz-account-id), one row per account.
  `CREATE TABLE s3_account_settings (
     account_id TEXT PRIMARY KEY,
     public_access_block TEXT
   );`,
];
