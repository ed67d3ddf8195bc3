import 'server-only';

/** Runs `fn` over `items` with at most `concurrency` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * At most `concurrency` calls of `run` at once, across every caller in the
 * process; up to `queue` more wait their turn, and beyond that a caller is
 * refused at once with `busy()` instead of piling up memory and latency.
 */
export class Semaphore {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly concurrency: number,
    private readonly queue = Infinity,
    private readonly busy: () => Error = () => new Error('Too many calls are waiting.'),
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw this.busy();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get pending(): number {
    return this.running + this.waiting.length;
  }
}
