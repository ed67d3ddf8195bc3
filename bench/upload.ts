// The upload route's memory during a 1 GiB upload: the bytes are generated as
// they are sent (nothing on disk, nothing whole in memory here either), POSTed
// to the console's real route as the upload panel does, and the console's
// resident memory is sampled from /proc while it streams them on to S3.
// Prints figures; asserts nothing. Target: growth under 64 MiB.
//
// `npm run bench` runs it after the S3 pages; `npx tsx bench/upload.ts` runs it
// alone (it then starts its own emulator and console; needs `npm run build`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { signIn } from './session';

const UPLOAD_BYTES = Number(process.env.BENCH_UPLOAD_BYTES ?? 1024 ** 3);
const BUCKET = 'bench-upload';
const MiB = 1024 * 1024;

export async function benchUpload(opts: { emuUrl: string; pid: number; origin: string; cookie: string }) {
  const s3 = new S3Client({ endpoint: opts.emuUrl, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${opts.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  const cold = rss();
  // A first, tiny upload loads the route's code (the server loads each route
  // on first use): a one-off cost of the first upload after start, not of its size.
  await upload(opts, 'warm-up.bin', 64 * 1024);
  const before = rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);

  const start = performance.now();
  let status: number;
  try {
    status = await upload(opts, 'one-gib.bin', UPLOAD_BYTES);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - start) / 1000;
  if (status !== 200) throw new Error(`the upload answered ${status}`);
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'one-gib.bin' }));
  const left = (await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads?.length ?? 0;
  const mb = (b: number) => `${(b / MiB).toFixed(0)} MiB`;
  console.log(`upload of ${mb(UPLOAD_BYTES)} through the console: ${seconds.toFixed(1)} s (${(UPLOAD_BYTES / MiB / seconds).toFixed(0)} MiB/s), stored ${mb(head.ContentLength ?? 0)}, ETag ${head.ETag}, unfinished uploads left: ${left}`);
  console.log(`  console memory (RSS): ${mb(before)} before, ${mb(peak)} at most during, +${mb(peak - before)} (target: under +64 MiB)`);
  console.log(`  (${mb(cold)} before a first 64 KiB upload loaded the route's code; the growth above is counted from after it)`);
}

/** POSTs `bytes` generated on the fly to the upload route, as the upload panel does; resolves with the status. */
async function upload(opts: { origin: string; cookie: string }, key: string, bytes: number): Promise<number> {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const n = Math.min(MiB, bytes - sent);
      const chunk = Buffer.allocUnsafe(n).fill(sent % 251);
      sent += n;
      controller.enqueue(chunk);
    },
  });
  const res = await fetch(`${opts.origin}/s3/${BUCKET}/object?key=${key}`, {
    method: 'POST',
    body,
    duplex: 'half',
    headers: { cookie: opts.cookie, origin: opts.origin, 'content-type': 'application/octet-stream', 'content-length': String(bytes) },
  } as RequestInit);
  await res.text();
  return res.status;
}

async function alone() {
  const { execFileSync } = await import('node:child_process');
  const { startEmulator } = await import('../emulator/server');
  const { startProcess } = await import('../scripts/processes');
  const { DEMO_USERS } = await import('../scripts/demo-users');
  const root = process.cwd();
  if (!fs.existsSync(path.join(root, '.next', 'standalone', 'server.js'))) throw new Error('Run `npm run build` first.');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-upload-'));
  const emu = await startEmulator({ port: 0, dataDir: path.join(work, 'emulator'), seed: false, log: () => undefined });
  const port = String(3190);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    AWS_ENDPOINT_URL: emu.url,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AUTH_SECRET: 'bench-only-secret-0123456789abcdefghijklmnop',
    BERTH_DATA_DIR: path.join(work, 'berth'),
    // Berth's database: SQLite in that folder, whatever DATABASE_URL the shell has.
    DATABASE_URL: '',
    // The largest limit the README suggests; the route must stream under it all the same.
    BERTH_UPLOAD_MAX_BYTES: String(5 * 1024 ** 3),
    PORT: process.env.BENCH_PORT ?? port,
    HOSTNAME: '127.0.0.1',
  };
  delete env.AWS_PROFILE;
  try {
    execFileSync(process.execPath, [require.resolve('tsx/cli'), '--conditions=react-server', 'scripts/seed-demo-users.ts'], { env, stdio: 'inherit' });
    const web = await startProcess(process.execPath, [path.join(root, '.next', 'standalone', 'server.js')], { name: 'console', env, ready: /Ready in|Local:/i, timeoutMs: 60_000 });
    try {
      const origin = `http://127.0.0.1:${env.PORT}`;
      const admin = DEMO_USERS.find((u) => u.role === 'admin')!;
      await benchUpload({ emuUrl: emu.url, pid: web.child.pid!, origin, cookie: (await signIn(origin, admin.email, admin.password)).header() });
    } finally {
      await web.stop();
    }
  } finally {
    await emu.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}


if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  void alone().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
