// The bench's data, written through the unmodified SDK clients: one ECR
// repository with BENCH_IMAGES images among BENCH_REPOSITORIES repositories
// (one of them small, a few images, an ordinary repository); an S3 bucket with
// BENCH_OBJECTS objects in one folder; a versioned bucket of BENCH_VERSIONS
// versions; and one CloudFront distribution in front of a bucket.
import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, ListObjectsV2Command, PutBucketVersioningCommand, PutObjectCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { s3Config } from '../emulator/test-support/cloudfront';
import { describe as blob, makeImage, ociManifest, OCI_CONFIG, OCI_LAYER, OCI_MANIFEST, pushImage } from '../emulator/test-support/ecr';
import { pool } from './measure';

export const SIZES = {
  images: Number(process.env.BENCH_IMAGES ?? 10_000),
  repositories: Number(process.env.BENCH_REPOSITORIES ?? 2_000),
  objects: Number(process.env.BENCH_OBJECTS ?? 100_000),
  versions: Number(process.env.BENCH_VERSIONS ?? 10_000),
};

export const NAMES = {
  bigRepo: 'bench/big-repo',
  smallRepo: 'bench/service-0000',
  bigBucket: 'bench-100k-objects',
  folder: 'events/',
  versionedBucket: 'bench-10k-versions',
  versionsFolder: 'docs/',
  siteBucket: 'bench-site',
};

export interface Seeded {
  /** Digest of an image in the big repository, for the image page. */
  imageDigest?: string;
  /** A continuation token half-way into the big folder, for its deep page. */
  deepToken?: string;
  distributionId?: string;
}

const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

export async function seedEcr(emuUrl: string, into: Seeded): Promise<void> {
  const ecr = new ECRClient({ endpoint: emuUrl, region: 'us-east-1', credentials: creds });
  let t = performance.now();
  const names = Array.from({ length: SIZES.repositories - 1 }, (_, i) => `bench/service-${String(i).padStart(4, '0')}`);
  await pool([NAMES.bigRepo, ...names], 8, (repositoryName) => ecr.send(new CreateRepositoryCommand({ repositoryName })));
  console.log(`seeded ${SIZES.repositories.toLocaleString('en-US')} repositories in ${seconds(t)} s`);

  t = performance.now();
  const base = makeImage([4096]);
  into.imageDigest = await pushImage(ecr, NAMES.bigRepo, base, 'base');
  const config = blob(OCI_CONFIG, base.config);
  const layers = base.layers.map((l) => blob(OCI_LAYER, l));
  const manifest = (i: number) => ociManifest(config, layers, { 'org.opencontainers.image.revision': `build-${i}` });
  await pool(Array.from({ length: SIZES.images - 1 }, (_, i) => i), 8, (i) =>
    ecr.send(new PutImageCommand({ repositoryName: NAMES.bigRepo, imageManifest: manifest(i), imageManifestMediaType: OCI_MANIFEST, imageTag: i % 3 === 0 ? undefined : `build-${i}` })),
  );
  // An ordinary repository, for the load run: a handful of images.
  const small = makeImage([2048]);
  await pushImage(ecr, NAMES.smallRepo, small, 'v1');
  const smallConfig = blob(OCI_CONFIG, small.config);
  const smallLayers = small.layers.map((l) => blob(OCI_LAYER, l));
  for (let i = 2; i <= 5; i++) {
    await ecr.send(
      new PutImageCommand({ repositoryName: NAMES.smallRepo, imageManifest: ociManifest(smallConfig, smallLayers, { version: String(i) }), imageManifestMediaType: OCI_MANIFEST, imageTag: `v${i}` }),
    );
  }
  console.log(`seeded ${SIZES.images.toLocaleString('en-US')} images in ${NAMES.bigRepo} (and 5 in ${NAMES.smallRepo}) in ${seconds(t)} s`);
  ecr.destroy();
}

export async function seedS3(emuUrl: string, into: Seeded): Promise<void> {
  // No CRC32 of each body unless S3 requires one: a quarter less client CPU
  // per PutObject, and the 100,000 puts are most of the bench's time.
  const s3 = new S3Client({ endpoint: emuUrl, region: 'us-east-1', forcePathStyle: true, credentials: creds, requestChecksumCalculation: 'WHEN_REQUIRED' });
  let t = performance.now();
  await s3.send(new CreateBucketCommand({ Bucket: NAMES.bigBucket }));
  const keys = Array.from({ length: SIZES.objects }, (_, i) => `${NAMES.folder}${String(i).padStart(6, '0')}.json`);
  await pool(keys, 16, (Key) => s3.send(new PutObjectCommand({ Bucket: NAMES.bigBucket, Key, Body: `{"n":"${Key}"}`, ContentType: 'application/json' })));
  console.log(`seeded ${SIZES.objects.toLocaleString('en-US')} objects in ${NAMES.bigBucket} in ${seconds(t)} s`);

  // The deep page: half-way through the folder, reached with the same
  // continuation tokens the console hands out (S3's token does not depend on
  // the page size it was asked with).
  let token: string | undefined;
  for (let seen = 0; seen < SIZES.objects / 2; ) {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: NAMES.bigBucket, Prefix: NAMES.folder, Delimiter: '/', MaxKeys: 1000, ContinuationToken: token }));
    seen += out.KeyCount ?? 0;
    if (!out.NextContinuationToken) break;
    token = out.NextContinuationToken;
  }
  into.deepToken = token;

  t = performance.now();
  await s3.send(new CreateBucketCommand({ Bucket: NAMES.versionedBucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: NAMES.versionedBucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const versioned = Array.from({ length: SIZES.versions }, (_, i) => `${NAMES.versionsFolder}${String(i % Math.ceil(SIZES.versions / 2)).padStart(5, '0')}.txt`);
  await pool(versioned, 16, (Key) => s3.send(new PutObjectCommand({ Bucket: NAMES.versionedBucket, Key, Body: `version of ${Key}` })));
  console.log(`seeded ${SIZES.versions.toLocaleString('en-US')} versions in ${NAMES.versionedBucket} in ${seconds(t)} s`);
  s3.destroy();
}

export async function seedCloudFront(emuUrl: string, into: Seeded): Promise<void> {
  const s3 = new S3Client({ endpoint: emuUrl, region: 'us-east-1', forcePathStyle: true, credentials: creds });
  const cf = new CloudFrontClient({ endpoint: emuUrl, region: 'us-east-1', credentials: creds });
  await s3.send(new CreateBucketCommand({ Bucket: NAMES.siteBucket }));
  const all = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: NAMES.siteBucket, PublicAccessBlockConfiguration: all }));
  const out = await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config(NAMES.siteBucket, { comment: 'bench site' }) }));
  into.distributionId = out.Distribution!.Id!;
  console.log(`seeded a CloudFront distribution (${into.distributionId}) in front of ${NAMES.siteBucket}`);
  s3.destroy();
  cf.destroy();
}
