// npm run bench: the console's repository pages at scale, against the emulator.
//
// Seeds one repository with 10,000 images and 2,000 repositories in all, starts
// the production console against it, signs in, and reports for each page the
// server time until the last byte of the streamed HTML, and the AWS calls the
// page made (counted at the emulator). Prints figures; asserts nothing.
// Needs a production build (`npm run build`); makes one if there is none.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { startEmulator } from '../emulator/server';
import { describe as blob, makeImage, ociManifest, OCI_CONFIG, OCI_LAYER, OCI_MANIFEST, pushImage } from '../emulator/test-support/ecr';
import { DEMO_USERS } from '../scripts/demo-users';
import { startProcess } from '../scripts/processes';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 10_000);
const REPOSITORIES = Number(process.env.BENCH_REPOSITORIES ?? 2_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BIG = 'bench/big-repo';

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<unknown>) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (i < items.length) await fn(items[i++]!); }));
}

async function main() {
  const root = process.cwd();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
  const calls: string[] = [];
  let counting = false;
  const emu = await startEmulator({
    port: 0,
    dataDir: path.join(work, 'emulator'),
    seed: false,
    log: (line) => {
      const m = / -> (\w+\.\w+) \d{3} /.exec(line);
      if (m && counting) calls.push(m[1]!);
    },
  });
  const ecr = new ECRClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

  try {
    let t = performance.now();
    const names = Array.from({ length: REPOSITORIES - 1 }, (_, i) => `bench/service-${String(i).padStart(4, '0')}`);
    await pool([BIG, ...names], 8, (repositoryName) => ecr.send(new CreateRepositoryCommand({ repositoryName })));
    console.log(`seeded ${REPOSITORIES} repositories in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    t = performance.now();
    const base = makeImage([4096]);
    await pushImage(ecr, BIG, base, 'base');
    const config = blob(OCI_CONFIG, base.config);
    const layers = base.layers.map((l) => blob(OCI_LAYER, l));
    const indexes = Array.from({ length: IMAGES - 1 }, (_, i) => i);
    await pool(indexes, 8, (i) =>
      ecr.send(
        new PutImageCommand({
          repositoryName: BIG,
          imageManifest: ociManifest(config, layers, { 'org.opencontainers.image.revision': `build-${i}` }),
          imageManifestMediaType: OCI_MANIFEST,
          imageTag: i % 3 === 0 ? undefined : `build-${i}`,
        }),
      ),
    );
    console.log(`seeded ${IMAGES} images in ${BIG} in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    if (!fs.existsSync(path.join(root, '.next', 'standalone', 'server.js'))) {
      execFileSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], { stdio: 'inherit' });
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      AWS_ENDPOINT_URL: emu.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AUTH_SECRET: 'bench-only-secret-0123456789abcdefghijklmnop',
      BERTH_DATA_DIR: path.join(work, 'berth'),
      PORT: '3191',
      HOSTNAME: '127.0.0.1',
    };
    delete env.AWS_PROFILE;
    execFileSync(process.execPath, [require.resolve('tsx/cli'), '--conditions=react-server', 'scripts/seed-demo-users.ts'], { env, stdio: 'inherit' });
    const web = await startProcess(process.execPath, ['scripts/start.mjs'], { name: 'console', env, ready: /Ready in|Local:/i, timeoutMs: 60_000 });
    try {
      const origin = 'http://127.0.0.1:3191';
      const cookie = await signIn(origin, DEMO_USERS[0]!.email, DEMO_USERS[0]!.password);
      for (const [label, url] of [
        [`repository page (${IMAGES.toLocaleString('en-US')} images)`, `/ecr/${BIG}`],
        [`repositories page (${REPOSITORIES.toLocaleString('en-US')} repositories)`, '/ecr?sort=name'],
      ] as const) {
        const times: number[] = [];
        const perRun: Record<string, number>[] = [];
        for (let run = 0; run < RUNS; run++) {
          calls.length = 0;
          counting = true;
          const start = performance.now();
          const res = await fetch(origin + url, { headers: { cookie } });
          const html = await res.text();
          times.push(performance.now() - start);
          counting = false;
          if (res.status !== 200 || html.length < 1000) throw new Error(`${url} answered ${res.status}`);
          const counted: Record<string, number> = {};
          for (const c of calls) counted[c] = (counted[c] ?? 0) + 1;
          perRun.push(counted);
        }
        times.sort((a, b) => a - b);
        const median = times[Math.floor(times.length / 2)]!;
        const show = (c: Record<string, number> | undefined) => Object.entries(c ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
        console.log(`${label}: median ${median.toFixed(0)} ms (range ${times[0]!.toFixed(0)}–${times.at(-1)!.toFixed(0)} ms, ${RUNS} runs)`);
        console.log(`  AWS calls, first run: ${show(perRun[0])}`);
        console.log(`  AWS calls, later runs: ${show(perRun.at(-1))}`);
      }
      console.log('(image counts on the repositories page, and the registry address, are cached for a minute and an hour)');
    } finally {
      await web.stop();
    }
  } finally {
    await emu.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Signs in through Auth.js's own endpoints, as the browser form does. */
async function signIn(origin: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').join('; ');
  const res = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: '/' }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('authjs.session-token='));
  if (!session) throw new Error('bench sign-in failed');
  return `${jar}; ${session}`;
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
