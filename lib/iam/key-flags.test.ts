import { describe, expect, it } from 'vitest';
import { DAY_MS, daysSince, flagReason, formatDays, keyFlags, type KeyFacts } from './key-flags';

const NOW = Date.parse('2026-12-01T09:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const DAYS_90 = 90 * DAY_MS;

function key(createdMsAgo: number, lastUse: KeyFacts['lastUse'], status = 'Active'): KeyFacts {
  return { status, createdAt: ago(createdMsAgo), lastUse };
}
const usedAgo = (ms: number): KeyFacts['lastUse'] => ({ state: 'used', at: ago(ms), service: 's3', region: 'us-east-1' });

describe('key age: older than 90 days', () => {
  it('is not flagged at exactly 90 days, and is a millisecond later', () => {
    expect(keyFlags(key(DAYS_90, usedAgo(DAY_MS)), NOW)).toEqual([]);
    expect(keyFlags(key(DAYS_90 + 1, usedAgo(DAY_MS)), NOW)).toEqual(['old']);
    expect(keyFlags(key(DAYS_90 - 1, usedAgo(DAY_MS)), NOW)).toEqual([]);
  });
});

describe('key use: unused for 90 days', () => {
  it('is flagged at exactly 90 days since the last use, not a millisecond before', () => {
    expect(keyFlags(key(DAYS_90 - DAY_MS, usedAgo(DAYS_90)), NOW)).toEqual(['unused']);
    expect(keyFlags(key(DAYS_90 - DAY_MS, usedAgo(DAYS_90 - 1)), NOW)).toEqual([]);
  });

  it('a key never used counts from the day it was made', () => {
    expect(keyFlags(key(DAYS_90 - 1, { state: 'never' }), NOW)).toEqual([]);
    expect(keyFlags(key(DAYS_90, { state: 'never' }), NOW)).toEqual(['unused']);
    expect(keyFlags(key(DAYS_90 + 1, { state: 'never' }), NOW)).toEqual(['old', 'unused']);
  });

  it('an old key in daily use is only old', () => {
    expect(keyFlags(key(400 * DAY_MS, usedAgo(3_600_000)), NOW)).toEqual(['old']);
  });

  it('when the last use could not be read, only the age is judged', () => {
    expect(keyFlags(key(DAYS_90 + 1, { state: 'unknown' }), NOW)).toEqual(['old']);
    expect(keyFlags(key(10 * DAY_MS, { state: 'unknown' }), NOW)).toEqual([]);
  });
});

describe('what is not flagged', () => {
  it('inactive keys, however old or unused', () => {
    expect(keyFlags(key(500 * DAY_MS, { state: 'never' }, 'Inactive'), NOW)).toEqual([]);
  });

  it('a key whose creation date is missing or unreadable is judged by its last use only', () => {
    expect(keyFlags({ status: 'Active', createdAt: null, lastUse: { state: 'never' } }, NOW)).toEqual([]);
    expect(keyFlags({ status: 'Active', createdAt: 'not a date', lastUse: usedAgo(DAYS_90) }, NOW)).toEqual(['unused']);
  });
});

describe('words', () => {
  it('reasons say what to do', () => {
    expect(flagReason('old', key(0, { state: 'never' }))).toMatch(/^Older than 90 days: rotate it/);
    expect(flagReason('unused', key(0, { state: 'never' }))).toMatch(/^Never used/);
    expect(flagReason('unused', key(0, usedAgo(0)))).toMatch(/^Not used for 90 days or more/);
  });

  it('days since, in whole days', () => {
    expect(daysSince(ago(DAYS_90 - 1), NOW)).toBe(89);
    expect(daysSince(ago(DAYS_90), NOW)).toBe(90);
    expect(daysSince(null, NOW)).toBeNull();
    expect([formatDays(0), formatDays(1), formatDays(1234), formatDays(null)]).toEqual(['today', '1 day', '1,234 days', '—']);
  });
});
