// A sign-in storm and what it does to everyone else: starts the production
// console as `npm start` does, then sends rounds of 40 concurrent sign-ins
// with random emails and wrong passwords while timing GET /api/health every
// 20 ms, and prints the health check's latency before and during the storm.
// Each storm request claims its own client address through one trusted proxy
// hop, as a botnet behind a CDN would, so the per-address limit does not
// simply refuse them: every password is really checked. Prints figures;
// asserts nothing. Run alone with `npx tsx bench/sign-in.ts` or
// `BENCH_ONLY=sign-in npm run bench`. Needs a production build.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startProcess } from '../scripts/processes';

const CONCURRENT = Number(process.env.BENCH_SIGN_INS ?? 40);
const ROUNDS = Number(process.env.BENCH_SIGN_IN_ROUNDS ?? 3);

/** A port nothing listens on now, so a run never collides with another server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function describe(label: string, samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  console.log(`  ${label}: p50 ${percentile(s, 50).toFixed(0)} ms, p95 ${percentile(s, 95).toFixed(0)} ms, max ${(s.at(-1) ?? NaN).toFixed(0)} ms (${s.length} requests)`);
}

/** Times GET /api/health back to back, 20 ms apart, until stopped. */
function watchHealth(origin: string) {
  const samples: number[] = [];
  let on = true;
  const done = (async () => {
    while (on) {
      const start = performance.now();
      await (await fetch(`${origin}/api/health`)).text();
      samples.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      on = false;
      await done;
      return samples;
    },
  };
}

async function badSignIn(origin: string, n: number): Promise<string> {
  const address = `198.18.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
  const headers = { 'x-forwarded-for': address };
  const csrf = await fetch(`${origin}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').join('; ');
  const res = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie: jar },
    body: new URLSearchParams({ email: `nobody-${n}-${Math.random().toString(36).slice(2)}@example.com`, password: `guess-${n}`, csrfToken, callbackUrl: '/' }),
  });
  await res.text();
  const location = new URL(res.headers.get('location') ?? '/', origin);
  return location.searchParams.get('code') ?? location.searchParams.get('error') ?? `status ${res.status}`;
}

export async function benchSignIn(): Promise<void> {
  const root = process.cwd();
  const server = path.join(root, '.next', 'standalone', 'server.js');
  if (!fs.existsSync(server)) {
    execFileSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], { stdio: 'inherit' });
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-sign-in-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    AUTH_SECRET: 'bench-only-secret-0123456789abcdefghijklmnop',
    BERTH_DATA_DIR: path.join(work, 'berth'),
    // Berth's database: SQLite in that folder, whatever DATABASE_URL the shell has.
    DATABASE_URL: '',
    BERTH_TRUSTED_PROXY_HOPS: '1',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9', // never called: health and sign-in make no AWS call
    AWS_REGION: 'us-east-1',
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
  };
  execFileSync(process.execPath, [require.resolve('tsx/cli'), '--conditions=react-server', 'scripts/seed-demo-users.ts'], { env, stdio: 'inherit' });
  // As `npm start` runs it: with the preload that hands the app the socket address.
  const preload = pathToFileURL(path.join(root, 'scripts', 'peer-address.mjs')).href;
  const web = await startProcess(process.execPath, ['--import', preload, server], { name: 'console', env, ready: /Ready in|Local:/i, timeoutMs: 60_000, echo: process.env.BENCH_ECHO === '1' });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await fetch(`${origin}/api/health`);
    await badSignIn(origin, 999_999); // warm the sign-in route up
    console.log(`sign-in storm: ${ROUNDS} rounds of ${CONCURRENT} concurrent sign-ins with wrong passwords, each from its own address`);

    let watch = watchHealth(origin);
    await new Promise((r) => setTimeout(r, 2000));
    describe('GET /api/health, quiet', await watch.stop());

    watch = watchHealth(origin);
    const outcomes: Record<string, number> = {};
    const start = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      const codes = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => badSignIn(origin, round * CONCURRENT + i)));
      for (const c of codes) outcomes[c] = (outcomes[c] ?? 0) + 1;
    }
    const seconds = (performance.now() - start) / 1000;
    describe('GET /api/health, during the storm', await watch.stop());
    console.log(`  sign-ins answered in ${seconds.toFixed(1)} s: ${Object.entries(outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  } finally {
    await web.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// Run directly (not imported by bench/run.ts).
if (require.main === module) {
  void benchSignIn().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
