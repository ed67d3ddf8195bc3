import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../core/faults';
import { cloudfrontClient, ecrClient, failure, s3Client, stsClient } from '../test-support/clients';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

let emu: SpawnedEmulator;

beforeAll(async () => {
  emu = await spawnEmulator();
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

beforeEach(async () => {
  await rawRequest(emu.url, { method: 'DELETE', path: '/_emulator/faults' });
});

async function setFaults(rules: FaultRule[]) {
  const res = await rawRequest(emu.url, {
    method: 'PUT',
    path: '/_emulator/faults',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(rules),
  });
  expect(res.status, res.body).toBe(200);
}

describe('fault injection', () => {
  it('throttles so the SDK retries and finally fails with ThrottlingException', async () => {
    await setFaults([{ service: 'ecr', operation: 'DescribeRepositories', kind: 'throttle', rate: 1 }]);
    const err = await failure(ecrClient(emu.url, { maxAttempts: 3 }).send(new DescribeRepositoriesCommand({})));
    expect(err.name).toBe('ThrottlingException');
    // The SDK's standard retry treated it as retryable and used every attempt.
    expect(err.$metadata?.attempts).toBe(3);
    // The emulator saw every attempt (its request log trails the responses slightly).
    await expect
      .poll(() => emu.stderr().split('\n').filter((l) => l.includes('ecr.DescribeRepositories 400')).length)
      .toBeGreaterThanOrEqual(3);
  });

  it('throttles every protocol in its own shape', async () => {
    await setFaults([{ operation: '*', kind: 'throttle', rate: 1 }]);
    const s3 = await failure(s3Client(emu.url).send(new ListBucketsCommand({})));
    expect(s3.name).toBe('SlowDown');
    expect(s3.$metadata?.httpStatusCode).toBe(503);
    const sts = await failure(stsClient(emu.url).send(new GetCallerIdentityCommand({})));
    expect(sts.name).toBe('Throttling');
    const cf = await failure(cloudfrontClient(emu.url).send(new ListDistributionsCommand({})));
    expect(cf.name).toBe('Throttling');
  });

  it('fails with a 500 internal error', async () => {
    await setFaults([{ service: 's3', operation: 'ListBuckets', kind: 'error', rate: 1 }]);
    const s3 = await failure(s3Client(emu.url).send(new ListBucketsCommand({})));
    expect(s3.name).toBe('InternalError');
    expect(s3.$metadata?.httpStatusCode).toBe(500);
    // Rules are per service/operation: ECR is untouched.
    await ecrClient(emu.url).send(new DescribeRepositoriesCommand({}));
    await setFaults([{ service: 'ecr', operation: '*', kind: 'error', rate: 1, status: 503 }]);
    const ecr = await failure(ecrClient(emu.url).send(new DescribeRepositoriesCommand({})));
    expect(ecr.name).toBe('InternalFailure');
    expect(ecr.$metadata?.httpStatusCode).toBe(503);
  });

  it('delays', async () => {
    await setFaults([{ service: 'sts', operation: 'GetCallerIdentity', kind: 'delay', rate: 1, delayMs: 400 }]);
    const started = Date.now();
    await stsClient(emu.url).send(new GetCallerIdentityCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
  });

  it('lists, replaces and clears rules at runtime', async () => {
    const rule: FaultRule = { service: 'ecr', operation: 'DescribeRepositories', kind: 'throttle', rate: 1 };
    await setFaults([rule]);
    expect(JSON.parse((await rawRequest(emu.url, { path: '/_emulator/faults' })).body)).toEqual([rule]);
    const cleared = await rawRequest(emu.url, { method: 'DELETE', path: '/_emulator/faults' });
    expect(cleared.status).toBe(200);
    expect(JSON.parse((await rawRequest(emu.url, { path: '/_emulator/faults' })).body)).toEqual([]);
    await ecrClient(emu.url).send(new DescribeRepositoriesCommand({}));
  });

  it('rejects invalid rules with a 400 naming the problem', async () => {
    const res = await rawRequest(emu.url, {
      method: 'PUT',
      path: '/_emulator/faults',
      body: JSON.stringify([{ operation: '*', kind: 'explode', rate: 1 }]),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toContain('kind');
    const notJson = await rawRequest(emu.url, { method: 'PUT', path: '/_emulator/faults', body: '{{' });
    expect(notJson.status).toBe(400);
  });
});

describe('fault rules from the environment', () => {
  it('applies BERTH_EMULATOR_FAULTS at start', async () => {
    const other = await spawnEmulator({
      faults: [{ service: 'sts', operation: 'GetCallerIdentity', kind: 'throttle', rate: 1 }],
    });
    try {
      const err = await failure(stsClient(other.url).send(new GetCallerIdentityCommand({})));
      expect(err.name).toBe('Throttling');
      await ecrClient(other.url).send(new DescribeRepositoriesCommand({}));
    } finally {
      expect(await other.stop()).toBe(0);
    }
  });

  it('refuses to start on malformed rules', async () => {
    await expect(spawnEmulator({ env: { BERTH_EMULATOR_FAULTS: '[{"kind":"nope"}]' } })).rejects.toThrow(/BERTH_EMULATOR_FAULTS/);
  });
});
