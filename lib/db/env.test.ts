import { afterEach, describe, expect, it, vi } from 'vitest';

async function envWith(url: string) {
  vi.stubEnv('DATABASE_URL', url);
  vi.resetModules();
  const { env } = await import('@/lib/env');
  return env;
}

afterEach(() => vi.unstubAllEnvs());

describe('DATABASE_URL', () => {
  it('accepts PostgreSQL URLs, and empty means SQLite', async () => {
    expect((await envWith('postgres://berth:secret@db.internal:5432/berth'))().DATABASE_URL).toBe('postgres://berth:secret@db.internal:5432/berth');
    expect((await envWith('postgresql://db.internal/berth?sslmode=require'))().DATABASE_URL).toBe('postgresql://db.internal/berth?sslmode=require');
    expect((await envWith(''))().DATABASE_URL).toBeUndefined();
  });

  it('refuses anything else with a sentence naming the setting', async () => {
    for (const bad of ['mysql://db/berth', 'db.internal:5432', 'postgres://']) {
      const env = await envWith(bad);
      expect(() => env()).toThrow(/DATABASE_URL must be a PostgreSQL connection URL/);
    }
  });
});
