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
];
