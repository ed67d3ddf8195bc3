/**
 * IAM tables. Append new steps; never edit a shipped one (see applyMigrations).
 *
 * IAM is global, so nothing here has a region. Names of users, groups, roles
 * and policies are unique without regard to case, and lookups ignore case
 * too, which is what `COLLATE NOCASE` on every name column gives: "you can't
 * create resources named both MyResource and myresource".
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
 *
 * Lists of members and attachments keep insertion order (rowid).
 * Entities refer to each other by name (as IAM's API does); a rename
 * (UpdateUser, UpdateGroup) rewrites the references in one transaction.
 */
export const IAM_MIGRATIONS: readonly string[] = [
  `CREATE TABLE iam_users (
     name TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
     user_id TEXT NOT NULL UNIQUE,
     path TEXT NOT NULL,
     created_ms INTEGER NOT NULL,
     permissions_boundary TEXT,
     tags TEXT NOT NULL DEFAULT '[]'
   );
   CREATE TABLE iam_groups (
     name TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
     group_id TEXT NOT NULL UNIQUE,
     path TEXT NOT NULL,
     created_ms INTEGER NOT NULL
   );
   CREATE TABLE iam_group_members (
     group_name TEXT NOT NULL COLLATE NOCASE,
     user_name TEXT NOT NULL COLLATE NOCASE,
     PRIMARY KEY (group_name, user_name)
   );
   CREATE INDEX iam_group_members_by_user ON iam_group_members (user_name);
   CREATE TABLE iam_roles (
     name TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
     role_id TEXT NOT NULL UNIQUE,
     path TEXT NOT NULL,
     created_ms INTEGER NOT NULL,
     trust_policy TEXT NOT NULL,
     description TEXT,
     max_session_duration INTEGER NOT NULL DEFAULT 3600,
     permissions_boundary TEXT,
     tags TEXT NOT NULL DEFAULT '[]'
   );
   CREATE TABLE iam_policies (
     arn TEXT NOT NULL PRIMARY KEY,
     name TEXT NOT NULL COLLATE NOCASE,
     policy_id TEXT NOT NULL UNIQUE,
     path TEXT NOT NULL,
     description TEXT,
     created_ms INTEGER NOT NULL,
     updated_ms INTEGER NOT NULL,
     default_version TEXT NOT NULL,
     next_version INTEGER NOT NULL,
     aws_managed INTEGER NOT NULL DEFAULT 0,
     tags TEXT NOT NULL DEFAULT '[]'
   );
   CREATE UNIQUE INDEX iam_policies_local_name ON iam_policies (name) WHERE aws_managed = 0;
   CREATE TABLE iam_policy_versions (
     policy_arn TEXT NOT NULL REFERENCES iam_policies (arn) ON DELETE CASCADE,
     version_id TEXT NOT NULL,
     number INTEGER NOT NULL,
     document TEXT NOT NULL,
     created_ms INTEGER NOT NULL,
     PRIMARY KEY (policy_arn, version_id)
   );
   CREATE TABLE iam_attachments (
     entity_type TEXT NOT NULL,
     entity_name TEXT NOT NULL COLLATE NOCASE,
     policy_arn TEXT NOT NULL REFERENCES iam_policies (arn),
     PRIMARY KEY (entity_type, entity_name, policy_arn)
   );
   CREATE INDEX iam_attachments_by_policy ON iam_attachments (policy_arn);
   CREATE TABLE iam_inline_policies (
     entity_type TEXT NOT NULL,
     entity_name TEXT NOT NULL COLLATE NOCASE,
     policy_name TEXT NOT NULL COLLATE NOCASE,
     document TEXT NOT NULL,
     PRIMARY KEY (entity_type, entity_name, policy_name)
   );
   CREATE TABLE iam_access_keys (
     access_key_id TEXT NOT NULL PRIMARY KEY,
     user_name TEXT NOT NULL COLLATE NOCASE,
     secret TEXT NOT NULL,
     status TEXT NOT NULL,
     created_ms INTEGER NOT NULL,
     last_used_ms INTEGER,
     last_used_service TEXT,
     last_used_region TEXT
   );
   CREATE INDEX iam_access_keys_by_user ON iam_access_keys (user_name);
   CREATE TABLE iam_oidc_providers (
     arn TEXT NOT NULL PRIMARY KEY,
     url TEXT NOT NULL,
     client_ids TEXT NOT NULL DEFAULT '[]',
     thumbprints TEXT NOT NULL DEFAULT '[]',
     created_ms INTEGER NOT NULL,
     tags TEXT NOT NULL DEFAULT '[]'
   );`,
];
