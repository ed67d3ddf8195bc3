import { describe, expect, it } from 'vitest';
import { isAccessKeyId } from './iam-rules';

describe('isAccessKeyId (IAM model accessKeyIdType)', () => {
  it('takes 16 to 128 word characters', () => {
    expect(isAccessKeyId('k'.repeat(16))).toBe(true);
    expect(isAccessKeyId('K_9'.repeat(40))).toBe(true);
    expect(isAccessKeyId('k'.repeat(128))).toBe(true);
  });

  it('refuses the demo keys, longer ids and other characters, as GetAccessKeyLastUsed would', () => {
    for (const id of ['test', 'readonly', 'k'.repeat(15), 'k'.repeat(129), `${'k'.repeat(16)}-`, `${'k'.repeat(16)} `, '']) {
      expect(isAccessKeyId(id), id).toBe(false);
    }
  });
});
