import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { expect, it, vi } from 'vitest';
import { openDatabase } from '@/lib/db/connect';
import { describeEachDialect } from '@/lib/db/test-support/dialects';

// The store reads its database from the environment once, so each test points
// the environment at a fresh database (SQLite, then PostgreSQL) and loads a
// fresh copy of the modules.
const root = path.resolve(__dirname, '../..');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

async function load() {
  vi.resetModules();
  return import('./users');
}

describeEachDialect('user store', (t) => {
  it('adds, verifies, updates and removes users; passwords are stored hashed', async () => {
    const { dataDir, config } = await t.useInEnv();
    const users = await load();
    const { created } = await users.upsertUser({ email: 'Ada@Example.com', role: 'admin', password: 'correct horse battery' });
    expect(created).toBe(true);
    const db = t.connect(config);
    const stored = await db.selectFrom('users').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain('correct horse battery');
    expect(stored[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    if (t.dialect === 'sqlite') expect((fs.statSync(path.join(dataDir, 'berth.db')).mode & 0o777).toString(8)).toBe('600');

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
    await t.useInEnv();
    const users = await load();
    await expect(users.upsertUser({ email: 'x@example.com', role: 'viewer' })).rejects.toThrow(/needs a password/);
  });

  it('keeps every write when many happen at once', async () => {
    await t.useInEnv();
    const users = await load();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => users.upsertUser({ email: `u${i}@example.com`, role: 'viewer', password: 'pw-long-enough-1' })),
    );
    expect((await users.listUsers()).map((u) => u.email)).toHaveLength(8);
  });

  it('creates the bootstrap admin once when there are no users', async () => {
    await t.useInEnv();
    vi.stubEnv('BERTH_BOOTSTRAP_ADMIN_EMAIL', 'boot@example.com');
    vi.stubEnv('BERTH_BOOTSTRAP_ADMIN_PASSWORD', 'bootstrap-password');
    const users = await load();
    expect(await users.verifyPassword('boot@example.com', 'bootstrap-password')).toMatchObject({ role: 'admin' });
    await users.upsertUser({ email: 'other@example.com', role: 'admin', password: 'other-admin-password' });
    await users.upsertUser({ email: 'boot@example.com', role: 'viewer' });
    expect(await users.findUser('boot@example.com')).toMatchObject({ role: 'viewer' });
    // A restart (fresh modules) with the same settings does not add it again or undo the change.
    const again = await load();
    expect(await again.findUser('boot@example.com')).toMatchObject({ role: 'viewer' });
    expect(await again.listUsers()).toHaveLength(2);
  });

  it('reads every byte of a long password (bcrypt stopped at 72)', async () => {
    await t.useInEnv();
    const users = await load();
    const long = 'x'.repeat(80);
    await users.upsertUser({ email: 'long@example.com', role: 'viewer', password: `${long}-right-tail` });
    expect(await users.verifyPassword('long@example.com', `${long}-wrong-tail`)).toBeUndefined();
    expect(await users.verifyPassword('long@example.com', `${long}-right-tail`)).toMatchObject({ email: 'long@example.com' });
  });

  it('signs in with a bcrypt hash from before, and replaces it with Argon2id without ending sessions', async () => {
    const { dataDir, config } = await t.useInEnv();
    const now = new Date().toISOString();
    const legacy = { email: 'old@example.com', role: 'admin', passwordHash: bcrypt.hashSync('an-old-password', 4), createdAt: now, updatedAt: now };
    fs.writeFileSync(path.join(dataDir, 'users.json'), JSON.stringify({ version: 1, users: [legacy] }));
    const users = await load();
    const before = await users.findUser('old@example.com');
    const hashOf = async () => (await t.connect(config).selectFrom('users').select('password_hash').where('email', '=', 'old@example.com').executeTakeFirstOrThrow()).password_hash;
    expect(await users.verifyPassword('old@example.com', 'wrong-password')).toBeUndefined();
    expect(await hashOf()).toBe(legacy.passwordHash);
    expect(await users.verifyPassword('old@example.com', 'an-old-password')).toMatchObject({ role: 'admin' });
    expect(await hashOf()).toMatch(/^\$argon2id\$/);
    expect(await users.verifyPassword('old@example.com', 'an-old-password')).toMatchObject({ role: 'admin' });
    const after = await users.findUser('old@example.com');
    expect(after).toMatchObject({ id: before!.id, sessionGeneration: before!.sessionGeneration });
  });

  it('moves the session generation on a role or password change and on sign-out, not on a name change', async () => {
    await t.useInEnv();
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
    await users.endSessions('ada@example.com', { id: 'another-account', generation: 2 });
    expect((await users.findUser('ada@example.com'))!.sessionGeneration).toBe(2);
    await users.endSessions('ada@example.com', { id: user.id, generation: 2 });
    expect((await users.findUser('ada@example.com'))!.sessionGeneration).toBe(3);
  });

  it('gives a removed and re-added email a new account id', async () => {
    await t.useInEnv();
    const users = await load();
    await users.upsertUser({ email: 'keep@example.com', role: 'admin', password: 'correct horse battery' });
    const first = (await users.upsertUser({ email: 'ada@example.com', role: 'viewer', password: 'correct horse battery' })).user;
    await users.removeUser('ada@example.com');
    const second = (await users.upsertUser({ email: 'ada@example.com', role: 'admin', password: 'correct horse battery' })).user;
    expect(second.id).not.toBe(first.id);
    expect(second.sessionGeneration).toBe(0);
  });

  it('keeps at least one admin', async () => {
    await t.useInEnv();
    const users = await load();
    await users.upsertUser({ email: 'ada@example.com', role: 'admin', password: 'correct horse battery' });
    await expect(users.upsertUser({ email: 'ada@example.com', role: 'viewer' })).rejects.toThrow(/at least one admin/);
    await expect(users.removeUser('ada@example.com')).rejects.toThrow(/at least one admin/);
    await users.upsertUser({ email: 'grace@example.com', role: 'admin', password: 'correct horse battery' });
    await users.upsertUser({ email: 'ada@example.com', role: 'viewer' });
    await expect(users.removeUser('grace@example.com')).rejects.toThrow(/at least one admin/);
    expect(await users.removeUser('ada@example.com')).toBe(true);
  });

  it('two admins demoting each other at once on two instances leave one admin', async () => {
    const { config } = await t.useInEnv();
    const one = await load();
    await one.upsertUser({ email: 'ada@example.com', role: 'admin', password: 'correct horse battery' });
    await one.upsertUser({ email: 'grace@example.com', role: 'admin', password: 'correct horse battery' });
    // A second instance: its own modules and its own connection (pool) to the same database.
    const otherDb = t.connect(config);
    vi.resetModules();
    vi.doMock('@/lib/db', async (importOriginal) => ({ ...(await importOriginal<typeof import('@/lib/db')>()), getDb: async () => otherDb }));
    const two = await import('./users');
    vi.doUnmock('@/lib/db');
    for (let round = 0; round < 5; round++) {
      const outcomes = await Promise.allSettled([
        one.upsertUser({ email: 'ada@example.com', role: 'viewer' }),
        two.upsertUser({ email: 'grace@example.com', role: 'viewer' }),
      ]);
      // Exactly one demotion went through; the other met the guard.
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: expect.objectContaining({ message: expect.stringMatching(/at least one admin/) }) });
      expect((await one.listUsers()).filter((u) => u.role === 'admin')).toHaveLength(1);
      await one.upsertUser({ email: 'ada@example.com', role: 'admin' });
      await one.upsertUser({ email: 'grace@example.com', role: 'admin' });
    }
  });

  it('npm run user:add writes to the database the console uses', async () => {
    const { dataDir, config } = await t.useInEnv();
    const env = { ...process.env, BERTH_DATA_DIR: dataDir, DATABASE_URL: config.dialect === 'postgres' ? config.url : '' };
    const run = (args: string[], password: string) =>
      new Promise<string>((resolve, reject) => {
        const child = execFile(process.execPath, [tsxCli, '--conditions=react-server', 'scripts/user-add.ts', ...args], { env, cwd: root }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
        );
        child.stdin!.end(`${password}\n`);
      });
    expect(await run(['--email', 'ops@example.com', '--role', 'admin', '--name', 'Ops'], 'a-long-enough-password')).toMatch(/^Added ops@example\.com \(admin\) in /);
    const users = await load();
    expect(await users.verifyPassword('ops@example.com', 'a-long-enough-password')).toMatchObject({ role: 'admin', name: 'Ops' });
    expect(await run(['--email', 'ops@example.com', '--role', 'admin'], 'another-long-password')).toMatch(/^Updated ops@example\.com/);
    expect(await users.verifyPassword('ops@example.com', 'another-long-password')).toMatchObject({ sessionGeneration: 1 });
  });

  it('ends single sign-on sessions that began before a sign-out', async () => {
    await t.useInEnv();
    const users = await load();
    await users.endSsoSessions('Sso@Example.com', 5000, 8 * 3600_000);
    expect(await users.ssoSessionEnded('sso@example.com', 4000)).toBe(true);
    expect(await users.ssoSessionEnded('sso@example.com', 6000)).toBe(false);
    expect(await users.ssoSessionEnded('other@example.com', 4000)).toBe(false);
    await users.endSsoSessions('sso@example.com', 7000, 8 * 3600_000);
    expect(await users.ssoSessionEnded('sso@example.com', 6000)).toBe(true);
  });

  it('a sign-out on one instance ends the session on another within a second, and on its own at once', async () => {
    const { config } = await t.useInEnv();
    const users = await load();
    const { user } = await users.upsertUser({ email: 'ada@example.com', role: 'admin', password: 'correct horse battery' });
    const token = await import('./token');
    const jwt = { provider: 'credentials', email: 'ada@example.com', uid: user.id, gen: 0, role: 'admin' as const };
    expect(await token.sessionRole(jwt)).toBe('admin');
    // The other instance signs Ada out: a plain write to the shared database.
    // This instance shares one read of a person per second (users.ts), so it
    // counts at the first check after that.
    await t.connect(config).updateTable('users').set({ session_generation: 1 }).where('id', '=', user.id).execute();
    await new Promise((r) => setTimeout(r, 1100));
    expect(await token.sessionRole(jwt)).toBeNull();
    // A sign-out through this instance counts on its very next check.
    const now = { ...jwt, gen: 1 };
    expect(await token.sessionRole(now)).toBe('admin');
    await users.endSessions('ada@example.com', { id: user.id, generation: 1 });
    expect(await token.sessionRole(now)).toBeNull();
    // Single sign-on: the sign-out time is what counts.
    const sso = { provider: 'oidc', email: 'sso@example.com', signedInAt: 1000, role: 'viewer' as const };
    expect(await token.sessionRole(sso)).toBe('viewer');
    await t.connect(config).insertInto('sso_sign_outs').values({ email: 'sso@example.com', at: 2000 }).execute();
    expect(await token.sessionRole(sso)).toBeNull();
  });

  it('remembers the last addresses an account signed in from', async () => {
    await t.useInEnv();
    const users = await load();
    await users.upsertUser({ email: 'ada@example.com', role: 'admin', password: 'correct horse battery' });
    expect(await users.signsInFrom('ada@example.com', '203.0.113.5')).toBe(false);
    await users.rememberSignInAddress('ada@example.com', '203.0.113.5');
    expect(await users.signsInFrom('ada@example.com', '203.0.113.5')).toBe(true);
    for (let i = 0; i < 10; i++) await users.rememberSignInAddress('ada@example.com', `198.51.100.${i}`);
    expect(await users.signsInFrom('ada@example.com', '203.0.113.5')).toBe(false);
    expect(await users.signsInFrom('ada@example.com', '198.51.100.0')).toBe(true);
    expect(JSON.stringify(await users.listUsers())).not.toContain('198.51.100');
    // Removing the account forgets its addresses.
    await users.upsertUser({ email: 'keep@example.com', role: 'admin', password: 'correct horse battery' });
    await users.removeUser('ada@example.com');
    await users.upsertUser({ email: 'ada@example.com', role: 'viewer', password: 'correct horse battery' });
    expect(await users.signsInFrom('ada@example.com', '198.51.100.9')).toBe(false);
  });
});

