import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { awsCliPath } from './aws-cli';

// A private Docker daemon for one test file: Debian's docker.io (dockerd
// 20.10) over a containerd of its own, run as root with nothing but their own
// folders. Its storage is `vfs` (plain directory copies: no overlay
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

/** The containerd docker.io depends on (Debian's `containerd` package). */
export function containerdPath(): string {
  return process.env.BERTH_CONTAINERD ?? '/usr/bin/containerd';
}

const SETPRIV = '/usr/bin/setpriv';

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
  /** dockerd's exit code; null when it died of a signal (SIGKILL after the grace time, or a crash). */
  exitCode: number | null;
  /** containerd's exit code, likewise. */
  containerdExitCode: number | null;
  /** True when dockerd or containerd did not stop on SIGTERM in time and got SIGKILL. */
  killed: boolean;
  /** Processes still naming the folder once both had exited (a container's shim), killed by pid. */
  leftovers: string[];
  /** Mounts under the folder left once both had exited, unmounted. */
  unmounted: string[];
}

export interface DockerDaemon {
  /** The API socket's path. */
  socket: string;
  /** `unix://<socket>`, the client's DOCKER_HOST. */
  host: string;
  /** The daemon's folder (data root, exec root, logs, client configs); removed by stop(). Tests may put build contexts here. */
  dir: string;
  /** dockerd's --data-root (vfs layers, image store, containerd's root). */
  dataRoot: string;
  /** dockerd's process id. */
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
  /** run(), but a non-zero exit throws with the output and the end of the daemons' logs. */
  ok(args: string[], opts?: DockerRunOptions): Promise<DockerResult>;
  /** shell(), but a non-zero exit throws with the output and the end of the daemons' logs. */
  shellOk(commandLine: string, opts?: DockerRunOptions): Promise<DockerResult>;
  /** The last `lines` lines of dockerd's log, and the end of containerd's. */
  log(lines?: number): string;
  /**
   * Stops dockerd, then containerd (each SIGTERM, SIGKILL after `graceMs`),
   * kills what is left by pid, unmounts, removes the folder. Idempotent.
   */
  stop(graceMs?: number): Promise<DockerStopReport>;
}

export interface StartDockerOptions {
  /** How long to wait for the daemon to answer `docker version` (default 3 minutes). */
  timeoutMs?: number;
}

// Unix socket paths are limited to 108 bytes on Linux (104 on macOS); the
// longest of ours is containerd's ttrpc socket, two levels under the exec root.
const LONGEST_SOCKET = '/e/containerd/containerd.sock.ttrpc';
const SOCKET_LIMIT = 100;

let active = false;

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

/** Live processes whose command line names a path in `dir` (our daemons, or a container's shim). */
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
    return `(no ${path.basename(file)})`;
  }
}

/**
 * A daemon child process logging to `logFile`, in a clean environment: no
 * proxy variables (dockerd would send its pushes through them), Debian's
 * binaries (containerd, runc, docker-init) first on PATH. Started through
 * setpriv with a parent-death signal, so a test process that dies without
 * stop() takes it down with it (SIGTERM: dockerd still undoes its mounts).
 */
function daemonProcess(file: string, args: string[], logFile: string, home: string) {
  const logFd = fs.openSync(logFile, 'a');
  const [cmd, argv] = fs.existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'TERM', '--', file, ...args]] : [file, args];
  const child: ChildProcess = spawn(cmd, argv, {
    env: { NODE_ENV: process.env.NODE_ENV, PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: home, LANG: 'C.UTF-8' },
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  let failed = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      failed = true;
      fs.appendFileSync(logFile, `could not start ${cmd}: ${err.message}\n`);
      resolve(null);
    });
  });
  const running = () => !failed && child.exitCode === null && child.signalCode === null;
  return {
    child,
    running,
    /** SIGTERM, SIGKILL after `graceMs`; resolves once it has exited. */
    async stop(graceMs: number): Promise<{ code: number | null; killed: boolean }> {
      let killed = false;
      if (running()) {
        child.kill('SIGTERM');
        const late = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs).unref());
        if ((await Promise.race([exited, late])) === 'late') {
          killed = true;
          child.kill('SIGKILL');
        }
      }
      return { code: await exited, killed };
    },
  };
}

function describeRun(what: string, r: DockerResult, log: string): string {
  return `${what} exited with ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n${log}`;
}

/**
 * Starts a private containerd and dockerd and waits until `docker version`
 * answers. One per test file (a second start while one runs throws): a
 * daemon costs some memory and a few seconds of a busy machine's CPU.
 */
