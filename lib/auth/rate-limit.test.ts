import { describe, expect, it } from 'vitest';
import { FailureLimiter, SignInLimits } from './rate-limit';

describe('FailureLimiter', () => {
  it('blocks after max failures within the window and forgets them after it', () => {
    const l = new FailureLimiter({ max: 3, windowMs: 1000 });
    for (let i = 0; i < 3; i++) {
      expect(l.blocked('a', 100)).toBe(false);
      l.fail('a', 100 + i);
    }
    expect(l.blocked('a', 200)).toBe(true);
    expect(l.blocked('b', 200)).toBe(false);
    expect(l.blocked('a', 1200)).toBe(false);
  });

  it('holds every one of several windows', () => {
    const l = new FailureLimiter({ max: 2, windowMs: 1000 }, { max: 3, windowMs: 10_000 });
    l.fail('a', 0);
    l.fail('a', 1);
    expect(l.blocked('a', 500)).toBe(true);
    expect(l.blocked('a', 1500)).toBe(false);
    l.fail('a', 1500);
    expect(l.blocked('a', 3000)).toBe(true); // three in ten seconds
    expect(l.blocked('a', 10_002)).toBe(false);
  });

  it('reset clears a key; undo takes back one reservation', () => {
    const l = new FailureLimiter({ max: 1, windowMs: 1000 });
    l.fail('a', 0);
    expect(l.blocked('a', 1)).toBe(true);
    l.reset('a');
    expect(l.blocked('a', 1)).toBe(false);
    const at = l.fail('a', 5);
    l.undo('a', at);
    expect(l.blocked('a', 6)).toBe(false);
  });
});

describe('SignInLimits', () => {
  const t = 1_000_000;

  it('counts an attempt before its check, so a parallel burst gets five checks, not forty', () => {
    const limits = new SignInLimits();
    // Forty requests arrive before any password check has finished.
    const attempts = Array.from({ length: 40 }, () => limits.begin('ada@example.com', '203.0.113.5', false, t));
    expect(attempts.filter(Boolean)).toHaveLength(5);
    // The right password, sent alongside them, is refused too.
    expect(limits.begin('ada@example.com', '203.0.113.5', false, t)).toBeNull();
  });

  it('a success gives the reservation back and clears that pair', () => {
    const limits = new SignInLimits();
    for (let i = 0; i < 4; i++) limits.begin('ada@example.com', '203.0.113.5', false, t);
    limits.begin('ada@example.com', '203.0.113.5', false, t)!.succeeded();
    expect(limits.begin('ada@example.com', '203.0.113.5', false, t)).not.toBeNull();
  });

  it('a cancelled attempt (never checked) does not count', () => {
    const limits = new SignInLimits();
    for (let i = 0; i < 10; i++) limits.begin('ada@example.com', '203.0.113.5', false, t)!.cancelled();
    expect(limits.begin('ada@example.com', '203.0.113.5', false, t)).not.toBeNull();
  });

  it('failures from elsewhere do not lock the owner out at their usual address', () => {
    const limits = new SignInLimits();
    // A guesser spreads failures over many addresses until the account-wide hour is used up.
    for (let i = 0; i < 30; i++) expect(limits.begin('ada@example.com', `198.51.100.${i}`, false, t + i * 1000)).not.toBeNull();
    expect(limits.begin('ada@example.com', '198.51.100.200', false, t + 40_000)).toBeNull();
    // The owner's address has signed in before: still let in, the same minute.
    expect(limits.begin('ada@example.com', '203.0.113.5', true, t + 40_000)).not.toBeNull();
    // Failures for the account at one address do not block the same person elsewhere either.
    for (let i = 0; i < 5; i++) limits.begin('bob@example.com', '192.0.2.1', false, t);
    expect(limits.begin('bob@example.com', '192.0.2.1', false, t)).toBeNull();
    expect(limits.begin('bob@example.com', '192.0.2.2', false, t)).not.toBeNull();
  });

  it('one address spraying many accounts is limited too', () => {
    const limits = new SignInLimits();
    for (let i = 0; i < 30; i++) expect(limits.begin(`u${i}@example.com`, '192.0.2.9', false, t)).not.toBeNull();
    expect(limits.begin('u99@example.com', '192.0.2.9', false, t)).toBeNull();
    expect(limits.begin('u99@example.com', '192.0.2.10', false, t)).not.toBeNull();
  });
});
