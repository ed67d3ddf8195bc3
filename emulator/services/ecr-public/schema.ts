/**
 * ECR Public tables, apart from private ECR's: the public registry is one per
 * account and global (its API lives in us-east-1 only), so nothing here is
 * keyed by region. Append new steps; never edit a shipped one (see
 * applyMigrations).
 */
export const ECR_PUBLIC_MIGRATIONS: readonly string[] = [
  `CREATE TABLE ecr_public_registry (
     registry_id TEXT PRIMARY KEY,
     alias TEXT,
     display_name TEXT,
     created_at_ms INTEGER NOT NULL
   );
   CREATE TABLE ecr_public_repositories (
     name TEXT PRIMARY KEY,
     created_at_ms INTEGER NOT NULL,
     catalog_data TEXT NOT NULL DEFAULT '{}',
     policy TEXT,
     tags TEXT NOT NULL DEFAULT '[]'
   );
   CREATE TABLE ecr_public_images (
     repository_name TEXT NOT NULL,
     digest TEXT NOT NULL,
     manifest TEXT NOT NULL,
     media_type TEXT NOT NULL,
     artifact_media_type TEXT,
     size_bytes INTEGER NOT NULL,
     pushed_at_ms INTEGER NOT NULL,
     PRIMARY KEY (repository_name, digest),
     FOREIGN KEY (repository_name) REFERENCES ecr_public_repositories (name) ON DELETE CASCADE
   );
   CREATE TABLE ecr_public_image_tags (
     repository_name TEXT NOT NULL,
     tag TEXT NOT NULL,
     digest TEXT NOT NULL,
     created_at_ms INTEGER NOT NULL,
     PRIMARY KEY (repository_name, tag),
     FOREIGN KEY (repository_name, digest) REFERENCES ecr_public_images (repository_name, digest) ON DELETE CASCADE
   );
   CREATE INDEX ecr_public_image_tags_by_digest ON ecr_public_image_tags (repository_name, digest);
   CREATE TABLE ecr_public_image_refs (
     repository_name TEXT NOT NULL,
     parent_digest TEXT NOT NULL,
     child_digest TEXT NOT NULL,
     PRIMARY KEY (repository_name, parent_digest, child_digest),
     FOREIGN KEY (repository_name, parent_digest) REFERENCES ecr_public_images (repository_name, digest) ON DELETE CASCADE
   );
   CREATE INDEX ecr_public_image_refs_by_child ON ecr_public_image_refs (repository_name, child_digest);
   CREATE TABLE ecr_public_layers (
     repository_name TEXT NOT NULL,
     digest TEXT NOT NULL,
     size_bytes INTEGER NOT NULL,
     media_type TEXT,
     created_at_ms INTEGER NOT NULL,
     PRIMARY KEY (repository_name, digest),
     FOREIGN KEY (repository_name) REFERENCES ecr_public_repositories (name) ON DELETE CASCADE
   );
   CREATE TABLE ecr_public_uploads (
     upload_id TEXT PRIMARY KEY,
     repository_name TEXT NOT NULL,
     created_at_ms INTEGER NOT NULL,
     FOREIGN KEY (repository_name) REFERENCES ecr_public_repositories (name) ON DELETE CASCADE
   );`,
];
