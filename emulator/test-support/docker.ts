import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { awsCliPath } from './aws-cli';

// A private Docker daemon for one test file: Debian's docker.io (dockerd
// 20.10 with the containerd it starts itself), run as root with nothing but
// its own folders. Its storage is `vfs` (plain directory copies: no overlay
// mounts, works on any file system), and it touches no host networking
// (`--bridge=none`, no iptables), which is all a build, push and pull need:
// pushes and pulls are made by dockerd itself, in the host's network
// namespace, so it reaches the emulator on 127.0.0.1, and Docker speaks plain
// HTTP to any registry on 127.0.0.0/8 without "insecure-registries".
// https://docs.docker.com/reference/cli/dockerd/

/** Debian's docker client (`docker.io`); a newer client earlier on PATH (/usr/local/bin) is not the one under test. */
export function dockerClientPath(): string {
  return process.env.BERTH_DOCKER ?? '/usr/bin/docker';
}

export function dockerdPath(): string {
  return process.env.BERTH_DOCKERD ?? '/usr/sbin/dockerd';
}

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DockerRunOptions {
  stdin?: string | Buffer;
  /** Added to the client's clean environment, e.g. `awsCliEnv({ key })` for a command line that runs `aws`. */
  env?: Record<string, string>;
  cwd?: string;
  /**
   * Which docker client configuration (`DOCKER_CONFIG`) to use: one private
   * folder per name, so each identity keeps its own `docker login`. `default`
   * unless given.
   */
  identity?: string;
  /** Kill the client after this long (default 5 minutes: a push on a busy 2-core box). */
  timeoutMs?: number;
}

export interface DockerStopReport {
  /** dockerd's exit code, or null when it had to be killed. */
  exitCode: number | null;
  /** True when dockerd did not stop on SIGTERM in time and got SIGKILL. */
  killed: boolean;
  /** Processes still naming this daemon's folder after it exited (containerd, shims), killed by pid. */
  leftovers: string[];
  /** Mounts under the folder left after dockerd exited, unmounted. */
  unmounted: string[];
}

