// npm run bench: the console's pages at scale, against the emulator.
//
// Seeds one ECR repository with 10,000 images and 2,000 repositories in all; an
// S3 bucket with 100,000 objects in one folder; and a versioned bucket with
// 10,000 versions. Starts the production console against it, signs in, and
// reports for each page the server time until the last byte of the streamed
// HTML and the AWS calls the page made (counted at the emulator); then empties
// the versioned bucket through the same server action the browser drives,
// reporting the time taken and the console's memory; then uploads 1 GiB through
// the upload route (bench/upload.ts), reporting the console's memory. Prints
// figures; asserts nothing. BENCH_ONLY=ecr or BENCH_ONLY=s3 runs half of it;
// BENCH_ONLY=sign-in only the sign-in storm (bench/sign-in.ts); BENCH_ONLY=emulator
// only the emulator's own rates and cold start (bench/emulator.ts), which the
// full run prints first. `npm run bench -- emulator` is the same as BENCH_ONLY=emulator.
// Needs a production build (`npm run build`); makes one if there is none.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEmulator } from '../emulator/server';
import { describe as blob, makeImage, ociManifest, OCI_CONFIG, OCI_LAYER, OCI_MANIFEST, pushImage } from '../emulator/test-support/ecr';
import { DEMO_USERS } from '../scripts/demo-users';
import { startProcess, type Started } from '../scripts/processes';
import { benchEmulator } from './emulator';
import { benchSignIn } from './sign-in';
import { benchUpload } from './upload';
import { signIn } from './session';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 10_000);
const REPOSITORIES = Number(process.env.BENCH_REPOSITORIES ?? 2_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 100_000);
const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 10_000);
const ONLY = process.argv[2] ?? process.env.BENCH_ONLY ?? 'all';
if (!['all', 'ecr', 's3', 'sign-in', 'emulator'].includes(ONLY)) {
  console.error(`Unknown bench part "${ONLY}": choose all, ecr, s3, sign-in or emulator.`);
  process.exit(2);
}
const BIG = 'bench/big-repo';
const BIG_BUCKET = 'bench-100k-objects';
const EMPTY_BUCKET = 'bench-10k-versions';

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<unknown>) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (i < items.length) await fn(items[i++]!); }));
}

interface Ctx {
  emuUrl: string;
  calls: string[];
  counting: { on: boolean };
}

