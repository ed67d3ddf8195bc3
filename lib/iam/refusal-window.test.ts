import { describe, expect, it } from 'vitest';
import { RefusalWindow } from './refusal-window';

class Denied extends Error {
  override name = 'AccessDenied';
}

describe('RefusalWindow', () => {
  it('after a refusal, answers the next calls with it without calling, until the window ends', async () => {
    let now = 1_000;
    const w = new RefusalWindow(() => 30_000, (e) => e instanceof Denied, () => now);
    let calls = 0;
    const refused = () => w.run(async () => { calls++; throw new Denied('no'); });
    const fine = () => w.run(async () => { calls++; return 'ok'; });

    await expect(refused()).rejects.toBeInstanceOf(Denied);
    await expect(fine()).rejects.toBeInstanceOf(Denied);
    expect(calls).toBe(1);
    now += 29_999;
    await expect(fine()).rejects.toBeInstanceOf(Denied);
    now += 1;
    await expect(fine()).resolves.toBe('ok');
    expect(calls).toBe(2);
  });

  it('other failures (a throttle, a missing user) are not remembered', async () => {
    const w = new RefusalWindow(() => 30_000, (e) => e instanceof Denied);
    await expect(w.run(async () => { throw new Error('Throttling'); })).rejects.toThrow('Throttling');
    await expect(w.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('keeps a refusal at least 5 s, even with the read cache off', async () => {
    let now = 0;
    const w = new RefusalWindow(() => 0, () => true, () => now);
    await expect(w.run(async () => { throw new Denied('no'); })).rejects.toBeInstanceOf(Denied);
    now = 4_999;
    await expect(w.run(async () => 'ok')).rejects.toBeInstanceOf(Denied);
    now = 5_000;
    await expect(w.run(async () => 'ok')).resolves.toBe('ok');
  });
});
