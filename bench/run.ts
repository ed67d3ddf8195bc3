// npm run bench: the console's pages at scale, against the emulator, in one run.
//
// Seeds (bench/seed.ts) one ECR repository with 10,000 images among 2,000
// repositories, an S3 bucket with 100,000 objects in one folder, a versioned
// bucket with 10,000 versions and a CloudFront distribution; starts the
// production console against the emulator (each in its own process) and then:
//
//   1. each page against its floor, the SDK calls it needs made straight from
//      Node (bench/floors.ts, bench/pages.ts): time to first and last byte,
//      the ratio to the floor and the target, the AWS calls per view
//      against the floor's; as viewer and admin, read cache cold and warm;
//   2. sidebar navigation in Chromium (bench/navigation.ts, when present);
//   3. 50 viewers at once for 30 s (bench/load.ts);
//   4. emptying the versioned bucket and a 1 GiB upload, watching memory
//      (bench/empty.ts, bench/upload.ts);
//
// after the emulator's own rates (bench/emulator.ts) and before the sign-in
// storm (bench/sign-in.ts). Prints figures; asserts nothing.
//
// A part alone: `npm run bench -- <part>` or BENCH_ONLY=<part>, one of
//   pages       all pages with their floors (1) only
//   ecr, s3, cloudfront
//               that service's data and pages only; s3 also empties and uploads (4)
//   navigation  (2) only        load  (3) only
//   sign-in     the sign-in storm only      emulator  the emulator's rates only
//   audit       the Audit page over a million entries only (bench/audit.ts)
//
// Sizes: BENCH_IMAGES, BENCH_REPOSITORIES, BENCH_OBJECTS, BENCH_VERSIONS;
// BENCH_RUNS views per page and condition (9); BENCH_NAV_RUNS clicks per
// sidebar route (10); BENCH_LOAD_VIEWERS (50) and
// BENCH_LOAD_SECONDS (30), BENCH_LOAD_THINK_MS (1000; 0 runs only the no-pause load). Ports: BENCH_CONSOLE_PORT (3191) for the console,
// BENCH_COLD_CONSOLE_PORT (the next one) for the cold-cache console,
// BENCH_AUDIT_CONSOLE_PORT (two after the console's) for the Audit page's console, BENCH_AUDIT_ENTRIES (1,000,000),
// BENCH_EMULATOR_PORT (0: any free port). BENCH_CONSOLE_NODE_OPTIONS: Node flags for the console only. Builds the console first when there
// is no build or it is older than the source (BENCH_REBUILD=0: only warn).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_USERS } from '../scripts/demo-users';
import { benchAudit } from './audit';
import { benchEmpty } from './empty';
import { benchEmulator } from './emulator';
import { floorClients } from './floors';
import { ms, table } from './measure';
import { benchLoad, LOAD } from './load';
import { buildHasReadCacheSetting, measurePages, pageSpecs, printPages, type Part, type Viewing } from './pages';
import { NAMES, SIZES, seedCloudFront, seedEcr, seedS3, type Seeded } from './seed';
import { signIn } from './session';
import { benchSignIn } from './sign-in';
import { consoleEnv, ensureBuild, seedUsers, startConsole, startEmulatorProcess, type ConsoleProcess } from './stack';
import { benchUpload } from './upload';

const PARTS = ['all', 'pages', 'ecr', 's3', 'cloudfront', 'navigation', 'load', 'sign-in', 'emulator', 'audit'] as const;
type Only = (typeof PARTS)[number];
const ONLY = (process.argv[2] ?? process.env.BENCH_ONLY ?? 'all') as Only;
if (!PARTS.includes(ONLY)) {
  console.error(`Unknown bench part "${ONLY}": choose one of ${PARTS.join(', ')}.`);
  process.exit(2);
}
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const CONSOLE_PORT = Number(process.env.BENCH_CONSOLE_PORT ?? 3191);
const COLD_CONSOLE_PORT = Number(process.env.BENCH_COLD_CONSOLE_PORT ?? CONSOLE_PORT + 1);
const AUDIT_CONSOLE_PORT = Number(process.env.BENCH_AUDIT_CONSOLE_PORT ?? CONSOLE_PORT + 2);
const EMULATOR_PORT = Number(process.env.BENCH_EMULATOR_PORT ?? 0);

