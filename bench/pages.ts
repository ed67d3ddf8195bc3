// Each page against its floor (bench/floors.ts): time to the first byte and
// to the last byte of the page's HTML, median and p95 over BENCH_RUNS views,
// as viewer and as admin, with the console's read cache cold and warm; and the
// AWS calls each view made, counted at the emulator, against the floor's.
//
// Cold and warm are two consoles on the same build, data and emulator: the
// warm one runs with the default cache window and has just shown the page;
// the cold one runs with BERTH_READ_CACHE_SECONDS=0, so every view reads AWS
// as a view after the window has passed does. Facts the console keeps for
// the life of the process (its identity, a bucket's region, the registry's
// address) stay known in both, as in any long-running server, and are not in
// the floors either; the cold console's first view after start is shown
// apart, with its time, when it made more calls.
//
// Floor, cold and warm views are interleaved run by run, so a burst of load
// elsewhere on the machine lands on all of them alike. Before the counted
// runs each console shows the page WARMUP_VIEWS times (the first of them is
// reported on its own): a console that has served a while has its route's
// code loaded and compiled, and a page's second or third view after start is
// still paying for that.
import fs from 'node:fs';
import path from 'node:path';
import * as floors from './floors';
import type { Floor, FloorClients } from './floors';
import { countBy, get, machineLoad, median, ms, percentile, showCounts, table, total } from './measure';
import { NAMES, SIZES, type Seeded } from './seed';
import type { Session } from './session';
import type { CallLog } from './stack';

export type Part = 'core' | 'ecr' | 's3' | 'cloudfront';

export interface PageSpec {
  label: string;
  path: string;
  floor: Floor;
  part: Part;
}

const n = (x: number) => x.toLocaleString('en-US');

/** The pages measured, with their floors; only those of the parts seeded. */
export function pageSpecs(seeded: Seeded, parts: ReadonlySet<Part>): PageSpec[] {
  const folderQ = `prefix=${encodeURIComponent(NAMES.folder)}`;
  const all: PageSpec[] = [
    { part: 'core', label: 'overview', path: '/', floor: floors.overview },
    { part: 'ecr', label: `ECR list (${n(SIZES.repositories)} repositories)`, path: '/ecr?sort=name', floor: floors.ecrList(50) },
    { part: 'ecr', label: `repository (${n(SIZES.images)} images)`, path: `/ecr/${NAMES.bigRepo}`, floor: floors.repository(NAMES.bigRepo) },
    ...(seeded.imageDigest
      ? [{ part: 'ecr' as const, label: 'image', path: `/ecr/${NAMES.bigRepo}/images/${seeded.imageDigest}`, floor: floors.image(NAMES.bigRepo, seeded.imageDigest) }]
      : []),
    { part: 's3', label: 'S3 list', path: '/s3', floor: floors.bucketList(50) },
    { part: 's3', label: `folder (${n(SIZES.objects)} objects), first page`, path: `/s3/${NAMES.bigBucket}?${folderQ}`, floor: floors.folder(NAMES.bigBucket, NAMES.folder) },
    ...(seeded.deepToken
      ? [{ part: 's3' as const, label: 'same folder, a page half-way in', path: `/s3/${NAMES.bigBucket}?${folderQ}&token=${encodeURIComponent(seeded.deepToken)}`, floor: floors.folder(NAMES.bigBucket, NAMES.folder, seeded.deepToken) }]
      : []),
    {
      part: 's3',
      label: `versioned bucket (${n(SIZES.versions)} versions)`,
      path: `/s3/${NAMES.versionedBucket}?prefix=${encodeURIComponent(NAMES.versionsFolder)}&versions=1`,
      floor: floors.versions(NAMES.versionedBucket, NAMES.versionsFolder),
    },
    { part: 'cloudfront', label: 'CloudFront list', path: '/cloudfront', floor: floors.distributionList },
    ...(seeded.distributionId
      ? [{ part: 'cloudfront' as const, label: 'distribution', path: `/cloudfront/${seeded.distributionId}`, floor: floors.distribution(seeded.distributionId) }]
      : []),
    { part: 'core', label: 'users (no AWS data)', path: '/settings/users', floor: floors.none },
  ];
  return all.filter((p) => parts.has(p.part));
}

