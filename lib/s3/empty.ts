import 'server-only';
import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
} from '@aws-sdk/client-s3';
import { s3Client } from '@/lib/aws/clients';
import { Refusal } from '@/lib/aws/errors';
import { bucketGone, bucketRegion } from './buckets';
import './errors';

// Emptying a bucket is a loop the browser drives, one bounded step per call,
// so progress is visible, a failure stops it where it is, and running it again
// simply carries on: the state is the bucket itself, nothing is kept in Berth.

export interface BucketCensus {
  objects: number;
  versions: number;
  deleteMarkers: number;
  uploads: number;
  capped: boolean;
}

/** Counts what an empty-and-delete would remove; stops counting past `cap` entries. */
export async function countBucketContents(bucket: string, cap = 200_000): Promise<BucketCensus> {
  const client = s3Client(await bucketRegion(bucket));
  const census: BucketCensus = { objects: 0, versions: 0, deleteMarkers: 0, uploads: 0, capped: false };
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker, MaxKeys: 1000 }));
    for (const v of page.Versions ?? []) {
      census.versions++;
      if (v.IsLatest) census.objects++;
    }
    census.deleteMarkers += page.DeleteMarkers?.length ?? 0;
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    if (census.versions + census.deleteMarkers >= cap) {
      census.capped = Boolean(keyMarker);
      break;
    }
  } while (keyMarker);
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: 1000 }));
  census.uploads = uploads.Uploads?.length ?? 0;
  return census;
}

export type EmptyStep =
  | { phase: 'versions'; deleted: number }
  | { phase: 'uploads'; aborted: number }
  | { phase: 'deleted' };

/** One step: delete up to 1,000 versions and markers; when none are left, abort uploads; then delete the bucket. */
export async function emptyBucketStep(bucket: string): Promise<EmptyStep> {
  const client = s3Client(await bucketRegion(bucket));
  const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
  const items = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
  if (items.length > 0) {
    const out = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Quiet: true, Objects: items } }));
    const failed = out.Errors ?? [];
    if (failed.length) {
      const f = failed[0]!;
      throw new EmptyStopped(
        items.length - failed.length,
        `Emptying the bucket stopped: S3 kept ${failed.length} item(s), first ${f.Key} (${f.Code}: ${f.Message}). Nothing else was changed; run it again to carry on.`,
      );
    }
    return { phase: 'versions', deleted: items.length };
  }
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: 1000 }));
  if (uploads.Uploads?.length) {
    for (const u of uploads.Uploads) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key!, UploadId: u.UploadId! }));
    }
    return { phase: 'uploads', aborted: uploads.Uploads.length };
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  bucketGone(bucket);
  return { phase: 'deleted' };
}

/** What a step did, in the words the runner's log uses (kept by lib/jobs/progress.ts). */
export function emptyStepRecord(bucket: string) {
  return (step: EmptyStep) =>
    step.phase === 'versions'
      ? { message: `Deleted ${step.deleted.toLocaleString('en-US')} versions and markers`, deleted: step.deleted }
      : step.phase === 'uploads'
        ? { message: `Aborted ${step.aborted} unfinished uploads` }
        : { message: `Deleted the bucket ${bucket}`, done: true };
}

/** S3 kept some of a batch it was asked to delete; the message says which, as a sentence. */
export class EmptyStopped extends Refusal {
  constructor(
    readonly deleted: number,
    message: string,
  ) {
    super(message);
  }
}