export interface DockerDaemon {
  /** The API socket's path. */
  socket: string;
  /** `unix://<socket>`, the client's DOCKER_HOST. */
  host: string;
  /** The daemon's folder (data root, exec root, logs, client configs); removed by stop(). Tests may put build contexts here. */
  dir: string;
  dataRoot: string;
  pid: number;
  /** The DOCKER_CONFIG folder of an identity, created with an empty config.json on first use. */
  configDir(identity?: string): string;
  /** Runs Debian's docker client: `docker ...args`. Never rejects on a non-zero exit; read `code`. */
  run(args: string[], opts?: DockerRunOptions): Promise<DockerResult>;
  /**
   * Runs one command line with `bash -o pipefail -c`, exactly as a person
   * would paste it: `docker` and `aws` on its PATH are Debian's clients.
   */
  shell(commandLine: string, opts?: DockerRunOptions): Promise<DockerResult>;
  /** run(), but a non-zero exit throws with the output and the end of dockerd's log. */
  ok(args: string[], opts?: DockerRunOptions): Promise<DockerResult>;
  /** shell(), but a non-zero exit throws with the output and the end of dockerd's log. */
  shellOk(commandLine: string, opts?: DockerRunOptions): Promise<DockerResult>;
  /** The last `lines` lines of dockerd's log (containerd's included). */
  log(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`; kills what is left by pid, unmounts, removes the folder. Idempotent. */
  stop(graceMs?: number): Promise<DockerStopReport>;
}

export interface StartDockerOptions {
  /** How long to wait for the daemon to answer `docker version` (default 3 minutes). */
  timeoutMs?: number;
}

// Unix socket paths are limited to 108 bytes on Linux (104 on macOS), and
// dockerd puts containerd's sockets two levels under the exec root.
const LONGEST_SOCKET = '/e/containerd/containerd.sock.ttrpc';
const SOCKET_LIMIT = 100;

let running: DockerDaemon | undefined;

function shortTempRoot(): string {
  const t = os.tmpdir();
  return t.length + 'berth-dkr-XXXXXX'.length + LONGEST_SOCKET.length < SOCKET_LIMIT ? t : '/tmp';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live processes whose command line names `dir` (our dockerd's containerd, or a shim it started). */
function processesUnder(dir: string): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let cmd: string;
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      continue; // gone meanwhile
    }
    if (cmd.includes(`${dir}/`)) found.push({ pid, cmd });
  }
  return found;
}

/** Mount points at or under `dir`, deepest first (mountinfo field 5, octal escapes undone). */
function mountsUnder(dir: string): string[] {
  const points = fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no dockerd log)';
  }
}

function describeRun(what: string, r: DockerResult, log: string): string {
  return `${what} exited with ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n--- end of dockerd's log\n${log}`;
}

/**
 * Starts a private dockerd and waits until `docker version` answers. One per
 * test file (a second start while one runs throws): a daemon costs a
 * containerd, some memory and a few seconds of a busy machine's CPU.
 */
export async function startDocker(opts: StartDockerOptions = {}): Promise<DockerDaemon> {
  if (running) throw new Error('a dockerd from startDocker() is already running in this test file; share it, or stop() it first');
  for (const [what, bin] of [
    ['dockerd', dockerdPath()],
    ['docker', dockerClientPath()],
  ]) {
    if (!fs.existsSync(bin!)) throw new Error(`${what} not found at ${bin}: install Debian's docker.io (.ci/run does)`);
  }

  const dir = fs.mkdtempSync(path.join(shortTempRoot(), 'berth-dkr-'));
  if ((dir + LONGEST_SOCKET).length >= SOCKET_LIMIT) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${dir} is too long for dockerd's unix sockets (${SOCKET_LIMIT} bytes)`);
  }
  const dataRoot = path.join(dir, 'd');
  const execRoot = path.join(dir, 'e');
  const socket = path.join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const logFile = path.join(dir, 'dockerd.log');
  const home = path.join(dir, 'home');
  const bin = path.join(dir, 'bin');
  for (const d of [dataRoot, execRoot, home, bin]) fs.mkdirSync(d);
  // The names a pasted command line uses, bound to the clients under test.
  fs.symlinkSync(dockerClientPath(), path.join(bin, 'docker'));
  fs.symlinkSync(awsCliPath(), path.join(bin, 'aws'));
  // Its own config file, so /etc/docker/daemon.json is never read; and its own
  // identity key, which dockerd 20.10 otherwise writes to /etc/docker/key.json.
  const configFile = path.join(dir, 'daemon.json');
  fs.writeFileSync(configFile, JSON.stringify({ 'deprecated-key-path': path.join(dir, 'key.json') }));

