// Each page's floor: the AWS calls whose answers the page shows, made straight
// from Node with the SDK against the same emulator, with nothing else around
// them. A page cannot be faster than its floor with the same reads, so
// page time / floor time says what the console adds.
//
// Honest means: every call the shown data needs and no other; independent
// calls in parallel, dependent ones in sequence; the same page sizes as the
// console asks for; clients made once and kept (as the console's are), with
// the console's request handler settings. Not counted: what a running
// console learns once and that does not change, and so is no per-view work:
// its AWS identity (the top bar; lib/aws/identity.ts), each bucket's region
// (HeadBucket) and the registry's address (GetAuthorizationToken). The
// overview, which checks STS anew on every view, has GetCallerIdentity in its floor.
import { CloudFrontClient, GetDistributionCommand, ListDistributionsCommand, ListTagsForResourceCommand, paginateListDistributions } from '@aws-sdk/client-cloudfront';
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  paginateDescribeImages,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import {
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  paginateListBuckets,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface FloorClients {
  ecr: ECRClient;
  s3: S3Client;
  cf: CloudFrontClient;
  sts: STSClient;
  destroy(): void;
}

export function floorClients(emuUrl: string): FloorClients {
  const common = {
    endpoint: emuUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    retryMode: 'standard' as const,
    maxAttempts: 3,
  };
  // The console's handler settings (lib/aws/clients.ts), one handler per client.
  const requestHandler = () => new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 20_000 });
  const c = {
    ecr: new ECRClient({ ...common, requestHandler: requestHandler() }),
    s3: new S3Client({ ...common, forcePathStyle: true, requestHandler: requestHandler() }),
    cf: new CloudFrontClient({ ...common, requestHandler: requestHandler() }),
    sts: new STSClient({ ...common, requestHandler: requestHandler() }),
  };
  return { ...c, destroy: () => Object.values(c).forEach((x) => x.destroy()) };
}

export type Floor = (c: FloorClients) => Promise<unknown>;

/** A read whose "not there" answer is itself the data shown (no website, no policy…). */
const absentOk = <T>(p: Promise<T>) => p.catch((e: Error) => (/NoSuch|NotFound|ScanNotFound/.test(e.name) ? null : Promise.reject(e)));

/** Every page of DescribeImages of a repository, 1,000 a call (ECR's maximum), as the console asks. */
async function allImages(c: FloorClients, repositoryName: string) {
  const out = [];
  for await (const page of paginateDescribeImages({ client: c.ecr, pageSize: 1000 }, { repositoryName })) out.push(...(page.imageDetails ?? []));
  return out;
}

/** Overview: who Berth is (checked anew), and one cheapest read per service. */
export const overview: Floor = (c) =>
  Promise.all([
    c.sts.send(new GetCallerIdentityCommand({})),
    c.ecr.send(new DescribeRepositoriesCommand({ maxResults: 1 })),
    c.s3.send(new ListBucketsCommand({ MaxBuckets: 1 })),
    c.cf.send(new ListDistributionsCommand({ MaxItems: 1 })),
  ]);

/**
 * ECR list, sorted by name: every repository (pages of 1,000), then the image
 * count and size of the `rows` shown, which ECR gives only by paging through
 * each one's DescribeImages; all of them at once.
 */
export const ecrList = (rows = 50): Floor => async (c) => {
  const repos = [];
  for await (const page of paginateDescribeRepositories({ client: c.ecr, pageSize: 1000 }, {})) repos.push(...(page.repositories ?? []));
  const shown = repos.map((r) => r.repositoryName ?? '').sort((a, b) => a.localeCompare(b)).slice(0, rows);
  await Promise.all(shown.map((name) => allImages(c, name)));
};

/**
 * A repository's images tab: the repository and every image (the page shows
 * the count, total size and untagged count, and the newest 100, so all must
 * be read).
 */
export const repository = (name: string): Floor => (c) =>
  Promise.all([c.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] })), allImages(c, name)]);

/**
 * An image: its details, its manifest and then its config blob (through the
 * URL GetDownloadUrlForLayer hands out), and the scan findings. Nothing of the
 * repository but the name in the URL is shown, so it is not read.
 */
export const image = (name: string, digest: string): Floor => (c) =>
  Promise.all([
    c.ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageDigest: digest }] })),
    (async () => {
      const got = await c.ecr.send(new BatchGetImageCommand({ repositoryName: name, imageIds: [{ imageDigest: digest }] }));
      const manifest = JSON.parse(got.images?.[0]?.imageManifest ?? '{}') as { config?: { digest?: string } };
      if (!manifest.config?.digest) return;
      const url = await c.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: name, layerDigest: manifest.config.digest }));
      await (await fetch(url.downloadUrl!)).text();
    })(),
    absentOk(c.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: name, imageId: { imageDigest: digest }, maxResults: 1000 }))),
  ]);

/**
 * S3 list: every bucket (with its region, from ListBuckets), then for the
 * `rows` shown their versioning, website and public-access flags: four reads
 * a bucket, as S3 has no call that returns them for many.
 */
export const bucketList = (rows = 50): Floor => async (c) => {
  const buckets = [];
  for await (const page of paginateListBuckets({ client: c.s3, pageSize: 1000 }, {})) buckets.push(...(page.Buckets ?? []));
  const shown = buckets.map((b) => b.Name ?? '').sort((a, b) => a.localeCompare(b)).slice(0, rows);
  await Promise.all(
    shown.flatMap((Bucket) => [
      c.s3.send(new GetBucketVersioningCommand({ Bucket })),
      absentOk(c.s3.send(new GetBucketWebsiteCommand({ Bucket }))),
      absentOk(c.s3.send(new GetPublicAccessBlockCommand({ Bucket }))),
      absentOk(c.s3.send(new GetBucketPolicyStatusCommand({ Bucket }))),
    ]),
  );
};

/** A page of a folder: one ListObjectsV2 of 200, whatever the folder's size. */
export const folder = (bucket: string, prefix: string, token?: string): Floor => (c) =>
  c.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', MaxKeys: 200, ContinuationToken: token }));

/** A page of versions: one ListObjectVersions of 200. */
export const versions = (bucket: string, prefix: string): Floor => (c) =>
  c.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, Delimiter: '/', MaxKeys: 200 }));

/** CloudFront list: every distribution, 100 a call as the console asks. */
export const distributionList: Floor = async (c) => {
  for await (const page of paginateListDistributions({ client: c.cf, pageSize: 100 }, {})) void page;
};

/**
 * A distribution's overview: the distribution, then (needing its ARN and
 * origin bucket) its tags and the three reads of the bucket's access the
 * security check shows, in parallel. The bucket's region is in the origin's
 * domain name, so it needs no call.
 */
export const distribution = (id: string): Floor => async (c) => {
  const d = await c.cf.send(new GetDistributionCommand({ Id: id }));
  const arn = d.Distribution?.ARN ?? '';
  const domain = d.Distribution?.DistributionConfig?.Origins?.Items?.[0]?.DomainName ?? '';
  const Bucket = /^(.+)\.s3[.-]/.exec(domain)?.[1];
  await Promise.all([
    c.cf.send(new ListTagsForResourceCommand({ Resource: arn })),
    ...(Bucket
      ? [
          absentOk(c.s3.send(new GetPublicAccessBlockCommand({ Bucket }))),
          absentOk(c.s3.send(new GetBucketPolicyStatusCommand({ Bucket }))),
          absentOk(c.s3.send(new GetBucketPolicyCommand({ Bucket }))),
        ]
      : []),
  ]);
};

/** A signed-in page that shows no AWS data at all. */
export const none: Floor = async () => undefined;
