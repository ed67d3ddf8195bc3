import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, DeleteObjectCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAws } from '../test-support/aws-cli';
import { edgeGet, s3Config } from '../test-support/cloudfront';
import { cloudfrontClient, ecrClient, failure, s3Client } from '../test-support/clients';
import { basicAuth, loginPassword, makeImage, pushImage, setClock } from '../test-support/ecr';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

/**
 * CloudWatch over a real emulator process: the current SDK (JSON 1.0, and
 * CBOR when configured), Debian's AWS CLI (query), and metrics that come
 * from what the emulator served: registry pulls, edge requests, S3 storage.
 */

let emu: SpawnedEmulator;
const HOUR = 3_600_000;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet', '--no-seed'] });
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

function cw(o: { key?: string; region?: string; cbor?: boolean } = {}) {
  const key = o.key ?? 'test';
  return new CloudWatchClient({
    endpoint: emu.url,
    region: o.region ?? 'us-east-1',
    credentials: { accessKeyId: key, secretAccessKey: key },
    maxAttempts: 1,
    ...(o.cbor ? { protocol: new AwsSmithyRpcV2CborProtocol({ defaultNamespace: 'com.amazonaws.cloudwatch' }) } : {}),
  });
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function aws(args: string[], opts: { key?: string; region?: string } = {}): Promise<Json> {
  const r = await runAws(emu.url, args, opts);
  expect(r.code, `aws ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Json);
}

describe('custom metrics through every protocol', () => {
  const at = () => new Date(Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000);

  it('aggregates PutMetricData into minutes and answers the five statistics (SDK, JSON 1.0)', async () => {
    const t = at();
    await cw().send(
      new PutMetricDataCommand({
        Namespace: 'Berth/Test',
        MetricData: [
          { MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'a' }], Timestamp: t, Value: 10, Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'a' }], Timestamp: new Date(t.getTime() + 20_000), Value: 30, Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'a' }], Timestamp: new Date(t.getTime() + 60_000), Values: [5, 7], Counts: [1, 3], Unit: 'Milliseconds' },
        ],
      }),
    );
    const out = await cw().send(
      new GetMetricStatisticsCommand({
        Namespace: 'Berth/Test',
        MetricName: 'Latency',
        Dimensions: [{ Name: 'Api', Value: 'a' }],
        StartTime: new Date(t.getTime() - 60_000),
        EndTime: new Date(t.getTime() + 5 * 60_000),
        Period: 60,
        Statistics: ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'],
      }),
    );
    const points = [...(out.Datapoints ?? [])].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    expect(out.Label).toBe('Latency');
    expect(points).toEqual([
      { Timestamp: t, Sum: 40, Average: 20, Minimum: 10, Maximum: 30, SampleCount: 2, Unit: 'Milliseconds' },
      { Timestamp: new Date(t.getTime() + 60_000), Sum: 26, Average: 6.5, Minimum: 5, Maximum: 7, SampleCount: 4, Unit: 'Milliseconds' },
    ]);
    // A five-minute period adds both minutes up.
    const five = await cw().send(
      new GetMetricDataCommand({
        StartTime: t,
        EndTime: new Date(t.getTime() + 5 * 60_000),
        MetricDataQueries: [
          { Id: 'sum', MetricStat: { Metric: { Namespace: 'Berth/Test', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'a' }] }, Period: 300, Stat: 'Sum' } },
          { Id: 'max', MetricStat: { Metric: { Namespace: 'Berth/Test', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'a' }] }, Period: 300, Stat: 'Maximum' } },
          // Dimensions must match exactly: without them this is another metric, with no data.
          { Id: 'other', MetricStat: { Metric: { Namespace: 'Berth/Test', MetricName: 'Latency' }, Period: 300, Stat: 'Sum' } },
        ],
      }),
    );
    expect(five.MetricDataResults?.map((r) => [r.Id, r.Values, r.StatusCode])).toEqual([
      ['sum', [66], 'Complete'],
      ['max', [30], 'Complete'],
      ['other', [], 'Complete'],
    ]);
    expect(five.MetricDataResults?.[0]?.Timestamps).toEqual([t]);
  });

  it('answers the same data in CBOR', async () => {
    const t = at();
    await cw({ cbor: true }).send(new PutMetricDataCommand({ Namespace: 'Berth/Cbor', MetricData: [{ MetricName: 'Hits', Timestamp: t, Value: 2.5 }] }));
    const got = await cw({ cbor: true }).send(
      new GetMetricDataCommand({
        StartTime: new Date(t.getTime() - HOUR),
        EndTime: new Date(t.getTime() + HOUR),
        MetricDataQueries: [{ Id: 'h', MetricStat: { Metric: { Namespace: 'Berth/Cbor', MetricName: 'Hits' }, Period: 60, Stat: 'Sum' } }],
      }),
    );
    expect(got.MetricDataResults?.[0]).toMatchObject({ Id: 'h', Label: 'Hits', Values: [2.5], StatusCode: 'Complete' });
  });

  it("answers Debian's AWS CLI in the query protocol", async () => {
    const t = at();
    await aws(['cloudwatch', 'put-metric-data', '--namespace', 'Berth/Cli', '--metric-name', 'Jobs', '--dimensions', 'Queue=q1', '--value', '4', '--unit', 'Count', '--timestamp', t.toISOString()]);
    const stats = await aws([
      'cloudwatch', 'get-metric-statistics', '--namespace', 'Berth/Cli', '--metric-name', 'Jobs', '--dimensions', 'Name=Queue,Value=q1',
      '--start-time', new Date(t.getTime() - HOUR).toISOString(), '--end-time', new Date(t.getTime() + HOUR).toISOString(),
      '--period', '3600', '--statistics', 'Sum', 'SampleCount',
    ]);
    expect(stats.Label).toBe('Jobs');
    expect(stats.Datapoints).toHaveLength(1);
    expect(stats.Datapoints[0]).toMatchObject({ Sum: 4, SampleCount: 1, Unit: 'Count' });
    const listed = await aws(['cloudwatch', 'list-metrics', '--namespace', 'Berth/Cli']);
    expect(listed.Metrics).toEqual([{ Namespace: 'Berth/Cli', MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'q1' }] }]);
    const data = await aws([
      'cloudwatch', 'get-metric-data', '--start-time', new Date(t.getTime() - HOUR).toISOString(), '--end-time', new Date(t.getTime() + HOUR).toISOString(),
      '--metric-data-queries', JSON.stringify([{ Id: 'j', MetricStat: { Metric: { Namespace: 'Berth/Cli', MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'q1' }] }, Period: 60, Stat: 'Sum' } }]),
    ]);
    expect(data.MetricDataResults[0]).toMatchObject({ Id: 'j', Values: [4], StatusCode: 'Complete' });
    // The CLI shows the query error code.
    const bad = await runAws(emu.url, ['cloudwatch', 'get-metric-statistics', '--namespace', 'Berth/Cli', '--metric-name', 'Jobs', '--start-time', t.toISOString(), '--end-time', new Date(t.getTime() + 2 * 86_400_000).toISOString(), '--period', '60', '--statistics', 'Sum']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('InvalidParameterCombination');
    expect(bad.stderr).toContain('exceeds the limit of 1,440');
  });

  it("refuses with AWS's errors, with the query code on JSON errors", async () => {
    const aws1 = await failure(cw().send(new PutMetricDataCommand({ Namespace: 'AWS/ECR', MetricData: [{ MetricName: 'x', Value: 1 }] })));
    expect(aws1.name).toBe('InvalidParameterValueException');
    expect((aws1 as unknown as { Code: string }).Code).toBe('InvalidParameterValue');
    expect(aws1.message).toBe('The value AWS/ECR for parameter Namespace is invalid.');
    const period = await failure(
      cw().send(new GetMetricStatisticsCommand({ Namespace: 'N', MetricName: 'M', StartTime: new Date(Date.now() - HOUR), EndTime: new Date(), Period: 90, Statistics: ['Sum'] })),
    );
    expect(period.name).toBe('InvalidParameterValueException');
    const expr = await failure(
      cw().send(new GetMetricDataCommand({ StartTime: new Date(Date.now() - HOUR), EndTime: new Date(), MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(METRICS())' }] })),
    );
    expect(expr.name).toBe('ValidationException');
    expect(expr.message).toContain('Error in expression e1');
    const many: MetricDataQuery[] = Array.from({ length: 501 }, (_, i) => ({ Id: `q${i}`, MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 60, Stat: 'Sum' } }));
    const tooMany = await failure(cw().send(new GetMetricDataCommand({ StartTime: new Date(Date.now() - HOUR), EndTime: new Date(), MetricDataQueries: many })));
    expect(tooMany.message).toContain('must not have a size greater than 500');
    // The readonly user reads metrics but may not put them.
    const denied = await failure(cw({ key: 'readonly' }).send(new PutMetricDataCommand({ Namespace: 'Berth/Test', MetricData: [{ MetricName: 'x', Value: 1 }] })));
    expect(denied.message).toContain('cloudwatch:PutMetricData');
    await cw({ key: 'readonly' }).send(new ListMetricsCommand({ Namespace: 'Berth/Test' }));
  });

  it('pages GetMetricData by MaxDatapoints with NextToken, in ScanBy order', async () => {
    const base = Math.floor((Date.now() - 30 * 60_000) / 60_000) * 60_000;
    await cw().send(
      new PutMetricDataCommand({
        Namespace: 'Berth/Paging',
        MetricData: Array.from({ length: 5 }, (_, i) => ({ MetricName: 'P', Timestamp: new Date(base + i * 60_000), Value: i + 1 })),
      }),
    );
    const ask = (NextToken?: string) =>
      cw().send(
        new GetMetricDataCommand({
          StartTime: new Date(base),
          EndTime: new Date(base + 10 * 60_000),
          ScanBy: 'TimestampAscending',
          MaxDatapoints: 2,
          NextToken,
          MetricDataQueries: [{ Id: 'p', MetricStat: { Metric: { Namespace: 'Berth/Paging', MetricName: 'P' }, Period: 60, Stat: 'Sum' } }],
        }),
      );
    const values: number[] = [];
    let token: string | undefined;
    let calls = 0;
    do {
      const page = await ask(token);
      values.push(...(page.MetricDataResults?.[0]?.Values ?? []));
      if (page.NextToken) expect(page.MetricDataResults?.[0]?.StatusCode).toBe('PartialData');
      token = page.NextToken;
      calls++;
    } while (token && calls < 10);
    expect(values).toEqual([1, 2, 3, 4, 5]);
    expect(calls).toBe(3);
    const bad = await failure(ask('not-a-token'));
    expect(bad.name).toBe('InvalidNextToken');
  });
});

describe('metrics from what the emulator served', () => {
  it('counts registry pulls as AWS/ECR RepositoryPullCount per repository', async () => {
    const ecr = ecrClient(emu.url);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'cw/app' }));
    const img = makeImage();
    await pushImage(ecr, 'cw/app', img, 'v1');
    const auth = { Authorization: basicAuth(await loginPassword(ecr)), Accept: 'application/vnd.oci.image.manifest.v1+json' };
    for (let i = 0; i < 3; i++) {
      const r = await rawRequest(emu.url, { path: '/v2/cw/app/manifests/v1', headers: auth });
      expect(r.status).toBe(200);
    }
    // A HEAD is a check, not a pull.
    await rawRequest(emu.url, { method: 'HEAD', path: '/v2/cw/app/manifests/v1', headers: auth });
    const out = await cw().send(
      new GetMetricDataCommand({
        StartTime: new Date(Date.now() - HOUR),
        EndTime: new Date(Date.now() + 60_000),
        MetricDataQueries: [
          { Id: 'pulls', MetricStat: { Metric: { Namespace: 'AWS/ECR', MetricName: 'RepositoryPullCount', Dimensions: [{ Name: 'RepositoryName', Value: 'cw/app' }] }, Period: 3600, Stat: 'Sum' } },
        ],
      }),
    );
    expect(out.MetricDataResults?.[0]?.Values?.reduce((a, b) => a + b, 0)).toBe(3);
    const listed = await cw().send(new ListMetricsCommand({ Namespace: 'AWS/ECR', Dimensions: [{ Name: 'RepositoryName' }] }));
    expect(listed.Metrics).toContainEqual({ Namespace: 'AWS/ECR', MetricName: 'RepositoryPullCount', Dimensions: [{ Name: 'RepositoryName', Value: 'cw/app' }] });
  });

  it('counts edge requests, bytes and error rates as AWS/CloudFront metrics in us-east-1', async () => {
    const s3 = s3Client(emu.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'cw-site' }));
    await s3.send(new PutObjectCommand({ Bucket: 'cw-site', Key: 'index.html', Body: 'x'.repeat(1000), ContentType: 'text/html' }));
    const cf = cloudfrontClient(emu.url);
    const dist = await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('cw-site') }));
    const id = dist.Distribution!.Id!;
    const domain = dist.Distribution!.DomainName!;
    // The bucket is private to everyone but the account; let anyone read it, so the edge serves it.
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'cw-site',
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::cw-site/*', Condition: { StringEquals: { 'AWS:SourceArn': dist.Distribution!.ARN! } } }] }),
      }),
    ).catch(() => undefined);
    const ok1 = await edgeGet(emu.url, domain, '/');
    const ok2 = await edgeGet(emu.url, domain, '/index.html');
    const missing = await edgeGet(emu.url, domain, '/nope.html');
    const statuses = [ok1.status, ok2.status, missing.status];
    const errors4xx = statuses.filter((s) => s >= 400 && s < 500).length;
    const downloaded = [ok1, ok2, missing].reduce((n, r) => n + Number(r.headers['content-length'] ?? 0), 0);

    const q = (Id: string, MetricName: string, Stat: string): MetricDataQuery => ({
      Id,
      MetricStat: { Metric: { Namespace: 'AWS/CloudFront', MetricName, Dimensions: [{ Name: 'DistributionId', Value: id }, { Name: 'Region', Value: 'Global' }] }, Period: 3600, Stat },
    });
    const ask = (region: string) =>
      cw({ region }).send(
        new GetMetricDataCommand({
          StartTime: new Date(Date.now() - HOUR),
          EndTime: new Date(Date.now() + 60_000),
          MetricDataQueries: [q('req', 'Requests', 'Sum'), q('down', 'BytesDownloaded', 'Sum'), q('e4', '4xxErrorRate', 'Average'), q('e5', '5xxErrorRate', 'Average'), q('tot', 'TotalErrorRate', 'Average')],
        }),
      );
    const out = await ask('us-east-1');
    const sum = (i: number) => out.MetricDataResults?.[i]?.Values?.reduce((a, b) => a + b, 0);
    expect(sum(0)).toBe(3);
    expect(sum(1)).toBe(downloaded);
    expect(sum(1)).toBeGreaterThan(0);
    expect(out.MetricDataResults?.[2]?.Values?.[0]).toBeCloseTo((100 * errors4xx) / 3, 6);
    expect(errors4xx).toBeGreaterThan(0);
    expect(out.MetricDataResults?.[3]?.Values?.[0]).toBe(0);
    // CloudFront's metrics live in us-east-1 only.
    const elsewhere = await ask('eu-west-1');
    expect(elsewhere.MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it('samples S3 storage daily, by storage type, counting every version and delete marker', async () => {
    const s3 = s3Client(emu.url, { region: 'eu-west-1' });
    await s3.send(new CreateBucketCommand({ Bucket: 'cw-store', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'cw-store', VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: 'cw-store', Key: 'a', Body: Buffer.alloc(100) }));
    await s3.send(new PutObjectCommand({ Bucket: 'cw-store', Key: 'a', Body: Buffer.alloc(50) }));
    await s3.send(new PutObjectCommand({ Bucket: 'cw-store', Key: 'cold', Body: Buffer.alloc(300), StorageClass: 'STANDARD_IA' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'cw-store', Key: 'a' }));

    const storage = (day: number) =>
      cw({ region: 'eu-west-1' }).send(
        new GetMetricDataCommand({
          StartTime: new Date(day - 3 * 86_400_000),
          EndTime: new Date(day + 86_400_000),
          ScanBy: 'TimestampAscending',
          MetricDataQueries: [
            { Id: 'std', MetricStat: { Metric: { Namespace: 'AWS/S3', MetricName: 'BucketSizeBytes', Dimensions: [{ Name: 'BucketName', Value: 'cw-store' }, { Name: 'StorageType', Value: 'StandardStorage' }] }, Period: 86400, Stat: 'Average' } },
            { Id: 'ia', MetricStat: { Metric: { Namespace: 'AWS/S3', MetricName: 'BucketSizeBytes', Dimensions: [{ Name: 'BucketName', Value: 'cw-store' }, { Name: 'StorageType', Value: 'StandardIAStorage' }] }, Period: 86400, Stat: 'Average' } },
            { Id: 'n', MetricStat: { Metric: { Namespace: 'AWS/S3', MetricName: 'NumberOfObjects', Dimensions: [{ Name: 'BucketName', Value: 'cw-store' }, { Name: 'StorageType', Value: 'AllStorageTypes' }] }, Period: 86400, Stat: 'Average' } },
          ],
        }),
      );
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const first = await storage(today);
    // Two versions of `a` (100 + 50 bytes) and its delete marker; `cold` in Standard-IA.
    expect(first.MetricDataResults?.map((r) => r.Values)).toEqual([[150], [300], [4]]);
    expect(first.MetricDataResults?.[0]?.Timestamps).toEqual([new Date(today)]);

    // A day later, after more writes, the next sample sees them; today's stays as it was.
    await s3.send(new PutObjectCommand({ Bucket: 'cw-store', Key: 'b', Body: Buffer.alloc(1000) }));
    await setClock(emu.url, 86_400_000);
    try {
      const second = await storage(today + 86_400_000);
      expect(second.MetricDataResults?.[0]?.Values).toEqual([150, 1150]);
      expect(second.MetricDataResults?.[2]?.Values).toEqual([4, 5]);
    } finally {
      await setClock(emu.url, 0);
    }
  });
});
