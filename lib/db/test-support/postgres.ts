import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

// A throwaway PostgreSQL for tests: Debian's server binaries (the `postgresql`
// package; .ci/run installs it), a data folder under the temp folder, a free
// port on 127.0.0.1, trust authentication, no fsync (nothing here needs to
// survive the machine). Starting one takes about a second, mostly initdb, so a
// test file shares one server and gives each test its own database in it.
//
// PostgreSQL refuses to run as root ("root" execution of the PostgreSQL server
// is not permitted), and CI runs as root: then the server runs as `nobody`,
// which owns its folder. Node starts the processes with that uid itself, so
// neither su nor sudo is needed.

export interface PostgresServer {
  /** The server's maintenance database, as a URL (user berth, no password). */
  url: string;
  port: number;
  /** A new empty database on this server; its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder, or BERTH_TEST_PG_BIN. */
export function postgresBinDir(): string {
  const fromEnv = process.env.BERTH_TEST_PG_BIN;
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) {
    throw new Error("The tests need PostgreSQL's server binaries (initdb, pg_ctl) under /usr/lib/postgresql/<version>/bin: apt-get install postgresql (.ci/run does this).");
  }
  return path.join(root, versions[0]!, 'bin');
}

/** Who the server runs as: this process, or `nobody` when this process is root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => {
    try {
      return Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
    } catch {
      return 65534; // nobody / nogroup on Debian
    }
  };
  return { uid: id('-u'), gid: id('-g') };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A locale-free environment: initdb checks LC_* and a missing locale fails it. */
function serverEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C', TZ: 'UTC', NODE_ENV: 'test' };
}

function run(file: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      uid: user?.uid,
      gid: user?.gid,
      env: serverEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(file)} ${args.join(' ')} exited with ${code}:\n${out}`))));
  });
}

let databases = 0;

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const user = serverUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-pg-'));
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  await run(path.join(bin, 'initdb'), ['-D', data, '-U', 'berth', '--auth=trust', '--no-locale', '-E', 'UTF8', '--no-sync'], user);

  let port = 0;
  let lastError: unknown;
  // The free port may be taken between asking and listening: try another.
  for (let attempt = 0; attempt < 3 && !port; attempt++) {
    const candidate = await freePort();
    const options = [
      `-p ${candidate}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    try {
      await run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start'], user);
      port = candidate;
    } catch (error) {
      lastError = error;
    }
  }
  if (!port) {
    const log = fs.existsSync(path.join(dir, 'server.log')) ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8') : '';
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${String(lastError)}\n${log}`);
  }

  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { uid: user?.uid, gid: user?.gid, stdio: 'ignore', env: serverEnv() });
    } catch {
      // Already gone.
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // pg_ctl starts the server detached from this process: if the test process
  // ends without afterAll (a crash, Ctrl-C), stop it here rather than leave it running.
  process.once('exit', stopNow);

  const url = `postgres://berth@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    async createDatabase() {
      const name = `berth_test_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`create database ${name} strategy file_copy`);
      } finally {
        await client.end();
      }
      return `postgres://berth@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      process.removeListener('exit', stopNow);
      stopNow();
    },
  };
}