const admin = DEMO_USERS.find((u) => u.role === 'admin')!;
const viewer = DEMO_USERS.find((u) => u.role === 'viewer')!;

/** What each part seeds and measures. */
function plan(only: Only) {
  const services: Part[] = only === 'ecr' || only === 's3' || only === 'cloudfront' ? [only] : only === 'audit' ? [] : ['ecr', 's3', 'cloudfront'];
  return {
    services: new Set(services),
    pages: ['all', 'pages', 'ecr', 's3', 'cloudfront'].includes(only),
    core: only === 'all' || only === 'pages',
    navigation: only === 'all' || only === 'navigation',
    load: only === 'all' || only === 'load',
    emptyAndUpload: only === 'all' || only === 's3',
    audit: only === 'all' || only === 'audit',
  };
}

/** bench/navigation.ts's export; rscMedianMs (click to the page's RSC payload received) where it measures it. */
type NavigationBench = (opts: {
  origin: string;
  cookieHeader: string;
  runs: number;
  inPage?: { path: string; ready: string; links: { route: string; text: string }[] };
}) => Promise<{ route: string; medianMs: number; p95Ms: number; rscMedianMs?: number }[]>;

/** Sidebar clicks in Chromium, measured by bench/navigation.ts where that module exists. */
async function benchNav(origin: string, cookieHeader: string, inPage?: Parameters<NavigationBench>[0]['inPage']): Promise<void> {
  let run: NavigationBench | undefined;
  const specifier = './navigation'; // not a literal import: the module may not be in this checkout yet
  try {
    run = ((await import(specifier)) as { benchNavigation?: NavigationBench }).benchNavigation;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw e;
  }
  if (!run) {
    console.log('\nnavigation: not available (no bench/navigation.ts exporting benchNavigation in this checkout)');
    return;
  }
  const runs = Number(process.env.BENCH_NAV_RUNS ?? 10);
  console.log(
    `\nNavigation in Chromium, as viewer, warm cache: click to content painted, ${runs} clicks a route (bench/navigation.ts): the sidebar${inPage ? ', then the links between two pages of the big folder' : ''}.`,
  );
  console.log('Target (issue 10): the RSC payload complete + 50 ms.');
  try {
    const rows = await run({ origin, cookieHeader, runs, inPage });
    console.log(
      table(
        ['route', 'painted p50', 'painted p95', 'RSC complete p50', 'target ≤', 'met'],
        rows.map((r) => {
          const rsc = r.rscMedianMs ?? NaN;
          const target = rsc + 50;
          return [r.route, ms(r.medianMs), ms(r.p95Ms), ms(rsc), ms(target), Number.isNaN(rsc) ? '—' : r.medianMs <= target ? 'yes' : 'no'];
        }),
      ).replace(/^/gm, '  '),
    );
  } catch (e) {
    console.log(`  navigation: failed: ${(e as Error).message.split('\n')[0]}`);
  }
}

