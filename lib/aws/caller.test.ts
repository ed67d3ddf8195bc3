import { afterEach, describe, expect, it, vi } from 'vitest';
import { asBerth, asPerson, awsNameFor, currentPerson, sessionNamesFor } from './caller';

// Who an AWS call is for, and the names a person's role session gets.

const ALLOWED = /^[\w+=,.@-]{2,64}$/;

describe('awsNameFor', () => {
  it('keeps an email that STS accepts as it is', () => {
    expect(awsNameFor('alice@example.com')).toBe('alice@example.com');
    expect(awsNameFor('a.b-c_d+e=f,g@x.io')).toBe('a.b-c_d+e=f,g@x.io');
  });

  it('maps any other value to an allowed name, the same every time, distinct per value', () => {
    const values = ["o'brien@example.com", 'o#brien@example.com', 'zoë@example.com', 'a', `${'x'.repeat(70)}@example.com`, `${'x'.repeat(70)}@example.org`, 'berth', '日本@example.jp'];
    const names = values.map((v) => awsNameFor(v));
    for (const n of names) expect(n).toMatch(ALLOWED);
    expect(new Set(names).size).toBe(values.length);
    expect(values.map((v) => awsNameFor(v))).toEqual(names);
    // The readable part stays readable.
    expect(awsNameFor("o'brien@example.com")).toMatch(/^o_brien@example\.com=[0-9a-f]{8}$/);
  });

  it('never gives a person Berth’s own name', () => {
    expect(sessionNamesFor(null)).toEqual({ sourceIdentity: 'berth', roleSessionName: 'berth' });
    expect(sessionNamesFor('berth').sourceIdentity).not.toBe('berth');
    expect(sessionNamesFor('alice@example.com')).toEqual({ sourceIdentity: 'alice@example.com', roleSessionName: 'alice@example.com' });
  });
});

describe('currentPerson', () => {
  it('is the innermost scope, follows async work, and is Berth outside any', async () => {
    expect(currentPerson()).toBeNull();
    await asPerson('alice@example.com', async () => {
      await new Promise((r) => setTimeout(r, 5));
      expect(currentPerson()).toBe('alice@example.com');
      expect(asBerth(() => currentPerson())).toBeNull();
      const later = new Promise<string | null>((resolve) => setTimeout(() => resolve(currentPerson()), 5));
      expect(await later).toBe('alice@example.com');
    });
    const both = await Promise.all([asPerson('a@x.io', async () => (await Promise.resolve(), currentPerson())), asPerson('b@x.io', async () => (await Promise.resolve(), currentPerson()))]);
    expect(both).toEqual(['a@x.io', 'b@x.io']);
    expect(currentPerson()).toBeNull();
  });
});

describe('env: BERTH_ASSUME_ROLE_*', () => {
  afterEach(() => vi.unstubAllEnvs());

  async function envWith(vars: Record<string, string | undefined>) {
    vi.resetModules();
    for (const k of ['BERTH_ASSUME_ROLE_ARN', 'BERTH_ASSUME_ROLE_EXTERNAL_ID', 'BERTH_ASSUME_ROLE_SESSION_SECONDS']) vi.stubEnv(k, undefined);
    for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
    const { env } = await import('@/lib/env');
    return () => env();
  }

  it('accepts a role ARN, an external id and a duration within STS’s range', async () => {
    const e = (await envWith({ BERTH_ASSUME_ROLE_ARN: 'arn:aws:iam::123456789012:role/ops/berth', BERTH_ASSUME_ROLE_EXTERNAL_ID: 'berth:prod/7', BERTH_ASSUME_ROLE_SESSION_SECONDS: '7200' }))();
    expect(e.BERTH_ASSUME_ROLE_ARN).toBe('arn:aws:iam::123456789012:role/ops/berth');
    expect(e.BERTH_ASSUME_ROLE_SESSION_SECONDS).toBe(7200);
    expect((await envWith({}))().BERTH_ASSUME_ROLE_SESSION_SECONDS).toBe(3600);
    // Empty is unset (compose and shells pass empty values): no role.
    expect((await envWith({ BERTH_ASSUME_ROLE_ARN: '', BERTH_ASSUME_ROLE_EXTERNAL_ID: '' }))().BERTH_ASSUME_ROLE_ARN).toBeUndefined();
  });

  it('refuses at start what STS would refuse later', async () => {
    expect(await envWith({ BERTH_ASSUME_ROLE_ARN: 'berth' })).toThrow(/BERTH_ASSUME_ROLE_ARN: BERTH_ASSUME_ROLE_ARN must be an IAM role ARN/);
    expect(await envWith({ BERTH_ASSUME_ROLE_ARN: 'arn:aws:iam::123456789012:user/berth' })).toThrow(/must be an IAM role ARN/);
    expect(await envWith({ BERTH_ASSUME_ROLE_ARN: 'arn:aws:iam::123456789012:role/berth', BERTH_ASSUME_ROLE_SESSION_SECONDS: '899' })).toThrow(/at least 900/);
    expect(await envWith({ BERTH_ASSUME_ROLE_ARN: 'arn:aws:iam::123456789012:role/berth', BERTH_ASSUME_ROLE_SESSION_SECONDS: '43201' })).toThrow(/at most 43200/);
    expect(await envWith({ BERTH_ASSUME_ROLE_ARN: 'arn:aws:iam::123456789012:role/berth', BERTH_ASSUME_ROLE_EXTERNAL_ID: 'has space' })).toThrow(/BERTH_ASSUME_ROLE_EXTERNAL_ID must be 2 to 1224/);
    expect(await envWith({ BERTH_ASSUME_ROLE_EXTERNAL_ID: 'berth-prod-7' })).toThrow(/has no effect without BERTH_ASSUME_ROLE_ARN/);
  });
});
