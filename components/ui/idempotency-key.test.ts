import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { newIdempotencyKey } from './idempotency-key';

// The actions check CallerReference with z.uuid(); a key the browser makes must pass it.
const accepted = z.uuid();

describe('newIdempotencyKey', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('uses crypto.randomUUID where the page is a secure context', () => {
    const key = newIdempotencyKey();
    expect(accepted.safeParse(key).success).toBe(true);
  });

  it('makes a version 4 UUID from getRandomValues where randomUUID is missing (plain HTTP)', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: (b: Uint8Array) => real.getRandomValues(b) });
    const keys = new Set(Array.from({ length: 200 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(200);
    for (const key of keys) {
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(accepted.safeParse(key).success).toBe(true);
    }
  });
});
