import { describe, expect, it } from 'vitest';
import { formatBytes, formatDateTime } from './format';

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
