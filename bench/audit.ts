// The Audit page over a million entries (issue 12): the console's own SQLite
// database seeded with BENCH_AUDIT_ENTRIES synthetic entries (default
// 1,000,000; lib/audit/test-support/synthetic.ts), then the page timed as an
// admin: the newest page, a page in the middle and the oldest, each filter,
// and a filtered CSV export. The query plans behind these are checked by
// lib/audit/scale.test.ts; this prints the times and asserts nothing.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../lib/db/connect';
import { migrateToLatest } from '../lib/db/migrate';
import { insertSynthetic, SYNTHETIC_T0, syntheticPerson, syntheticTarget } from '../lib/audit/test-support/synthetic';
import { get, median, ms, table } from './measure';
import { signIn } from './session';
import { consoleEnv, seedUsers, startConsole } from './stack';

const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 1_000_000);

export async function benchAudit(opts: { root: string; work: string; emuUrl: string; port: number; runs: number; admin: { email: string; password: string } }): Promise<void> {
  const dataDir = path.join(opts.work, 'audit-berth');
  const env = consoleEnv(opts.emuUrl, dataDir, opts.port);
  // The same database file the console will open (lib/db: <BERTH_DATA_DIR>/berth.db).
  const file = path.join(dataDir, 'berth.db');
  const { db } = openDatabase({ dialect: 'sqlite', file });
  await migrateToLatest(db);
  await db.destroy();
  const raw = new BetterSqlite3(file);
  const seeding = performance.now();
  insertSynthetic(raw, ENTRIES);
  raw.close();
  console.log(`\nAudit page: ${ENTRIES.toLocaleString('en-US')} entries seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s (bench/audit.ts)`);
  seedUsers(env);

  const c = await startConsole(opts.root, 'audit console', env);
  try {
    const cookie = await signIn(c.origin, opts.admin.email, opts.admin.password);
    const mid = Math.floor(ENTRIES / 2);
    const day = SYNTHETIC_T0 + Math.floor(ENTRIES / 2) * 1000;
    const iso = (t: number) => new Date(t).toISOString().slice(0, 16);
    const pages: [string, string][] = [
      ['newest page', '/settings/audit'],
      ['middle page', `/settings/audit?before=${mid}`],
      ['oldest page', '/settings/audit?before=40'],
      ['person, middle', `/settings/audit?person=${encodeURIComponent(syntheticPerson(7))}&before=${mid}`],
      ['action', '/settings/audit?action=s3.bucket.tags'],
      ['resource', `/settings/audit?resource=${encodeURIComponent(syntheticTarget(777))}`],
      ['bucket and its objects', `/settings/audit?resource=${encodeURIComponent('arn:aws:s3:::bucket-3')}`],
      ['one day, middle', `/settings/audit?from=${iso(day)}&to=${iso(day + 86_400_000)}`],
      ['person and day', `/settings/audit?person=${encodeURIComponent(syntheticPerson(7))}&from=${iso(day)}&to=${iso(day + 86_400_000)}`],
    ];
    const rows: string[][] = [];
    for (const [name, p] of pages) {
      await get(`${c.origin}${p}`, cookie); // first view: compiles nothing, but warms the page cache
      const views = [];
      for (let i = 0; i < opts.runs; i++) views.push(await get(`${c.origin}${p}`, cookie));
      rows.push([name, String(views[0]!.status), ms(median(views.map((v) => v.ttfbMs))), ms(median(views.map((v) => v.totalMs)))]);
    }
    console.log(table(['page', 'status', 'first byte p50 ms', 'last byte p50 ms'], rows).replace(/^/gm, '  '));
    const exp = await get(`${c.origin}/settings/audit/export.csv?person=${encodeURIComponent(syntheticPerson(7))}`, cookie);
    console.log(`  CSV export of one person (${Math.round(ENTRIES / 50).toLocaleString('en-US')} entries): ${(exp.bytes / 1048576).toFixed(1)} MiB in ${ms(exp.totalMs)} ms, first byte after ${ms(exp.ttfbMs)} ms (status ${exp.status})`);
  } finally {
    await c.stop();
  }
}
