import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateRepositoryCommand, DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { s3Config } from '@/emulator/test-support/cloudfront';
import { makeImage, pushImage } from '@/emulator/test-support/ecr';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';
import { GB } from './estimate';

// lib/cost over a real emulator: the Price List read, Cost Explorer's
// month-to-date spend, and the Cost page's sections, each from the batched
// or kept reads it promises. The emulator has no CloudWatch of its own yet:
// the metrics-backed figures are checked for saying so (or, once CloudWatch
// answers with no traffic, for reading zero).

let emu: SpawnedEmulator;
const region = 'us-east-1';
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
let imageBytes = 0;

function useKeys(id: string, secret: string) {
  vi.stubEnv('AWS_ACCESS_KEY_ID', id);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', secret);
}

beforeAll(async () => {
  emu = await startConsoleEmulator({ args: ['--quiet', '--no-seed'] });
  const ecr = new ECRClient({ endpoint: emu.url, region, credentials: creds });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'cost/web' }));
  await pushImage(ecr, 'cost/web', makeImage([300_000]), 'v1');
  imageBytes = (await ecr.send(new DescribeImagesCommand({ repositoryName: 'cost/web' }))).imageDetails![0]!.imageSizeInBytes!;
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'cost/empty' }));
  const s3 = new S3Client({ endpoint: emu.url, region, forcePathStyle: true, credentials: creds });
  await s3.send(new CreateBucketCommand({ Bucket: 'cost-site' }));
  await s3.send(new PutObjectCommand({ Bucket: 'cost-site', Key: 'big.bin', Body: Buffer.alloc(2 * 1024 * 1024, 7) }));
  await s3.send(new PutObjectCommand({ Bucket: 'cost-site', Key: 'cold.bin', Body: Buffer.alloc(1024 * 1024, 8), StorageClass: 'GLACIER' }));
  const cf = new CloudFrontClient({ endpoint: emu.url, region, credentials: creds });
  await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('cost-site') }));
});

afterAll(() => stopConsoleEmulator(emu));

describe('regionPrices', () => {
  it('reads the Price List, and takes from the table only what the Price List lacks', async () => {
    const { regionPrices } = await import('./prices');
    const p = await regionPrices(region, { fresh: true });
    expect(p.problem).toBeUndefined();
    expect(p.source).toBe('price-list');
    expect(p.asOf).toBe('2026-11-01');
    expect(p.ecrPerGb).toBe(0.1);
    expect(p.s3PerGb.STANDARD).toBe(0.023);
    expect(p.s3PerGb.STANDARD_IA).toBe(0.0125);
    expect(p.cloudFrontPerGbOut).toBe(0.085);
    expect(p.cloudFrontPerRequest).toBeCloseTo(0.000001, 12);
    // Glacier Flexible Retrieval and Deep Archive are not AmazonS3 products in the Price List.
    expect(p.fromTable).toEqual(['S3 GLACIER', 'S3 DEEP_ARCHIVE']);
    expect(p.s3PerGb.GLACIER).toBe(0.0036);
    // Kept: a second ask is the same object, not a second read.
    expect(await regionPrices(region)).toBe(p);
  });
});

