import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';

// lib/aws against a real emulator process: the client factory picks the
// endpoint up from AWS_ENDPOINT_URL as the SDK defines it, and AWS's real error
// responses come out of the mapper as sentences.

let emu: SpawnedEmulator;

beforeAll(async () => {
  emu = await spawnEmulator();
});
afterAll(async () => {
  await emu?.stop();
});

async function loadWith(env: Record<string, string>) {
  vi.resetModules();
  vi.unstubAllEnvs();
  vi.stubEnv('AWS_CONFIG_FILE', '/dev/null');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/dev/null');
  vi.stubEnv('AWS_PROFILE', '');
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const clients = await import('./clients');
  const errors = await import('./errors');
  const reach = await import('./reachability');
  return { ...clients, ...errors, ...reach };
}

describe('lib/aws over the emulator', () => {
  it('reaches every service through AWS_ENDPOINT_URL with the test key', async () => {
    const m = await loadWith({ AWS_ENDPOINT_URL: emu.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    for (const s of ['ECR', 'S3', 'CLOUDFRONT'] as const) {
      const r = await m.checkService(s, 'us-east-1');
      expect(r, s).toMatchObject({ ok: true, endpoint: emu.url });
    }
    // One client per region, reused.
    expect(m.ecrClient('eu-west-1')).toBe(m.ecrClient('eu-west-1'));
    expect(m.ecrClient('eu-west-1')).not.toBe(m.ecrClient('us-east-1'));
    expect(await m.cloudfrontClient().config.region()).toBe('us-east-1');
  });

  it('the overview’s shared check asks each service once for every viewer, and never keeps a failure', async () => {
    const m = await loadWith({ AWS_ENDPOINT_URL: emu.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', BERTH_READ_CACHE_SECONDS: '30' });
    (await import('./read-cache')).sharedReads().clear();
    const since = await emu.settled();
    const views = await Promise.all(Array.from({ length: 10 }, () => m.checkServiceShared('ECR', 'us-east-1')));
    expect(views.every((v) => v.ok)).toBe(true);
    expect(await m.checkServiceShared('ECR', 'us-east-1')).toMatchObject({ ok: true, readAt: views[0]!.readAt });
    expect((await emu.operationsSince(since)).filter((op) => op === 'ecr.DescribeRepositories')).toHaveLength(1);

    await emu.setFaults([{ service: 's3', operation: 'ListBuckets', kind: 'error', rate: 1 }]);
    try {
      const failing = await emu.settled();
      expect((await m.checkServiceShared('S3', 'us-east-1')).ok).toBe(false);
      expect((await m.checkServiceShared('S3', 'us-east-1')).ok).toBe(false);
      // The SDK retries a 500; what counts is that the second view asked again.
      expect((await emu.operationsSince(failing)).filter((op) => op === 's3.ListBuckets').length).toBeGreaterThanOrEqual(2);
    } finally {
      await emu.setFaults([]);
    }
    expect((await m.checkServiceShared('S3', 'us-east-1')).ok).toBe(true);
  });

  it('a per-service endpoint variable wins over the general one', async () => {
    const m = await loadWith({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_S3: emu.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    expect(await m.checkService('S3', 'us-east-1')).toMatchObject({ ok: true });
    const ecr = await m.checkService('ECR', 'us-east-1');
    expect(ecr.ok).toBe(false);
    if (!ecr.ok) expect(ecr.problem.message).toContain('http://127.0.0.1:9');
  });

  it('names the missing IAM action when the readonly key writes', async () => {
    const m = await loadWith({ AWS_ENDPOINT_URL: emu.url, AWS_ACCESS_KEY_ID: 'readonly', AWS_SECRET_ACCESS_KEY: 'readonly' });
    const { CreateRepositoryCommand } = await import('@aws-sdk/client-ecr');
    const r = await m.attempt(() => m.ecrClient('us-east-1').send(new CreateRepositoryCommand({ repositoryName: 'nope' })), { service: 'ECR' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.title).toBe('Permission missing');
      expect(r.problem.missingAction).toBe('ecr:CreateRepository');
    }
    // Reads still work with the same key.
    expect(await m.checkService('ECR', 'us-east-1')).toMatchObject({ ok: true });
  });

  it('explains an unknown access key', async () => {
    const m = await loadWith({ AWS_ENDPOINT_URL: emu.url, AWS_ACCESS_KEY_ID: 'AKIDUNKNOWN', AWS_SECRET_ACCESS_KEY: 'x' });
    const r = await m.checkService('S3', 'us-east-1');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.title).toBe('AWS credentials not recognised');
  });

  it('says which URL could not be reached', async () => {
    const m = await loadWith({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    const r = await m.checkService('CLOUDFRONT', 'us-east-1');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.title).toBe('AWS could not be reached');
      expect(r.problem.message).toContain('http://127.0.0.1:1');
    }
  });

  it('retries throttling and then says AWS is rate-limiting', async () => {
    const m = await loadWith({ AWS_ENDPOINT_URL: emu.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    const put = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'PUT',
      body: JSON.stringify([{ service: 'ecr', operation: 'DescribeRepositories', kind: 'throttle', rate: 1 }]),
    });
    expect(put.ok).toBe(true);
    try {
      const r = await m.checkService('ECR', 'us-east-1');
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.problem.message).toBe('AWS is rate-limiting requests right now. Wait a few seconds and try again.');
        expect(r.problem.retryable).toBe(true);
      }
    } finally {
      await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
    }
    expect(await m.checkService('ECR', 'us-east-1')).toMatchObject({ ok: true });
  });
});
