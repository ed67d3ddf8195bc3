import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaultRule } from '../core/faults';

export interface SpawnedEmulator {
  url: string;
  port: number;
  dataDir: string;
  /** The emulator's own process id. */
  pid: number;
  /** SIGTERM; resolves with the exit code (the CLI exits 0 on a clean close). Removes a data folder the helper created. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would; resolves once the process is gone. */
  kill9(): Promise<void>;
  /** Everything the process wrote to stderr so far (request log, errors); the last 200,000 characters. */
  stderr(): string;
  /** Every request the log has named so far, in the order they finished (needs the log on: no --quiet). */
  requests(): readonly LoggedRequest[];
  /** How many requests are logged once the log has been still for 100 ms: a mark for `requests().slice(mark)`. */
  settled(): Promise<number>;
  /** The operations (`s3.ListBuckets`…) logged after `mark`, in the order they finished, once the log is still. */
  operationsSince(mark: number): Promise<string[]>;
  /** Sets the emulator's fault rules at run time (PUT /_emulator/faults); `[]` clears them. */
  setFaults(rules: FaultRule[]): Promise<void>;
}

/** One line of the emulator's request log. */
export interface LoggedRequest {
  method: string;
  /** The request path, without its query. */
  path: string;
  /** `service.Operation`, e.g. `s3.ListBuckets`. */
  operation: string;
  status: number;
}

const LOGGED = / (GET|PUT|HEAD|POST|DELETE|PATCH|OPTIONS) (\/[^?\s]*)\S* -> ([\w-]+\.\w+) (\d{3}) /;

export interface SpawnOptions {
  /** Reuse a data folder (restart tests); a fresh temp folder otherwise. */
  dataDir?: string;
  faults?: FaultRule[];
  env?: Record<string, string>;
  /** Extra CLI flags, e.g. ['--no-seed']. */
  args?: string[];
  /** How long to wait for the ready line. */
  timeoutMs?: number;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const READY = /^Berth emulator ready at (http:\/\/\S+:(\d+))$/;

export function tempDir(prefix = 'berth-emu-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts the real CLI as a child process on a free port and waits for its
 * ready line. It runs as `node --import tsx emulator/cli.ts`, the same code
 * `npx tsx emulator/cli.ts` runs, but in ONE process: through npx there are
 * three (npm, tsx, node), and a SIGKILL to the top one would leave the
 * emulator itself running instead of simulating a crash.
 */
export function spawnEmulator(opts: SpawnOptions = {}): Promise<SpawnedEmulator> {
  const ownsDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? tempDir();
  // A folder the helper made is removed after a clean stop; a caller's folder is the caller's.
  const cleanup = () => {
    if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  if (opts.faults) env.BERTH_EMULATOR_FAULTS = JSON.stringify(opts.faults);
  else if (!opts.env?.BERTH_EMULATOR_FAULTS) delete env.BERTH_EMULATOR_FAULTS;

  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'emulator/cli.ts', '--port', '0', '--data', dataDir, ...(opts.args ?? [])],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );

  let stderr = '';
  let partial = '';
  let lastData = Date.now();
  // Parsed as it arrives and kept whole, so counting calls never depends on the window of `stderr`.
  const requests: LoggedRequest[] = [];
  // Always drain stderr: a full pipe would block the emulator's logging.
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr = (stderr + d).slice(-200_000);
    lastData = Date.now();
    const lines = (partial + d).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const m = LOGGED.exec(line);
      if (m) requests.push({ method: m[1]!, path: m[2]!, operation: m[3]!, status: Number(m[4]) });
    }
  });
  /** Waits until stderr has been still for 100 ms; then every request made so far is logged. */
  const logStill = async (): Promise<number> => {
    do await new Promise((r) => setTimeout(r, 100));
    while (Date.now() - lastData < 100);
    return requests.length;
  };
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return new Promise<SpawnedEmulator>((resolve, reject) => {
    let buffer = '';
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`emulator did not print its ready line within ${opts.timeoutMs ?? 30_000}ms\n${stderr}`));
    }, opts.timeoutMs ?? 30_000);

    child.once('exit', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cleanup();
      reject(new Error(`emulator exited with ${code} before it was ready\n${stderr}`));
    });

    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      if (settled) return;
      buffer += d;
      for (const line of buffer.split('\n')) {
        const m = READY.exec(line.trim());
        if (!m?.[1] || !m[2]) continue;
        settled = true;
        clearTimeout(timer);
        const url = m[1];
        const port = Number(m[2]);
        resolve({
          url,
          port,
          dataDir,
          pid: child.pid ?? -1,
          stderr: () => stderr,
          requests: () => requests,
          settled: logStill,
          async operationsSince(mark) {
            await logStill();
            return requests.slice(mark).map((r) => r.operation);
          },
          async setFaults(rules) {
            const r = await fetch(`${url}/_emulator/faults`, { method: rules.length ? 'PUT' : 'DELETE', body: rules.length ? JSON.stringify(rules) : undefined });
            if (!r.ok) throw new Error(`setting faults: HTTP ${r.status} ${await r.text()}`);
          },
          async stop() {
            if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
            child.kill('SIGTERM');
            const code = await exited;
            cleanup();
            return code;
          },
          async kill9() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGKILL');
            await exited;
          },
        });
        return;
      }
    });
  });
}
