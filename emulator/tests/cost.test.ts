import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CreateDistributionCommand, CreateOriginAccessControlCommand } from '@aws-sdk/client-cloudfront';
import { CostExplorerClient, GetCostAndUsageCommand, type GetCostAndUsageCommandInput, type ResultByTime } from '@aws-sdk/client-cost-explorer';
import { BatchDeleteImageCommand, CreateRepositoryCommand, DeleteRepositoryCommand, DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, GetAttributeValuesCommand, GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { CreateBucketCommand, DeleteObjectsCommand, PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliPath, runAws } from '../test-support/aws-cli';
import { edgeGet, s3Config } from '../test-support/cloudfront';
import type { RawResponse } from '../test-support/raw-http';
import { cloudfrontClient, ecrClient, s3Client } from '../test-support/clients';
import { makeImage, pushImage, setClock } from '../test-support/ecr';
import { spawnEmulator, tempDir, type SpawnedEmulator } from '../test-support/spawn';

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

/** What `bytes` at `usd` per GB-month cost from when they were written until `until`, counted independently of the emulator. */
function expectedCost(bytes: number, usd: number, until: number): number {
  const hoursInMonth = (monthStart(writtenAt, 1) - monthStart(writtenAt)) / HOUR;
  return (bytes / GB) * usd * ((until - writtenAt) / HOUR / hoursInMonth);
}

/** `actual` is `expected` within 1%, or within ten seconds' worth of storage (the writes and the clock take a moment). */
function expectNear(actual: number, expected: number, bytes: number, usd: number): void {
  const tenSeconds = expectedCost(bytes, usd, writtenAt + 10_000);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(expected * 0.01, tenSeconds));
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
      expectNear(s3Usd, s3Expected, STANDARD_BYTES + IA_BYTES, 0.023);
      expect(byService['Amazon Simple Storage Service']!.UnblendedCost!.Unit).toBe('USD');

      const ecrUsd = Number(byService['Amazon EC2 Container Registry (ECR)']!.UnblendedCost!.Amount);
      expect(imageBytes).toBeGreaterThan(250_000);
      const ecrExpected = expectedCost(imageBytes, 0.1, now);
      expectNear(ecrUsd, ecrExpected, imageBytes, 0.1);
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

/** Hours of [from, to) that fall in each day of `days`, priced as GB-months of that day's month: what CE should answer, worked out apart from the emulator. */
function storageCost(bytes: number, usdPerGbMonth: number, from: number, to: number, days: ResultByTime[]): number {
  let usd = 0;
  for (const d of days) {
    const a = Date.parse(`${d.TimePeriod!.Start}T00:00:00Z`);
    const b = Date.parse(`${d.TimePeriod!.End}T00:00:00Z`);
    const hours = Math.max(0, Math.min(b, to) - Math.max(a, from)) / HOUR;
    usd += (bytes / GB) * usdPerGbMonth * (hours / ((monthStart(a, 1) - monthStart(a)) / HOUR));
  }
  return usd;
}

const floorHour = (ms: number) => Math.floor(ms / HOUR) * HOUR;
const ceilHour = (ms: number) => Math.ceil(ms / HOUR) * HOUR;
const total = (days: ResultByTime[], metric = 'UnblendedCost') => days.reduce((n, d) => n + Number(d.Total![metric]!.Amount), 0);

describe('Cost Explorer: CloudFront and storage that is gone', { timeout: 300_000 }, () => {
  it("prices what the CloudFront edge served under CloudFront's usage types, in the global region", async () => {
    const s3 = s3Client(emu.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'cost-site' }));
    const page = 1024 * 1024;
    await s3.send(new PutObjectCommand({ Bucket: 'cost-site', Key: 'index.html', Body: Buffer.alloc(page, 'x'), ContentType: 'text/html' }));
    // Origin access control and a bucket policy for the distribution: the edge may read the bucket.
    const cf = cloudfrontClient(emu.url);
    const oac = await cf.send(
      new CreateOriginAccessControlCommand({
        OriginAccessControlConfig: { Name: 'cost-site', OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
      }),
    );
    const dist = await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('cost-site', { oacId: oac.OriginAccessControl!.Id! }) }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'cost-site',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::cost-site/*', Condition: { StringEquals: { 'AWS:SourceArn': dist.Distribution!.ARN! } } }],
        }),
      }),
    );
    const domain = dist.Distribution!.DomainName!;
    // Five GETs of the page, a HEAD, a missing page and a PUT the behaviour does not allow: every answer is a billed request.
    const answers: RawResponse[] = [];
    for (let i = 0; i < 5; i++) answers.push(await edgeGet(emu.url, domain, '/index.html'));
    answers.push(await edgeGet(emu.url, domain, '/index.html', {}, 'HEAD'));
    answers.push(await edgeGet(emu.url, domain, '/missing.html'));
    const put = await edgeGet(emu.url, domain, '/index.html', { 'Content-Length': '0' }, 'PUT');
    expect(answers.slice(0, 5).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(put.status).toBeGreaterThanOrEqual(400);
    // Bytes out are the bodies sent (a HEAD sends none).
    const bytesOut = [...answers, put].reduce((n, r) => n + Buffer.byteLength(r.body), 0);
    expect(bytesOut).toBeGreaterThanOrEqual(5 * page);

    const now = Date.now();
    const today = Math.floor(now / DAY) * DAY;
    const input: GetCostAndUsageCommandInput = {
      // Yesterday to tomorrow: the requests fall inside even if the test straddles midnight.
      TimePeriod: { Start: day(today - DAY), End: day(today + DAY) },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost', 'UsageQuantity'],
      Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon CloudFront'] } },
      GroupBy: [{ Type: 'DIMENSION', Key: 'USAGE_TYPE' }, { Type: 'DIMENSION', Key: 'REGION' }],
    };
    const read = async () => {
      const out = await ce().send(new GetCostAndUsageCommand(input));
      const byType = new Map<string, { usd: number; quantity: number; region: string }>();
      for (const r of out.ResultsByTime!) {
        for (const g of r.Groups!) {
          const [type, region] = g.Keys!;
          const t = byType.get(type!) ?? { usd: 0, quantity: 0, region: region! };
          t.usd += Number(g.Metrics!.UnblendedCost!.Amount);
          t.quantity += Number(g.Metrics!.UsageQuantity!.Amount);
          byType.set(type!, t);
        }
      }
      return byType;
    };
    // The edge counts an answer once the last of it has gone out, which can be
    // just after the client has read it: give the last ones a moment.
    let byType = await read();
    for (let i = 0; i < 50 && (byType.get('US-Requests-Tier1')?.quantity ?? 0) + (byType.get('US-Requests-HTTP-Proxy')?.quantity ?? 0) < 8; i++) {
      await new Promise((r) => setTimeout(r, 100));
      byType = await read();
    }
    expect([...byType.keys()].sort()).toEqual(['US-DataTransfer-Out-Bytes', 'US-Requests-HTTP-Proxy', 'US-Requests-Tier1']);
    for (const t of byType.values()) expect(t.region).toBe('global');
    // The emulator's edge answers plain HTTP: GET and HEAD are Requests-Tier1 at $0.0075 per 10,000, the PUT a proxy request at the same price.
    expect(byType.get('US-Requests-Tier1')!.quantity).toBe(7);
    expect(byType.get('US-Requests-Tier1')!.usd).toBeCloseTo((7 * 0.0075) / 10_000, 10);
    expect(byType.get('US-Requests-HTTP-Proxy')!.quantity).toBe(1);
    // Transfer out is counted in GB (2^30 bytes) at the first tier, $0.085 per GB.
    const gbOut = bytesOut / GB;
    expect(byType.get('US-DataTransfer-Out-Bytes')!.quantity).toBeCloseTo(gbOut, 9);
    expect(byType.get('US-DataTransfer-Out-Bytes')!.usd).toBeCloseTo(gbOut * 0.085, 9);

    // By service, CloudFront now stands beside ECR and S3; a REGION filter on "global" keeps only it.
    const monthly = await ce().send(new GetCostAndUsageCommand({ ...input, Granularity: 'MONTHLY', Filter: undefined, GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] }));
    const services = monthly.ResultsByTime!.flatMap((r) => r.Groups!.map((g) => g.Keys![0]));
    expect(services).toContain('Amazon CloudFront');
    const global = await ce().send(
      new GetCostAndUsageCommand({ ...input, Metrics: ['UnblendedCost'], GroupBy: undefined, Filter: { Dimensions: { Key: 'REGION', Values: ['global'] } } }),
    );
    const expectedUsd = [...byType.values()].reduce((n, t) => n + t.usd, 0);
    expect(total(global.ResultsByTime!)).toBeCloseTo(expectedUsd, 9);
  });

  it('keeps billing a deleted image and a deleted repository for the hours they were stored, and no longer', async () => {
    const region = 'eu-west-1';
    const ecr = ecrClient(emu.url, { region });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'cost/gone' }));
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'cost/gone-repo' }));
    const digest = await pushImage(ecr, 'cost/gone', makeImage([300_000]), 'v1');
    await pushImage(ecr, 'cost/gone-repo', makeImage([120_000]), 'v1');
    const pushed: { bytes: number; at: number }[] = [];
    for (const repositoryName of ['cost/gone', 'cost/gone-repo']) {
      const d = (await ecr.send(new DescribeImagesCommand({ repositoryName }))).imageDetails![0]!;
      pushed.push({ bytes: d.imageSizeInBytes!, at: d.imagePushedAt!.getTime() });
    }

    // Two days on, both go: the image by digest, the other with its repository.
    const offset = 2 * DAY;
    let deletedFrom = 0;
    let deletedTo = 0;
    await setClock(emu.url, offset);
    try {
      deletedFrom = Date.now() + offset;
      const gone = await ecr.send(new BatchDeleteImageCommand({ repositoryName: 'cost/gone', imageIds: [{ imageDigest: digest }] }));
      expect(gone.failures).toEqual([]);
      await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'cost/gone-repo', force: true }));
      deletedTo = Date.now() + offset;
      expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'cost/gone' }))).imageDetails).toEqual([]);

      // A day later still, ask for every day from the push until tomorrow.
      await setClock(emu.url, offset + DAY);
      const now = Date.now() + offset + DAY;
      const start = Math.floor(Math.min(...pushed.map((p) => p.at)) / DAY) * DAY;
      const out = await ce().send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: day(start), End: day(Math.floor(now / DAY) * DAY + DAY) },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          Filter: { And: [{ Dimensions: { Key: 'SERVICE', Values: ['Amazon EC2 Container Registry (ECR)'] } }, { Dimensions: { Key: 'REGION', Values: [region] } }] },
          GroupBy: [{ Type: 'DIMENSION', Key: 'USAGE_TYPE' }],
        }),
      );
      const days = out.ResultsByTime!;
      const usd = days.reduce((n, d) => n + d.Groups!.reduce((m, g) => m + Number(g.Metrics!.UnblendedCost!.Amount), 0), 0);
      for (const d of days) for (const g of d.Groups!) expect(g.Keys).toEqual(['EU-TimedStorage-ByteHrs']);
      // Billed from the push to the delete (known to within the two readings around it), day by day.
      // imagePushedAt is read back through the JSON protocol: a second either way covers its rounding.
      const expected = (push: number, end: number) => pushed.reduce((n, p) => n + storageCost(p.bytes, 0.1, p.at + push, end, days), 0);
      const low = expected(1000, deletedFrom);
      const high = expected(-1000, deletedTo);
      expect(low).toBeGreaterThan(0);
      expect(usd).toBeGreaterThanOrEqual(low * (1 - 1e-6) - 1e-9);
      expect(usd).toBeLessThanOrEqual(high * (1 + 1e-6) + 1e-9);
      // The day after the delete costs nothing: the storage ended.
      const last = days.at(-1)!;
      expect(last.Groups).toEqual([]);
    } finally {
      await setClock(emu.url, 0);
    }
  });

  it('writes the storage of many deleted objects as one ledger row per hour pair, and bills it', async () => {
    const region = 'us-west-2';
    const s3 = s3Client(emu.url, { region });
    await s3.send(new CreateBucketCommand({ Bucket: 'cost-many', CreateBucketConfiguration: { LocationConstraint: region } }));
    const count = 400;
    const size = 1024;
    const keys = Array.from({ length: count }, (_, i) => `k/${String(i).padStart(4, '0')}`);
    const writtenFrom = Date.now();
    for (let i = 0; i < keys.length; i += 20) {
      await Promise.all(keys.slice(i, i + 20).map((Key) => s3.send(new PutObjectCommand({ Bucket: 'cost-many', Key, Body: Buffer.alloc(size, 7) }))));
    }
    const writtenTo = Date.now();
    const offset = 5 * HOUR;
    await setClock(emu.url, offset);
    try {
      const deletedFrom = Date.now() + offset;
      const out = await s3.send(new DeleteObjectsCommand({ Bucket: 'cost-many', Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
      const deletedTo = Date.now() + offset;
      expect(out.Errors ?? []).toEqual([]);
      // Past the end of the hour of the delete, so the whole ledger row has accrued.
      await setClock(emu.url, offset + 2 * HOUR);

      const db = new Database(path.join(emu.dataDir, 'emulator.sqlite'), { readonly: true, fileMustExist: true });
      let rows: { from_ms: number; to_ms: number; bytes: number }[];
      try {
        rows = db.prepare("SELECT from_ms, to_ms, bytes FROM ce_ended_storage WHERE service = 's3' AND region = ?").all(region) as typeof rows;
      } finally {
        db.close();
      }
      // 400 deletions, one row per (hour written, hour deleted): at most two of each here.
      const hourPairs = new Set<string>();
      for (const from of [floorHour(writtenFrom), floorHour(writtenTo)]) for (const to of [ceilHour(deletedFrom), ceilHour(deletedTo)]) hourPairs.add(`${from}/${to}`);
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.length).toBeLessThanOrEqual(hourPairs.size);
      for (const r of rows) expect(hourPairs.has(`${r.from_ms}/${r.to_ms}`)).toBe(true);
      expect(rows.reduce((n, r) => n + r.bytes, 0)).toBe(count * size);

      // Cost Explorer bills exactly what the rows say, as Standard storage in us-west-2.
      const now = Date.now() + offset + 2 * HOUR;
      const start = Math.floor(writtenFrom / DAY) * DAY;
      const ce1 = await ce().send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: day(start), End: day(Math.floor(now / DAY) * DAY + DAY) },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          Filter: { Dimensions: { Key: 'REGION', Values: [region] } },
          GroupBy: [{ Type: 'DIMENSION', Key: 'USAGE_TYPE' }],
        }),
      );
      const days = ce1.ResultsByTime!;
      const usd = days.reduce((n, d) => n + d.Groups!.reduce((m, g) => m + Number(g.Metrics!.UnblendedCost!.Amount), 0), 0);
      for (const d of days) for (const g of d.Groups!) expect(g.Keys).toEqual(['USW2-TimedStorage-ByteHrs']);
      // Each object is billed from its write to the delete, whatever hours those fell in.
      const low = storageCost(count * size, 0.023, writtenTo, deletedFrom, days);
      const high = storageCost(count * size, 0.023, writtenFrom, deletedTo, days);
      expect(low).toBeGreaterThan(0);
      expect(usd).toBeGreaterThanOrEqual(low - 1e-9);
      expect(usd).toBeLessThanOrEqual(high + 1e-9);
    } finally {
      await setClock(emu.url, 0);
    }
  });

  it('bills an overwritten object version until the overwrite, and the new one from then', async () => {
    const region = 'ap-northeast-1';
    const s3 = s3Client(emu.url, { region });
    await s3.send(new CreateBucketCommand({ Bucket: 'cost-overwrite', CreateBucketConfiguration: { LocationConstraint: region } }));
    const big = 4 * 1024 * 1024;
    const small = 1024;
    const firstFrom = Date.now();
    await s3.send(new PutObjectCommand({ Bucket: 'cost-overwrite', Key: 'site.bin', Body: Buffer.alloc(big, 1) }));
    const firstTo = Date.now();
    try {
      // Two hours on, the unversioned key is written again: the first version's storage ends there.
      await setClock(emu.url, 2 * HOUR);
      const secondFrom = Date.now() + 2 * HOUR;
      await s3.send(new PutObjectCommand({ Bucket: 'cost-overwrite', Key: 'site.bin', Body: Buffer.alloc(small, 2) }));
      const secondTo = Date.now() + 2 * HOUR;
      await setClock(emu.url, 4 * HOUR);
      const askedFrom = Date.now() + 4 * HOUR;
      const out = await ce().send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: day(Math.floor(firstFrom / DAY) * DAY), End: day(Math.floor(askedFrom / DAY) * DAY + DAY) },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          Filter: { Dimensions: { Key: 'REGION', Values: [region] } },
        }),
      );
      const askedTo = Date.now() + 4 * HOUR;
      const days = out.ResultsByTime!;
      const usd = total(days);
      // Tokyo Standard storage, $0.025 per GB-month: 4 MiB for two hours, then 1 KiB for two more.
      const low = storageCost(big, 0.025, firstTo, secondFrom, days) + storageCost(small, 0.025, secondTo, askedFrom, days);
      const high = storageCost(big, 0.025, firstFrom, secondTo, days) + storageCost(small, 0.025, secondFrom, askedTo, days);
      expect(usd).toBeGreaterThanOrEqual(low - 1e-10);
      expect(usd).toBeLessThanOrEqual(high + 1e-10);
    } finally {
      await setClock(emu.url, 0);
    }
  });

  it('keeps the cost of a deleted object across a kill -9 and a restart', async () => {
    const dataDir = tempDir();
    try {
      const first = await spawnEmulator({ dataDir, args: ['--quiet', '--no-seed'] });
      const s3 = s3Client(first.url);
      await s3.send(new CreateBucketCommand({ Bucket: 'cost-crash' }));
      await s3.send(new PutObjectCommand({ Bucket: 'cost-crash', Key: 'a.bin', Body: Buffer.alloc(1024 * 1024, 3) }));
      const writtenFrom = Date.now();
      const offset = 3 * HOUR;
      await setClock(first.url, offset);
      await s3.send(new DeleteObjectsCommand({ Bucket: 'cost-crash', Delete: { Objects: [{ Key: 'a.bin' }] } }));
      const ask = async (url: string) => {
        const now = Date.now() + offset;
        const out = await new CostExplorerClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 }).send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: day(Math.floor(writtenFrom / DAY) * DAY), End: day(Math.floor(now / DAY) * DAY + DAY) },
            Granularity: 'DAILY',
            Metrics: ['UnblendedCost'],
            Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Simple Storage Service'] } },
          }),
        );
        return total(out.ResultsByTime!);
      };
      const before = await ask(first.url);
      expect(before).toBeGreaterThan(0);
      await first.kill9();

      // The clock offset is the process's own: the restarted emulator starts where the first one was.
      const second = await spawnEmulator({ dataDir, args: ['--quiet', '--no-seed'], env: { BERTH_EMULATOR_CLOCK_OFFSET_MS: String(offset) } });
      try {
        expect(await ask(second.url)).toBeCloseTo(before, 12);
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
