// npm run bench: figures for the console's AWS round trips against the emulator.
// Prints numbers; asserts nothing. Service issues add their own scenarios here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startEmulator } from '../emulator/server';

const N = Number(process.env.BENCH_N ?? 300);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
  const emu = await startEmulator({ port: 0, dataDir, seed: true, log: () => {} });
  try {
    const sts = new STSClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await sts.send(new GetCallerIdentityCommand({}));
    const times: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      await sts.send(new GetCallerIdentityCommand({}));
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`sts:GetCallerIdentity x${N}: p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms`);
    const mem = process.memoryUsage();
    console.log(`process rss ${(mem.rss / 1048576).toFixed(0)} MiB, heap ${(mem.heapUsed / 1048576).toFixed(0)} MiB`);
  } finally {
    await emu.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
