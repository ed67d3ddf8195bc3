import { CostExplorerClient, GetCostAndUsageCommand, type GetCostAndUsageCommandInput } from '@aws-sdk/client-cost-explorer';
import { CreateRepositoryCommand, DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, GetAttributeValuesCommand, GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliPath, runAws } from '../test-support/aws-cli';
import { ecrClient, s3Client } from '../test-support/clients';
import { makeImage, pushImage, setClock } from '../test-support/ecr';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// Cost Explorer and the Price List over the emulator's own estimate of what
// it stores, with the unmodified SDK and Debian's awscli.

let emu: SpawnedEmulator;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GB = 1024 ** 3;

const ce = (key = 'test') =>
  new CostExplorerClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: key, secretAccessKey: key }, maxAttempts: 1 });
const pricing = (key = 'test') =>
  new PricingClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: key, secretAccessKey: key }, maxAttempts: 1 });

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthStart = (ms: number, add = 0) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1);
};

let writtenAt = 0;
let imageBytes = 0;
const STANDARD_BYTES = 3 * 1024 * 1024;
const IA_BYTES = 5 * 1024 * 1024;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet', '--no-seed'] });
  writtenAt = Date.now();
  const s3 = s3Client(emu.url);
  await s3.send(new CreateBucketCommand({ Bucket: 'cost-bucket' }));
  await s3.send(new PutObjectCommand({ Bucket: 'cost-bucket', Key: 'a.bin', Body: Buffer.alloc(STANDARD_BYTES, 1) }));
  await s3.send(new PutObjectCommand({ Bucket: 'cost-bucket', Key: 'b.bin', Body: Buffer.alloc(IA_BYTES, 2), StorageClass: 'STANDARD_IA' }));
  const ecr = ecrClient(emu.url);
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'cost/app' }));
  await pushImage(ecr, 'cost/app', makeImage([200_000, 50_000]), 'v1');
  const images = await ecr.send(new DescribeImagesCommand({ repositoryName: 'cost/app' }));
  imageBytes = images.imageDetails?.[0]?.imageSizeInBytes ?? 0;
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

/** What `bytes` at `usd` per GB-month cost from the hour they were written until `until`, counted independently of the emulator. */
function expectedCost(bytes: number, usd: number, until: number): number {
  const from = Math.floor(writtenAt / HOUR) * HOUR;
  const hoursInMonth = (monthStart(from, 1) - monthStart(from)) / HOUR;
  return (bytes / GB) * usd * ((until - from) / HOUR / hoursInMonth);
}

