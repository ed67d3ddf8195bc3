import type Database from 'better-sqlite3';
import { AwsError } from '../../../core/errors';
import { checkObjectTags, tagsFromHeader, type Tag } from './tag-rules';

/**
 * Object tags, kept per object version as S3 does (a new version starts with
 * the tags its write carried, nothing else). Rows go with their version: the
 * table's foreign key deletes them when the version is deleted or replaced.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
 */

export function objectTagsOf(db: Database.Database, bucket: string, key: string, versionId: string): Tag[] {
  const row = db.prepare('SELECT tags FROM s3_object_tags WHERE bucket = ? AND key = ? AND version_id = ?').get(bucket, key, versionId) as
    | { tags: string }
    | undefined;
  return row ? (JSON.parse(row.tags) as Tag[]) : [];
}

export function objectTagCount(db: Database.Database, bucket: string, key: string, versionId: string): number {
  return objectTagsOf(db, bucket, key, versionId).length;
}

/** Replaces a version's tag set; an empty set removes it. Call inside the write's transaction. */
export function setObjectTags(db: Database.Database, bucket: string, key: string, versionId: string, tags: readonly Tag[]): void {
  if (tags.length === 0) {
    db.prepare('DELETE FROM s3_object_tags WHERE bucket = ? AND key = ? AND version_id = ?').run(bucket, key, versionId);
    return;
  }
  db.prepare(
    `INSERT INTO s3_object_tags (bucket, key, version_id, tags) VALUES (?, ?, ?, ?)
     ON CONFLICT (bucket, key, version_id) DO UPDATE SET tags = excluded.tags`,
  ).run(bucket, key, versionId, JSON.stringify(tags));
}

/** `x-amz-tagging` (PutObject, CreateMultipartUpload, CopyObject): a URL query string, checked; undefined when absent. */
export function requestTags(tagging: string | undefined): Tag[] | undefined {
  return tagging === undefined ? undefined : tagsFromHeader(tagging);
}

/** A tag set sent as a document (PutObjectTagging), checked as S3 does. */
export function documentTags(tagSet: readonly { Key?: string; Value?: string }[], malformed: () => AwsError): Tag[] {
  const tags = tagSet.map((t) => {
    if (t.Key === undefined) throw malformed();
    return { Key: t.Key, Value: t.Value ?? '' };
  });
  return checkObjectTags(tags);
}

/** CopyObject's `x-amz-tagging-directive`: COPY (the default) keeps the source's tags, REPLACE takes the request's. */
export function taggingDirectiveOf(raw: string | undefined): 'COPY' | 'REPLACE' {
  if (raw === undefined) return 'COPY';
  const d = raw.toUpperCase();
  if (d !== 'COPY' && d !== 'REPLACE') {
    throw new AwsError('InvalidArgument', 'Unknown tagging directive.', 400, {
      fields: { ArgumentName: 'x-amz-tagging-directive', ArgumentValue: raw },
    });
  }
  return d;
}
