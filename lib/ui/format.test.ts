import { describe, expect, it } from 'vitest';
import { formatBytes, formatDate, formatDateTime, formatUsd } from './format';

describe('format', () => {
  it('formats bytes with binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
    expect(formatBytes(undefined)).toBe('—');
  });
  it('formats dates in UTC', () => {
    expect(formatDateTime('2026-03-04T05:06:07Z')).toBe('2026-03-04 05:06 UTC');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('nonsense')).toBe('—');
  });
});

describe('formatDate and formatUsd', () => {
  it('formats', () => {
    expect(formatDate('2026-03-04T05:06:07Z')).toBe('2026-03-04');
    expect(formatUsd(0.004)).toBe('under $0.01');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(12.345)).toBe('$12.35');
  });
});
