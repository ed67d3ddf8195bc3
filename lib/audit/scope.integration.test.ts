import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';
import { consoleAgainst, stopConsoleEmulator } from '@/test/console-env';
import { createRepositorySchema } from '@/lib/validation/ecr';
import { createBucketSchema } from '@/lib/validation/s3';

// The audit scope over a real emulator: the middleware on Berth's clients
// (lib/aws/clients.ts) records each call's region, resource and AWS request id
// into the scope of the request it runs for, and nothing outside one.

let emu: SpawnedEmulator;
const REGION = 'eu-west-1';

async function load() {
  consoleAgainst(emu.url, { region: REGION });
  return {
    ...(await import('./scope')),
    ...(await import('./summary')),
    ...(await import('@/lib/aws/clients')),
    ...(await import('@/lib/aws/identity')),
    ...(await import('@/lib/ecr/repositories')),
    ...(await import('@/lib/s3/buckets')),
    ...(await import('@/lib/s3/properties')),
    s3: await import('@aws-sdk/client-s3'),
  };
}

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed'] });
});

afterAll(() => stopConsoleEmulator(emu));

describe('the audit scope', () => {
  it('records the request id the SDK returned, the region and the resource', async () => {
    const m = await load();
    await m.createBucket(createBucketSchema.parse({ region: REGION, name: 'audit-scope-a' }));
    const { scope, result } = await m.withAuditScope(() => m.s3Client(REGION).send(new m.s3.PutBucketVersioningCommand({ Bucket: 'audit-scope-a', VersioningConfiguration: { Status: 'Enabled' } })));
    expect(result.$metadata.requestId).toBeTruthy();
    expect(scope.calls).toEqual([{ service: 'S3', operation: 'PutBucketVersioning', region: REGION, requestId: result.$metadata.requestId, resource: { kind: 's3', bucket: 'audit-scope-a' }, error: null }]);
    const summary = await m.summarizeScope(scope, 'S3');
    expect(summary).toEqual({ target: 'arn:aws:s3:::audit-scope-a', region: REGION, requestId: result.$metadata.requestId, lastError: null });
  });

  it('completes an ECR repository’s ARN with Berth’s account: the same ARN ECR states', async () => {
    const m = await load();
    const { scope } = await m.withAuditScope(() => m.updateRepositorySettings(REGION, 'audit/scope', { tagMutability: 'IMMUTABLE', scanOnPush: false }).catch(() => undefined));
    // The repository does not exist yet: a failed call is recorded with its error code and request id.
    expect(scope.calls.at(-1)).toMatchObject({ service: 'ECR', error: 'RepositoryNotFoundException' });
    expect(scope.calls.at(-1)!.requestId).toBeTruthy();
    const created = await m.createRepository(REGION, createRepositorySchema.parse({ name: 'audit/scope' }));
    const again = await m.withAuditScope(() => m.updateRepositorySettings(REGION, 'audit/scope', { tagMutability: 'IMMUTABLE', scanOnPush: true }));
    const summary = await m.summarizeScope(again.scope, 'ECR');
    expect(summary.target).toBe(created.arn);
    expect(summary.requestId).toBe(again.scope.calls.filter((c) => !m.isReadOperation(c.operation)).at(-1)!.requestId);
  });

  it('prefers the action’s own service for the target, and the last change for the request id', async () => {
    const m = await load();
    const { scope } = await m.withAuditScope(async () => {
      await m.getBucketProperties('audit-scope-a');
      await m.setVersioning('audit-scope-a', 'Suspended');
      await m.getBucketProperties('audit-scope-a');
    });
    const write = scope.calls.find((c) => c.operation === 'PutBucketVersioning')!;
    expect((await m.summarizeScope(scope, 'S3')).requestId).toBe(write.requestId);
    // A named target wins over what the calls name.
    scope.target = 'arn:aws:s3:::elsewhere';
    expect((await m.summarizeScope(scope, 'S3')).target).toBe('arn:aws:s3:::elsewhere');
  });

  it('records nothing for calls outside a scope, and Berth’s own identity read never lands in one', async () => {
    const m = await load();
    await m.setVersioning('audit-scope-a', 'Enabled');
    const { scope } = await m.withAuditScope(async () => {
      await m.outsideAuditScope(() => m.getCallerIdentity({ fresh: true }));
    });
    expect(scope.calls).toEqual([]);
  });
});
