import 'server-only';
import { stepper } from '@/lib/aws/steps';
import { cache } from 'react';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  paginateListBuckets,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { s3Client } from '@/lib/aws/clients';
import { invalidateReads, sharedReads, writing, type Fresh, type ReadSpec } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import { mapLimit } from '@/lib/aws/limit';
import { env } from '@/lib/env';
import type { CreateBucketInput } from '@/lib/validation/s3';
import { Refusal } from '@/lib/aws/errors';
import './errors';

export interface BucketSummary {
  name: string;
  region: string | null;
  createdAt: string | null;
}

/**
 * Buckets are global to the account; ListBuckets reports each one's region
 * (BucketRegion), so no per-bucket GetBucketLocation call is needed. Shared by
 * every viewer for the read cache's time; Berth's creates and deletes forget it.
 */
export const readBuckets = cache(
  (region: string): Promise<Fresh<BucketSummary[]>> =>
    sharedReads().read({ key: 's3:buckets', region, tags: [readTags.buckets()], weight: (list) => list.length }, async () => {
      const out: BucketSummary[] = [];
      for await (const page of paginateListBuckets({ client: s3Client(region), pageSize: 1000 }, {})) {
        for (const b of page.Buckets ?? []) {
          out.push({ name: b.Name ?? '', region: b.BucketRegion ?? null, createdAt: b.CreationDate?.toISOString() ?? null });
        }
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));
    }),
);

/** Every bucket of the account (see readBuckets). */
export const listBuckets = cache(async (region: string): Promise<BucketSummary[]> => (await readBuckets(region)).value);

// A bucket's region never changes, so it is looked up once per process.
const regions = new Map<string, string>();

/** The region a bucket lives in; every call about the bucket goes to that region. */
export async function bucketRegion(bucket: string): Promise<string> {
  const known = regions.get(bucket);
  if (known) return known;
  let region: string | undefined;
  try {
    const out = await s3Client(env().defaultRegion).send(new HeadBucketCommand({ Bucket: bucket }));
    region = out.BucketRegion;
  } catch (error) {
    // A bucket in another region answers 301 with the region in a header.
    const headers = (error as { $response?: { headers?: Record<string, string> } }).$response?.headers;
    region = headers?.['x-amz-bucket-region'];
    if (!region) throw error;
  }
  region ??= env().defaultRegion;
  regions.set(bucket, region);
  return region;
}

export interface BucketFlags {
  versioning: 'Enabled' | 'Suspended' | 'Off';
  website: boolean;
  isPublic: boolean;
  /** All four Block Public Access settings on. */
  blockedPublicAccess: boolean;
}

/**
 * Where a bucket's flags are kept in the shared read cache: per identity and
 * per the bucket's region, like every list read, for the cache's time (30 s by
 * default, as the guide says). The bucket's own tag marks everything the list
 * keeps about that one bucket, so a write to it forgets only its row; the
 * flags tag is the list's Refresh, for every bucket.
 */
function flagsSpec(b: BucketSummary): ReadSpec<BucketFlags | null> {
  return {
    key: `s3:flags:${b.name}`,
    region: b.region ?? env().defaultRegion,
    tags: [readTags.bucketFlags(), readTags.bucket(b.name)],
  };
}

/**
 * The four reads behind one row's flags. A bucket that cannot be read (a
 * region that is off, a permission Berth lacks) answers null, shown as "—";
 * that answer is kept like any other, since it is as a rule lasting, and a
 * bucket that cannot be read would otherwise cost four calls on every view.
 */
async function readFlags(bucket: string, region: string): Promise<BucketFlags | null> {
  const client = s3Client(region);
  const soft = <T>(p: Promise<T>, fallback: T) => p.catch((e: Error) => (/NoSuch|NotFound/.test(e.name) ? fallback : Promise.reject(e)));
  try {
    const [versioning, website, bpa, status] = await Promise.all([
      client.send(new GetBucketVersioningCommand({ Bucket: bucket })),
      soft(client.send(new GetBucketWebsiteCommand({ Bucket: bucket })).then(() => true), false),
      soft(client.send(new GetPublicAccessBlockCommand({ Bucket: bucket })).then((o) => o.PublicAccessBlockConfiguration), undefined),
      soft(client.send(new GetBucketPolicyStatusCommand({ Bucket: bucket })).then((o) => Boolean(o.PolicyStatus?.IsPublic)), false),
    ]);
    const blocked = Boolean(bpa?.BlockPublicAcls && bpa.IgnorePublicAcls && bpa.BlockPublicPolicy && bpa.RestrictPublicBuckets);
    return {
      versioning: versioning.Status === 'Enabled' ? 'Enabled' : versioning.Status === 'Suspended' ? 'Suspended' : 'Off',
      website,
      // Public only when the policy grants everyone and Block Public Access lets it.
      isPublic: status && !bpa?.RestrictPublicBuckets,
      blockedPublicAccess: blocked,
    };
  } catch {
    return null;
  }
}

