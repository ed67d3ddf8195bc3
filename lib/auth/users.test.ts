import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The store reads its folder from the environment once, so each test loads a
// fresh copy of the modules against a fresh temporary folder.
let dir: string;
async function load() {
  vi.resetModules();
  return import('./users');
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-users-'));
  vi.stubEnv('BERTH_DATA_DIR', dir);
});
afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('user store', () => {
  it('adds, verifies, updates and removes users; passwords are stored hashed', async () => {
    const users = await load();
    const { created } = await users.upsertUser({ email: 'Ada@Example.com', role: 'admin', password: 'correct horse battery' });
    expect(created).toBe(true);
    const raw = fs.readFileSync(path.join(dir, 'users.json'), 'utf8');
    expect(raw).not.toContain('correct horse battery');
    expect(raw).toMatch(/\$2[aby]\$12\$/);
    expect((fs.statSync(path.join(dir, 'users.json')).mode & 0o777).toString(8)).toBe('600');

    expect(await users.verifyPassword('ada@example.com', 'correct horse battery')).toMatchObject({ email: 'ada@example.com', role: 'admin' });
    expect(await users.verifyPassword('ada@example.com', 'wrong')).toBeUndefined();
    expect(await users.verifyPassword('nobody@example.com', 'correct horse battery')).toBeUndefined();

    // Updating without a password keeps the old one.
    await users.upsertUser({ email: 'ada@example.com', role: 'viewer' });
    expect(await users.verifyPassword('ada@example.com', 'correct horse battery')).toMatchObject({ role: 'viewer' });

    expect(await users.removeUser('ada@example.com')).toBe(true);
    expect(await users.removeUser('ada@example.com')).toBe(false);
    expect(await users.listUsers()).toEqual([]);
  });

  it('refuses a new user without a password', async () => {
    const users = await load();
    await expect(users.upsertUser({ email: 'x@example.com', role: 'viewer' })).rejects.toThrow(/needs a password/);
  });

  it('keeps every write when many happen at once', async () => {
    const users = await load();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => users.upsertUser({ email: `u${i}@example.com`, role: 'viewer', password: 'pw-long-enough-1' })),
    );
    expect((await users.listUsers()).map((u) => u.email)).toHaveLength(8);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('creates the bootstrap admin once when there is no store', async () => {
    vi.stubEnv('BERTH_BOOTSTRAP_ADMIN_EMAIL', 'boot@example.com');
    vi.stubEnv('BERTH_BOOTSTRAP_ADMIN_PASSWORD', 'bootstrap-password');
    const users = await load();
    expect(await users.verifyPassword('boot@example.com', 'bootstrap-password')).toMatchObject({ role: 'admin' });
    await users.upsertUser({ email: 'boot@example.com', role: 'viewer' });
    expect(await users.findUser('boot@example.com')).toMatchObject({ role: 'viewer' });
  });
});
