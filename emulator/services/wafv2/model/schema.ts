/** WAFv2 tables. Append new steps; never edit a shipped one (see applyMigrations). */
export const WAFV2_MIGRATIONS: readonly string[] = [
  `CREATE TABLE wafv2_web_acls (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     scope TEXT NOT NULL,
     -- us-east-1 for CLOUDFRONT (global) web ACLs.
     region TEXT NOT NULL,
     arn TEXT NOT NULL UNIQUE,
     lock_token TEXT NOT NULL,
     description TEXT,
     -- DefaultAction, Rules, VisibilityConfig and the other settings, as sent.
     body_json TEXT NOT NULL,
     capacity INTEGER NOT NULL,
     tags_json TEXT NOT NULL DEFAULT '[]',
     created_at_ms INTEGER NOT NULL,
     UNIQUE (scope, region, name)
   );`,
  `CREATE TABLE wafv2_ip_sets (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     scope TEXT NOT NULL,
     region TEXT NOT NULL,
     arn TEXT NOT NULL UNIQUE,
     lock_token TEXT NOT NULL,
     description TEXT,
     ip_address_version TEXT NOT NULL,
     -- The CIDR blocks, as a JSON array, in the order they were sent.
     addresses_json TEXT NOT NULL,
     created_at_ms INTEGER NOT NULL,
     UNIQUE (scope, region, name)
   );`,
  // Tags of any WAF entity, by ARN (TagResource works on ARNs); the web ACLs' own column moves here.
  `CREATE TABLE wafv2_tags (
     arn TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (arn, key)
   );
   INSERT OR REPLACE INTO wafv2_tags (arn, key, value)
     SELECT a.arn, json_extract(t.value, '$.Key'), json_extract(t.value, '$.Value')
     FROM wafv2_web_acls a, json_each(a.tags_json) t;
   ALTER TABLE wafv2_web_acls DROP COLUMN tags_json;`,
];
