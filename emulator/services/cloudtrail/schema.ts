/** CloudTrail tables. Append new steps; never edit a shipped one (see applyMigrations). */
export const CLOUDTRAIL_MIGRATIONS: readonly string[] = [
  `CREATE TABLE cloudtrail_events (
     seq INTEGER PRIMARY KEY,
     event_id TEXT NOT NULL,
     region TEXT NOT NULL,
     -- 'Management' (event history, LookupEvents) or 'Data' (only when a trail selects it).
     category TEXT NOT NULL,
     time_ms INTEGER NOT NULL,
     event_name TEXT NOT NULL,
     event_source TEXT NOT NULL,
     username TEXT,
     access_key_id TEXT,
     read_only INTEGER NOT NULL,
     -- LookupEvents' Resources: [{"ResourceType", "ResourceName"}].
     resources_json TEXT NOT NULL,
     -- Data events: the names of the trails whose selectors took them, as JSON.
     trails_json TEXT,
     -- The CloudTrailEvent document, as CloudTrail writes it.
     record_json TEXT NOT NULL
   );
   -- Event history without a lookup attribute: newest first within a region.
   CREATE INDEX cloudtrail_events_by_time ON cloudtrail_events (region, category, time_ms, seq);
   CREATE INDEX cloudtrail_events_by_age ON cloudtrail_events (time_ms);
   -- One row per lookup attribute of a management event (EventName, Username, ResourceName…),
   -- so any single-attribute lookup is one index range, newest first.
   CREATE TABLE cloudtrail_lookup (
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     region TEXT NOT NULL,
     time_ms INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     PRIMARY KEY (key, value, region, time_ms, seq)
   ) WITHOUT ROWID;
   CREATE INDEX cloudtrail_lookup_by_age ON cloudtrail_lookup (time_ms);
   CREATE TABLE cloudtrail_trails (
     name TEXT NOT NULL,
     -- The home region: the trail is managed there (and, multi-region, records everywhere).
     region TEXT NOT NULL,
     arn TEXT NOT NULL UNIQUE,
     s3_bucket TEXT NOT NULL,
     s3_prefix TEXT,
     include_global INTEGER NOT NULL,
     multi_region INTEGER NOT NULL,
     log_file_validation INTEGER NOT NULL,
     is_logging INTEGER NOT NULL DEFAULT 0,
     started_ms INTEGER,
     stopped_ms INTEGER,
     -- Exactly one of these is set: basic EventSelectors or AdvancedEventSelectors, as JSON.
     event_selectors_json TEXT,
     advanced_selectors_json TEXT,
     created_ms INTEGER NOT NULL,
     PRIMARY KEY (region, name)
   );`,
];