export interface ShownBucketFlags {
  flags: Map<string, BucketFlags | null>;
  /** When the oldest of these flags was read (ms since the epoch); null for no bucket. */
  readAt: number | null;
}

function shown(buckets: readonly BucketSummary[], got: readonly Fresh<BucketFlags | null>[]): ShownBucketFlags {
  const readAt = got.length ? Math.min(...got.map((f) => f.readAt)) : null;
  return { flags: new Map(buckets.map((b, i) => [b.name, got[i]?.value ?? null])), readAt };
}

/**
 * Versioning, website and public-access flags for the buckets on one page of
 * the list. S3 has no call that returns these for many buckets, so each bucket
 * costs four small reads: only the rows shown are asked, four buckets at a
 * time, and the answers are shared through the read cache (see flagsSpec).
 */
export const readBucketFlags = cache(async (buckets: readonly BucketSummary[]): Promise<ShownBucketFlags> => {
  const reads = sharedReads();
  const got = await mapLimit(buckets, 4, (b) => reads.read(flagsSpec(b), () => readFlags(b.name, b.region ?? env().defaultRegion)));
  return shown(buckets, got);
});

export interface KnownBucketFlags {
  /** Every row's flags when all are kept and fresh; null when any must still be read. */
  flags: Map<string, BucketFlags | null> | null;
  /**
   * When the oldest flags the page will show were read: the oldest kept row's
   * read, or now when the rows still to be read are all there is (a read is
   * dated when it starts, and they start with this render).
   */
  readAt: number;
}

/**
 * What is already kept of these buckets' flags, without asking AWS. When every
 * row is known the list renders at once instead of streaming the flag columns
 * in later; either way the page can say how old the flags it shows are.
 */
export async function knownBucketFlags(buckets: readonly BucketSummary[]): Promise<KnownBucketFlags> {
  const reads = sharedReads();
  const got = await Promise.all(buckets.map((b) => reads.peek(flagsSpec(b))));
  const kept = got.filter((f) => f !== undefined);
  const complete = kept.length === got.length;
  return {
    flags: complete ? new Map(buckets.map((b, i) => [b.name, got[i]!.value])) : null,
    readAt: Math.min(...kept.map((f) => f.readAt), complete && kept.length > 0 ? Infinity : Date.now()),
  };
}

/**
 * Runs a write to one bucket's settings, then forgets what the list keeps
 * about that bucket, however the write ends (it may have landed even if it
 * failed). A list read that was on its way during the write is not kept
 * either (see ReadCache.invalidate), so no flags read before the write
 * outlive it.
 */
export function changingBucket<T>(bucket: string, write: () => Promise<T>): Promise<T> {
  return writing([readTags.bucket(bucket)], write);
}

/** After a delete: the name may come back, in another region. */
export function bucketGone(bucket: string): void {
  regions.delete(bucket);
  invalidateReads([readTags.buckets(), readTags.bucket(bucket)]);
}

/** Whether the bucket exists (and is reachable with these credentials), asked fresh. */
export async function bucketExists(bucket: string): Promise<boolean> {
  regions.delete(bucket);
  try {
    await bucketRegion(bucket);
    return true;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'NotFound' || name === 'NoSuchBucket') return false;
    throw error;
  }
}

/**
 * The tag on every bucket Berth creates. It is what lets a teardown tell a
 * bucket Berth made (and may delete) from one it was only pointed at.
 */
export const BERTH_CREATED_TAG = { key: 'berth:created-by', value: 'berth' } as const;

/** A create Berth will not make, because the name is already a bucket; the message is a sentence for a person. */
export class BucketExistsRefused extends Refusal {}

function alreadyYours(bucket: string): BucketExistsRefused {
  return new BucketExistsRefused(
    `A bucket named ${bucket} already exists in this account. Berth will not take it over (a create would change its settings); pick it as an existing bucket instead, or choose another name.`,
  );
}

/**
 * Whether a bucket name is free, asked with HeadBucket: 404 means no bucket,
 * 403 means a bucket this identity may not read (another account's, as a
 * rule), and anything else (200, or a redirect to its region) a bucket that is
 * already here.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 */
