import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateDistributionCommand, CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { edgeGet, s3Config } from '@/emulator/test-support/cloudfront';
import { basicAuth, loginPassword, makeImage, pushImage } from '@/emulator/test-support/ecr';
import { rawRequest } from '@/emulator/test-support/raw-http';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';

// lib/cloudwatch over a real emulator: what the pages chart and what the cost
// estimates read, from pulls, edge requests and storage the emulator served.

let emu: SpawnedEmulator;
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };

beforeAll(async () => {
  emu = await startConsoleEmulator({ args: ['--quiet', '--no-seed'] }, { env: { BERTH_READ_CACHE_SECONDS: '0' } });
});
afterAll(() => stopConsoleEmulator(emu));

describe('lib/cloudwatch', () => {
  it('charts a repository’s pulls', async () => {
    const ecr = new ECRClient({ endpoint: emu.url, region: 'eu-west-1', credentials: creds });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'mon/api' }));
    await pushImage(ecr, 'mon/api', makeImage(), 'v1');
    const auth = { Authorization: basicAuth(await loginPassword(ecr)), Accept: 'application/vnd.oci.image.manifest.v1+json' };
    for (let i = 0; i < 2; i++) expect((await rawRequest(emu.url, { path: '/v2/mon/api/manifests/v1', headers: auth })).status).toBe(200);

    const { repositoryPulls } = await import('./metrics');
    const set = await repositoryPulls('eu-west-1', 'mon/api', '24h');
    expect(set.periodSec).toBe(300);
    expect(set.endMs - set.startMs).toBe(86_400_000);
    expect(set.series[0]?.points.reduce((n, p) => n + p.v, 0)).toBe(2);
    // Another region's repository of the same name has none.
    expect((await repositoryPulls('us-east-1', 'mon/api', '7d')).series[0]?.points).toEqual([]);
  });

  it('reads a distribution’s traffic and error rates', async () => {
    const s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials: creds });
    await s3.send(new CreateBucketCommand({ Bucket: 'mon-site' }));
    await s3.send(new PutObjectCommand({ Bucket: 'mon-site', Key: 'index.html', Body: 'hello world' }));
    const cf = new CloudFrontClient({ endpoint: emu.url, region: 'us-east-1', credentials: creds });
    const d = (await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('mon-site') }))).Distribution!;
    const answers = [await edgeGet(emu.url, d.DomainName!, '/'), await edgeGet(emu.url, d.DomainName!, '/missing')];
    const bytes = answers.reduce((n, r) => n + Number(r.headers['content-length'] ?? 0), 0);
    const errors = answers.filter((r) => r.status >= 400).length;

    const { distributionMonitoring, distributionTraffic } = await import('./metrics');
    const set = await distributionMonitoring(d.Id!, '24h');
    const total = (id: string) => set.series.find((s) => s.id === id)!.points.reduce((n, p) => n + p.v, 0);
    expect(total('requests')).toBe(2);
    expect(total('downloaded')).toBe(bytes);
    expect(set.series.find((s) => s.id === 'total')!.points[0]!.v).toBeCloseTo((100 * errors) / 2, 6);
    const traffic = await distributionTraffic(d.Id!, 30);
    expect(traffic).toEqual({ distributionId: d.Id, days: 30, requests: 2, bytesDownloaded: bytes, bytesUploaded: 0 });
  });

  it('reads a bucket’s storage by class from the daily sample', async () => {
    const s3 = new S3Client({ endpoint: emu.url, region: 'eu-west-1', forcePathStyle: true, credentials: creds });
    await s3.send(new CreateBucketCommand({ Bucket: 'mon-store', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await s3.send(new PutObjectCommand({ Bucket: 'mon-store', Key: 'a', Body: Buffer.alloc(2048) }));
    await s3.send(new PutObjectCommand({ Bucket: 'mon-store', Key: 'b', Body: Buffer.alloc(512), StorageClass: 'GLACIER' }));

    const { bucketStorageByClass, bucketStorageSeries } = await import('./metrics');
    const latest = await bucketStorageByClass('mon-store', 'eu-west-1');
    expect(latest.objects).toBe(2);
    expect(latest.byClass).toEqual([
      { storageClass: 'STANDARD', bytes: 2048 },
      { storageClass: 'GLACIER', bytes: 512 },
    ]);
    expect(latest.sampledAt).toBe(Math.floor(Date.now() / 86_400_000) * 86_400_000);
    const series = await bucketStorageSeries('mon-store', 'eu-west-1', '30d');
    expect(series.series.map((s) => s.label).sort()).toEqual(['GlacierStorage', 'Objects', 'StandardStorage']);
  });

  it('names the missing permission when Berth may not call cloudwatch:GetMetricData', async () => {
    const iam = new IAMClient({ endpoint: emu.url, region: 'us-east-1', credentials: creds });
    await iam.send(new CreateUserCommand({ UserName: 'no-metrics' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'no-metrics' }))).AccessKey!;
    const cw = new CloudWatchClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }, maxAttempts: 1 });
    const err = await cw
      .send(new GetMetricDataCommand({ StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(), MetricDataQueries: [{ Id: 'a', MetricStat: { Metric: { Namespace: 'AWS/ECR', MetricName: 'RepositoryPullCount' }, Period: 60, Stat: 'Sum' } }] }))
      .then(() => undefined, (e: unknown) => e);
    const { describeAwsError } = await import('@/lib/aws/errors');
    const problem = describeAwsError(err, { service: 'CLOUDWATCH', action: 'cloudwatch:GetMetricData' });
    expect(problem.title).toBe('Permission missing');
    expect(problem.missingAction).toBe('cloudwatch:GetMetricData');
    expect(problem.message).toContain('cloudwatch:GetMetricData');
  });
});
