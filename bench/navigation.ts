// Navigation in Chromium: from the click on a sidebar link to the frame that
// paints the new page complete (its heading, and no skeleton left in the main
// column); and, when given, clicks on links within a page (a folder's Next
// page and First page), to the frame that paints the new content with no
// skeleton. Prints nothing itself and asserts nothing; the caller prints the
// figures.
//
// The clock runs inside the page: the click is dispatched there and the time
// read with performance.now(), so Playwright's own round trips are not counted.
// A MutationObserver re-checks the page on every DOM change; once it is
// complete, the next requestAnimationFrame callback marks the frame that will
// paint it.
//
// Run on its own against a running console (signs in as the demo admin):
//   BENCH_ORIGIN=http://127.0.0.1:3191 npx tsx bench/navigation.ts
import { chromium, type Page } from '@playwright/test';

export interface NavigationFigure {
  route: string;
  medianMs: number;
  p95Ms: number;
  /** Median of click → the page's RSC payload fully received: the floor the painted time is held to. */
  rscMedianMs?: number;
}

/** The sidebar links measured, each with the page heading it leads to. */
const ROUTES = [
  { route: 'Overview', link: /^Overview/, path: '/', heading: /^Welcome/ },
  { route: 'ECR', link: /^ECR/, path: '/ecr', heading: /^Repositories$/ },
  { route: 'S3', link: /^S3/, path: '/s3', heading: /^Buckets$/ },
  { route: 'CloudFront', link: /^CloudFront/, path: '/cloudfront', heading: /^Distributions$/ },
];

// Runs in the page. Kept as source text: the bench runs under tsx, whose
// transform adds helper calls to named functions that do not exist in the page.
const CLICK_AND_TIME = String.raw`({ scope, link, path, heading, ready }) => new Promise((resolve, reject) => {
  const anchor = [...document.querySelectorAll(scope + ' a')].find((a) => new RegExp(link).test(a.textContent.trim()));
  if (!anchor) return reject(new Error('no link ' + link + ' in ' + scope));
  const before = location.href;
  function complete() {
    if (location.href === before || (path && location.pathname !== path)) return false;
    const main = document.querySelector('main');
    if (!main) return false;
    const h1 = main.querySelector('h1');
    if (heading && (!h1 || !new RegExp(heading).test(h1.textContent.trim()))) return false;
    if (ready && !main.querySelector(ready)) return false;
    return !main.querySelector('[data-skeleton], [role="status"][aria-label="Loading"]');
  }
  const timer = setTimeout(() => reject(new Error(link + ' did not finish within 30 s')), 30000);
  let start = 0;
  const observer = new MutationObserver(() => {
    if (!complete()) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      clearTimeout(timer);
      const painted = performance.now() - start;
      // When the page's server answer (the RSC payload) had fully arrived.
      const rsc = performance.getEntriesByType('resource').filter((e) => e.name.includes('_rsc=') && e.startTime >= start);
      resolve({ painted, rsc: rsc.length ? Math.max(...rsc.map((e) => e.responseEnd)) - start : NaN });
    });
  });
  observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  start = performance.now();
  anchor.click();
})`;

/**
 * Clicks a link (its text matching `link`, within `scope`) in the page and
 * times it: complete once the address has changed (to `path`, when given),
 * the main column's heading matches `heading` and holds `ready` (each when
 * given), and no skeleton is left there.
 */
async function clickAndTime(page: Page, args: { scope: string; link: string; path?: string; heading?: string; ready?: string }): Promise<{ painted: number; rsc: number }> {
  return (await page.evaluate(`(${CLICK_AND_TIME})(${JSON.stringify(args)})`)) as { painted: number; rsc: number };
}

const exactly = (text: string) => `^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

/** Clicks within one page, in turn: each link leads to the page the next one is on. */
export interface InPageClicks {
  /** Where the clicks start. */
  path: string;
  /** What the new content has once it is there (a selector within the main column). */
  ready: string;
  /** The links' texts, clicked in this order, round after round. */
  links: { route: string; text: string }[];
}

function cookiesFor(origin: string, cookieHeader: string) {
  return cookieHeader
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => {
      const eq = c.indexOf('=');
      return { name: c.slice(0, eq), value: c.slice(eq + 1), url: origin };
    });
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/**
 * Clicks Overview, ECR, S3 and CloudFront in the sidebar in turn, `runs` times
 * each, and returns the median and 95th percentile of click → content painted.
 */
export async function benchNavigation(opts: { origin: string; cookieHeader: string; runs: number; inPage?: InPageClicks }): Promise<NavigationFigure[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies(cookiesFor(opts.origin, opts.cookieHeader));
    const page = await context.newPage();
    // Start off the measured cycle, so the first click (Overview) changes page too.
    await page.goto(`${opts.origin}/settings/users`);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const times = new Map<string, number[]>(ROUTES.map((r) => [r.route, []]));
    const rscTimes = new Map<string, number[]>(ROUTES.map((r) => [r.route, []]));
    // One warm-up round loads each route's client code, as a person's first clicks would.
    for (let round = -1; round < opts.runs; round++) {
      for (const r of ROUTES) {
        // From the page before it in the cycle (Overview follows CloudFront), so every click changes page.
        const t = await clickAndTime(page, { scope: 'nav[aria-label="Main"]', link: r.link.source, path: r.path, heading: r.heading.source });
        if (round >= 0) {
          times.get(r.route)!.push(t.painted);
          rscTimes.get(r.route)!.push(t.rsc);
        }
      }
    }
    const routes = ROUTES.map((r) => r.route);
    if (opts.inPage) {
      const { path, ready, links } = opts.inPage;
      for (const l of links) {
        times.set(l.route, []);
        rscTimes.set(l.route, []);
        routes.push(l.route);
      }
      await page.goto(`${opts.origin}${path}`);
      await page.locator('main').locator(ready).first().waitFor();
      for (let round = -1; round < opts.runs; round++) {
        for (const l of links) {
          const t = await clickAndTime(page, { scope: 'main', link: exactly(l.text), ready });
          if (round >= 0) {
            times.get(l.route)!.push(t.painted);
            rscTimes.get(l.route)!.push(t.rsc);
          }
        }
      }
    }
    return routes.map((route) => {
      const sorted = [...times.get(route)!].sort((a, b) => a - b);
      const rsc = rscTimes.get(route)!.filter((n) => !Number.isNaN(n)).sort((a, b) => a - b);
      return { route, medianMs: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95), rscMedianMs: quantile(rsc, 0.5) };
    });
  } finally {
    await browser.close();
  }
}

async function main() {
  const origin = process.env.BENCH_ORIGIN;
  if (!origin) throw new Error('Set BENCH_ORIGIN to a running console, e.g. http://127.0.0.1:3191');
  const { signIn } = await import('./session');
  const { DEMO_USERS } = await import('../scripts/demo-users');
  const user = DEMO_USERS[0]!;
  const cookieHeader = (await signIn(origin, user.email, user.password)).header();
  const runs = Number(process.env.BENCH_RUNS ?? 10);
  for (const f of await benchNavigation({ origin, cookieHeader, runs })) {
    console.log(`sidebar → ${f.route}: median ${f.medianMs.toFixed(0)} ms, p95 ${f.p95Ms.toFixed(0)} ms; RSC complete at ${f.rscMedianMs?.toFixed(0)} ms (median of ${runs} clicks)`);
  }
}

// Only when run directly, not when the bench imports it.
if (process.argv[1] && /navigation\.ts$/.test(process.argv[1])) {
  void main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