describe('Cost Explorer GetCostAndUsage', { timeout: 180_000 }, () => {
  it('groups month-to-date estimated cost by service, from what is stored and for how long', async () => {
    // Up to two days on (staying within this month): the storage has been held that long.
    const offset = Math.max(0, Math.min(2 * DAY, monthStart(writtenAt, 1) - writtenAt - HOUR));
    await setClock(emu.url, offset);
    try {
      const now = Date.now() + offset;
      // A window inside the current month, so the month's hours divide every figure.
      const start = Math.max(monthStart(now), Math.floor(writtenAt / DAY) * DAY);
      const end = Math.min(monthStart(now, 1), Math.floor(now / DAY) * DAY + DAY);
      const input: GetCostAndUsageCommandInput = {
        TimePeriod: { Start: day(start), End: day(end) },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost', 'UsageQuantity'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      };
      const out = await ce().send(new GetCostAndUsageCommand(input));
      expect(out.GroupDefinitions).toEqual([{ Type: 'DIMENSION', Key: 'SERVICE' }]);
      expect(out.ResultsByTime).toHaveLength(1);
      const r = out.ResultsByTime![0]!;
      expect(r.TimePeriod).toEqual({ Start: day(start), End: day(end) });
      expect(r.Estimated).toBe(true);
      const byService = Object.fromEntries(r.Groups!.map((g) => [g.Keys![0], g.Metrics!]));
      expect(Object.keys(byService).sort()).toEqual(['Amazon EC2 Container Registry (ECR)', 'Amazon Simple Storage Service']);

      const s3Usd = Number(byService['Amazon Simple Storage Service']!.UnblendedCost!.Amount);
      const s3Expected = expectedCost(STANDARD_BYTES, 0.023, now) + expectedCost(IA_BYTES, 0.0125, now);
      // The clock moves while the test runs: a few seconds' worth of tolerance.
      expect(s3Usd).toBeGreaterThan(s3Expected * 0.99);
      expect(s3Usd).toBeLessThan(s3Expected * 1.01);
      expect(byService['Amazon Simple Storage Service']!.UnblendedCost!.Unit).toBe('USD');

      const ecrUsd = Number(byService['Amazon EC2 Container Registry (ECR)']!.UnblendedCost!.Amount);
      expect(imageBytes).toBeGreaterThan(250_000);
      const ecrExpected = expectedCost(imageBytes, 0.1, now);
      expect(ecrUsd).toBeGreaterThan(ecrExpected * 0.99);
      expect(ecrUsd).toBeLessThan(ecrExpected * 1.01);
      // Amounts are decimals, never exponents, even for tiny sums.
      expect(byService['Amazon EC2 Container Registry (ECR)']!.UnblendedCost!.Amount).toMatch(/^\d+\.\d+$/);

      // DAILY: the days add up to the month; days not yet begun cost nothing.
      const daily = await ce().send(new GetCostAndUsageCommand({ ...input, Granularity: 'DAILY', GroupBy: undefined, Metrics: ['UnblendedCost'] }));
      const days = daily.ResultsByTime!;
      expect(days.length).toBe(Math.round((end - start) / DAY));
      const sum = days.reduce((n, d) => n + Number(d.Total!.UnblendedCost!.Amount), 0);
      expect(sum).toBeCloseTo(s3Usd + ecrUsd, 8);
      for (const d of days) expect(d.Groups).toEqual([]);

      // A filter on one service keeps only its cost.
      const filtered = await ce().send(
        new GetCostAndUsageCommand({
          ...input,
          GroupBy: undefined,
          Metrics: ['UnblendedCost'],
          Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Simple Storage Service'] } },
        }),
      );
      expect(Number(filtered.ResultsByTime![0]!.Total!.UnblendedCost!.Amount)).toBeCloseTo(s3Usd, 8);
    } finally {
      await setClock(emu.url, 0);
    }
  });

  it("refuses bad requests with Cost Explorer's ValidationException", async () => {
    const now = Date.now();
    const today = day(now);
    const refused = async (input: Partial<GetCostAndUsageCommandInput>) => {
      const err = await ce()
        .send(new GetCostAndUsageCommand({ TimePeriod: { Start: day(monthStart(now)), End: day(monthStart(now, 1)) }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'], ...input } as GetCostAndUsageCommandInput))
        .then(
          () => undefined,
          (e: Error) => e,
        );
      expect(err?.name).toBe('ValidationException');
      return err!.message;
    };
    expect(await refused({ TimePeriod: { Start: today, End: today } })).toBe('Start date (and hour) should be before end date (and hour)');
    expect(await refused({ TimePeriod: { Start: day(monthStart(now)), End: day(monthStart(now, 1) + DAY) } })).toBe('end date past the beginning of next month');
    expect(await refused({ Metrics: ['Dollars'] })).toContain('Invalid metrics: Dollars');
    expect(await refused({ GroupBy: [{ Type: 'DIMENSION', Key: 'COLOUR' }] })).toContain('Group Definition dimension is invalid');
    expect(await refused({ GroupBy: [{ Type: 'DIMENSION', Key: '' }] })).toContain('Both type an key need to be set');
    expect(
      await refused({ GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }, { Type: 'DIMENSION', Key: 'REGION' }, { Type: 'DIMENSION', Key: 'USAGE_TYPE' }] }),
    ).toContain('at most two');
    expect(await refused({ TimePeriod: { Start: '2026-02-30', End: day(monthStart(now, 1)) } })).toContain('not a valid date');
    // A member the model requires is refused by the front end before the operation runs.
    expect(await refused({ Metrics: undefined })).toMatch(/validation error detected: Value null at '[mM]etrics' failed to satisfy constraint: Member must not be null/);
  });

  it('is authorized as ce:GetCostAndUsage: the readonly identity may read it', async () => {
    const now = Date.now();
    const out = await ce('readonly').send(
      new GetCostAndUsageCommand({ TimePeriod: { Start: day(monthStart(now)), End: day(monthStart(now, 1)) }, Granularity: 'MONTHLY', Metrics: ['BlendedCost'] }),
    );
    expect(out.ResultsByTime![0]!.Total!.BlendedCost!.Unit).toBe('USD');
  });
});

describe('Price List', { timeout: 180_000 }, () => {
  it('describes its services and their attributes, and lists attribute values', async () => {
    const services = await pricing().send(new DescribeServicesCommand({}));
    expect(services.FormatVersion).toBe('aws_v1');
    expect(services.Services!.map((s) => s.ServiceCode)).toEqual(['AmazonCloudFront', 'AmazonECR', 'AmazonS3']);
    const s3 = await pricing().send(new DescribeServicesCommand({ ServiceCode: 'AmazonS3' }));
    expect(s3.Services![0]!.AttributeNames).toEqual(expect.arrayContaining(['regionCode', 'volumeType', 'usagetype', 'productFamily']));
    const values = await pricing().send(new GetAttributeValuesCommand({ ServiceCode: 'AmazonS3', AttributeName: 'volumeType' }));
    expect(values.AttributeValues!.map((v) => v.Value)).toContain('Standard - Infrequent Access');
    const missing = await pricing()
      .send(new GetAttributeValuesCommand({ ServiceCode: 'AmazonS3', AttributeName: 'colour' }))
      .catch((e: Error) => e);
    expect((missing as Error).name).toBe('NotFoundException');
  });

  it('answers GetProducts with Price List JSON documents matching every filter, paged', async () => {
    const out = await pricing().send(
      new GetProductsCommand({
        ServiceCode: 'AmazonS3',
        Filters: [
          { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
          { Type: 'TERM_MATCH', Field: 'volumeType', Value: 'Standard' },
        ],
      }),
    );
    expect(out.PriceList).toHaveLength(1);
    const item = JSON.parse(out.PriceList![0] as unknown as string);
    expect(item.serviceCode).toBe('AmazonS3');
    expect(item.product.productFamily).toBe('Storage');
    expect(item.product.attributes).toMatchObject({ regionCode: 'us-east-1', usagetype: 'TimedStorage-ByteHrs', location: 'US East (N. Virginia)' });
    const dims = Object.values(Object.values(item.terms.OnDemand as Record<string, { priceDimensions: object }>)[0]!.priceDimensions) as {
      beginRange: string;
      unit: string;
      pricePerUnit: { USD: string };
    }[];
    const first = dims.find((d) => d.beginRange === '0')!;
    expect(first.unit).toBe('GB-Mo');
    expect(Number(first.pricePerUnit.USD)).toBe(0.023);

    // Paging: one product a page, every CloudFront product once.
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await pricing().send(new GetProductsCommand({ ServiceCode: 'AmazonCloudFront', MaxResults: 1, NextToken: token }));
      expect(page.PriceList!.length).toBeLessThanOrEqual(1);
      for (const p of page.PriceList!) seen.push(JSON.parse(p as unknown as string).product.sku);
      token = page.NextToken;
    } while (token);
    expect(seen.length).toBe(9);
    expect(new Set(seen).size).toBe(9);

    const forged = await pricing()
      .send(new GetProductsCommand({ ServiceCode: 'AmazonECR', NextToken: Buffer.from('{"q":"other","o":1}').toString('base64') }))
      .catch((e: Error) => e);
    expect((forged as Error).name).toBe('InvalidNextTokenException');
    const noCode = await pricing()
      .send(new GetProductsCommand({ ServiceCode: '' }))
      .catch((e: Error) => e);
    expect((noCode as Error).name).toBe('InvalidParameterException');
    expect((noCode as Error).message).toBe('Input Parameters are invalid. serviceCode cannot be null or empty');
  });
});

describe(`Cost Explorer and the Price List with the AWS CLI (${awsCliPath()})`, { timeout: 180_000 }, () => {
  it('aws ce get-cost-and-usage and aws pricing get-products', async () => {
    const now = Date.now();
    const ce = await runAws(emu.url, [
      'ce', 'get-cost-and-usage', '--time-period', `Start=${day(monthStart(now))},End=${day(monthStart(now, 1))}`,
      '--granularity', 'MONTHLY', '--metrics', 'UnblendedCost', '--group-by', 'Type=DIMENSION,Key=SERVICE',
    ]);
    expect(ce.code, ce.stderr).toBe(0);
    const out = JSON.parse(ce.stdout);
    expect(out.ResultsByTime[0].Groups.map((g: { Keys: string[] }) => g.Keys[0])).toContain('Amazon Simple Storage Service');

    const bad = await runAws(emu.url, ['ce', 'get-cost-and-usage', '--time-period', `Start=${day(now)},End=${day(now)}`, '--granularity', 'DAILY', '--metrics', 'UnblendedCost']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('(ValidationException) when calling the GetCostAndUsage operation: Start date (and hour) should be before end date (and hour)');

    const products = await runAws(emu.url, ['pricing', 'get-products', '--service-code', 'AmazonECR', '--filters', 'Type=TERM_MATCH,Field=regionCode,Value=eu-west-1']);
    expect(products.code, products.stderr).toBe(0);
    const list = JSON.parse(products.stdout);
    expect(list.FormatVersion).toBe('aws_v1');
    expect(list.PriceList).toHaveLength(1);
    // The CLI hands each price list item through as the JSON string AWS sends.
    expect(JSON.parse(list.PriceList[0]).product.attributes).toMatchObject({ regionCode: 'eu-west-1', usagetype: 'EU-TimedStorage-ByteHrs' });
  });
});
