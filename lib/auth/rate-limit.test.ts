import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import type { Database } from '@/lib/db';
import { migrateToLatest } from '@/lib/db/migrate';
import { describeEachDialect } from '@/lib/db/test-support/dialects';
import { FailureLimiter, SignInLimits } from './rate-limit';

const t0 = 1_000_000;

describeEachDialect('FailureLimiter', (t) => {
  it('blocks after max failures within the window and forgets them after it', async () => {
    const db = await t.open();
    const l = new FailureLimiter('test', { max: 3, windowMs: 1000 });
    for (let i = 0; i < 3; i++) {
      expect(await l.blocked(db, 'a', 100)).toBe(false);
      await l.fail(db, 'a', 100 + i);
    }
    expect(await l.blocked(db, 'a', 200)).toBe(true);
    expect(await l.blocked(db, 'b', 200)).toBe(false);
    expect(await l.blocked(db, 'a', 1200)).toBe(false);
  });

  it('holds every one of several windows', async () => {
    const db = await t.open();
    const l = new FailureLimiter('test', { max: 2, windowMs: 1000 }, { max: 3, windowMs: 10_000 });
    await l.fail(db, 'a', 0);
    await l.fail(db, 'a', 1);
    expect(await l.blocked(db, 'a', 500)).toBe(true);
    expect(await l.blocked(db, 'a', 1500)).toBe(false);
    await l.fail(db, 'a', 1500);
    expect(await l.blocked(db, 'a', 3000)).toBe(true); // three in ten seconds
    expect(await l.blocked(db, 'a', 10_002)).toBe(false);
  });

  it('reset clears a key, and only in its own scope', async () => {
    const db = await t.open();
    const l = new FailureLimiter('one', { max: 1, windowMs: 1000 });
    const other = new FailureLimiter('two', { max: 1, windowMs: 1000 });
    await l.fail(db, 'a', 0);
    await other.fail(db, 'a', 0);
    expect(await l.blocked(db, 'a', 1)).toBe(true);
    await l.reset(db, 'a');
    expect(await l.blocked(db, 'a', 1)).toBe(false);
    expect(await other.blocked(db, 'a', 1)).toBe(true);
  });
});

describeEachDialect('SignInLimits', (t) => {
  const limitsOn = (db: Kysely<Database>) => new SignInLimits(async () => db);

  it('counts an attempt before its check, so a parallel burst gets five checks, not forty', async () => {
    const limits = limitsOn(await t.open());
    // Forty requests arrive before any password check has finished.
    const attempts = await Promise.all(Array.from({ length: 40 }, () => limits.begin('ada@example.com', '203.0.113.5', false, t0)));
    expect(attempts.filter(Boolean)).toHaveLength(5);
    // The right password, sent alongside them, is refused too.
    expect(await limits.begin('ada@example.com', '203.0.113.5', false, t0)).toBeNull();
  });

  it('counts across instances: two connections racing for the last slots get exactly the limit', async () => {
    const config = await t.freshConfig();
    const a = t.connect(config);
    const b = t.connect(config);
    await migrateToLatest(a);
    const one = limitsOn(a);
    const two = limitsOn(b);
    // Three failures already counted (by either instance): two slots are left.
    for (let i = 0; i < 3; i++) await (i % 2 ? one : two).begin('ada@example.com', '203.0.113.5', false, t0);
    // Both instances take attempts at once, twice each.
    const raced = await Promise.all([
      one.begin('ada@example.com', '203.0.113.5', false, t0),
      two.begin('ada@example.com', '203.0.113.5', false, t0),
      one.begin('ada@example.com', '203.0.113.5', false, t0),
      two.begin('ada@example.com', '203.0.113.5', false, t0),
    ]);
    expect(raced.filter(Boolean)).toHaveLength(2);
    expect(await one.begin('ada@example.com', '203.0.113.5', false, t0)).toBeNull();
    expect(await two.begin('ada@example.com', '203.0.113.5', false, t0)).toBeNull();
    const rows = await a.selectFrom('sign_in_attempts').select(['scope']).where('scope', '=', 'pair').execute();
    expect(rows).toHaveLength(5);
  });

  it('a success gives the reservation back and clears that pair', async () => {
    const limits = limitsOn(await t.open());
    for (let i = 0; i < 4; i++) await limits.begin('ada@example.com', '203.0.113.5', false, t0);
    await (await limits.begin('ada@example.com', '203.0.113.5', false, t0))!.succeeded();
    expect(await limits.begin('ada@example.com', '203.0.113.5', false, t0)).not.toBeNull();
  });

  it('a cancelled attempt (never checked) does not count', async () => {
    const limits = limitsOn(await t.open());
    for (let i = 0; i < 10; i++) await (await limits.begin('ada@example.com', '203.0.113.5', false, t0))!.cancelled();
    expect(await limits.begin('ada@example.com', '203.0.113.5', false, t0)).not.toBeNull();
  });

  it('failures from elsewhere do not lock the owner out at their usual address', async () => {
    const limits = limitsOn(await t.open());
    // A guesser spreads failures over many addresses until the account-wide hour is used up.
    for (let i = 0; i < 30; i++) expect(await limits.begin('ada@example.com', `198.51.100.${i}`, false, t0 + i * 1000)).not.toBeNull();
    expect(await limits.begin('ada@example.com', '198.51.100.200', false, t0 + 40_000)).toBeNull();
    // The owner's address has signed in before: still let in, the same minute.
    expect(await limits.begin('ada@example.com', '203.0.113.5', true, t0 + 40_000)).not.toBeNull();
    // Failures for the account at one address do not block the same person elsewhere either.
    for (let i = 0; i < 5; i++) await limits.begin('bob@example.com', '192.0.2.1', false, t0);
    expect(await limits.begin('bob@example.com', '192.0.2.1', false, t0)).toBeNull();
    expect(await limits.begin('bob@example.com', '192.0.2.2', false, t0)).not.toBeNull();
  });

  it('one address spraying many accounts is limited too', async () => {
    const limits = limitsOn(await t.open());
    for (let i = 0; i < 30; i++) expect(await limits.begin(`u${i}@example.com`, '192.0.2.9', false, t0)).not.toBeNull();
    expect(await limits.begin('u99@example.com', '192.0.2.9', false, t0)).toBeNull();
    expect(await limits.begin('u99@example.com', '192.0.2.10', false, t0)).not.toBeNull();
  });

  it('forgets attempts older than the longest window', async () => {
    const db = await t.open();
    const limits = limitsOn(db);
    for (let i = 0; i < 5; i++) await limits.begin('ada@example.com', '203.0.113.5', false, t0);
    expect(await limits.begin('ada@example.com', '203.0.113.5', false, t0 + 30_000)).toBeNull();
    expect(await limits.begin('ada@example.com', '203.0.113.5', false, t0 + 61_000)).not.toBeNull();
    await limits.begin('zed@example.com', '192.0.2.77', false, t0 + 3_700_000);
    const left = await db.selectFrom('sign_in_attempts').select('key').execute();
    expect(left.every((r) => !r.key.includes('ada@example.com'))).toBe(true);
  });
});
