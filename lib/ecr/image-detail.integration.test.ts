import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchDeleteImageCommand, CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import type { FaultRule } from '@/emulator/core/faults';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';
import { makeImage, pushImage } from '@/emulator/test-support/ecr';

// The image page's reads over a real emulator, counted where they arrive: the
// page asks for what it shows (the image, its manifest and config, its scan
// findings, the registry address) and nothing else, and asks for them together.

let emu: SpawnedEmulator;
let ecr: ECRClient;
let digest: string;
const REPO = 'page-calls/web';

beforeAll(async () => {
  // The request log is on (no --quiet): it is what the calls are counted from.
  emu = await startConsoleEmulator({ args: ['--no-seed', '--scan-delay-ms', '0'] });
  ecr = new ECRClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: REPO, imageScanningConfiguration: { scanOnPush: true } }));
  digest = await pushImage(ecr, REPO, makeImage([2048]), 'v1');
});
afterAll(() => stopConsoleEmulator(emu));

/** The ECR operations the emulator logged after `mark` (registry requests aside), in the order they finished, once its log is still. */
const callsSince = async (mark: number) => (await emu.operationsSince(mark)).filter((op) => op.startsWith('ecr.') && op !== 'ecr.Registry').map((op) => op.slice(4));

const mark = () => emu.settled();
const forget = async () => (await import('@/lib/aws/read-cache')).sharedReads().clear();
const faults = (rules: FaultRule[]) => emu.setFaults(rules);

describe('the image page', () => {
  it('reads the image, its manifest and config, its findings and the registry address, and nothing else', async () => {
    const { readImagePage } = await import('./image-detail');
    await forget();
    const since = await mark();
    const reads = readImagePage('us-east-1', REPO, digest);
    const [detail, findings, registry] = await Promise.all([reads.detail, reads.findings, reads.registry]);
    expect(detail.ok && detail.value?.summary.tags).toEqual(['v1']);
    expect(detail.ok && detail.value?.config?.platform).toBe('linux/amd64');
    expect(findings.ok && findings.value.status).toBe('COMPLETE');
    expect(registry.ok && registry.value.host).toBeTruthy();

    const calls = await callsSince(since);
    // GetAuthorizationToken is the registry address, kept for an hour: at most once.
    expect(calls.filter((c) => c !== 'GetAuthorizationToken').sort()).toEqual(['BatchGetImage', 'DescribeImageScanFindings', 'DescribeImages', 'GetDownloadUrlForLayer']);
    expect(calls.filter((c) => c === 'GetAuthorizationToken').length).toBeLessThanOrEqual(1);
    // The repository is not read: the image page shows nothing of it but its name.
    expect(calls).not.toContain('DescribeRepositories');
  });

  it('does not wait for one read before starting the next', async () => {
    const { readImagePage } = await import('./image-detail');
    // DescribeImages answers late: reads that do not depend on it finish first.
    // Asked one after another, the manifest, the config and the findings would
    // all come after it.
    await faults([{ service: 'ecr', operation: 'DescribeImages', kind: 'delay', delayMs: 1500, rate: 1 }]);
    await forget();
    try {
      const since = await mark();
      const reads = readImagePage('us-east-1', REPO, digest);
      const [detail, findings] = await Promise.all([reads.detail, reads.findings]);
      expect(detail.ok && detail.value?.summary.digest).toBe(digest);
      expect(findings.ok).toBe(true);
      const calls = await callsSince(since);
      const at = (op: string) => calls.indexOf(op);
      expect(at('DescribeImages')).toBeGreaterThan(at('BatchGetImage'));
      expect(at('DescribeImages')).toBeGreaterThan(at('GetDownloadUrlForLayer'));
      expect(at('DescribeImages')).toBeGreaterThan(at('DescribeImageScanFindings'));
    } finally {
      await faults([]);
    }
  });

  it('reads a digest’s manifest and config once: a repeat view asks only what can change', async () => {
    const { readImagePage } = await import('./image-detail');
    await forget();
    const first = readImagePage('us-east-1', REPO, digest);
    await Promise.all([first.detail, first.findings, first.registry]);
    const since = await mark();
    const again = readImagePage('us-east-1', REPO, digest);
    const [detail] = await Promise.all([again.detail, again.findings, again.registry]);
    expect(detail.ok && detail.value?.config?.platform).toBe('linux/amd64');
    expect(detail.ok && detail.value?.layers.length).toBe(1);
    expect((await callsSince(since)).sort()).toEqual(['DescribeImageScanFindings', 'DescribeImages']);
  });

  it('says an image deleted outside Berth is gone, though its manifest was kept', async () => {
    const { getImageDetail } = await import('./image-detail');
    await forget();
    const gone = await pushImage(ecr, REPO, makeImage([4096]), 'short-lived');
    expect((await getImageDetail('us-east-1', REPO, gone))?.summary.tags).toEqual(['short-lived']);
    await ecr.send(new BatchDeleteImageCommand({ repositoryName: REPO, imageIds: [{ imageDigest: gone }] }));
    expect(await getImageDetail('us-east-1', REPO, gone)).toBeNull();
  });

  it('says an image or repository that is not there is not found', async () => {
    const { getImageDetail } = await import('./image-detail');
    const other = `sha256:${'0'.repeat(64)}`;
    expect(await getImageDetail('us-east-1', REPO, other)).toBeNull();
    expect(await getImageDetail('us-east-1', 'page-calls/nothing-here', digest)).toBeNull();
  });
});
