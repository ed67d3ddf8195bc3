// What the page benches run against: the emulator in a process of its own
// (so the bench's own client work, its floors and its load, never shares an
// event loop with it, just as the console's SDK calls do not), counting the
// AWS calls it answers from its request log; and the production console,
// started as `npm start` starts it. Also: the check that the build is not
// older than the source it is supposed to measure.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startProcess } from '../scripts/processes';
import { serverNodeArgs } from '../scripts/server-flags.mjs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The AWS calls the emulator has answered, in order, from its log lines
 * ("<id> GET /path -> s3.ListObjectsV2 200 3ms"). Operations are named
 * "<service>.<operation>"; ECR's registry blob downloads show as "ecr.Registry".
 */
export class CallLog {
  private readonly ops: string[] = [];
  private readonly waiting = new Map<number, () => void>();
  private markers = 0;
  /** The emulator's address, for the marker requests of `settle`. */
  url = '';

  add(line: string): void {
    const marker = / \/_bench-marker\/(\d+) -> /.exec(line);
    if (marker) {
      this.waiting.get(Number(marker[1]))?.();
      return;
    }
    const m = / -> (\w+\.\w+) \d{3} /.exec(line);
    if (m) this.ops.push(m[1]!);
  }

  /** A position in the log, to read the calls made after it with `since`. */
  mark(): number {
    return this.ops.length;
  }

  since(mark: number): string[] {
    return this.ops.slice(mark);
  }

  /**
   * Waits until every call answered so far is in the log. The emulator writes
   * a call's line as it answers, and the line reaches this process through a
   * pipe some time later, later still on a busy machine; so this sends a
   * marker request of its own (logged, never counted) and waits for its line:
   * the pipe keeps order, so every earlier line has arrived by then. A short
   * pause first lets work a page leaves running after its last byte begin.
   */
  async settle(pauseMs = 20): Promise<void> {
    await sleep(pauseMs);
    const n = ++this.markers;
    const seen = new Promise<void>((resolve) => {
      this.waiting.set(n, resolve);
      setTimeout(resolve, 10_000).unref();
    });
    await fetch(`${this.url}/_bench-marker/${n}`).then((r) => r.arrayBuffer()).catch(() => undefined);
    await seen;
    this.waiting.delete(n);
  }
}

export interface EmulatorProcess {
  url: string;
  pid: number;
  calls: CallLog;
  stop(): Promise<void>;
}

