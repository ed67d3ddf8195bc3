/** CloudFront tables. Append new steps; never edit a shipped one (see applyMigrations). */
export const CLOUDFRONT_MIGRATIONS: readonly string[] = [
  `CREATE TABLE cloudfront_distributions (
     id TEXT PRIMARY KEY,
     caller_reference TEXT NOT NULL UNIQUE,
     domain_name TEXT NOT NULL,
     etag TEXT NOT NULL,
     last_modified_ms INTEGER NOT NULL,
     -- The change is InProgress until this moment, then Deployed.
     deployed_at_ms INTEGER NOT NULL,
     enabled INTEGER NOT NULL,
     -- The DistributionConfig as XML, exactly as stored for Get/Update.
     config_xml TEXT NOT NULL,
     -- The DistributionSummary members that come from the config, pre-rendered as XML.
     summary_xml TEXT NOT NULL DEFAULT ''
   );`,
  // Distribution configs as JSON (what the handlers read), tags, origin
  // access, invalidations and the edge cache of served responses.
  `ALTER TABLE cloudfront_distributions ADD COLUMN config_json TEXT NOT NULL DEFAULT '{}';
   ALTER TABLE cloudfront_distributions ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
   CREATE UNIQUE INDEX cloudfront_distributions_domain ON cloudfront_distributions (domain_name);
   CREATE TABLE cloudfront_origin_access_controls (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     etag TEXT NOT NULL,
     config_json TEXT NOT NULL
   );
   CREATE TABLE cloudfront_origin_access_identities (
     id TEXT PRIMARY KEY,
     caller_reference TEXT NOT NULL UNIQUE,
     comment TEXT NOT NULL,
     canonical_user_id TEXT NOT NULL,
     etag TEXT NOT NULL
   );
   CREATE TABLE cloudfront_invalidations (
     distribution_id TEXT NOT NULL REFERENCES cloudfront_distributions (id) ON DELETE CASCADE,
     id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     caller_reference TEXT NOT NULL,
     paths_json TEXT NOT NULL,
     created_at_ms INTEGER NOT NULL,
     -- InProgress until this moment, then Completed.
     completed_at_ms INTEGER NOT NULL,
     PRIMARY KEY (distribution_id, id),
     UNIQUE (distribution_id, caller_reference)
   );
   CREATE INDEX cloudfront_invalidations_by_seq ON cloudfront_invalidations (distribution_id, seq);
   -- Responses an edge served with 200, kept until expires_at_ms or an invalidation.
   -- The body is the S3 object's content-addressed blob, so nothing is copied.
   CREATE TABLE cloudfront_edge_cache (
     distribution_id TEXT NOT NULL REFERENCES cloudfront_distributions (id) ON DELETE CASCADE,
     path TEXT NOT NULL,
     headers_json TEXT NOT NULL,
     blob_sha256 TEXT,
     size INTEGER NOT NULL,
     stored_at_ms INTEGER NOT NULL,
     expires_at_ms INTEGER NOT NULL,
     PRIMARY KEY (distribution_id, path)
   );`,
  // Custom cache, origin request and response headers policies (the managed
  // ones are constants in managed-policies.ts), and CloudFront Functions, one
  // row per stage: DEVELOPMENT always, LIVE once published.
  `CREATE TABLE cloudfront_policies (
     kind TEXT NOT NULL,
     id TEXT NOT NULL,
     name TEXT NOT NULL,
     etag TEXT NOT NULL,
     config_json TEXT NOT NULL,
     last_modified_ms INTEGER NOT NULL,
     PRIMARY KEY (kind, id),
     UNIQUE (kind, name)
   );
   CREATE TABLE cloudfront_functions (
     name TEXT NOT NULL,
     stage TEXT NOT NULL,
     comment TEXT NOT NULL,
     runtime TEXT NOT NULL,
     kvs_json TEXT NOT NULL,
     code BLOB NOT NULL,
     etag TEXT NOT NULL,
     created_ms INTEGER NOT NULL,
     last_modified_ms INTEGER NOT NULL,
     tags TEXT NOT NULL DEFAULT '[]',
     PRIMARY KEY (name, stage)
   );`,
];
