// Many viewers at once: BENCH_LOAD_VIEWERS (50) signed-in viewers, each
// looping over the ordinary pages for BENCH_LOAD_SECONDS (30), against the
// console on loopback. It runs twice: once paced as people use a console
// (each viewer reads a page for BENCH_LOAD_THINK_MS, 1,000 ms on average,
// before the next click), then with no pause at all, which shows the most
// pages a second this machine can serve and what latency looks like when
// 50 clients queue behind each other. It stops by itself: no new view starts
// after the time is up, and a view still running then is cut off 30 s later.
// Reports pages a second, latency of the full response (p50, p95, p99),
// errors, the console's memory (sampled from /proc) and its CPU per view, the
// emulator's CPU per view, and the AWS calls per view. Prints figures;
// asserts nothing. The client (this process) runs on the same machine and
// takes CPU from both; its own CPU per view is printed too.
import { cpuMs, countBy, get, machineLoad, mib, ms, percentile, showCounts, table, total, watchRss } from './measure';
import type { Session } from './session';
import type { EmulatorProcess } from './stack';

export const LOAD = {
  viewers: Number(process.env.BENCH_LOAD_VIEWERS ?? 50),
  seconds: Number(process.env.BENCH_LOAD_SECONDS ?? 30),
  thinkMs: Number(process.env.BENCH_LOAD_THINK_MS ?? 1000),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The targets for 50 viewers. */
const P95_TARGET_MS = 500;
const RSS_TARGET = 300 * 1024 * 1024;

export async function benchLoad(opts: { origin: string; consolePid: number; emulator: EmulatorProcess; cookies: Session[]; paths: string[]; thinkMs: number }): Promise<void> {
  const { origin, consolePid, emulator, cookies, paths, thinkMs } = opts;
  const host = new URL(origin).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`the load run only runs against loopback, not ${host}`);
  const pace = thinkMs > 0 ? `reading each page for ${thinkMs} ms on average (uniformly ${Math.round(thinkMs / 2)}–${Math.round(thinkMs * 1.5)} ms) before the next click` : 'with no pause between pages';
  console.log(
    `\n${LOAD.viewers} viewers for ${LOAD.seconds} s on ${origin}: ${cookies.length} signed-in viewer sessions shared among them (each keeps the cookies Berth renews, as a browser does); each viewer loops over ${paths.length} pages, ${pace}:`,
  );
  console.log(`  ${paths.join('  ')}`);

  // Each page once first: a server that has run a while has loaded every
  // route's code; the first view of a route after start is not what 50 viewers see.
  for (const p of paths) await get(origin + p, cookies[0]!);

  const latencies: number[] = [];
  const byPath = new Map<string, number[]>(paths.map((p) => [p, []]));
  const errors: Record<string, number> = {};
  const rss = watchRss(consolePid, 100);
  const consoleCpu = cpuMs(consolePid);
  const emulatorCpu = cpuMs(emulator.pid);
  const ownCpu = process.cpuUsage();
  const mark = emulator.calls.mark();
  const start = performance.now();
  const deadline = start + LOAD.seconds * 1000;

  await Promise.all(
    Array.from({ length: LOAD.viewers }, async (_, viewer) => {
      // Viewers start at different pages, so the mix is even from the first second.
      // Paced viewers also start spread over one think time, as people do not all click at once.
      if (thinkMs > 0) await sleep(Math.random() * thinkMs);
      for (let i = viewer; performance.now() < deadline; i++) {
        if (thinkMs > 0 && i !== viewer) await sleep(thinkMs * (0.5 + Math.random()));
        if (performance.now() >= deadline) break;
        const p = paths[i % paths.length]!;
        try {
          const r = await get(origin + p, cookies[viewer % cookies.length]!, { timeoutMs: Math.max(1, deadline - performance.now()) + 30_000 });
          if (r.status === 200) {
            latencies.push(r.totalMs);
            byPath.get(p)!.push(r.totalMs);
          } else errors[`HTTP ${r.status}`] = (errors[`HTTP ${r.status}`] ?? 0) + 1;
        } catch (e) {
          const key = (e as Error).message.slice(0, 60);
          errors[key] = (errors[key] ?? 0) + 1;
        }
      }
    }),
  );

  const seconds = (performance.now() - start) / 1000;
  await emulator.calls.settle();
  const memory = rss.stop();
  const views = latencies.length + total(errors);
  const per = (x: number) => (views ? x / views : NaN);
  const own = process.cpuUsage(ownCpu);
  const calls = countBy(emulator.calls.since(mark));
  const p95 = percentile(latencies, 95);

  console.log(`  machine: ${machineLoad()} at the end`);
  console.log(`  views: ${views.toLocaleString('en-US')} in ${seconds.toFixed(1)} s, ${(views / seconds).toFixed(1)} pages/s; errors: ${total(errors) ? showCounts(errors) : 'none'}`);
  console.log(
    `  latency of the full response: p50 ${ms(percentile(latencies, 50))} ms, p95 ${ms(p95)} ms, p99 ${ms(percentile(latencies, 99))} ms, max ${ms(percentile(latencies, 100))} ms  (target p95 < ${P95_TARGET_MS} ms: ${p95 < P95_TARGET_MS ? 'met' : 'not met'})`,
  );
  console.log(
    `  console memory (RSS): ${mib(memory.start)} at the start, ${mib(memory.peak)} at most, ${mib(memory.end)} at the end  (target < ${mib(RSS_TARGET)}: ${memory.peak < RSS_TARGET ? 'met' : 'not met'})`,
  );
  console.log(
    `  CPU per view: console ${ms(per(cpuMs(consolePid) - consoleCpu))} ms, emulator ${ms(per(cpuMs(emulator.pid) - emulatorCpu))} ms, bench client ${ms(per((own.user + own.system) / 1000))} ms`,
  );
  console.log(`  AWS calls per view: ${per(total(calls)).toFixed(2)}  (${showCounts(Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, Math.round((v / views) * 100) / 100])))})`);
  console.log(
    table(
      ['page under load', 'views', 'p50', 'p95', 'p99'],
      paths.map((p) => {
        const l = byPath.get(p)!;
        return [p.length > 60 ? `${p.slice(0, 57)}…` : p, String(l.length), ms(percentile(l, 50)), ms(percentile(l, 95)), ms(percentile(l, 99))];
      }),
    ).replace(/^/gm, '  '),
  );
}
