// npm run demo: the emulator (seeded on its first start) plus the console against
// it, with one demo admin and one demo viewer. Ctrl-C stops both.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_USERS } from './demo-users';
import { startProcess, type Started } from './processes';

const root = process.cwd();
const dataRoot = path.resolve(process.env.BERTH_DEMO_DATA ?? '.data');
const berthData = path.join(dataRoot, 'berth');
const emulatorData = path.join(dataRoot, 'emulator');
const emulatorPort = Number(process.env.BERTH_EMULATOR_PORT ?? 4566);
const consolePort = Number(process.env.PORT ?? 3000);


function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function buildIsCurrent(): boolean {
  const id = path.join(root, '.next', 'BUILD_ID');
  if (!fs.existsSync(id) || !fs.existsSync(path.join(root, '.next', 'standalone', 'server.js'))) return false;
  const built = fs.statSync(id).mtimeMs;
  const sources = ['app', 'components', 'lib', 'public', 'proxy.ts', 'next.config.ts', 'package-lock.json'];
  return sources.every((s) => newestMtime(path.join(root, s)) < built);
}

function authSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(berthData, 'demo-auth-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(berthData, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

async function main() {
  const children: Started[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Berth and the emulator…');
    await Promise.all(children.map((c) => c.stop()));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  if (!buildIsCurrent()) {
    console.log('Building the console (first run, or the sources changed)…');
    execFileSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  }

  const emulator = await startProcess(
    process.execPath,
    [require.resolve('tsx/cli'), 'emulator/cli.ts', '--port', String(emulatorPort), '--data', emulatorData],
    { name: 'emulator', ready: /ready at (http:\/\/\S+)/, timeoutMs: 60_000 },
  ).catch((e: Error) => {
    console.error(`The emulator did not start: ${e.message.split('\n')[0]}\nIs port ${emulatorPort} in use? Set BERTH_EMULATOR_PORT to use another.`);
    process.exit(1);
  });
  children.push(emulator);
  const endpoint = emulator.match[1]!;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AUTH_SECRET: authSecret(),
    BERTH_DATA_DIR: berthData,
    // The demo keeps its users in SQLite in .data, whatever DATABASE_URL the shell has.
    DATABASE_URL: '',
    BERTH_DEMO: '1',
    PORT: String(consolePort),
    HOSTNAME: '127.0.0.1',
  };
  // The demo must never pick up a real AWS profile or session from the shell.
  for (const k of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_PROFILE']) delete env[k];

  execFileSync(process.execPath, [require.resolve('tsx/cli'), '--conditions=react-server', 'scripts/seed-demo-users.ts'], { env, stdio: 'inherit' });

  const web = await startProcess(process.execPath, ['scripts/start.mjs'], { name: 'console', env, ready: /Ready in|started server|Local:/i, timeoutMs: 60_000 }).catch(
    (e: Error) => {
      console.error(`The console did not start: ${e.message}`);
      void stopAll(1);
      throw e;
    },
  );
  children.push(web);
  web.child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));

  const url = `http://127.0.0.1:${consolePort}`;
  console.log(`
  Berth is running at ${url}
  Emulator (a local AWS) at ${endpoint}, data in ${path.relative(root, emulatorData)}

  Sign in as
    admin   ${DEMO_USERS[0]!.email}   password ${DEMO_USERS[0]!.password}
    viewer  ${DEMO_USERS[1]!.email}  password ${DEMO_USERS[1]!.password}

  Press Ctrl-C to stop both.
`);
  for (const c of children) {
    c.child.on('exit', (code) => {
      if (!stopping) {
        console.error(`A process stopped unexpectedly (exit ${code}).`);
        void stopAll(1);
      }
    });
  }
}

void main();
