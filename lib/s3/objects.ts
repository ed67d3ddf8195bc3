import 'server-only';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { s3Client } from '@/lib/aws/clients';
import { bucketRegion } from './buckets';
import { inListingOrder } from './version-order';
import './errors';

export interface FolderEntry {
  kind: 'folder';
  prefix: string;
  name: string;
}
export interface ObjectEntry {
  kind: 'object';
  key: string;
  name: string;
  size: number;
  lastModified: string | null;
  storageClass: string;
  etag: string | null;
}
export interface ObjectPage {
  entries: (FolderEntry | ObjectEntry)[];
  nextToken: string | null;
  keyCount: number;
}

const leaf = (full: string, prefix: string) => full.slice(prefix.length);

/**
 * One page of a "folder": S3 groups keys under the prefix by "/" into common
 * prefixes, so a bucket of 100,000 objects costs one call per page shown.
 */
export async function listObjectsPage(bucket: string, prefix: string, token: string | null, pageSize = 200): Promise<ObjectPage> {
  const out = await s3Client(await bucketRegion(bucket)).send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, Delimiter: '/', MaxKeys: pageSize, ContinuationToken: token ?? undefined }),
  );
  const folders: FolderEntry[] = (out.CommonPrefixes ?? []).map((p) => ({ kind: 'folder', prefix: p.Prefix ?? '', name: leaf(p.Prefix ?? '', prefix) }));
  const objects: ObjectEntry[] = (out.Contents ?? [])
    .filter((o) => o.Key !== prefix) // the "folder marker" object some tools create
    .map((o) => ({
      kind: 'object',
      key: o.Key ?? '',
      name: leaf(o.Key ?? '', prefix),
      size: o.Size ?? 0,
      lastModified: o.LastModified?.toISOString() ?? null,
      storageClass: o.StorageClass ?? 'STANDARD',
      etag: o.ETag ?? null,
    }));
  return { entries: [...folders, ...objects], nextToken: out.IsTruncated ? (out.NextContinuationToken ?? null) : null, keyCount: out.KeyCount ?? 0 };
}

export interface VersionEntry {
  key: string;
  name: string;
  versionId: string;
  isLatest: boolean;
  deleteMarker: boolean;
  size: number;
  lastModified: string | null;
  storageClass: string;
}
export interface VersionPage {
  folders: FolderEntry[];
  versions: VersionEntry[];
  next: { keyMarker: string; versionIdMarker: string } | null;
}

/** One page of every version and delete marker under a prefix, newest first within each key. */
export async function listVersionsPage(
  bucket: string,
  prefix: string,
  marker: { keyMarker: string; versionIdMarker: string } | null,
  pageSize = 200,
): Promise<VersionPage> {
  const out = await s3Client(await bucketRegion(bucket)).send(
    new ListObjectVersionsCommand({
      Bucket: bucket,
      Prefix: prefix || undefined,
      Delimiter: '/',
      MaxKeys: pageSize,
      KeyMarker: marker?.keyMarker,
      VersionIdMarker: marker?.versionIdMarker,
    }),
  );
  const versions: VersionEntry[] = inListingOrder([
    ...(out.Versions ?? []).map((v) => ({
      key: v.Key ?? '',
      name: leaf(v.Key ?? '', prefix),
      versionId: v.VersionId ?? 'null',
      isLatest: Boolean(v.IsLatest),
      deleteMarker: false,
      size: v.Size ?? 0,
      lastModified: v.LastModified?.toISOString() ?? null,
      storageClass: v.StorageClass ?? 'STANDARD',
    })),
    ...(out.DeleteMarkers ?? []).map((d) => ({
      key: d.Key ?? '',
      name: leaf(d.Key ?? '', prefix),
      versionId: d.VersionId ?? 'null',
      isLatest: Boolean(d.IsLatest),
      deleteMarker: true,
      size: 0,
      lastModified: d.LastModified?.toISOString() ?? null,
      storageClass: '',
    })),
  ]);
  return {
    folders: (out.CommonPrefixes ?? []).map((p) => ({ kind: 'folder', prefix: p.Prefix ?? '', name: leaf(p.Prefix ?? '', prefix) })),
    versions: versions.filter((v) => v.key !== prefix),
    next: out.IsTruncated ? { keyMarker: out.NextKeyMarker ?? '', versionIdMarker: out.NextVersionIdMarker ?? '' } : null,
  };
}

export interface Download {
  body: Readable;
  contentType: string;
  contentLength: number | null;
  etag: string | null;
}

export async function getObjectStream(bucket: string, key: string, versionId?: string): Promise<Download> {
  const out = await s3Client(await bucketRegion(bucket)).send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return {
    body: out.Body as Readable,
    contentType: out.ContentType ?? 'application/octet-stream',
    contentLength: out.ContentLength ?? null,
    etag: out.ETag ?? null,
  };
}

export interface DeleteOutcome {
  deleted: number;
  errors: { key: string; versionId?: string; message: string }[];
}

/** Deletes objects (or exact versions), 1,000 per call as S3 allows. */
export async function deleteObjects(bucket: string, items: { key: string; versionId?: string }[]): Promise<DeleteOutcome> {
  const client = s3Client(await bucketRegion(bucket));
  const outcome: DeleteOutcome = { deleted: 0, errors: [] };
  for (let i = 0; i < items.length; i += 1000) {
    const batch = items.slice(i, i + 1000);
    const out = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Quiet: true, Objects: batch.map((o) => ({ Key: o.key, VersionId: o.versionId })) } }),
    );
    const failed = out.Errors ?? [];
    outcome.deleted += batch.length - failed.length;
    for (const e of failed) outcome.errors.push({ key: e.Key ?? '', versionId: e.VersionId, message: e.Message ?? e.Code ?? 'failed' });
  }
  return outcome;
}

/** Restores an older version by copying it over the key: it becomes the newest version; history is kept. */
export async function restoreVersion(bucket: string, key: string, versionId: string): Promise<string | null> {
  const source = `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}?versionId=${encodeURIComponent(versionId)}`;
  const out = await s3Client(await bucketRegion(bucket)).send(new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: source }));
  return out.VersionId ?? null;
}
