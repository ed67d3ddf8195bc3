import type { RequestContext } from '../../core/types';
import { bucketOrThrow, type BucketRow } from './model/buckets';

/**
 * What the hand-written object handlers (objects.ts, multipart.ts,
 * object-tags.ts) share while they are still registered as `legacy` in
 * index.ts. Delete this file with the last of them.
 */

/** The bucket a legacy request names in its path, or NoSuchBucket. */
export function requireBucket(ctx: RequestContext): BucketRow {
  return bucketOrThrow(ctx.env.db, ctx.params.Bucket);
}
