import 'server-only';
import {
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteBucketWebsiteCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetPublicAccessBlockCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutBucketWebsiteCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { s3Client } from '@/lib/aws/clients';
import { emulatorEndpointFor } from '@/lib/aws/identity';
import { replaceSharedDocument, samePolicyText } from '@/lib/aws/shared-document';
import { bucketRegion, changingBucket } from './buckets';
import './errors';

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export interface BucketProperties {
  region: string;
  versioning: 'Enabled' | 'Suspended' | 'Off';
  website: { indexDocument: string; errorDocument: string | null; redirectAllTo: string | null } | null;
  publicAccessBlock: PublicAccessBlock | null;
  policy: string | null;
  policyIsPublic: boolean;
  tags: { key: string; value: string }[];
}

const missing = (e: unknown, ...names: string[]) => names.includes((e as Error).name);

/** Everything the properties page shows, in parallel; an absent configuration reads as null. */
/** Who may read a bucket: its Block Public Access, policy and policy status, and nothing else. */
export interface BucketAccess {
  region: string;
  publicAccessBlock: BucketProperties['publicAccessBlock'];
  policy: string | null;
  policyIsPublic: boolean;
}

const orAbsent = <T>(p: Promise<T>, fallback: T, ...absent: string[]) => p.catch((e) => (missing(e, ...absent) ? fallback : Promise.reject(e)));

async function readAccess(c: ReturnType<typeof s3Client>, bucket: string) {
  const [bpa, policy, status] = await Promise.all([
    orAbsent(c.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), null, 'NoSuchPublicAccessBlockConfiguration'),
    orAbsent(c.send(new GetBucketPolicyCommand({ Bucket: bucket })), null, 'NoSuchBucketPolicy'),
    orAbsent(c.send(new GetBucketPolicyStatusCommand({ Bucket: bucket })), null, 'NoSuchBucketPolicy'),
  ]);
  const b = bpa?.PublicAccessBlockConfiguration;
  return {
    publicAccessBlock: b
      ? {
          blockPublicAcls: Boolean(b.BlockPublicAcls),
          ignorePublicAcls: Boolean(b.IgnorePublicAcls),
          blockPublicPolicy: Boolean(b.BlockPublicPolicy),
          restrictPublicBuckets: Boolean(b.RestrictPublicBuckets),
        }
      : null,
    policy: policy?.Policy ? JSON.stringify(JSON.parse(policy.Policy), null, 2) : null,
    policyIsPublic: Boolean(status?.PolicyStatus?.IsPublic),
  };
}

/**
 * Only what a distribution's security check reads about its origin bucket:
 * three calls in parallel, where the properties page needs six.
 */
export async function getBucketAccess(bucket: string): Promise<BucketAccess> {
  const region = await bucketRegion(bucket);
  return { region, ...(await readAccess(s3Client(region), bucket)) };
}

export async function getBucketProperties(bucket: string): Promise<BucketProperties> {
  const region = await bucketRegion(bucket);
  const c = s3Client(region);
  const [versioning, website, access, tags] = await Promise.all([
    c.send(new GetBucketVersioningCommand({ Bucket: bucket })),
    orAbsent(c.send(new GetBucketWebsiteCommand({ Bucket: bucket })), null, 'NoSuchWebsiteConfiguration'),
    readAccess(c, bucket),
    orAbsent(c.send(new GetBucketTaggingCommand({ Bucket: bucket })), null, 'NoSuchTagSet'),
  ]);
  return {
    region,
    versioning: versioning.Status === 'Enabled' ? 'Enabled' : versioning.Status === 'Suspended' ? 'Suspended' : 'Off',
    website: website
      ? {
          indexDocument: website.IndexDocument?.Suffix ?? '',
          errorDocument: website.ErrorDocument?.Key ?? null,
          redirectAllTo: website.RedirectAllRequestsTo?.HostName ?? null,
        }
      : null,
    ...access,
    tags: (tags?.TagSet ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
  };
}

async function client(bucket: string) {
  return s3Client(await bucketRegion(bucket));
}

/**
 * Every change to a bucket's settings goes through here: the write first,
 * then what the buckets list keeps about the bucket is forgotten, however the
 * write ends. Forgetting before the write instead would let a list view that
 * reads during the write keep the old flags for the cache's time.
 */
function change(bucket: string, write: (c: ReturnType<typeof s3Client>) => Promise<unknown>): Promise<void> {
  return changingBucket(bucket, async () => void (await write(await client(bucket))));
}

export async function setVersioning(bucket: string, status: 'Enabled' | 'Suspended'): Promise<void> {
  await change(bucket, (c) => c.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } })));
}

