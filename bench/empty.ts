// Emptying and deleting the versioned bucket step by step, through the same
// server action the browser drives, watching the console's memory and
// counting the AWS calls. Prints figures; asserts nothing.
import fs from 'node:fs';
import path from 'node:path';
import { countBy, mib, showCounts, watchRss } from './measure';
import type { CallLog } from './stack';

export async function benchEmpty(opts: { root: string; origin: string; cookie: string; pid: number; calls: CallLog; bucket: string; versions: number }): Promise<void> {
  const { origin, cookie, bucket } = opts;
  const manifest = JSON.parse(fs.readFileSync(path.join(opts.root, '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === 'emptyBucketStepAction')?.[0];
  if (!id) throw new Error('emptyBucketStepAction is not in the build');
  const rss = watchRss(opts.pid, 20);
  const mark = opts.calls.mark();
  const start = performance.now();
  let steps = 0;
  try {
    for (;;) {
      const res = await fetch(`${origin}/s3/${bucket}?tab=delete`, {
        method: 'POST',
        headers: { cookie, origin, 'Next-Action': id, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component' },
        body: JSON.stringify(['$undefined', { bucket, confirm: bucket }]),
      });
      const body = await res.text();
      steps++;
      const phase = /"phase":"(\w+)"/.exec(body)?.[1];
      if (!phase) throw new Error(`empty step ${steps} answered ${res.status}: ${body.slice(0, 300)}`);
      if (phase === 'deleted') break;
    }
  } finally {
    await opts.calls.settle();
  }
  const memory = rss.stop();
  const seconds = (performance.now() - start) / 1000;
  console.log(`\nempty and delete a bucket of ${opts.versions.toLocaleString('en-US')} versions: ${seconds.toFixed(1)} s in ${steps} steps`);
  console.log(`  console memory (RSS): ${mib(memory.start)} before, ${mib(memory.peak)} at most during, +${mib(memory.peak - memory.start)}`);
  console.log(`  AWS calls: ${showCounts(countBy(opts.calls.since(mark)))}`);
}