async function main() {
  if (ONLY === 'sign-in') return benchSignIn();
  const root = process.cwd();
  const staleWarning = ensureBuild(root);
  if (ONLY === 'all' || ONLY === 'emulator') await benchEmulator();
  if (ONLY === 'emulator') return;
  const p = plan(ONLY);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
  const emu = await startEmulatorProcess(root, path.join(work, 'emulator'), EMULATOR_PORT);
  const consoles: ConsoleProcess[] = [];
  try {
    const seeded: Seeded = {};
    if (p.services.has('ecr')) await seedEcr(emu.url, seeded);
    if (p.services.has('s3')) await seedS3(emu.url, seeded);
    if (p.services.has('cloudfront')) await seedCloudFront(emu.url, seeded);

    const dataDir = path.join(work, 'berth');
    const env = consoleEnv(emu.url, dataDir, CONSOLE_PORT);
    seedUsers(env);
    const warm = await startConsole(root, 'console', env);
    consoles.push(warm);
    const warmAdmin = await signIn(warm.origin, admin.email, admin.password);
    const warmViewer = await signIn(warm.origin, viewer.email, viewer.password);
    console.log(`console on ${warm.origin} (pid ${warm.pid}), emulator on ${emu.url} (pid ${emu.pid})`);

    if (p.pages) {
      const cold = await startConsole(root, 'cold console', consoleEnv(emu.url, dataDir, COLD_CONSOLE_PORT, { BERTH_READ_CACHE_SECONDS: '0' }));
      consoles.push(cold);
      const viewings: Viewing[] = [
        { role: 'viewer', cache: 'cold', origin: cold.origin, cookie: await signIn(cold.origin, viewer.email, viewer.password) },
        { role: 'viewer', cache: 'warm', origin: warm.origin, cookie: warmViewer },
        { role: 'admin', cache: 'cold', origin: cold.origin, cookie: await signIn(cold.origin, admin.email, admin.password) },
        { role: 'admin', cache: 'warm', origin: warm.origin, cookie: warmAdmin },
      ];
      console.log(`\ncold: a second console on ${cold.origin} with BERTH_READ_CACHE_SECONDS=0 (every view reads AWS, as after the cache window); warm: the console on ${warm.origin}, default window, page viewed just before`);
      if (!buildHasReadCacheSetting(root)) {
        console.log('  note: this build does not read BERTH_READ_CACHE_SECONDS, so the cold console keeps whatever this build caches; compare its first view (below) with its later ones');
      }
      const parts = new Set<Part>([...p.services, ...(p.core ? (['core'] as const) : [])]);
      const clients = floorClients(emu.url);
      try {
        const results = await measurePages({ specs: pageSpecs(seeded, parts), viewings, calls: emu.calls, clients, runs: RUNS });
        printPages(results, RUNS);
      } finally {
        clients.destroy();
      }
      await cold.stop();
      consoles.splice(consoles.indexOf(cold), 1);
    }

    if (p.navigation) {
      // Clicks within a page too: a folder's pages are one page of the console with new search parameters.
      const folder = p.services.has('s3')
        ? {
            path: `/s3/${NAMES.bigBucket}?prefix=${encodeURIComponent(NAMES.folder)}`,
            ready: '[data-testid="objects"]',
            links: [
              { route: 'S3 folder: Next page', text: 'Next page ›' },
              { route: 'S3 folder: First page', text: '« First page' },
            ],
          }
        : undefined;
      await benchNav(warm.origin, warmViewer.header(), folder);
    }

    if (p.load) {
      // A few viewer sessions, shared: each session is an ordinary signed-in viewer cookie.
      const cookies = [warmViewer];
      for (let i = 1; i < Math.min(4, LOAD.viewers); i++) cookies.push(await signIn(warm.origin, viewer.email, viewer.password));
      const paths = [
        '/',
        '/ecr?sort=name',
        `/ecr/${NAMES.smallRepo}`,
        ...(seeded.imageDigest ? [`/ecr/${NAMES.bigRepo}/images/${seeded.imageDigest}`] : []),
        '/s3',
        `/s3/${NAMES.bigBucket}?prefix=${encodeURIComponent(NAMES.folder)}`,
        `/s3/${NAMES.versionedBucket}`,
        '/cloudfront',
        ...(seeded.distributionId ? [`/cloudfront/${seeded.distributionId}`] : []),
        '/settings/users',
      ];
      for (const thinkMs of LOAD.thinkMs > 0 ? [LOAD.thinkMs, 0] : [0]) {
        await benchLoad({ origin: warm.origin, consolePid: warm.pid, emulator: emu, cookies, paths, thinkMs });
      }
    }

    if (p.audit) await benchAudit({ root, work, emuUrl: emu.url, port: AUDIT_CONSOLE_PORT, runs: RUNS, admin });

    if (p.emptyAndUpload) {
      await benchEmpty({ root, origin: warm.origin, cookie: warmAdmin.header(), pid: warm.pid, calls: emu.calls, bucket: NAMES.versionedBucket, versions: SIZES.versions });
      console.log('');
      await benchUpload({ emuUrl: emu.url, pid: warm.pid, origin: warm.origin, cookie: warmAdmin.header() });
    }
  } finally {
    for (const c of consoles) await c.stop();
    await emu.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (ONLY === 'all') await benchSignIn();
  if (staleWarning) console.log(`\n${staleWarning}`);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