async function checkNameFree(bucket: string, region: string): Promise<void> {
  let status: number | undefined;
  try {
    await s3Client(region).send(new HeadBucketCommand({ Bucket: bucket }));
    status = 200;
  } catch (error) {
    status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return;
    if (status === 403) {
      throw new BucketExistsRefused(
        `A bucket named ${bucket} already exists and Berth may not read it: it belongs to another AWS account (or Berth's identity lacks s3:ListBucket on it). Bucket names are global; choose another name.`,
      );
    }
    if (status === undefined || status >= 500) throw error;
  }
  throw alreadyYours(bucket);
}

/**
 * Creates a bucket, then applies Block Public Access and versioning; says which
 * step failed if one does.
 *
 * S3 answers 200 to CreateBucket for a bucket you already own in us-east-1
 * (elsewhere BucketAlreadyOwnedByYou), so a create alone cannot tell a new
 * bucket from someone's existing one, and the settings that follow would be
 * applied to theirs. Hence: HeadBucket first, and refuse a name in use; then
 * create with Berth's tag in CreateBucketConfiguration, so the tag exists from
 * the first moment, and read the tags back: a bucket that appeared between the
 * check and the create (in us-east-1) does not carry exactly Berth's tag set,
 * and is left as it is.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
 */
export async function createBucket(input: CreateBucketInput): Promise<void> {
  // A create that stops part-way may still have made the bucket: the list, and
  // any flags kept for a bucket of that name, are forgotten however it ends.
  return writing([readTags.buckets(), readTags.bucket(input.name)], () => createBucketSteps(input));
}

async function createBucketSteps(input: CreateBucketInput): Promise<void> {
  const client = s3Client(input.region);
  await checkNameFree(input.name, input.region);
  const { step } = stepper();
  await step('created the bucket', 'creating the bucket', async () => {
    try {
      await client.send(
        new CreateBucketCommand({
          Bucket: input.name,
          CreateBucketConfiguration: {
            // us-east-1 is the one region that takes no location constraint.
            LocationConstraint: input.region === 'us-east-1' ? undefined : (input.region as BucketLocationConstraint),
            Tags: [{ Key: BERTH_CREATED_TAG.key, Value: BERTH_CREATED_TAG.value }],
          },
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'BucketAlreadyOwnedByYou') throw alreadyYours(input.name);
      throw error;
    }
    // Bucket settings are eventually consistent, so an empty tag set is asked
    // again a few times before it is taken to mean "not the bucket Berth made".
    let tags = await readBucketTags(input.name, input.region);
    for (let i = 0; i < 3 && tags.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 400 * (i + 1)));
      tags = await readBucketTags(input.name, input.region);
    }
    if (tags.length !== 1 || !isBerthTag(tags[0]!)) throw alreadyYours(input.name);
  });
  regions.set(input.name, input.region);
  const bpa = input.blockPublicAccess ? 'Block Public Access on' : 'Block Public Access off';
  await step(`turned ${bpa}`, `turning ${bpa}`, () => client.send(
    new PutPublicAccessBlockCommand({
      Bucket: input.name,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: input.blockPublicAccess,
        IgnorePublicAcls: input.blockPublicAccess,
        BlockPublicPolicy: input.blockPublicAccess,
        RestrictPublicBuckets: input.blockPublicAccess,
      },
    }),
  ));
  if (input.versioning) {
    await step('enabled versioning', 'enabling versioning', () =>
      client.send(new PutBucketVersioningCommand({ Bucket: input.name, VersioningConfiguration: { Status: 'Enabled' } })),
    );
  }
}

const isBerthTag = (t: { key: string; value: string }) => t.key === BERTH_CREATED_TAG.key && t.value === BERTH_CREATED_TAG.value;

async function readBucketTags(bucket: string, region: string): Promise<{ key: string; value: string }[]> {
  try {
    const out = await s3Client(region).send(new GetBucketTaggingCommand({ Bucket: bucket }));
    return (out.TagSet ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
  } catch (error) {
    if ((error as Error).name === 'NoSuchTagSet') return [];
    throw error;
  }
}

/** Whether Berth created this bucket (it carries Berth's tag), read fresh. */
export async function createdByBerth(bucket: string): Promise<boolean> {
  return (await readBucketTags(bucket, await bucketRegion(bucket))).some(isBerthTag);
}

export async function deleteBucket(bucket: string): Promise<void> {
  await writing([readTags.buckets(), readTags.bucket(bucket)], async () => s3Client(await bucketRegion(bucket)).send(new DeleteBucketCommand({ Bucket: bucket })));
  bucketGone(bucket);
}
