import 'server-only';

// Failed sign-ins counted in a sliding window, per account and per client IP.
// Kept in process memory: one Berth instance counts its own attempts. Behind a
// load balancer with several instances the effective limit is multiplied by
// their number, which still makes password guessing impractically slow.

export interface Limit {
  max: number;
  windowMs: number;
}

export class FailureLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly limit: Limit) {}

  private recent(key: string, now: number): number[] {
    const cutoff = now - this.limit.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.hits.set(key, list);
    else this.hits.delete(key);
    return list;
  }

  /** True when the key has used up its failures in the window. */
  blocked(key: string, now = Date.now()): boolean {
    return this.recent(key, now).length >= this.limit.max;
  }

  fail(key: string, now = Date.now()): void {
    const list = this.recent(key, now);
    list.push(now);
    this.hits.set(key, list);
    // Bound memory under a spray of random keys.
    if (this.hits.size > 10_000) {
      const oldest = this.hits.keys().next().value;
      if (oldest !== undefined) this.hits.delete(oldest);
    }
  }

  reset(key: string): void {
    this.hits.delete(key);
  }
}

// Five failures a minute per account; per IP a little more, because several
// people behind one office NAT share an address.
const globalForLimits = globalThis as unknown as { berthSignInLimits?: { account: FailureLimiter; ip: FailureLimiter } };
export const signInLimits = (globalForLimits.berthSignInLimits ??= {
  account: new FailureLimiter({ max: 5, windowMs: 60_000 }),
  ip: new FailureLimiter({ max: 20, windowMs: 60_000 }),
});

/** The client address as the nearest proxy reports it; "direct" when there is none. */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || headers.get('x-real-ip')?.trim() || 'direct';
}
