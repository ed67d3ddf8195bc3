import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SpawnedEmulator } from '@/emulator/test-support/spawn';
import { startConsoleEmulator, stopConsoleEmulator } from '@/test/console-env';

// Which source the Storage and cost tab uses, over a real emulator: a bucket
// CloudWatch counts as large gets its figures from the daily storage metrics
// (no listing), and says so; asking for a recount lists it instead.

let emu: SpawnedEmulator;

beforeAll(async () => {
  emu = await startConsoleEmulator({ args: ['--quiet', '--no-seed'] }, { env: { BERTH_READ_CACHE_SECONDS: '0' } });
  const s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'big-enough' }));
  for (const [Key, size, StorageClass] of [['a', 3000, 'STANDARD'], ['b', 1000, 'STANDARD'], ['c', 5000, 'GLACIER']] as const) {
    await s3.send(new PutObjectCommand({ Bucket: 'big-enough', Key, Body: Buffer.alloc(size), StorageClass }));
  }
});
afterAll(() => stopConsoleEmulator(emu));

const props = { bucket: 'big-enough', region: 'us-east-1', recountHref: '/s3/big-enough?tab=storage&recount=1', range: '24h' as const, rangeHref: () => '' };

describe('the Storage and cost figures', () => {
  it('come from CloudWatch for a bucket it counts as large, with the cost by class', async () => {
    const { Figures } = await import('./bucket-storage');
    const el = (await Figures({ ...props, fresh: false, largeAt: 3 })) as ReactElement;
    const html = renderToStaticMarkup(el);
    expect(html).toContain('From CloudWatch’s daily storage metrics');
    expect(html).toContain('This bucket holds 3 or more versions');
    // 3 objects, 9,000 bytes: 4,000 Standard and 5,000 Glacier.
    expect(html).toMatch(/data-testid="stat-objects"[\s\S]*?>3</);
    expect(html).toContain('8.8 KB');
    expect(html).toContain('StandardStorage');
    expect(html).toContain('GlacierStorage');
    expect(html).toContain('Count by listing instead');
  });

  it('are counted by listing for a smaller bucket, or when a recount is asked for', async () => {
    const { Figures } = await import('./bucket-storage');
    for (const el of [await Figures({ ...props, fresh: false, largeAt: 4 }), await Figures({ ...props, fresh: true, largeAt: 3 })] as ReactElement[]) {
      // The listing is its own (async) component: it is what was chosen, not the metrics view.
      expect((el.type as { name: string }).name).toBe('Measured');
    }
  });
});
