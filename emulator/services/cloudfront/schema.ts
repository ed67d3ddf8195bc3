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
];
