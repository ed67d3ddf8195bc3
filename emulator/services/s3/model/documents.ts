import type Database from 'better-sqlite3';
import { AwsError } from '../../../core/errors';
// The models of these kinds find their bucket and refuse documents as the bucket models do.
export { bucketOrThrow, malformedXml } from './buckets';

/**
 * Bucket sub-resources stored as the SDK's own shapes, one JSON document per
 * bucket and kind (table s3_bucket_documents). Dates are revived by the model
 * that owns the kind.
 */
export type DocumentKind = 'lifecycle' | 'cors' | 'logging' | 'notification' | 'acl' | 'abac';

export function readDocument<T>(db: Database.Database, bucket: string, kind: DocumentKind): T | undefined {
  const row = db.prepare('SELECT document FROM s3_bucket_documents WHERE bucket = ? AND kind = ?').get(bucket, kind) as
    | { document: string }
    | undefined;
  return row ? (JSON.parse(row.document) as T) : undefined;
}

export function writeDocument(db: Database.Database, bucket: string, kind: DocumentKind, doc: unknown): void {
  db.prepare(
    `INSERT INTO s3_bucket_documents (bucket, kind, document) VALUES (?, ?, ?)
     ON CONFLICT (bucket, kind) DO UPDATE SET document = excluded.document`,
  ).run(bucket, kind, JSON.stringify(doc));
}

export function deleteDocument(db: Database.Database, bucket: string, kind: DocumentKind): void {
  db.prepare('DELETE FROM s3_bucket_documents WHERE bucket = ? AND kind = ?').run(bucket, kind);
}

export function invalidArgument(message: string, name: string, value: unknown): AwsError {
  return new AwsError('InvalidArgument', message, 400, { fields: { ArgumentName: name, ArgumentValue: String(value) } });
}

export function invalidRequest(message: string): AwsError {
  return new AwsError('InvalidRequest', message, 400);
}
