import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
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
    expect(raw).toMatch(/"\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(raw).not.toMatch(/\$2[aby]\$/);
    expect((fs.statSync(path.join(dir, 'users.json')).mode & 0o777).toString(8)).toBe('600');

    expect(await users.verifyPassword('ada@example.com', 'correct horse battery')).toMatchObject({ email: 'ada@example.com', role: 'admin' });
    expect(await users.verifyPassword('ada@example.com', 'wrong')).toBeUndefined();
    expect(await users.verifyPassword('nobody@example.com', 'correct horse battery')).toBeUndefined();

    // Updating without a password keeps the old one.
    await users.upsertUser({ email: 'ada@example.com', role: 'admin', name: 'Ada' });
    expect(await users.verifyPassword('ada@example.com', 'correct horse battery')).toMatchObject({ name: 'Ada' });
    await users.upsertUser({ email: 'grace@example.com', role: 'admin', password: 'another long password' });
    await users.upsertUser({ email: 'ada@example.com', role: 'viewer' });
    expect(await users.verifyPassword('ada@example.com', 'correct horse battery')).toMatchObject({ role: 'viewer' });

    expect(await users.removeUser('ada@example.com')).toBe(true);
    expect(await users.removeUser('ada@example.com')).toBe(false);
    expect((await users.listUsers()).map((u) => u.email)).toEqual(['grace@example.com']);
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
    await users.upsertUser({ email: 'other@example.com', role: 'admin', password: 'other-admin-password' });
    await users.upsertUser({ email: 'boot@example.com', role: 'viewer' });
    expect(await users.findUser('boot@example.com')).toMatchObject({ role: 'viewer' });
  });

  it('reads every byte of a long password (bcrypt stopped at 72)', async () => {
    const users = await load();
    const long = 'x'.repeat(80);
    await users.upsertUser({ email: 'long@example.com', role: 'viewer', password: `${long}-right-tail` });
    expect(await users.verifyPassword('long@example.com', `${long}-wrong-tail`)).toBeUndefined();
    expect(await users.verifyPassword('long@example.com', `${long}-right-tail`)).toMatchObject({ email: 'long@example.com' });
  });

  it('signs in with a bcrypt hash from before, and replaces it with Argon2id without ending sessions', async () => {
    const now = new Date().toISOString();
    const legacy = { email: 'old@example.com', role: 'admin', passwordHash: bcrypt.hashSync('an-old-password', 4), createdAt: now, updatedAt: now };
    fs.writeFileSync(path.join(dir, 'users.json'), JSON.stringify({ version: 1, users: [legacy] }));
    const users = await load();
    const before = await users.findUser('old@example.com');
    expect(await users.verifyPassword('old@example.com', 'wrong-password')).toBeUndefined();
    expect(fs.readFileSync(path.join(dir, 'users.json'), 'utf8')).toContain(legacy.passwordHash);
    expect(await users.verifyPassword('old@example.com', 'an-old-password')).toMatchObject({ role: 'admin' });
    const stored = JSON.parse(fs.readFileSync(path.join(dir, 'users.json'), 'utf8')).users[0];
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await users.verifyPassword('old@example.com', 'an-old-password')).toMatchObject({ role: 'admin' });
    const after = await users.findUser('old@example.com');
    expect(after).toMatchObject({ id: before!.id, sessionGeneration: before!.sessionGeneration });
  });

  it('moves the session generation on a role or password change and on sign-out, not on a name change', async () => {
    const users = await load();
    const { user } = await users.upsertUser({ email: 'ada@example.com', role: 'admin', password: 'correct horse battery' });
    await users.upsertUser({ email: 'b@example.com', role: 'admin', password: 'correct horse battery' });
    expect(user.sessionGeneration).toBe(0);
    await users.upsertUser({ email: 'ada@example.com', role: 'admin', name: 'Ada' });
    expect((await users.findUser('ada@example.com'))!.sessionGeneration).toBe(0);
    await users.upsertUser({ email: 'ada@example.com', role: 'viewer' });
    expect((await users.findUser('ada@example.com'))!.sessionGeneration).toBe(1);
    await users.upsertUser({ email: 'ada@example.com', role: 'viewer', password: 'a new long password' });
    expect((await users.findUser('ada@example.com'))!.sessionGeneration).toBe(2);
    // Sign-out: only a cookie of the current generation and account moves it.
    await users.endSessions('ada@example.com', { id: user.id, generation: 1 });
    expect((await users.findUser('ada@example.com'))!.sessionGeneration).toBe(2);
    await users.endSessions('ada@example.com', { id: user.id, generation: 2 });
    expect((await users.findUser('ada@example.com'))!.sessionGeneration).toBe(3);
  });

  it('gives a removed and re-added email a new account id', async () => {
    const users = await load();
    await users.upsertUser({ email: 'keep@example.com', role: 'admin', password: 'correct horse battery' });
    const first = (await users.upsertUser({ email: 'ada@example.com', role: 'viewer', password: 'correct horse battery' })).user;
    await users.removeUser('ada@example.com');
    const second = (await users.upsertUser({ email: 'ada@example.com', role: 'admin', password: 'correct horse battery' })).user;
    expect(second.id).not.toBe(first.id);
    expect(second.sessionGeneration).toBe(0);
  });

  it('keeps at least one admin', async () => {
    const users = await load();
    await users.upsertUser({ email: 'ada@example.com', role: 'admin', password: 'correct horse battery' });
    await expect(users.upsertUser({ email: 'ada@example.com', role: 'viewer' })).rejects.toThrow(/at least one admin/);
    await expect(users.removeUser('ada@example.com')).rejects.toThrow(/at least one admin/);
    await users.upsertUser({ email: 'grace@example.com', role: 'admin', password: 'correct horse battery' });
    await users.upsertUser({ email: 'ada@example.com', role: 'viewer' });
    await expect(users.removeUser('grace@example.com')).rejects.toThrow(/at least one admin/);
    expect(await users.removeUser('ada@example.com')).toBe(true);
  });

  it('ends single sign-on sessions that began before a sign-out', async () => {
    const users = await load();
    await users.endSsoSessions('Sso@Example.com', 5000, 8 * 3600_000);
    expect(await users.ssoSessionEnded('sso@example.com', 4000)).toBe(true);
    expect(await users.ssoSessionEnded('sso@example.com', 6000)).toBe(false);
    expect(await users.ssoSessionEnded('other@example.com', 4000)).toBe(false);
  });

  it('remembers the last addresses an account signed in from', async () => {
    const users = await load();
    await users.upsertUser({ email: 'ada@example.com', role: 'admin', password: 'correct horse battery' });
    expect(await users.signsInFrom('ada@example.com', '203.0.113.5')).toBe(false);
    await users.rememberSignInAddress('ada@example.com', '203.0.113.5');
    expect(await users.signsInFrom('ada@example.com', '203.0.113.5')).toBe(true);
    for (let i = 0; i < 10; i++) await users.rememberSignInAddress('ada@example.com', `198.51.100.${i}`);
    expect(await users.signsInFrom('ada@example.com', '203.0.113.5')).toBe(false);
    expect(JSON.stringify(await users.listUsers())).not.toContain('198.51.100');
  });
});
