import { expect, it, vi } from 'vitest';
import { describeEachDialect } from '@/lib/db/test-support/dialects';

async function load() {
  vi.resetModules();
  return import('./progress');
}

describeEachDialect('guided job progress', (t) => {
  it('records each step, and a restarted (or another) instance reads the same progress', async () => {
    await t.useInEnv();
    vi.stubEnv('BERTH_INSTANCE_ID', 'berth-a');
    const a = await load();
    expect(await a.readJob('bucket-empty', 'logs')).toBeNull();
    await a.recordStep('bucket-empty', 'logs', 'ada@example.com', { message: 'Deleted 1,000 versions and markers', deleted: 1000 });
    await a.recordStep('bucket-empty', 'logs', 'ada@example.com', { message: 'Deleted 250 versions and markers', deleted: 250 });
    // Another instance (fresh modules, its own connection, its own name) carries on.
    vi.stubEnv('BERTH_INSTANCE_ID', 'berth-b');
    const b = await load();
    const seen = await b.unfinishedJob('bucket-empty', 'logs');
    expect(seen).toMatchObject({ status: 'running', startedBy: 'ada@example.com', steps: 2, deleted: 1250, instance: 'berth-a' });
    expect(seen!.log.map((l) => l.message)).toEqual(['Deleted 1,000 versions and markers', 'Deleted 250 versions and markers']);
    await b.recordStep('bucket-empty', 'logs', 'grace@example.com', { message: 'Aborted 2 unfinished uploads' });
    await b.recordStep('bucket-empty', 'logs', 'grace@example.com', { message: 'Deleted the bucket logs', done: true });
    const done = await a.readJob('bucket-empty', 'logs');
    // Started by whoever started it; the last step ran on the other instance.
    expect(done).toMatchObject({ status: 'done', startedBy: 'ada@example.com', steps: 4, deleted: 1250, instance: 'berth-b', lastMessage: 'Deleted the bucket logs' });
    expect(done!.log.map((l) => l.instance)).toEqual(['berth-a', 'berth-a', 'berth-b', 'berth-b']);
    expect(await a.unfinishedJob('bucket-empty', 'logs')).toBeNull();
    // Another kind of job on the same name is another job.
    expect(await a.readJob('site-teardown', 'logs')).toBeNull();
  });

  it('a new run after a finished one starts a new record', async () => {
    await t.useInEnv();
    const p = await load();
    await p.recordStep('site-teardown', 'www', 'ada@example.com', { message: 'Deleted the bucket www.', done: true });
    await p.recordStep('site-teardown', 'www', 'grace@example.com', { message: 'Disabled E1; CloudFront is deploying that.' });
    expect(await p.readJob('site-teardown', 'www')).toMatchObject({ status: 'running', startedBy: 'grace@example.com', steps: 1, log: [expect.objectContaining({ message: 'Disabled E1; CloudFront is deploying that.' })] });
  });

  it('waiting steps count but are not listed', async () => {
    await t.useInEnv();
    const p = await load();
    await p.recordStep('site-teardown', 'www', 'ada@example.com', { message: 'Disabled E1; CloudFront is deploying that.' });
    await p.recordStep('site-teardown', 'www', 'ada@example.com', { message: 'Waiting for E1 to finish deploying.', listed: false });
    const job = await p.readJob('site-teardown', 'www');
    expect(job).toMatchObject({ steps: 2, lastMessage: 'Waiting for E1 to finish deploying.' });
    expect(job!.log).toHaveLength(1);
  });

  it('steps of two instances at once both count', async () => {
    const { config } = await t.useInEnv();
    const p = await load();
    const other = t.connect(config);
    await p.recordStep('bucket-empty', 'big', 'ada@example.com', { message: 'first', deleted: 1 });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => p.recordStep('bucket-empty', 'big', 'ada@example.com', { message: `step ${i}`, deleted: 100 }, i % 2 ? other : undefined)),
    );
    expect(await p.readJob('bucket-empty', 'big')).toMatchObject({ steps: 11, deleted: 1001 });
  });

  it('a failed step stops the job with the sentence the person saw, and the next step resumes it', async () => {
    await t.useInEnv();
    const p = await load();
    // The same copy of the module as progress.ts's (load() reset the modules).
    const { Refusal } = await import('@/lib/aws/errors');
    const job = { kind: 'bucket-empty' as const, target: 'logs', by: 'ada@example.com', service: 'S3' as const };
    const describe = (n: number) => ({ message: `Deleted ${n} versions and markers`, deleted: n });
    expect(await p.trackedStep(job, async () => 1000, describe)).toBe(1000);
    const refusal = new Refusal('Emptying the bucket stopped: S3 kept 1 item(s), first a.txt (AccessDenied: Access Denied). Nothing else was changed; run it again to carry on.');
    await expect(p.trackedStep(job, () => Promise.reject(refusal), describe)).rejects.toBe(refusal);
    expect(await p.unfinishedJob('bucket-empty', 'logs')).toMatchObject({ status: 'stopped', steps: 1, deleted: 1000, lastError: refusal.message });
    await p.trackedStep(job, async () => 5, describe);
    expect(await p.unfinishedJob('bucket-empty', 'logs')).toMatchObject({ status: 'running', steps: 2, deleted: 1005, lastError: null });
  });
});