export async function setWebsite(bucket: string, indexDocument: string, errorDocument: string | undefined): Promise<void> {
  await change(bucket, (c) =>
    c.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: { IndexDocument: { Suffix: indexDocument }, ErrorDocument: errorDocument ? { Key: errorDocument } : undefined },
      }),
    ),
  );
}

export async function removeWebsite(bucket: string): Promise<void> {
  await change(bucket, (c) => c.send(new DeleteBucketWebsiteCommand({ Bucket: bucket })));
}

export async function setPublicAccessBlock(bucket: string, b: PublicAccessBlock): Promise<void> {
  await change(bucket, (c) =>
    c.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: b.blockPublicAcls,
          IgnorePublicAcls: b.ignorePublicAcls,
          BlockPublicPolicy: b.blockPublicPolicy,
          RestrictPublicBuckets: b.restrictPublicBuckets,
        },
      }),
    ),
  );
}

/** The lock key every change to one bucket's policy shares (the editor here, CloudFront's grants). */
export const bucketPolicyKey = (bucket: string) => `s3-policy:${bucket}`;

/** The bucket's policy as S3 returns it, or null when it has none. */
export async function readBucketPolicy(bucket: string): Promise<string | null> {
  return currentPolicy(bucket);
}

async function currentPolicy(bucket: string): Promise<string | null> {
  try {
    return (await (await client(bucket)).send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? null;
  } catch (error) {
    if (missing(error, 'NoSuchBucketPolicy')) return null;
    throw error;
  }
}

/**
 * Saves the policy a person edited, only if the bucket's policy is still the
 * one they started from (`basis`): S3 has no conditional PutBucketPolicy, and
 * an editor open for minutes would otherwise undo a statement written in the
 * meantime (a distribution's read grant, say).
 */
export async function setBucketPolicy(bucket: string, policy: string, basis: string | null): Promise<void> {
  await replacePolicy(bucket, basis, () => change(bucket, (c) => c.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }))));
}

export async function removeBucketPolicy(bucket: string, basis: string | null): Promise<void> {
  await replacePolicy(bucket, basis, () => change(bucket, (c) => c.send(new DeleteBucketPolicyCommand({ Bucket: bucket }))));
}

function replacePolicy(bucket: string, basis: string | null, write: () => Promise<void>) {
  return replaceSharedDocument({ key: bucketPolicyKey(bucket), what: `policy of ${bucket}`, read: () => currentPolicy(bucket), basis, same: samePolicyText, write });
}

type Tags = { key: string; value: string }[];
const sameTags = (a: Tags, b: Tags) => {
  const norm = (t: Tags) => JSON.stringify([...t].sort((x, y) => x.key.localeCompare(y.key)).map((x) => [x.key, x.value]));
  return norm(a) === norm(b);
};

/** Replaces the tag set with the one a person edited, only if it is still the set they started from (`basis`). */
export async function setBucketTags(bucket: string, tags: Tags, basis: Tags): Promise<void> {
  await replaceSharedDocument({
    key: `s3-tags:${bucket}`,
    what: `tags of ${bucket}`,
    read: async () => {
      try {
        const out = await (await client(bucket)).send(new GetBucketTaggingCommand({ Bucket: bucket }));
        return (out.TagSet ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
      } catch (error) {
        if (missing(error, 'NoSuchTagSet')) return [];
        throw error;
      }
    },
    basis,
    same: sameTags,
    // The list shows no tags today; the bucket's kept reads are forgotten all the same, as for every setting.
    write: () =>
      change(bucket, (c) =>
        tags.length === 0
          ? c.send(new DeleteBucketTaggingCommand({ Bucket: bucket }))
          : c.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tags.map((t) => ({ Key: t.key, Value: t.value })) } })),
      ),
  });
}

/**
 * The bucket's website address, as S3 documents it: a dash or a dot before the
 * region depending on the region, and the partition's own domain in China.
 * Only when the emulator itself said it serves S3 (see emulatorEndpointFor) is
 * the address its local one, <bucket>.s3-website-<region>.localhost:<port>;
 * any other custom endpoint (a VPC endpoint, a proxy) leaves S3's address alone,
 * since that endpoint does not serve websites.
 * https://docs.aws.amazon.com/general/latest/gr/s3.html#s3_website_region_endpoints
 */
export async function websiteEndpoint(bucket: string, region: string): Promise<string> {
  const emulator = await emulatorEndpointFor('S3');
  if (emulator) {
    return `${emulator.protocol}//${bucket}.s3-website-${region}.localhost:${emulator.port || (emulator.protocol === 'https:' ? 443 : 80)}`;
  }
  const dash = ['us-east-1', 'us-west-1', 'us-west-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'eu-west-1', 'sa-east-1', 'us-gov-west-1'];
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `http://${bucket}.s3-website${dash.includes(region) ? '-' : '.'}${region}.${suffix}`;
}
