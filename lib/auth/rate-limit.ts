import 'server-only';

// Sign-in limits. Every attempt is counted *before* its password is checked
// (a reservation, given back when the password turns out right), so a burst of
// parallel guesses cannot all slip past a limit that only learns of them once
// their slow checks finish.
//
// Three counters, each a sliding window of failures:
//
// - per (account, address): 5 a minute and 20 an hour. The fast limit a
//   guesser meets first. It keys on the address too, so someone elsewhere who
//   knows an email cannot lock its owner out with it.
// - per address: 30 a minute over all accounts, so one machine cannot spray
//   many accounts. Higher than the first because an office shares one NAT
//   address.
// - per account: 30 an hour over all addresses, the slow limit against a
//   guesser with many addresses. When it is used up, only addresses that have
//   signed in to the account before may still try (each under its own
//   per-pair limit), so the owner at their usual place is never locked out by
//   strangers, while new addresses wait for the hour to roll on.
//
// The counters live in process memory: each Berth instance counts its own
// attempts (behind a load balancer with N instances the limits multiply by at
// most N, which still makes guessing impractically slow). The addresses an
// account signed in from live in the user store, shared by all instances.

export interface Limit {
  max: number;
  windowMs: number;
}

export class FailureLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly limits: Limit[];
  constructor(...limits: Limit[]) {
    this.limits = limits;
  }

  private recent(key: string, now: number): number[] {
    const longest = Math.max(...this.limits.map((l) => l.windowMs));
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - longest);
    if (list.length) this.hits.set(key, list);
    else this.hits.delete(key);
    return list;
  }

  /** True when the key has used up any of its limits. */
  blocked(key: string, now = Date.now()): boolean {
    const list = this.recent(key, now);
    return this.limits.some((l) => list.filter((t) => t > now - l.windowMs).length >= l.max);
  }

  /** Counts one failure (or a reservation for one); returns what undo() needs. */
  fail(key: string, now = Date.now()): number {
    const list = this.recent(key, now);
    list.push(now);
    this.hits.set(key, list);
    // Bound memory under a spray of random keys.
    if (this.hits.size > 10_000) {
      const oldest = this.hits.keys().next().value;
      if (oldest !== undefined) this.hits.delete(oldest);
    }
    return now;
  }

  /** Takes back one reservation made by fail(). */
  undo(key: string, at: number): void {
    const list = this.hits.get(key);
    const i = list?.indexOf(at) ?? -1;
    if (!list || i === -1) return;
    list.splice(i, 1);
    if (!list.length) this.hits.delete(key);
  }

  reset(key: string): void {
    this.hits.delete(key);
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export class SignInLimits {
  readonly pair = new FailureLimiter({ max: 5, windowMs: MINUTE }, { max: 20, windowMs: HOUR });
  readonly address = new FailureLimiter({ max: 30, windowMs: MINUTE });
  readonly account = new FailureLimiter({ max: 30, windowMs: HOUR });

  /**
   * Checks and reserves in one synchronous step (no await in between, so two
   * requests cannot both see the last free slot). Returns null when refused;
   * otherwise the attempt, which keeps its reservation as a failure unless
   * succeeded() or cancelled() is called.
   */
  begin(email: string, address: string, knownAddress: boolean, now = Date.now()): Attempt | null {
    const pairKey = `${email}\n${address}`;
    if (this.pair.blocked(pairKey, now) || this.address.blocked(address, now)) return null;
    if (!knownAddress && this.account.blocked(email, now)) return null;
    const taken = [
      [this.pair, pairKey, this.pair.fail(pairKey, now)],
      [this.address, address, this.address.fail(address, now)],
      [this.account, email, this.account.fail(email, now)],
    ] as const;
    const giveBack = () => {
      for (const [limiter, key, at] of taken) limiter.undo(key, at);
    };
    return {
      succeeded: () => {
        giveBack();
        this.pair.reset(pairKey);
      },
      cancelled: giveBack,
    };
  }
}

export interface Attempt {
  /** The password was right: the reservation goes, and so do this pair's failures. */
  succeeded(): void;
  /** The password was never checked (the server was too busy): nothing counts. */
  cancelled(): void;
}

const globalForLimits = globalThis as unknown as { berthSignInLimits?: SignInLimits };
export const signInLimits = (globalForLimits.berthSignInLimits ??= new SignInLimits());
