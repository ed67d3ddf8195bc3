import { describe, expect, it } from 'vitest';
import { clientIp, FailureLimiter } from './rate-limit';

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

  it('reset clears a key', () => {
    const l = new FailureLimiter({ max: 1, windowMs: 1000 });
    l.fail('a', 0);
    expect(l.blocked('a', 1)).toBe(true);
    l.reset('a');
    expect(l.blocked('a', 1)).toBe(false);
  });
});

describe('clientIp', () => {
  it('takes the first forwarded address', () => {
    expect(clientIp(new Headers({ 'x-forwarded-for': '203.0.113.9, 10.0.0.1' }))).toBe('203.0.113.9');
    expect(clientIp(new Headers({ 'x-real-ip': '198.51.100.2' }))).toBe('198.51.100.2');
    expect(clientIp(new Headers())).toBe('direct');
  });
});