  const logFd = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    dockerdPath(),
    [
      '--config-file', configFile,
      '--storage-driver=vfs',
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
      '--data-root', dataRoot,
      '--exec-root', execRoot,
      '-H', host,
      '--pidfile', path.join(dir, 'dockerd.pid'),
    ],
    {
      // A clean environment: no proxy variables (dockerd would send its pushes
      // through them), and the Debian binaries (containerd, runc, docker-init) first.
      env: { NODE_ENV: process.env.NODE_ENV, PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: home, LANG: 'C.UTF-8' },
      stdio: ['ignore', logFd, logFd],
    },
  );
  fs.closeSync(logFd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // A test process that dies without stop() must not leave a daemon running:
  // SIGTERM lets dockerd undo its own mounts; only the folder stays behind.
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', onExit);

  const log = (lines = 60) => tail(logFile, lines);

  const configDir = (identity = 'default') => {
    if (!/^[\w.-]+$/.test(identity)) throw new Error(`identity ${JSON.stringify(identity)}: letters, digits, . _ - only`);
    const d = path.join(dir, 'config', identity);
    if (!fs.existsSync(d)) {
      fs.mkdirSync(d, { recursive: true });
      // No credsStore: `docker login` writes the password into this file
      // (base64), where a test can read it, never into a keychain.
      fs.writeFileSync(path.join(d, 'config.json'), '{}\n');
    }
    return d;
  };

  const exec = (file: string, args: string[], o: DockerRunOptions): Promise<DockerResult> =>
    new Promise((resolve, reject) => {
      const env: NodeJS.ProcessEnv = {
        NODE_ENV: process.env.NODE_ENV,
        PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`,
        HOME: home,
        LANG: 'C.UTF-8',
        DOCKER_HOST: host,
        DOCKER_CONFIG: configDir(o.identity),
        ...o.env,
      };
      const p = spawn(file, args, { env, cwd: o.cwd ?? dir, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const limit = o.timeoutMs ?? 300_000;
      const timer = setTimeout(() => {
        p.kill('SIGKILL');
        reject(new Error(describeRun(`${[file, ...args].join(' ')} (killed after ${limit} ms)`, { code: -1, stdout, stderr }, log())));
      }, limit);
      p.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`could not run ${file}: ${err.message}`));
      });
      p.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
      });
      p.stdin.on('error', () => {}); // a client that exits before reading its input
      p.stdin.end(o.stdin ?? '');
    });

  const run = (args: string[], o: DockerRunOptions = {}) => exec(dockerClientPath(), args, o);
  const shell = (line: string, o: DockerRunOptions = {}) => exec('/bin/bash', ['-o', 'pipefail', '-c', line], o);

  let stopping: Promise<DockerStopReport> | undefined;
  const stop = (graceMs = 60_000): Promise<DockerStopReport> => {
    stopping ??= (async () => {
      let killed = false;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs));
        if ((await Promise.race([exited, timer])) === 'late') {
          killed = true;
          child.kill('SIGKILL');
        }
      }
      const { code } = await exited;
      process.removeListener('exit', onExit);
      // containerd dies with dockerd (it is started with a parent-death
      // signal); anything else still naming our folder is ours to end.
      const leftovers: string[] = [];
      for (let i = 0; i < 20; i++) {
        const left = processesUnder(dir);
        if (left.length === 0) break;
        if (i === 0) leftovers.push(...left.map((p) => `${p.pid} ${p.cmd}`));
        for (const p of left) if (alive(p.pid)) process.kill(p.pid, 'SIGKILL');
        await sleep(250);
      }
      // dockerd bind-mounts its data root onto itself and undoes it on a clean
      // exit; after a SIGKILL that mount (and any container's) would stay.
      const unmounted: string[] = [];
      for (const m of mountsUnder(dir)) {
        try {
          execFileSync('umount', [m], { stdio: 'ignore' });
        } catch {
          execFileSync('umount', ['-l', m], { stdio: 'ignore' });
        }
        unmounted.push(m);
      }
      fs.rmSync(dir, { recursive: true, force: true });
      running = undefined;
      return { exitCode: killed ? null : code, killed, leftovers, unmounted };
    })();
    return stopping;
  };

  const daemon: DockerDaemon = {
    socket,
    host,
    dir,
    dataRoot,
    pid: child.pid ?? -1,
    configDir,
    run,
    shell,
    async ok(args, o) {
      const r = await run(args, o);
      if (r.code !== 0) throw new Error(describeRun(`docker ${args.join(' ')}`, r, log()));
      return r;
    },
    async shellOk(line, o) {
      const r = await shell(line, o);
      if (r.code !== 0) throw new Error(describeRun(line, r, log()));
      return r;
    },
    log,
    stop,
  };
  running = daemon;

  // Ready when the API answers through the socket; a daemon that exits first,
  // or never answers, fails with its log.
  const deadline = Date.now() + (opts.timeoutMs ?? 180_000);
  let last: DockerResult | undefined;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const why = log(80);
      await stop();
      throw new Error(`dockerd exited (${child.exitCode ?? child.signalCode}) before it answered\n--- end of dockerd's log\n${why}`);
    }
    if (fs.existsSync(socket)) {
      last = await run(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 30_000 }).catch((err: Error) => ({
        code: -1,
        stdout: '',
        stderr: err.message,
      }));
      if (last.code === 0) return daemon;
    }
    if (Date.now() > deadline) {
      const why = log(80);
      await stop();
      throw new Error(
        `dockerd did not answer \`docker version\` within ${opts.timeoutMs ?? 180_000} ms` +
          (last ? `\n--- last attempt\n${last.stderr}` : '') +
          `\n--- end of dockerd's log\n${why}`,
      );
    }
    await sleep(250);
  }
}
