// The emulator's own speed, through the unmodified AWS SDK v3 clients against
// the real CLI process (one node process, as the tests start it): PutObject
// and GetObject of small objects, ListObjectsV2 pages over a large bucket,
// DescribeImages pages over a large repository, CreateDistribution, and the
// cold start on a fresh data folder and on an existing seeded one. Each figure
// is calls a second at a fixed number of requests in flight, with the CPU time
// the emulator process and this (client) process spent per call, read from
// /proc: on a shared machine the rates move with everyone else's load, the
// CPU per call much less. Prints figures; asserts nothing.
//
// `npm run bench -- emulator` (or BENCH_ONLY=emulator) runs only this part.
// BENCH_EMULATOR_BASELINE=<checkout> runs the same figures against the
// emulator of another checkout first (e.g. an export of main with node_modules
// linked), so a change shows against its base in one run on the same machine.
// BENCH_EMULATOR_NODE_ARGS passes node flags to the emulator process, e.g.
// "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where its time goes.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateRepositoryCommand, DescribeImagesCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3Config } from '../emulator/test-support/cloudfront';
import { describe as blobDesc, makeImage, ociManifest, OCI_CONFIG, OCI_LAYER, OCI_MANIFEST, pushImage } from '../emulator/test-support/ecr';

const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 16);
const PUTS = Number(process.env.BENCH_PUTS ?? 2_000);
const LIST_OBJECTS = Number(process.env.BENCH_LIST_OBJECTS ?? 10_000);
const LIST_WALKS = Number(process.env.BENCH_LIST_WALKS ?? 5);
const DESCRIBE_IMAGES = Number(process.env.BENCH_DESCRIBE_IMAGES ?? 2_000);
const DESCRIBE_WALKS = Number(process.env.BENCH_DESCRIBE_WALKS ?? 3);
const DISTRIBUTIONS = Number(process.env.BENCH_DISTRIBUTIONS ?? 300);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 3);
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };

interface Emu {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** CPU seconds (user + system) a process has used so far; NaN where /proc is not there to read. */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, the 14th and 15th fields of stat(5), in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** A rate, with the CPU milliseconds per call spent by the emulator and by the client. */
interface Rate {
  perSecond: number;
  emulatorMs: number;
  clientMs: number;
}

/**
 * Starts `node --import tsx emulator/cli.ts` of checkout `root` in one process
 * (as emulator/test-support/spawn.ts does), resolving at its ready line.
 */
function startCli(root: string, dataDir: string, args: string[]): Promise<Emu> {
  const nodeArgs = (process.env.BENCH_EMULATOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return startReady(root, [...nodeArgs, '--import', 'tsx', 'emulator/cli.ts', '--port', '0', '--data', dataDir, ...args]);
}

/**
 * A server that reads each request's body and answers 200 at once, in a
 * process of its own: PutObject against it shows what the bench client can
 * drive by itself on this machine, roughly the ceiling for the PutObject rate.
 */
const STUB = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => { s.writeHead(200, { ETag: '"0"', 'Content-Length': '0' }); s.end(); }); })
  .listen(0, '127.0.0.1', function () { console.log('Berth emulator ready at http://127.0.0.1:' + this.address().port); });`;

/** Starts `node <args>` in `root` and resolves at its ready line. */
function startReady(root: string, args: string[]): Promise<Emu> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, BERTH_EMULATOR_FAULTS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-20_000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}\n${err}`)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /Berth emulator ready at (http:\/\/\S+)/.exec(out);
      if (!m?.[1]) return;
      resolve({
        url: m[1],
        pid: child.pid!,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

async function pool<T>(items: readonly T[], n: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (i < items.length) await fn(items[i++]!); }));
}

/**
 * Runs `jobs` jobs of `fn`, IN_FLIGHT at a time, each making `callsPerJob`
 * calls; returns calls a second and CPU per call.
 */
async function rate(emu: Emu, jobs: number, fn: (i: number) => Promise<unknown>, callsPerJob = 1): Promise<Rate> {
  const emuCpu = cpuSeconds(emu.pid);
  const ownCpu = process.cpuUsage();
  const start = performance.now();
  await pool(Array.from({ length: jobs }, (_, i) => i), IN_FLIGHT, fn);
  const seconds = (performance.now() - start) / 1000;
  const own = process.cpuUsage(ownCpu);
  const calls = jobs * callsPerJob;
  return {
    perSecond: calls / seconds,
    emulatorMs: ((cpuSeconds(emu.pid) - emuCpu) * 1000) / calls,
    clientMs: (own.user + own.system) / 1000 / calls,
  };
}

export interface EmulatorFigures {
  putObject: Rate;
  getObject: Rate;
  listObjectsV2: Rate;
  describeImages: Rate;
  createDistribution: Rate;
  coldStartFreshMs: number;
  coldStartSeededMs: number;
}