describe('the Cost page sections', () => {
  it('prices every repository from figures the ECR list reads, with no figure for an unread one', async () => {
    const { regionPrices } = await import('./prices');
    const { repositoryCosts } = await import('./report');
    const prices = await regionPrices(region);
    const s = await repositoryCosts(region, 1, prices);
    expect(s.problem).toBeUndefined();
    expect(s.count).toBe(2);
    const web = s.rows.find((r) => r.name === 'cost/web')!;
    expect(web.bytes).toBe(imageBytes);
    expect(web.monthlyUsd).toBeCloseTo((imageBytes / GB) * 0.1, 12);
    expect(s.rows.find((r) => r.name === 'cost/empty')).toMatchObject({ bytes: 0, monthlyUsd: 0 });
    expect(s.totalUsd).toBeCloseTo(web.monthlyUsd!, 12);
    expect(s.unknown).toBe(0);
  });

  it('prices buckets by class from CloudWatch, or from their Storage tab count, and says which', async () => {
    const { regionPrices } = await import('./prices');
    const { bucketCosts } = await import('./report');
    const { measureBucket } = await import('@/lib/s3/storage');
    const prices = await regionPrices(region);
    const before = await bucketCosts(region, 1, prices);
    expect(before.count).toBe(1);
    const row = before.rows[0]!;
    if (row.from === 'cloudwatch') {
      expect(row.monthlyUsd).toBeGreaterThanOrEqual(0);
    } else {
      // No CloudWatch datapoint: unknown, not zero, and the note says why.
      expect(row.monthlyUsd).toBeNull();
      expect(before.unknown).toBe(1);
      expect(before.note).toMatch(/CloudWatch/);
    }
    // Once the bucket's Storage tab has counted it, that count prices it.
    await measureBucket('cost-site', { fresh: true });
    const { bucketCosts: again } = await import('./report');
    const after = await again(region, 1, { ...prices });
    const counted = after.rows[0]!;
    if (counted.from === 'counted') {
      expect(counted.bytesByClass).toEqual({ STANDARD: 2 * 1024 * 1024, GLACIER: 1024 * 1024 });
      expect(counted.monthlyUsd).toBeCloseTo((2 * 1024 * 1024 / GB) * 0.023 + (1024 * 1024 / GB) * 0.0036, 12);
      expect(after.unknown).toBe(0);
    }
  });

  it('prices distributions from CloudWatch traffic: zero traffic is $0, no metrics at all is unknown', async () => {
    const { regionPrices } = await import('./prices');
    const { distributionCosts } = await import('./report');
    const prices = await regionPrices(region);
    const s = await distributionCosts(1, prices);
    expect(s.count).toBe(1);
    const d = s.rows[0]!;
    if (d.traffic) {
      expect(d.traffic).toMatchObject({ requests: 0, bytesDownloaded: 0, days: 30 });
      expect(d.monthlyUsd).toBe(0);
    } else {
      expect(d.monthlyUsd).toBeNull();
      expect(s.note).toMatch(/CloudWatch/);
    }
  });
});

describe('monthToDateSpend', () => {
  it("reads the month so far from Cost Explorer, grouped by service, and keeps it", async () => {
    const { monthToDateSpend, berthServiceOf } = await import('./spend');
    const spend = await monthToDateSpend({ fresh: true });
    expect(spend.ok).toBe(true);
    if (!spend.ok) return;
    const services = spend.services.map((s) => berthServiceOf(s.service));
    expect(services).toEqual(expect.arrayContaining(['ecr', 's3']));
    for (const s of spend.services) expect(s.usd).toBeGreaterThan(0);
    expect(spend.totalUsd).toBeCloseTo(spend.services.reduce((n, s) => n + s.usd, 0), 12);
    expect(spend.start.endsWith('-01')).toBe(true);
    expect(await monthToDateSpend()).toBe(spend);
  });

  it('names the missing ce:GetCostAndUsage permission, and falls back to the table without pricing:GetProducts', async () => {
    // A user with only S3 rights: Cost Explorer and the Price List refuse it.
    const iam = new IAMClient({ endpoint: emu.url, region, credentials: creds });
    await iam.send(new CreateUserCommand({ UserName: 'no-billing' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'no-billing', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'no-billing' }))).AccessKey!;
    useKeys(key.AccessKeyId!, key.SecretAccessKey!);
    vi.resetModules();
    try {
      const { monthToDateSpend } = await import('./spend');
      const spend = await monthToDateSpend({ fresh: true });
      expect(spend.ok).toBe(false);
      if (spend.ok) return;
      expect(spend.problem.missingAction).toBe('ce:GetCostAndUsage');
      expect(spend.problem.message).toContain('ce:GetCostAndUsage');

      const { regionPrices } = await import('./prices');
      const p = await regionPrices(region, { fresh: true });
      expect(p.source).toBe('table');
      expect(p.asOf).toBe('2026-11-01');
      expect(p.problem?.missingAction).toBe('pricing:GetProducts');
      expect(p.ecrPerGb).toBe(0.1);
    } finally {
      useKeys('test', 'test');
      vi.resetModules();
    }
  });
});
