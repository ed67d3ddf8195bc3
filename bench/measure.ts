// Small measuring tools shared by the bench's parts: an HTTP GET that times
// the first and the last byte of the answer, percentiles, and a process's
// memory and CPU read from /proc (Linux; NaN elsewhere).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { Session } from './session';

/**
 * One keep-alive agent for every page request of the bench, as a browser keeps
 * its connection to the console open: a page's time is then the server's, not
 * a TCP handshake's.
 */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export interface Fetched {
  status: number;
  /** Milliseconds from sending the request to the first byte of the body. */
  ttfbMs: number;
  /** Milliseconds from sending the request to the last byte of the body. */
  totalMs: number;
  bytes: number;
  body: string;
}

/**
 * GETs `url` as `session` (or with a fixed cookie header), reading the whole
 * (streamed) answer; a session keeps the cookies the answer sets, as a browser
 * does. node:http rather than fetch: less client work per request, and the
 * first body chunk is seen as it arrives.
 */
export function get(url: string, session: Session | string, opts: { keepBody?: boolean; timeoutMs?: number } = {}): Promise<Fetched> {
  const cookie = typeof session === 'string' ? session : session.header();
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let ttfbMs = NaN;
    let bytes = 0;
    const chunks: Buffer[] = [];
    const req = http.get(url, { agent, headers: { cookie, accept: 'text/html' }, timeout: opts.timeoutMs ?? 60_000 }, (res) => {
      if (typeof session !== 'string') session.take(res.headers['set-cookie']);
      res.on('data', (chunk: Buffer) => {
        if (Number.isNaN(ttfbMs)) ttfbMs = performance.now() - start;
        bytes += chunk.length;
        if (opts.keepBody) chunks.push(chunk);
      });
      res.on('end', () => {
        const totalMs = performance.now() - start;
        resolve({ status: res.statusCode ?? 0, ttfbMs: Number.isNaN(ttfbMs) ? totalMs : ttfbMs, totalMs, bytes, body: opts.keepBody ? Buffer.concat(chunks).toString('utf8') : '' });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in time`)));
    req.on('error', reject);
  });
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** Resident memory of a process in bytes, from /proc/<pid>/status. */
export function rssBytes(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
  } catch {
    return NaN;
  }
}

/** CPU milliseconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  try {
    // After the command name in parentheses, utime and stime are the 12th and
    // 13th fields (14th and 15th of stat(5)), in clock ticks of 1/100 s on Linux.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Samples a process's resident memory until stopped: the first, the largest and the last reading. */
export function watchRss(pid: number, everyMs = 100) {
  const start = rssBytes(pid);
  let peak = start;
  let last = start;
  const timer = setInterval(() => {
    last = rssBytes(pid);
    if (last > peak) peak = last;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      last = rssBytes(pid);
      peak = Math.max(peak, last);
      return { start, peak, end: last };
    },
  };
}

export const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;
export const ms = (n: number) => (Number.isNaN(n) ? '—' : n < 10 ? n.toFixed(1) : n.toFixed(0));

/** Counts by name, e.g. AWS operations, as "A 2, B 1" (most first). */
export function showCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.length ? entries.map(([k, v]) => `${k} ${v % 1 === 0 ? v : v < 1 ? v.toFixed(2) : v.toFixed(1)}`).join(', ') : 'none';
}

export function countBy(names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = (out[n] ?? 0) + 1;
  return out;
}

export const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** A plain text table: columns padded to their widest cell; numbers right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((r) => /^[\s\d.,×—<≤%+-]*$/.test(r[i] ?? '')));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export async function pool<T>(items: readonly T[], n: number, fn: (t: T, i: number) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) {
        const at = i++;
        await fn(items[at]!, at);
      }
    }),
  );
}

/** The machine's load, printed beside figures so a reader can tell a busy machine's numbers from the code's. */
export function machineLoad(): string {
  const [one, five] = os.loadavg();
  return `load average ${one!.toFixed(1)} (1 min), ${five!.toFixed(1)} (5 min) on ${os.availableParallelism()} CPUs`;
}
