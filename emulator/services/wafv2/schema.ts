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
];
