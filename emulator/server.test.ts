import fs from 'node:fs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { startEmulator } from './server';
import { ecrClient, failure, stsClient } from './test-support/clients';
import { tempDir } from './test-support/spawn';

describe('startEmulator (in process)', () => {
  it('listens on a free port, serves, closes, and reopens the same data', async () => {
    const dataDir = tempDir();
    const lines: string[] = [];
    const emu = await startEmulator({ port: 0, dataDir, log: (l) => lines.push(l) });
    expect(emu.port).toBeGreaterThan(0);
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
    const me = await stsClient(emu.url).send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe('123456789012');
    expect(lines.some((l) => l.includes('sts.GetCallerIdentity 200'))).toBe(true);
    expect(fs.existsSync(`${dataDir}/emulator.sqlite`)).toBe(true);
    expect(fs.existsSync(`${dataDir}/blobs`)).toBe(true);
    await emu.close();
    await emu.close(); // idempotent

    const again = await startEmulator({ port: 0, dataDir, faults: [{ operation: '*', kind: 'throttle', rate: 1 }] });
    try {
      const err = await failure(ecrClient(again.url).send(new DescribeRepositoriesCommand({})));
      expect(err.name).toBe('ThrottlingException');
    } finally {
      await again.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('writes blobs atomically and content-addressed', async () => {
    const { BlobStore } = await import('./core/blobs');
    const dir = tempDir();
    const store = new BlobStore(dir);
    const a = await store.put('hello');
    expect(a.sha256).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect((await store.read(a.sha256)).toString()).toBe('hello');
    const { Readable } = await import('node:stream');
    const b = await store.putStream(Readable.from([Buffer.from('hel'), Buffer.from('lo')]));
    expect(b).toEqual(a);
    await store.delete(a.sha256);
    expect(store.has(a.sha256)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