/** How a page is viewed: as whom, against which console. */
export interface Viewing {
  role: 'viewer' | 'admin';
  cache: 'cold' | 'warm';
  origin: string;
  cookie: Session;
}

interface View {
  status: number;
  ttfbMs: number;
  totalMs: number;
  bytes: number;
  calls: string[];
}

interface PageResult {
  spec: PageSpec;
  floorMs: number[];
  floorCalls: string[][];
  views: { viewing: Viewing; first: View; runs: View[] }[];
}

/** The issue's target: no more than the larger of 1.5× the floor and the floor + 15 ms; 10 ms for a page without AWS data. */
export function targetMs(floorMs: number, hasFloor: boolean): number {
  return hasFloor ? Math.max(1.5 * floorMs, floorMs + 15) : 10;
}

async function view(calls: CallLog, v: Viewing, url: string): Promise<View> {
  const mark = calls.mark();
  const r = await get(v.origin + url, v.cookie);
  await calls.settle();
  return { status: r.status, ttfbMs: r.ttfbMs, totalMs: r.totalMs, bytes: r.bytes, calls: calls.since(mark) };
}

async function runFloor(calls: CallLog, clients: FloorClients, floor: Floor): Promise<{ ms: number; calls: string[] }> {
  await calls.settle();
  const mark = calls.mark();
  const start = performance.now();
  await floor(clients);
  const took = performance.now() - start;
  await calls.settle();
  return { ms: took, calls: calls.since(mark) };
}

/** Views of each page per console before the counted runs; the first is reported apart. */
const WARMUP_VIEWS = 3;

