import 'server-only';
import type { Kysely, Transaction } from 'kysely';
import { getDb, serialized, type Database } from '@/lib/db';

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
// The counts live in Berth's database (lib/db), one row per counted attempt,
// so every instance sharing it counts every attempt: a guesser spreading over
// instances behind a load balancer gets no more tries than against one.
// Checking the counts and adding the reservation is one step for all
// instances at once: a transaction under one lock (lib/db serialized()), so
// two instances cannot both see, and both take, the last free slot. Giving a
// reservation back deletes exactly its rows. Rows older than the longest
// window are deleted as attempts come in.

export interface Limit {
  max: number;
  windowMs: number;
}

type Db = Kysely<Database> | Transaction<Database>;

/** One counter: the failures of each key (an account, an address, a pair) under its limits. */
export class FailureLimiter {
  readonly longestMs: number;
  private readonly limits: Limit[];
  constructor(
    readonly scope: string,
    ...limits: Limit[]
  ) {
    this.limits = limits;
    this.longestMs = Math.max(...limits.map((l) => l.windowMs));
  }

  /** True when the key has used up any of its limits. */
  async blocked(db: Db, key: string, now = Date.now()): Promise<boolean> {
    const rows = await db
      .selectFrom('sign_in_attempts')
      .select('at')
      .where('scope', '=', this.scope)
      .where('key', '=', key)
      .where('at', '>', now - this.longestMs)
      .where('at', '<=', now)
      .execute();
    return this.limits.some((l) => rows.filter((r) => r.at > now - l.windowMs).length >= l.max);
  }

  /** Counts one failure (or a reservation for one); returns what undo() needs. */
  async fail(db: Db, key: string, now = Date.now()): Promise<number> {
    const row = await db.insertInto('sign_in_attempts').values({ scope: this.scope, key, at: now }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  /** Forgets every failure of the key. */
  async reset(db: Db, key: string): Promise<void> {
    await db.deleteFrom('sign_in_attempts').where('scope', '=', this.scope).where('key', '=', key).execute();
  }
}

/** Takes back reservations made by fail(). */
async function undo(db: Db, ids: number[]): Promise<void> {
  if (ids.length) await db.deleteFrom('sign_in_attempts').where('id', 'in', ids).execute();
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LOCK = 'sign-in-limits';

export class SignInLimits {
  readonly pair = new FailureLimiter('pair', { max: 5, windowMs: MINUTE }, { max: 20, windowMs: HOUR });
  readonly address = new FailureLimiter('address', { max: 30, windowMs: MINUTE });
  readonly account = new FailureLimiter('account', { max: 30, windowMs: HOUR });

  constructor(private readonly db: () => Promise<Kysely<Database>> = getDb) {}

  /**
   * Checks and reserves in one step for all instances. Returns null when
   * refused; otherwise the attempt, which keeps its reservation as a failure
   * unless succeeded() or cancelled() is called.
   */
  async begin(email: string, address: string, knownAddress: boolean, now = Date.now()): Promise<Attempt | null> {
    const db = await this.db();
    const pairKey = `${email}\n${address}`;
    // Nothing older than the longest window counts any more.
    await db.deleteFrom('sign_in_attempts').where('at', '<=', now - HOUR).execute();
    const ids = await serialized(db, LOCK, async (trx) => {
      if ((await this.pair.blocked(trx, pairKey, now)) || (await this.address.blocked(trx, address, now))) return null;
      if (!knownAddress && (await this.account.blocked(trx, email, now))) return null;
      return [await this.pair.fail(trx, pairKey, now), await this.address.fail(trx, address, now), await this.account.fail(trx, email, now)];
    });
    if (!ids) return null;
    return {
      succeeded: async () => {
        await db.transaction().execute(async (trx) => {
          await undo(trx, ids);
          await this.pair.reset(trx, pairKey);
        });
      },
      cancelled: () => undo(db, ids),
    };
  }
}

export interface Attempt {
  /** The password was right: the reservation goes, and so do this pair's failures. */
  succeeded(): Promise<void>;
  /** The password was never checked (the server was too busy): nothing counts. */
  cancelled(): Promise<void>;
}

export const signInLimits = new SignInLimits();