export async function startDocker(opts: StartDockerOptions = {}): Promise<DockerDaemon> {
  if (active) throw new Error('a dockerd from startDocker() is already running in this test file; share it, or stop() it first');
  for (const [what, file] of [
    ['dockerd', dockerdPath()],
    ['containerd', containerdPath()],
    ['docker', dockerClientPath()],
  ] as const) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file}: install Debian's docker.io (.ci/run does)`);
  }
  const timeoutMs = opts.timeoutMs ?? 180_000;
  const deadline = Date.now() + timeoutMs;

  const dir = fs.mkdtempSync(path.join(shortTempRoot(), 'berth-dkr-'));
  if ((dir + LONGEST_SOCKET).length >= SOCKET_LIMIT) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${dir} is too long for the daemons' unix sockets (${SOCKET_LIMIT} bytes)`);
  }
  const dataRoot = path.join(dir, 'd');
  const execRoot = path.join(dir, 'e');
  const socket = path.join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const home = path.join(dir, 'home');
  const bin = path.join(dir, 'bin');
  const dockerdLog = path.join(dir, 'dockerd.log');
  const containerdLog = path.join(dir, 'containerd.log');
  for (const d of [dataRoot, execRoot, home, bin]) fs.mkdirSync(d);
  // The names a pasted command line uses, bound to the clients under test.
  fs.symlinkSync(dockerClientPath(), path.join(bin, 'docker'));
  fs.symlinkSync(awsCliPath(), path.join(bin, 'aws'));

  // containerd is started here, not by dockerd: dockerd 20.10 starts its own
  // only when /run/containerd/containerd.sock is absent (it would share the
  // machine's otherwise), and the config it writes for it leaves containerd's
  // `opt` plugin creating /opt/containerd. This one keeps all its state and
  // sockets in the folder. (A container's shim, were a test to run one, puts
  // its socket under /run/containerd/s, which containerd 1.6 fixes.)
  const containerdSocket = path.join(execRoot, 'containerd', 'containerd.sock');
  const containerdConfig = path.join(dir, 'containerd.toml');
  fs.writeFileSync(
    containerdConfig,
    [
      'version = 2',
      `root = ${JSON.stringify(path.join(dataRoot, 'containerd'))}`,
      `state = ${JSON.stringify(path.join(execRoot, 'containerd'))}`,
      // Kubernetes' CRI plugin is not needed and would keep state of its own.
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      '[grpc]',
      `  address = ${JSON.stringify(containerdSocket)}`,
      '[plugins."io.containerd.internal.v1.opt"]',
      `  path = ${JSON.stringify(path.join(dir, 'opt'))}`,
      '',
    ].join('\n'),
  );
  // dockerd's own config file, so /etc/docker/daemon.json is never read, naming
  // its identity key, which dockerd 20.10 otherwise writes to /etc/docker/key.json.
  const dockerdConfig = path.join(dir, 'daemon.json');
  fs.writeFileSync(dockerdConfig, JSON.stringify({ 'deprecated-key-path': path.join(dir, 'key.json') }));

  const log = (lines = 60) =>
    `--- end of dockerd's log\n${tail(dockerdLog, lines)}\n--- end of containerd's log\n${tail(containerdLog, 20)}`;

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
      // Only what the clients need: no DOCKER_* or AWS_* of the caller's leaks in.
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

  const containerd = daemonProcess(containerdPath(), ['--config', containerdConfig, '--log-level', 'warn'], containerdLog, home);
  let dockerd: ReturnType<typeof daemonProcess> | undefined;

  let stopping: Promise<DockerStopReport> | undefined;
  const stop = (graceMs = 60_000): Promise<DockerStopReport> => {
    stopping ??= (async () => {
      // dockerd first (it stops its containers through containerd), then containerd.
      const d = dockerd ? await dockerd.stop(graceMs) : { code: null, killed: false };
      const c = await containerd.stop(graceMs);
      // Anything else still naming our folder (a container's shim) is ours to end.
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
      active = false;
      return { exitCode: d.code, containerdExitCode: c.code, killed: d.killed || c.killed, leftovers, unmounted };
    })();
    return stopping;
  };

  // Waits for `ready`, failing with the logs when a daemon exits first or time runs out.
  const waitFor = async (what: string, ready: () => Promise<boolean>) => {
    for (;;) {
      for (const [name, p] of [['containerd', containerd], ['dockerd', dockerd]] as const) {
        if (p && !p.running()) {
          const why = log(80);
          await stop();
          throw new Error(`${name} exited (${p.child.exitCode ?? p.child.signalCode}) before ${what}\n${why}`);
        }
      }
      if (await ready()) return;
      if (Date.now() > deadline) {
        const why = log(80);
        await stop();
        throw new Error(`no ${what} within ${timeoutMs} ms\n${why}`);
      }
      await sleep(250);
    }
  };

  active = true;
  try {
    await waitFor("containerd's socket", async () => fs.existsSync(containerdSocket));
    dockerd = daemonProcess(
      dockerdPath(),
      [
        '--config-file', dockerdConfig,
        '--containerd', containerdSocket,
        '--storage-driver=vfs',
        '--iptables=false',
        '--ip6tables=false',
        '--bridge=none',
        '--data-root', dataRoot,
        '--exec-root', execRoot,
        '-H', host,
        '--pidfile', path.join(dir, 'dockerd.pid'),
        // Its info level is mostly gRPC connection chatter; warnings and errors are what a failing test needs.
        '--log-level=warn',
      ],
      dockerdLog,
      home,
    );
    let last = '';
    await waitFor('an answer to `docker version`', async () => {
      if (!fs.existsSync(socket)) return false;
      const r = await run(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 30_000 }).catch((err: Error) => ({
        code: -1,
        stdout: '',
        stderr: err.message,
      }));
      last = r.stderr;
      return r.code === 0;
    }).catch((err: Error) => {
      throw last ? new Error(`${err.message}\n--- last \`docker version\`\n${last}`) : err;
    });
  } catch (err) {
    active = false;
    throw err;
  }

  const daemon: DockerDaemon = {
    socket,
    host,
    dir,
    dataRoot,
    pid: dockerd.child.pid ?? -1,
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
  return daemon;
}