export async function measurePages(opts: { specs: PageSpec[]; viewings: Viewing[]; calls: CallLog; clients: FloorClients; runs: number }): Promise<PageResult[]> {
  const results: PageResult[] = [];
  console.log(`  before: ${machineLoad()}`);
  for (const spec of opts.specs) {
    const started = performance.now();
    // A first round, not counted in the times: it loads the route's code in
    // each console, warms the floor's connections, and fills the warm cache.
    await runFloor(opts.calls, opts.clients, spec.floor);
    const result: PageResult = { spec, floorMs: [], floorCalls: [], views: [] };
    for (const viewing of opts.viewings) result.views.push({ viewing, first: await view(opts.calls, viewing, spec.path), runs: [] });
    for (let i = 1; i < WARMUP_VIEWS; i++) for (const v of result.views) await view(opts.calls, v.viewing, spec.path);
    for (let run = 0; run < opts.runs; run++) {
      const f = await runFloor(opts.calls, opts.clients, spec.floor);
      result.floorMs.push(f.ms);
      result.floorCalls.push(f.calls);
      for (const v of result.views) v.runs.push(await view(opts.calls, v.viewing, spec.path));
    }
    results.push(result);
    process.stdout.write(`  measured ${spec.label} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  console.log(`  after: ${machineLoad()}`);
  return results;
}

/** Mean calls per view by operation over the runs. */
function meanCounts(lists: string[][]): Record<string, number> {
  const sum = countBy(lists.flat());
  for (const k of Object.keys(sum)) sum[k] = sum[k]! / Math.max(1, lists.length);
  return sum;
}

const same = (a: Record<string, number>, b: Record<string, number>) => showCounts(a) === showCounts(b);

export function printPages(results: PageResult[], runs: number): void {
  const rows: string[][] = [];
  let met = 0;
  let measured = 0;
  let anyCached = false;
  for (const r of results) {
    const hasFloor = r.spec.floor !== floors.none;
    const floorMs = median(r.floorMs);
    const target = targetMs(floorMs, hasFloor);
    const minCalls = median(r.floorCalls.map((c) => c.length));
    r.views.forEach((v, i) => {
      const full = v.runs.map((x) => x.totalMs);
      const ttfb = v.runs.map((x) => x.ttfbMs);
      const failed = v.runs.filter((x) => x.status !== 200);
      const p50 = median(full);
      const ok = failed.length === 0 && p50 <= target;
      // Fewer calls than the floor: some of what the page shows came from a
      // cache, so the ratio does not compare the same work.
      const cached = hasFloor && median(v.runs.map((x) => x.calls.length)) < minCalls;
      if (cached) anyCached = true;
      measured++;
      if (ok) met++;
      rows.push([
        i === 0 ? r.spec.label : '',
        i === 0 ? r.spec.path.length > 48 ? `${r.spec.path.slice(0, 45)}…` : r.spec.path : '',
        v.viewing.role,
        v.viewing.cache,
        ms(median(ttfb)),
        ms(percentile(ttfb, 95)),
        ms(p50),
        ms(percentile(full, 95)),
        i === 0 ? (hasFloor ? ms(floorMs) : '—') : '',
        hasFloor ? `${(p50 / floorMs).toFixed(1)}×` : '—',
        i === 0 ? ms(target) : '',
        failed.length ? `no: HTTP ${failed[0]!.status}` : `${ok ? 'yes' : 'no'}${cached ? '*' : ''}`,
        (median(v.runs.map((x) => x.bytes)) / 1024).toFixed(0),
        ms(median(v.runs.map((x) => x.calls.length))),
        i === 0 ? String(minCalls) : '',
      ]);
    });
  }
  const few = runs < 20 ? ` (of ${runs}, p95 is the slowest)` : '';
  console.log(`\nPages against their floor: milliseconds, median (p50) and p95 of ${runs} views each${few}; the floor is the median of ${runs} runs of its SDK calls.`);
  console.log('Target (issue 10): full page ≤ max(1.5 × floor, floor + 15 ms); a page without AWS data ≤ 10 ms. "met" compares the full-page median with it.');
  console.log(
    table(
      ['page', 'path', 'as', 'cache', 'TTFB p50', 'TTFB p95', 'full p50', 'full p95', 'floor', '×floor', 'target ≤', 'met', 'HTML KiB', 'AWS calls', 'minimum'],
      rows,
    ),
  );
  console.log(`${met} of ${measured} page views within target.`);
  if (anyCached) console.log('* fewer AWS calls than the floor: part of the page came from a cache, so its time is not against the same work (see its first view below).');

  console.log('\nAWS calls per view by operation, counted at the emulator (mean over the runs). Minimum: the floor\'s calls.');
  for (const r of results) {
    const floor = meanCounts(r.floorCalls);
    console.log(`${r.spec.label}  (${r.spec.path.length > 60 ? `${r.spec.path.slice(0, 57)}…` : r.spec.path})`);
    console.log(`  minimum       ${total(floor).toFixed(0).padStart(4)}  ${showCounts(floor)}`);
    const byRole = new Map<string, Record<string, number>>();
    for (const v of r.views) {
      const counts = meanCounts(v.runs.map((x) => x.calls));
      byRole.set(`${v.viewing.role} ${v.viewing.cache}`, counts);
    }
    for (const v of r.views) {
      const key = `${v.viewing.role} ${v.viewing.cache}`;
      const counts = byRole.get(key)!;
      // Admin views usually make the viewer's calls; say so instead of repeating them.
      if (v.viewing.role === 'admin' && same(counts, byRole.get(`viewer ${v.viewing.cache}`) ?? {})) continue;
      console.log(`  ${key.padEnd(12)}  ${total(counts).toFixed(1).padStart(4)}  ${showCounts(counts)}`);
      const first = countBy(v.first.calls);
      if (v.viewing.cache === 'cold' && total(first) > total(counts)) {
        console.log(`  ${'  first view'.padEnd(12)}  ${total(first).toFixed(0).padStart(4)}  ${showCounts(first)}  (the first since the console started: ${ms(v.first.totalMs)} ms)`);
      }
    }
    if (r.views.some((v) => v.viewing.role === 'admin')) {
      const differs = r.views.some((v) => v.viewing.role === 'admin' && !same(byRole.get(`admin ${v.viewing.cache}`)!, byRole.get(`viewer ${v.viewing.cache}`) ?? {}));
      if (!differs) console.log('  (admin views: the same calls as the viewer\'s)');
    }
  }
}

/** Whether the build reads BERTH_READ_CACHE_SECONDS at all: without it, "cold" is only as cold as the build's own caches allow. */
export function buildHasReadCacheSetting(root: string): boolean {
  const dir = path.join(root, '.next', 'server');
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    if (!fs.existsSync(d)) continue;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.name.endsWith('.js') && fs.readFileSync(p, 'utf8').includes('BERTH_READ_CACHE_SECONDS')) return true;
    }
  }
  return false;
}
