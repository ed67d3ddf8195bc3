import { describe, expect, it } from 'vitest';
import { Semaphore } from '@/lib/aws/limit';
import { checkPassword, hashPassword, PasswordChecksBusy } from './password';

describe('password hashing', () => {
  it('hashes with Argon2id and checks without blocking the event loop', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^\$argon2id\$/);
    // Timers keep firing while eight checks run: the work is on other threads.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => checkPassword(stored, i === 0 ? 'correct horse battery' : `wrong ${i}`)));
    clearInterval(timer);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(ticks).toBeGreaterThan(3);
    expect(await checkPassword('not a hash', 'anything')).toBe(false);
  });
});

describe('Semaphore', () => {
  it('runs at most n at once, queues a bounded number, and refuses the rest at once', async () => {
    const s = new Semaphore(2, 3, () => new PasswordChecksBusy());
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const job = () =>
      s.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>((r) => release.push(r));
        running--;
      });
    const accepted = Array.from({ length: 5 }, job);
    await expect(job()).rejects.toBeInstanceOf(PasswordChecksBusy);
    while (release.length || s.pending) {
      await new Promise((r) => setTimeout(r, 1));
      release.shift()?.();
    }
    await Promise.all(accepted);
    expect(most).toBe(2);
  });
});
