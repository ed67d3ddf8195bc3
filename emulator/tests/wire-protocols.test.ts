import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ApiGatewayManagementApi,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import * as apigwSchemas from '@aws-sdk/client-apigatewaymanagementapi/dist-es/schemas/schemas_0.js';
import { CloudWatch, CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import * as cloudwatchSchemas from '@aws-sdk/client-cloudwatch/dist-es/schemas/schemas_0.js';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError } from '../core/errors';
import { loadServiceModel, type WireProtocol } from '../core/wire/model';
import { defineModelService, type Providers } from '../core/wire/service';
import { startEmulator, type RunningEmulator } from '../server';
import { iam } from '../services/iam';
import { failure } from '../test-support/clients';

/**
 * The wire layer's JSON 1.0, RPC v2 CBOR and REST-JSON paths on their own,
 * driven by the unmodified SDK clients of two services in those protocols.
 * The services here are test fixtures: small providers over the real models,
 * served by the real HTTP server. (The emulated CloudWatch speaks JSON 1.0
 * and CBOR for real: tests/cloudwatch.test.ts.)
 */

const creds = { accessKeyId: 'test', secretAccessKey: 'test' };

function cloudWatchFixture(protocol: WireProtocol) {
  const metrics: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[]; at: Date; value: number }[] = [];
  const providers: Providers<CloudWatch> = {
    PutMetricData(input) {
      for (const d of input.MetricData ?? []) {
        metrics.push({
          Namespace: input.Namespace!,
          MetricName: d.MetricName!,
          Dimensions: (d.Dimensions ?? []).map((x) => ({ Name: x.Name!, Value: x.Value! })),
          at: d.Timestamp ?? new Date(),
          value: d.Value ?? 0,
        });
      }
      return {};
    },
    ListMetrics(input) {
      const seen = new Map<string, (typeof metrics)[number]>();
      for (const m of metrics) if (!input.Namespace || m.Namespace === input.Namespace) seen.set(`${m.Namespace}/${m.MetricName}`, m);
      return { Metrics: [...seen.values()].map((m) => ({ Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: m.Dimensions })) };
    },
    GetMetricData(input) {
      return {
        MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
          const points = metrics.filter((m) => m.MetricName === q.MetricStat?.Metric?.MetricName);
          return { Id: q.Id, Label: q.MetricStat?.Metric?.MetricName, Timestamps: points.map((p) => p.at), Values: points.map((p) => p.value), StatusCode: 'Complete' };
        }),
      };
    },
  };
  return defineModelService({
    name: `cloudwatch-${protocol}`,
    signingName: 'monitoring',
    model: loadServiceModel(cloudwatchSchemas, {
      protocol,
      version: '2010-08-01',
      targetPrefix: 'GraniteServiceVersion20100801',
      serviceName: 'GraniteServiceVersion20100801',
    }),
    providers,
  });
}

function apiGatewayFixture() {
  const connections = new Map<string, { at: Date; sent: string[] }>([['abc=', { at: new Date('2026-01-02T03:04:05Z'), sent: [] }]]);
  const providers: Providers<ApiGatewayManagementApi> = {
    PostToConnection(input) {
      const c = connections.get(input.ConnectionId!);
      if (!c) throw new AwsError('GoneException', '', 410);
      c.sent.push(Buffer.from(input.Data as Uint8Array).toString('utf8'));
      return {};
    },
    GetConnection(input) {
      const c = connections.get(input.ConnectionId!);
      if (!c) throw new AwsError('GoneException', '', 410);
      return { ConnectedAt: c.at, LastActiveAt: c.at, Identity: { SourceIp: '192.0.2.1', UserAgent: c.sent.join('|') } };
    },
    DeleteConnection(input) {
      if (!connections.delete(input.ConnectionId!)) throw new AwsError('GoneException', '', 410);
      return {};
    },
  };
  return defineModelService({
    name: 'apigatewaymanagementapi',
    signingName: 'execute-api',
    model: loadServiceModel(apigwSchemas, { protocol: 'restJson1', version: '2018-11-29' }),
    providers,
  });
}

