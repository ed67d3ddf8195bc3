import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serverNodeArgs } from '../../scripts/server-flags.mjs';

// One Berth production server, started as `npm start` starts it (the
// standalone build with the peer-address preload, scripts/start.mjs) but as a
// single process, so that a SIGKILL is a crash of Berth itself and not of a
// wrapper that would leave the server running.

export interface BerthInstance {
  name: string;
  url: string;
  pid: number;
  /** What the server printed so far (stdout and stderr). */
  log(): string;
  /** SIGKILL, as a crash would; resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM; resolves once the process is gone. */
  stop(): Promise<void>;
}

const ROOT = process.cwd();
const STANDALONE = path.join(ROOT, '.next', 'standalone');

/** Copies the static files beside the standalone server, as scripts/start.mjs does. */
function prepareStandalone(): void {
  if (!fs.existsSync(path.join(STANDALONE, 'server.js'))) throw new Error('No production build: run `npx next build` first (npm run test:e2e does).');
  fs.cpSync(path.join(ROOT, '.next', 'static'), path.join(STANDALONE, '.next', 'static'), { recursive: true });
  if (fs.existsSync(path.join(ROOT, 'public'))) fs.cpSync(path.join(ROOT, 'public'), path.join(STANDALONE, 'public'), { recursive: true });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startBerth(name: string, port: number, env: Record<string, string>): Promise<BerthInstance> {
  prepareStandalone();
  const preload = pathToFileURL(path.join(ROOT, 'scripts', 'peer-address.mjs')).href;
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', HOSTNAME: '127.0.0.1', PORT: String(port), ...env };
  const child = spawn(process.execPath, serverNodeArgs(preload, path.join(STANDALONE, 'server.js'), childEnv), {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Berth ${name} exited with ${child.exitCode} before it was ready:\n${out}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Berth ${name} did not answer /api/health within 90 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    name,
    url,
    pid: child.pid!,
    log: () => out,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
