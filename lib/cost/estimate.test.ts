import { describe, expect, it } from 'vitest';
import { bucketMonthlyUsd, distributionMonthlyUsd, formatMonthly, GB, savingSentence, storageMonthlyUsd, total } from './estimate';

const prices = {
  s3PerGb: { STANDARD: 0.023, STANDARD_IA: 0.0125, GLACIER: 0.0036 },
  cloudFrontPerGbOut: 0.085,
  cloudFrontPerRequest: 0.01 / 10_000,
};

describe('storage estimates', () => {
  it('multiplies GB by the price per GB-month', () => {
    expect(storageMonthlyUsd(10 * GB, 0.1)).toBeCloseTo(1, 10);
    expect(storageMonthlyUsd(512 * 1024 ** 2, 0.1)).toBeCloseTo(0.05, 10);
    expect(storageMonthlyUsd(-5, 0.1)).toBe(0);
  });

  it('prices each storage class on its own, and an unknown class as Standard', () => {
    const usd = bucketMonthlyUsd({ STANDARD: 100 * GB, STANDARD_IA: 200 * GB, GLACIER: 1000 * GB, EXPRESS_ONEZONE: 10 * GB }, prices);
    expect(usd).toBeCloseTo(100 * 0.023 + 200 * 0.0125 + 1000 * 0.0036 + 10 * 0.023, 10);
    expect(bucketMonthlyUsd({}, prices)).toBe(0);
  });
});

describe('distribution estimates', () => {
  it('scales a window of traffic to an average month', () => {
    // 1 million HTTPS requests and 50 GB in 7 days.
    const usd = distributionMonthlyUsd({ requests: 1_000_000, bytesDownloaded: 50 * GB, days: 7 }, prices)!;
    expect(usd).toBeCloseTo((1_000_000 * 0.000001 + 50 * 0.085) * (365 / 12 / 7), 8);
  });

  it('says nothing is known when there is no window, and zero for zero traffic', () => {
    expect(distributionMonthlyUsd({ requests: 5, bytesDownloaded: 5, days: 0 }, prices)).toBeNull();
    expect(distributionMonthlyUsd({ requests: 0, bytesDownloaded: 0, days: 30 }, prices)).toBe(0);
  });
});

describe('rounding for people', () => {
  it('shows cents, then whole dollars, and never rounds a real cost to zero', () => {
    expect(formatMonthly(0)).toBe('$0.00');
    expect(formatMonthly(0.004)).toBe('under $0.01');
    expect(formatMonthly(0.005)).toBe('$0.01');
    expect(formatMonthly(1.234)).toBe('$1.23');
    expect(formatMonthly(1.235)).toBe('$1.24');
    expect(formatMonthly(999.994)).toBe('$999.99');
    expect(formatMonthly(12345.6)).toBe('$12,346');
    expect(formatMonthly(Number.NaN)).toBe('$0.00');
  });

  it('says what a delete saves', () => {
    expect(savingSentence(4.2)).toBe('Saves about $4.20 a month (estimated).');
    expect(savingSentence(0.001)).toBe('Saves under $0.01 a month in storage (estimated).');
    expect(savingSentence(null)).toBe('What this saves could not be estimated.');
  });

  it('adds the known figures and counts the unknown ones', () => {
    expect(total([1, null, 2.5, undefined])).toEqual({ usd: 3.5, unknown: 2 });
  });
});