async function seedEcr(ctx: Ctx) {
  const ecr = new ECRClient({ endpoint: ctx.emuUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
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
}

async function seedS3(ctx: Ctx) {
  const s3 = new S3Client({ endpoint: ctx.emuUrl, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  let t = performance.now();
  await s3.send(new CreateBucketCommand({ Bucket: BIG_BUCKET }));
  const keys = Array.from({ length: OBJECTS }, (_, i) => `events/${String(i).padStart(6, '0')}.json`);
  await pool(keys, 16, (Key) => s3.send(new PutObjectCommand({ Bucket: BIG_BUCKET, Key, Body: `{"n":"${Key}"}`, ContentType: 'application/json' })));
  console.log(`seeded ${OBJECTS.toLocaleString('en-US')} objects in ${BIG_BUCKET} in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  t = performance.now();
  await s3.send(new CreateBucketCommand({ Bucket: EMPTY_BUCKET }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: EMPTY_BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
  const versioned = Array.from({ length: VERSIONS }, (_, i) => `docs/${String(i % Math.ceil(VERSIONS / 2)).padStart(5, '0')}.txt`);
  await pool(versioned, 16, (Key) => s3.send(new PutObjectCommand({ Bucket: EMPTY_BUCKET, Key, Body: `version of ${Key}` })));
  console.log(`seeded ${VERSIONS.toLocaleString('en-US')} versions in ${EMPTY_BUCKET} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

async function main() {
  if (ONLY === 'sign-in') return benchSignIn();
  if (ONLY === 'emulator' || ONLY === 'all') await benchEmulator();
  if (ONLY === 'emulator') return;
  const root = process.cwd();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
  const ctx: Ctx = { emuUrl: '', calls: [], counting: { on: false } };
  const emu = await startEmulator({
    port: 0,
    dataDir: path.join(work, 'emulator'),
    seed: false,
    log: (line) => {
      const m = / -> (\w+\.\w+) \d{3} /.exec(line);
      if (m && ctx.counting.on) ctx.calls.push(m[1]!);
    },
  });
  ctx.emuUrl = emu.url;

  try {
    if (ONLY !== 's3') await seedEcr(ctx);
    if (ONLY !== 'ecr') await seedS3(ctx);

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
      BERTH_UPLOAD_MAX_BYTES: String(5 * 1024 ** 3),
    };
    delete env.AWS_PROFILE;
    execFileSync(process.execPath, [require.resolve('tsx/cli'), '--conditions=react-server', 'scripts/seed-demo-users.ts'], { env, stdio: 'inherit' });
    // The standalone server itself (not the npm start wrapper), so its memory can be read.
    const web = await startProcess(process.execPath, [path.join(root, '.next', 'standalone', 'server.js')], { name: 'console', env, ready: /Ready in|Local:/i, timeoutMs: 60_000 });
    try {
      const origin = 'http://127.0.0.1:3191';
      const cookie = await signIn(origin, DEMO_USERS[0]!.email, DEMO_USERS[0]!.password);
      const pages: [string, string][] = [];
      if (ONLY !== 's3') {
        pages.push([`repository page (${IMAGES.toLocaleString('en-US')} images)`, `/ecr/${BIG}`]);
        pages.push([`repositories page (${REPOSITORIES.toLocaleString('en-US')} repositories)`, '/ecr?sort=name']);
      }
      if (ONLY !== 'ecr') {
        pages.push([`bucket folder (${OBJECTS.toLocaleString('en-US')} objects in it), first page`, `/s3/${BIG_BUCKET}?prefix=events%2F`]);
        pages.push([`same folder, a page deep in it`, `/s3/${BIG_BUCKET}?prefix=events%2F&token=${encodeURIComponent(await deepToken(origin, cookie))}`]);
      }
      for (const [label, url] of pages) await measurePage(ctx, origin, cookie, label, url);
      if (ONLY !== 's3') console.log('(image counts on the repositories page, and the registry address, are cached for a minute and an hour)');
      if (ONLY !== 'ecr') await benchEmpty(ctx, web, origin, cookie);
      if (ONLY !== 'ecr') await benchUpload({ emuUrl: emu.url, pid: web.child.pid!, origin, cookie });
    } finally {
      await web.stop();
    }
  } finally {
    await emu.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function measurePage(ctx: Ctx, origin: string, cookie: string, label: string, url: string) {
  const times: number[] = [];
  const perRun: Record<string, number>[] = [];
  for (let run = 0; run < RUNS; run++) {
    ctx.calls.length = 0;
    ctx.counting.on = true;
    const start = performance.now();
    const res = await fetch(origin + url, { headers: { cookie } });
    const html = await res.text();
    times.push(performance.now() - start);
    ctx.counting.on = false;
    if (res.status !== 200 || html.length < 1000) throw new Error(`${url} answered ${res.status}`);
    const counted: Record<string, number> = {};
    for (const c of ctx.calls) counted[c] = (counted[c] ?? 0) + 1;
    perRun.push(counted);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const show = (c: Record<string, number> | undefined) => Object.entries(c ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`${label}: median ${median.toFixed(0)} ms (range ${times[0]!.toFixed(0)}–${times.at(-1)!.toFixed(0)} ms, ${RUNS} runs)`);
  console.log(`  AWS calls, first run: ${show(perRun[0])}`);
  console.log(`  AWS calls, later runs: ${show(perRun.at(-1))}`);
}

/** Follows "Next page" links a few times to reach a page well inside the folder. */
async function deepToken(origin: string, cookie: string): Promise<string> {
  let url = `/s3/${BIG_BUCKET}?prefix=events%2F`;
  let token = '';
  for (let i = 0; i < 5; i++) {
    const html = await (await fetch(origin + url, { headers: { cookie } })).text();
    const m = /href="([^"]*[?&]amp;token=[^"]*|[^"]*[?&]token=[^"]*)"[^>]*>Next page/.exec(html);
    if (!m) break;
    url = m[1]!.replaceAll('&amp;', '&');
    token = new URL(url, origin).searchParams.get('token') ?? token;
  }
  if (!token) throw new Error('no next-page link on the big folder');
  return token;
}

/** Empties the versioned bucket step by step, as the browser does, watching the console's memory. */
async function benchEmpty(ctx: Ctx, web: Started, origin: string, cookie: string) {
  const manifest = JSON.parse(fs.readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === 'emptyBucketStepAction')?.[0];
  if (!id) throw new Error('emptyBucketStepAction is not in the build');
  const pid = web.child.pid!;
  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  const before = rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
  ctx.calls.length = 0;
  ctx.counting.on = true;
  const start = performance.now();
  let steps = 0;
  try {
    for (;;) {
      const res = await fetch(`${origin}/s3/${EMPTY_BUCKET}?tab=delete`, {
        method: 'POST',
        headers: { cookie, origin, 'Next-Action': id, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component' },
        body: JSON.stringify(['$undefined', { bucket: EMPTY_BUCKET, confirm: EMPTY_BUCKET }]),
      });
      const body = await res.text();
      steps++;
      const phase = /"phase":"(\w+)"/.exec(body)?.[1];
      if (!phase) throw new Error(`empty step ${steps} answered ${res.status}: ${body.slice(0, 300)}`);
      if (phase === 'deleted') break;
    }
  } finally {
    clearInterval(sampler);
    ctx.counting.on = false;
  }
  const ms = performance.now() - start;
  const counted: Record<string, number> = {};
  for (const c of ctx.calls) counted[c] = (counted[c] ?? 0) + 1;
  const mb = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
  console.log(`empty and delete a bucket of ${VERSIONS.toLocaleString('en-US')} versions: ${(ms / 1000).toFixed(1)} s in ${steps} steps`);
  console.log(`  console memory (RSS): ${mb(before)} before, ${mb(peak)} at most during, +${mb(peak - before)}`);
  console.log(`  AWS calls: ${Object.entries(counted).map(([k, v]) => `${k} ${v}`).join(', ')}`);
}


// The sign-in storm (bench/sign-in.ts) starts a console of its own.
void main()
  .then(() => (ONLY === 'all' ? benchSignIn() : undefined))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