/** Starts `tsx emulator/cli.ts` on `port` (0: any free one) with a fresh data folder. */
export function startEmulatorProcess(root: string, dataDir: string, port: number): Promise<EmulatorProcess> {
  const calls = new CallLog();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'emulator/cli.ts', '--port', String(port), '--data', dataDir, '--no-seed', '--deploy-delay-ms', '100', '--scan-delay-ms', '0'],
    { cwd: root, env: { ...process.env, BERTH_EMULATOR_FAULTS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let pending = '';
  let tail = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) calls.add(line);
    tail = (tail + d).slice(-4_000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}\n${tail}`)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /Berth emulator ready at (http:\/\/\S+)/.exec(out);
      if (!m?.[1]) return;
      out = '';
      calls.url = m[1];
      resolve({
        url: m[1],
        pid: child.pid!,
        calls,
        async stop() {
          if (child.exitCode !== null) return;
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

export interface ConsoleProcess {
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

/** The console's environment against the emulator; its database (SQLite) in `dataDir`. */
export function consoleEnv(emuUrl: string, dataDir: string, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    AWS_ENDPOINT_URL: emuUrl,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AUTH_SECRET: 'bench-only-secret-0123456789abcdefghijklmnop',
    BERTH_DATA_DIR: dataDir,
    // Berth's database: SQLite in that folder, whatever DATABASE_URL the shell has.
    DATABASE_URL: '',
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
    BERTH_UPLOAD_MAX_BYTES: String(5 * 1024 ** 3),
    ...extra,
  };
  delete env.AWS_PROFILE;
  // Node's own flags for the console alone (e.g. heap sizes, to see what they do to memory under load).
  if (process.env.BENCH_CONSOLE_NODE_OPTIONS) env.NODE_OPTIONS = process.env.BENCH_CONSOLE_NODE_OPTIONS;
  return env;
}

/** Creates the demo users (scripts/demo-users.ts) in the database of `env`. */
export function seedUsers(env: NodeJS.ProcessEnv): void {
  execFileSync(process.execPath, [require.resolve('tsx/cli'), '--conditions=react-server', 'scripts/seed-demo-users.ts'], { env, stdio: 'inherit' });
}

/**
 * Starts the standalone server as `npm start` does (scripts/start.mjs): its
 * static files beside it, so a browser gets the page's JavaScript, and the
 * preload that hands the app each socket's address. One process: its pid is
 * the server's, whose memory and CPU the bench reads.
 */
export async function startConsole(root: string, name: string, env: NodeJS.ProcessEnv): Promise<ConsoleProcess> {
  const standalone = path.join(root, '.next', 'standalone');
  fs.cpSync(path.join(root, '.next', 'static'), path.join(standalone, '.next', 'static'), { recursive: true });
  if (fs.existsSync(path.join(root, 'public'))) fs.cpSync(path.join(root, 'public'), path.join(standalone, 'public'), { recursive: true });
  const preload = pathToFileURL(path.join(root, 'scripts', 'peer-address.mjs')).href;
  const web = await startProcess(process.execPath, serverNodeArgs(preload, path.join(standalone, 'server.js'), env), {
    name,
    env,
    ready: /Ready in|Local:/i,
    timeoutMs: 60_000,
    echo: process.env.BENCH_ECHO === '1',
  });
  return { origin: `http://127.0.0.1:${env.PORT}`, pid: web.child.pid!, stop: () => web.stop() };
}

// What `next build` reads: the app's source, not its tests.
const SOURCE_DIRS = ['app', 'lib', 'components'];
const SOURCE_FILES = ['next.config.ts', 'proxy.ts', 'package-lock.json', 'tsconfig.app.json', 'postcss.config.mjs'];

function newestSource(root: string): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  const consider = (file: string) => {
    const m = fs.statSync(file).mtimeMs;
    if (m > newest.mtimeMs) newest = { file: path.relative(root, file), mtimeMs: m };
  };
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.test\.tsx?$/.test(e.name)) consider(p);
    }
  };
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));
  for (const f of SOURCE_FILES) if (fs.existsSync(path.join(root, f))) consider(path.join(root, f));
  return newest;
}

/**
 * Makes sure the production build exists and is not older than the source:
 * figures of a stale build describe code that is no longer there. Builds when
 * there is none or it is stale, unless BENCH_REBUILD=0 (then it only warns);
 * BENCH_REBUILD=1 always builds. Returns a warning to repeat at the end, if any.
 */
export function ensureBuild(root: string): string | null {
  const server = path.join(root, '.next', 'standalone', 'server.js');
  const buildId = path.join(root, '.next', 'BUILD_ID');
  const setting = process.env.BENCH_REBUILD;
  const built = fs.existsSync(server) && fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const newest = newestSource(root);
  const stale = built > 0 && newest.mtimeMs > built;
  const why = built === 0 ? 'there is no production build' : stale ? `the build (${new Date(built).toISOString()}) is older than ${newest.file} (${new Date(newest.mtimeMs).toISOString()})` : null;
  if (setting === '1' || (why && setting !== '0')) {
    console.log(`building the console first: ${why ?? 'BENCH_REBUILD=1'}`);
    execFileSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], { stdio: 'inherit' });
    return null;
  }
  if (!why) return null;
  if (built === 0) throw new Error('No production build, and BENCH_REBUILD=0: run `npm run build` first.');
  const warning = `WARNING: ${why}; these figures are of the old build (BENCH_REBUILD=0). Run \`npm run build\` or drop BENCH_REBUILD=0.`;
  console.log(warning);
  return warning;
}
