/**
 * ECR tables. Append new steps; never edit a shipped one (see applyMigrations).
 * Repositories are regional, so the region is part of every key.
 */
export const ECR_MIGRATIONS: readonly string[] = [
  `CREATE TABLE ecr_repositories (
     region TEXT NOT NULL,
     name TEXT NOT NULL,
     registry_id TEXT NOT NULL,
     created_at_ms INTEGER NOT NULL,
     tag_mutability TEXT NOT NULL,
     tag_mutability_exclusions TEXT,
     scan_on_push INTEGER NOT NULL,
     encryption_type TEXT NOT NULL,
     kms_key TEXT,
     tags TEXT NOT NULL DEFAULT '[]',
     PRIMARY KEY (region, name)
   );
   CREATE TABLE ecr_images (
     region TEXT NOT NULL,
     repository_name TEXT NOT NULL,
     digest TEXT NOT NULL,
     manifest TEXT NOT NULL,
     media_type TEXT NOT NULL,
     size_bytes INTEGER NOT NULL,
     pushed_at_ms INTEGER NOT NULL,
     PRIMARY KEY (region, repository_name, digest),
     FOREIGN KEY (region, repository_name) REFERENCES ecr_repositories (region, name) ON DELETE CASCADE
   );
   CREATE TABLE ecr_image_tags (
     region TEXT NOT NULL,
     repository_name TEXT NOT NULL,
     tag TEXT NOT NULL,
     digest TEXT NOT NULL,
     PRIMARY KEY (region, repository_name, tag),
     FOREIGN KEY (region, repository_name, digest) REFERENCES ecr_images (region, repository_name, digest) ON DELETE CASCADE
   );`,
  // Step 2: images for real (layers, uploads, manifest references, pulls,
  // scans), repository and lifecycle policies, lifecycle previews.
  `ALTER TABLE ecr_repositories ADD COLUMN repository_policy TEXT;
   ALTER TABLE ecr_repositories ADD COLUMN lifecycle_policy TEXT;
   ALTER TABLE ecr_repositories ADD COLUMN lifecycle_evaluated_ms INTEGER;
   ALTER TABLE ecr_images ADD COLUMN artifact_media_type TEXT;
   ALTER TABLE ecr_images ADD COLUMN last_pull_ms INTEGER;
   ALTER TABLE ecr_images ADD COLUMN scan_started_ms INTEGER;
   ALTER TABLE ecr_images ADD COLUMN scan_status TEXT;
   ALTER TABLE ecr_image_tags ADD COLUMN tagged_at_ms INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX ecr_image_tags_by_digest ON ecr_image_tags (region, repository_name, digest);
   CREATE INDEX ecr_images_by_push ON ecr_images (region, repository_name, pushed_at_ms);
   CREATE TABLE ecr_layers (
     region TEXT NOT NULL,
     repository_name TEXT NOT NULL,
     digest TEXT NOT NULL,
     size_bytes INTEGER NOT NULL,
     media_type TEXT,
     created_at_ms INTEGER NOT NULL,
     PRIMARY KEY (region, repository_name, digest),
     FOREIGN KEY (region, repository_name) REFERENCES ecr_repositories (region, name) ON DELETE CASCADE
   );
   CREATE TABLE ecr_image_refs (
     region TEXT NOT NULL,
     repository_name TEXT NOT NULL,
     parent_digest TEXT NOT NULL,
     child_digest TEXT NOT NULL,
     PRIMARY KEY (region, repository_name, parent_digest, child_digest),
     FOREIGN KEY (region, repository_name, parent_digest) REFERENCES ecr_images (region, repository_name, digest) ON DELETE CASCADE
   );
   CREATE INDEX ecr_image_refs_by_child ON ecr_image_refs (region, repository_name, child_digest);
   CREATE TABLE ecr_uploads (
     upload_id TEXT PRIMARY KEY,
     region TEXT NOT NULL,
     repository_name TEXT NOT NULL,
     created_at_ms INTEGER NOT NULL,
     FOREIGN KEY (region, repository_name) REFERENCES ecr_repositories (region, name) ON DELETE CASCADE
   );
   CREATE TABLE ecr_lifecycle_previews (
     region TEXT NOT NULL,
     repository_name TEXT NOT NULL,
     policy TEXT NOT NULL,
     started_at_ms INTEGER NOT NULL,
     results TEXT NOT NULL,
     PRIMARY KEY (region, repository_name),
     FOREIGN KEY (region, repository_name) REFERENCES ecr_repositories (region, name) ON DELETE CASCADE
   );`,
  // Step 3: registry-level settings (replication, scanning, registry
  // policy), pull through cache rules and repository creation templates. All
  // are per region, as ECR's private registry settings are.
  `CREATE TABLE ecr_registry_settings (
     region TEXT PRIMARY KEY,
     replication TEXT,
     scanning TEXT,
     policy TEXT
   );
   CREATE TABLE ecr_pull_through_rules (
     region TEXT NOT NULL,
     prefix TEXT NOT NULL,
     upstream_url TEXT NOT NULL,
     upstream_registry TEXT NOT NULL,
     upstream_prefix TEXT,
     credential_arn TEXT,
     custom_role_arn TEXT,
     created_at_ms INTEGER NOT NULL,
     updated_at_ms INTEGER NOT NULL,
     PRIMARY KEY (region, prefix)
   );
   CREATE TABLE ecr_creation_templates (
     region TEXT NOT NULL,
     prefix TEXT NOT NULL,
     template TEXT NOT NULL,
     created_at_ms INTEGER NOT NULL,
     updated_at_ms INTEGER NOT NULL,
     PRIMARY KEY (region, prefix)
   );`,
];