describeEachDialect('users.json', (t) => {
  it('moves users.json into the database on first use, once, keeping ids, hashes, generations, addresses and SSO sign-outs', async () => {
    const { dataDir, config } = await t.useInEnv();
    const file = path.join(dataDir, 'users.json');
    const adaHash = bcrypt.hashSync('ada-old-password', 4);
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        users: [
          { id: 'a1b2', email: 'ada@example.com', name: 'Ada', role: 'admin', passwordHash: adaHash, createdAt: '2025-01-02T03:04:05.000Z', updatedAt: '2025-02-03T04:05:06.000Z', sessionGeneration: 7, signInAddresses: ['192.0.2.1', '192.0.2.2'] },
          // From before account ids and generations.
          { email: 'old@example.com', role: 'viewer', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaA', createdAt: '2024-05-06T07:08:09.000Z', updatedAt: '2024-05-06T07:08:09.000Z' },
        ],
        ssoSignOuts: { 'sso@example.com': 123456 },
      }),
    );
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const users = await load();
    expect(await users.listUsers()).toEqual([
      { id: 'a1b2', email: 'ada@example.com', name: 'Ada', role: 'admin', sessionGeneration: 7, createdAt: '2025-01-02T03:04:05.000Z', updatedAt: '2025-02-03T04:05:06.000Z' },
      { id: 'created:2024-05-06T07:08:09.000Z', email: 'old@example.com', name: undefined, role: 'viewer', sessionGeneration: 0, createdAt: '2024-05-06T07:08:09.000Z', updatedAt: '2024-05-06T07:08:09.000Z' },
    ]);
    expect(await users.verifyPassword('ada@example.com', 'ada-old-password')).toMatchObject({ id: 'a1b2' });
    expect(await users.signsInFrom('ada@example.com', '192.0.2.1')).toBe(true);
    expect(await users.ssoSessionEnded('sso@example.com', 123000)).toBe(true);
    // The file is set aside and the log says where.
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.migrated`)).toBe(true);
    expect(info.mock.calls.flat().join('\n')).toMatch(/Moved 2 users from .*users\.json into .*users\.json\.migrated/s);

    // Once: a users.json put back later is not read again, and a restart changes nothing.
    fs.copyFileSync(`${file}.migrated`, file);
    await users.upsertUser({ email: 'ada@example.com', role: 'admin', name: 'Ada L' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const restarted = await load();
    expect(await restarted.findUser('ada@example.com')).toMatchObject({ name: 'Ada L' });
    expect(warn.mock.calls.flat().join('\n')).toMatch(/moved into the database before/);
    const count = await t.connect(config).selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
    info.mockRestore();
    warn.mockRestore();
  });

  it('two instances starting at once against one database import users.json once', async () => {
    const { dataDir, config } = await t.useInEnv();
    const { importUsersJson } = await import('./users-json');
    const now = new Date().toISOString();
    const body = JSON.stringify({ version: 1, users: [{ id: 'x1', email: 'ada@example.com', role: 'admin', passwordHash: 'h', createdAt: now, updatedAt: now }] });
    // Each instance has its own data folder with a copy of the file (the
    // PostgreSQL case); with SQLite they share the folder, so one finds it gone.
    const otherDir = t.tempDir();
    fs.writeFileSync(path.join(dataDir, 'users.json'), body);
    fs.writeFileSync(path.join(otherDir, 'users.json'), body);
    vi.spyOn(console, 'info').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { migrateToLatest } = await import('@/lib/db/migrate');
    const a = openDatabase(config).db;
    const b = openDatabase(config).db;
    try {
      await migrateToLatest(a);
      const results = await Promise.all([importUsersJson(a, dataDir), importUsersJson(b, otherDir)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const rows = await a.selectFrom('users').select(['id', 'email']).execute();
      expect(rows).toEqual([{ id: 'x1', email: 'ada@example.com' }]);
    } finally {
      vi.restoreAllMocks();
      await a.destroy();
      await b.destroy();
    }
  });
});
