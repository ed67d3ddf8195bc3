import type { IncomingHttpHeaders } from 'node:http';
import type Database from 'better-sqlite3';
import { AwsError } from '../../core/errors';
import type { Reply, RequestContext } from '../../core/types';
import { leaf, node, parseXml } from '../../core/xml';
import { requireBucket } from './legacy';
import { S3_NS } from './namespace';
import { malformedXml } from './model/buckets';
import { findVersion, versionHeader } from './objects';
import { tagsFromHeader, tagsFromXml, type Tag } from './tags';

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

/** `x-amz-tagging` on PutObject, CreateMultipartUpload and CopyObject; undefined when absent. */
export function tagsFromRequest(headers: IncomingHttpHeaders): Tag[] | undefined {
  const h = headers['x-amz-tagging'];
  return typeof h === 'string' ? tagsFromHeader(h) : undefined;
}

/** CopyObject's `x-amz-tagging-directive`: COPY (the default) keeps the source's tags, REPLACE takes the request's. */
export function taggingDirectiveOf(headers: IncomingHttpHeaders): 'COPY' | 'REPLACE' {
  const raw = headers['x-amz-tagging-directive'];
  if (raw === undefined) return 'COPY';
  const d = String(raw).toUpperCase();
  if (d !== 'COPY' && d !== 'REPLACE') {
    throw new AwsError('InvalidArgument', 'Unknown tagging directive.', 400, {
      fields: { ArgumentName: 'x-amz-tagging-directive', ArgumentValue: String(raw) },
    });
  }
  return d;
}

// ---- handlers

function target(ctx: RequestContext) {
  const b = requireBucket(ctx);
  const row = findVersion(ctx.env.db, b.name, ctx.params.Key ?? '', ctx.query.get('versionId'), ctx.method);
  return { bucket: b.name, row };
}

export function getObjectTaggingHandler(ctx: RequestContext): Reply {
  const { bucket, row } = target(ctx);
  const tags = objectTagsOf(ctx.env.db, bucket, row.key, row.version_id);
  const set = tags.map((t) => node('Tag', leaf('Key', t.Key) + leaf('Value', t.Value))).join('');
  return {
    headers: versionHeader(ctx, bucket, row.version_id),
    xml: node('Tagging', node('TagSet', set), { xmlns: S3_NS }),
  };
}

export function putObjectTaggingHandler(ctx: RequestContext): Reply {
  const tags = tagsFromXml(parseXml(ctx.body.toString('utf8')), malformedXml);
  const db = ctx.env.db;
  const { bucket, row } = db.transaction(() => {
    const t = target(ctx);
    setObjectTags(db, t.bucket, t.row.key, t.row.version_id, tags);
    return t;
  }).immediate();
  return { status: 200, headers: versionHeader(ctx, bucket, row.version_id) };
}

export function deleteObjectTaggingHandler(ctx: RequestContext): Reply {
  const db = ctx.env.db;
  const { bucket, row } = db.transaction(() => {
    const t = target(ctx);
    setObjectTags(db, t.bucket, t.row.key, t.row.version_id, []);
    return t;
  }).immediate();
  return { status: 204, headers: versionHeader(ctx, bucket, row.version_id) };
}