const dirs: string[] = [];
async function serve(services: ReturnType<typeof defineModelService>[]): Promise<RunningEmulator> {
  const dir = mkdtempSync(path.join(tmpdir(), 'berth-wire-'));
  dirs.push(dir);
  // IAM comes along: every request is authorized by the caller's IAM policies (user `test` has AdministratorAccess).
  return startEmulator({ dataDir: dir, seed: false, services: [iam, ...services] });
}

let cbor: RunningEmulator;
let json10: RunningEmulator;
let restJson: RunningEmulator;

beforeAll(async () => {
  cbor = await serve([cloudWatchFixture('rpcv2Cbor')]);
  json10 = await serve([cloudWatchFixture('awsJson1_0')]);
  restJson = await serve([apiGatewayFixture()]);
});

afterAll(async () => {
  await Promise.all([cbor?.close(), json10?.close(), restJson?.close()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function roundTrip(client: CloudWatchClient) {
  const at = new Date('2026-11-30T12:00:00Z');
  await client.send(
    new PutMetricDataCommand({
      Namespace: 'Berth/Test',
      MetricData: [{ MetricName: 'Pulls', Dimensions: [{ Name: 'RepositoryName', Value: 'team/api' }], Timestamp: at, Value: 3.5 }],
    }),
  );
  const listed = await client.send(new ListMetricsCommand({ Namespace: 'Berth/Test' }));
  expect(listed.Metrics).toEqual([{ Namespace: 'Berth/Test', MetricName: 'Pulls', Dimensions: [{ Name: 'RepositoryName', Value: 'team/api' }] }]);
  const data = await client.send(
    new GetMetricDataCommand({
      StartTime: new Date(at.getTime() - 3600_000),
      EndTime: new Date(at.getTime() + 3600_000),
      MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'Berth/Test', MetricName: 'Pulls' }, Period: 60, Stat: 'Sum' } }],
    }),
  );
  expect(data.MetricDataResults?.[0]).toMatchObject({ Id: 'm1', Label: 'Pulls', Values: [3.5], StatusCode: 'Complete' });
  expect(data.MetricDataResults?.[0]?.Timestamps?.[0]?.toISOString()).toBe(at.toISOString());
  // A required member missing is refused by the model, before any provider runs.
  const err = await failure(client.send(new PutMetricDataCommand({ MetricData: [] } as never)));
  expect(err.name).toBe('ValidationException');
  expect(err.message).toContain("Value null at 'namespace' failed to satisfy constraint: Member must not be null");
  // An operation of the model with no provider names itself.
  const missing = await failure(client.send(new DescribeAlarmsCommand({})));
  expect(missing.name).toBe('NotImplemented');
  expect(missing.message).toContain('DescribeAlarms');
}

describe('RPC v2 CBOR', () => {
  it('round-trips structures, lists, timestamps and doubles with the SDK in CBOR', async () => {
    const client = new CloudWatchClient({
      endpoint: cbor.url,
      region: 'us-east-1',
      credentials: creds,
      maxAttempts: 1,
      protocol: new AwsSmithyRpcV2CborProtocol({ defaultNamespace: 'com.amazonaws.cloudwatch' }),
    });
    await roundTrip(client);
  });
});

describe('JSON 1.0', () => {
  it('round-trips the same calls with the SDK in JSON 1.0', async () => {
    await roundTrip(new CloudWatchClient({ endpoint: json10.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 }));
  });
});

describe('REST-JSON', () => {
  const client = () => new ApiGatewayManagementApi({ endpoint: restJson.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });

  it('binds labels, a blob payload, jsonName members and timestamps', async () => {
    await client().send(new PostToConnectionCommand({ ConnectionId: 'abc=', Data: Buffer.from('hello') }));
    const got = await client().send(new GetConnectionCommand({ ConnectionId: 'abc=' }));
    expect(got.ConnectedAt?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(got.Identity).toEqual({ SourceIp: '192.0.2.1', UserAgent: 'hello' });
  });

  it('answers errors with the status and code from the provider', async () => {
    await client().send(new DeleteConnectionCommand({ ConnectionId: 'abc=' }));
    const err = await failure(client().send(new GetConnectionCommand({ ConnectionId: 'abc=' })));
    expect(err.name).toBe('GoneException');
    expect(err.$metadata?.httpStatusCode).toBe(410);
  });
});