async function measure(root: string): Promise<EmulatorFigures> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-emu-'));
  try {
    const emu = await startCli(root, path.join(work, 'data'), ['--no-seed', '--quiet', '--deploy-delay-ms', '100', '--scan-delay-ms', '0']);
    const figures: Partial<EmulatorFigures> = {};
    try {
      const common = { endpoint: emu.url, region: 'us-east-1', credentials: creds };
      const s3 = new S3Client({ ...common, forcePathStyle: true });
      const ecr = new ECRClient(common);
      const cf = new CloudFrontClient(common);

      await s3.send(new CreateBucketCommand({ Bucket: 'bench-small' }));
      // Distinct bytes per object, so no write is saved by content addressing.
      const bodies = Array.from({ length: PUTS }, () => randomBytes(1024));
      const key = (i: number) => `small/${String(i).padStart(6, '0')}.bin`;
      figures.putObject = await rate(emu, PUTS, (i) => s3.send(new PutObjectCommand({ Bucket: 'bench-small', Key: key(i), Body: bodies[i] })));
      figures.getObject = await rate(emu, PUTS, async (i) => {
        const out = await s3.send(new GetObjectCommand({ Bucket: 'bench-small', Key: key(i) }));
        const got = await out.Body!.transformToByteArray();
        if (got.length !== 1024) throw new Error(`GetObject ${key(i)} gave ${got.length} bytes`);
      });

      await s3.send(new CreateBucketCommand({ Bucket: 'bench-list' }));
      await pool(Array.from({ length: LIST_OBJECTS }, (_, i) => i), IN_FLIGHT, (i) =>
        s3.send(new PutObjectCommand({ Bucket: 'bench-list', Key: `logs/${String(i).padStart(6, '0')}.json`, Body: `{"n":${i}}` })),
      );
      // Whole walks of the bucket in pages of 1,000; each walk is sequential
      // (a page needs the last one's token), IN_FLIGHT walks at once.
      figures.listObjectsV2 = await rate(emu, LIST_WALKS * IN_FLIGHT, async () => {
        let token: string | undefined;
        let n = 0;
        do {
          const out = await s3.send(new ListObjectsV2Command({ Bucket: 'bench-list', MaxKeys: 1000, ContinuationToken: token }));
          n += out.KeyCount ?? 0;
          token = out.NextContinuationToken;
        } while (token);
        if (n !== LIST_OBJECTS) throw new Error(`listed ${n} objects`);
      }, Math.ceil(LIST_OBJECTS / 1000));

      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'bench/images' }));
      const base = makeImage([4096]);
      await pushImage(ecr, 'bench/images', base, 'base');
      const config = blobDesc(OCI_CONFIG, base.config);
      const layers = base.layers.map((l) => blobDesc(OCI_LAYER, l));
      await pool(Array.from({ length: DESCRIBE_IMAGES - 1 }, (_, i) => i), IN_FLIGHT, (i) =>
        ecr.send(
          new PutImageCommand({
            repositoryName: 'bench/images',
            imageManifest: ociManifest(config, layers, { 'org.opencontainers.image.revision': `build-${i}` }),
            imageManifestMediaType: OCI_MANIFEST,
            imageTag: `build-${i}`,
          }),
        ),
      );
      // Pages of 100 (the API's default), whole walks as for the bucket.
      figures.describeImages = await rate(emu, DESCRIBE_WALKS * IN_FLIGHT, async () => {
        let token: string | undefined;
        let n = 0;
        do {
          const out = await ecr.send(new DescribeImagesCommand({ repositoryName: 'bench/images', maxResults: 100, nextToken: token }));
          n += out.imageDetails?.length ?? 0;
          token = out.nextToken;
        } while (token);
        if (n !== DESCRIBE_IMAGES) throw new Error(`described ${n} images`);
      }, Math.ceil(DESCRIBE_IMAGES / 100));

      figures.createDistribution = await rate(emu, DISTRIBUTIONS, (i) =>
        cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('bench-small', { comment: `bench ${i}` }) })),
      );
      for (const c of [s3, ecr, cf]) c.destroy();
    } finally {
      await emu.stop();
    }

    // Cold start: process start until the first answer, on a fresh folder
    // (which seeds the demo data) and again on the same, seeded, folder.
    const fresh: number[] = [];
    const seeded: number[] = [];
    for (let run = 0; run < COLD_STARTS; run++) {
      const dir = path.join(work, `cold-${run}`);
      fresh.push(await coldStart(root, dir));
      seeded.push(await coldStart(root, dir));
    }
    figures.coldStartFreshMs = median(fresh);
    figures.coldStartSeededMs = median(seeded);
    return figures as EmulatorFigures;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function coldStart(root: string, dataDir: string): Promise<number> {
  const start = performance.now();
  const emu = await startCli(root, dataDir, ['--quiet']);
  try {
    const res = await fetch(`${emu.url}/_emulator/health`);
    if (res.status !== 200) throw new Error(`health answered ${res.status}`);
    return performance.now() - start;
  } finally {
    await emu.stop();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function print(label: string, f: EmulatorFigures, base?: EmulatorFigures) {
  const row = (name: string, k: keyof EmulatorFigures, unit = '/s') => {
    const r = f[k] as Rate;
    const b = base?.[k] as Rate | undefined;
    const vs = b ? `  ${(r.perSecond / b.perSecond).toFixed(2)}× the baseline's ${b.perSecond.toFixed(0)}${unit}, emulator CPU ${b.emulatorMs.toFixed(2)} ms there` : '';
    console.log(`  ${name.padEnd(44)} ${r.perSecond.toFixed(0).padStart(5)}${unit}  (emulator CPU ${r.emulatorMs.toFixed(2)} ms a call, client ${r.clientMs.toFixed(2)} ms)${vs}`);
  };
  const ms = (name: string, k: 'coldStartFreshMs' | 'coldStartSeededMs') =>
    console.log(`  ${name.padEnd(44)} ${f[k].toFixed(0).padStart(5)} ms${base ? `  (baseline ${base[k].toFixed(0)} ms)` : ''}`);
  console.log(`emulator${label}: SDK v3 clients, ${IN_FLIGHT} requests in flight`);
  row(`PutObject, 1 KiB (${PUTS.toLocaleString('en-US')} objects)`, 'putObject');
  row('GetObject, the same objects', 'getObject');
  row(`ListObjectsV2, pages of 1,000 of ${LIST_OBJECTS.toLocaleString('en-US')}`, 'listObjectsV2', ' pages/s');
  row(`DescribeImages, pages of 100 of ${DESCRIBE_IMAGES.toLocaleString('en-US')}`, 'describeImages', ' pages/s');
  row('CreateDistribution', 'createDistribution');
  ms('cold start, fresh data folder (seeds demo)', 'coldStartFreshMs');
  ms('cold start, existing data folder', 'coldStartSeededMs');
}

/** PutObject through the same client against the stub server: the client's own ceiling. */
async function clientCeiling(): Promise<Rate> {
  const stub = await startReady(process.cwd(), ['-e', STUB]);
  try {
    const s3 = new S3Client({ endpoint: stub.url, region: 'us-east-1', credentials: creds, forcePathStyle: true });
    const body = randomBytes(1024);
    const r = await rate(stub, PUTS, (i) => s3.send(new PutObjectCommand({ Bucket: 'bench-small', Key: `k${i}`, Body: body })));
    s3.destroy();
    return r;
  } finally {
    await stub.stop();
  }
}

/** The median of each figure over several runs. */
function medianFigures(runs: EmulatorFigures[]): EmulatorFigures {
  const rateOf = (k: keyof EmulatorFigures): Rate => ({
    perSecond: median(runs.map((r) => (r[k] as Rate).perSecond)),
    emulatorMs: median(runs.map((r) => (r[k] as Rate).emulatorMs)),
    clientMs: median(runs.map((r) => (r[k] as Rate).clientMs)),
  });
  return {
    putObject: rateOf('putObject'),
    getObject: rateOf('getObject'),
    listObjectsV2: rateOf('listObjectsV2'),
    describeImages: rateOf('describeImages'),
    createDistribution: rateOf('createDistribution'),
    coldStartFreshMs: median(runs.map((r) => r.coldStartFreshMs)),
    coldStartSeededMs: median(runs.map((r) => r.coldStartSeededMs)),
  };
}

export async function benchEmulator(): Promise<void> {
  const baselineRoot = process.env.BENCH_EMULATOR_BASELINE;
  // Against a baseline, the two alternate round by round and each figure is
  // the median of its rounds, so a burst of load elsewhere on the machine
  // does not land on one side only.
  const rounds = Number(process.env.BENCH_EMULATOR_ROUNDS ?? (baselineRoot ? 3 : 1));
  const baseRuns: EmulatorFigures[] = [];
  const runs: EmulatorFigures[] = [];
  for (let round = 0; round < rounds; round++) {
    if (baselineRoot) baseRuns.push(await measure(path.resolve(baselineRoot)));
    runs.push(await measure(process.cwd()));
  }
  // After the rounds, so the client's code is as warm as it was for them.
  const ceiling = await clientCeiling();
  const base = baselineRoot ? medianFigures(baseRuns) : undefined;
  const of = rounds > 1 ? ` (medians of ${rounds} rounds)` : '';
  if (base) print(` at ${baselineRoot}${of}`, base);
  print(of, medianFigures(runs), base);
  console.log(
    `  the bench client alone, PutObject to a server that answers at once: ${ceiling.perSecond.toFixed(0)}/s (client CPU ${ceiling.clientMs.toFixed(2)} ms a call); a rough ceiling for the PutObject rate, as the load on the machine moves`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  void benchEmulator().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
