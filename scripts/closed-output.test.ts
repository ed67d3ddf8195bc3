import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// scripts/closed-output.mjs in a real Node process, in front of a server
// that writes a line per request to stdout and, as Next.js does, logs
// uncaught exceptions to stderr instead of exiting. Its output is read by a pipe that the test then
// closes, as when a log collector goes away.

const preload = pathToFileURL(path.join(__dirname, 'closed-output.mjs')).href;
const SERVER = `
  process.on('uncaughtException', (err) => console.error('uncaught', err));
  const http = require('node:http');
  const server = http.createServer((req, res) => {
    process.stdout.write('served ' + req.url + '\\n');
    res.end('ok');
  });
  server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
  process.on('SIGTERM', () => process.exit(0));
`;

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

function start(args: string[]): Promise<number> {
  child = spawn(process.execPath, [...args, '-e', SERVER], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    child!.stdout!.on('data', (d: Buffer) => {
      const m = /port (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    child!.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** CPU seconds the process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function closeOutputAndRequest(port: number): Promise<{ answered: number; cpuInASecond: number }> {
  child!.stdout!.destroy();
  child!.stderr!.destroy();
  let answered = 0;
  for (let i = 0; i < 5; i++) {
    const r = await fetch(`http://127.0.0.1:${port}/${i}`, { signal: AbortSignal.timeout(3000) }).catch(() => null);
    if (r?.status === 200 && (await r.text()) === 'ok') answered++;
  }
  const before = cpuSeconds(child!.pid!);
  await new Promise((r) => setTimeout(r, 1000));
  return { answered, cpuInASecond: cpuSeconds(child!.pid!) - before };
}

function exitsOnSigterm(): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000);
    child!.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
    child!.kill('SIGTERM');
  });
}

describe('scripts/closed-output.mjs', () => {
  it('keeps the server serving, idle and stoppable after its output pipe is closed', async () => {
    const port = await start(['--import', preload]);
    const { answered, cpuInASecond } = await closeOutputAndRequest(port);
    expect(answered).toBe(5);
    expect(cpuInASecond).toBeLessThan(0.25);
    expect(await exitsOnSigterm()).toBe(true);
  });

  it('is what the server needs: without it, the same server spins on its closed output', async () => {
    const port = await start([]);
    const { cpuInASecond } = await closeOutputAndRequest(port);
    // Logging the failed write fails the same way, and so on: a core's worth of CPU with nothing to do.
    expect(cpuInASecond).toBeGreaterThan(0.25);
  });
});
