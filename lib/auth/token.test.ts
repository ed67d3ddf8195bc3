import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The page's own session read (lib/auth/token.ts) must accept exactly what
// Auth.js issued and the user store still stands behind, as the jwt callback
// in lib/auth/config.ts does. Cookies here are made by Auth.js's own encoder.

const SECRET = 'token-test-secret-0123456789abcdefghijklmnop';
const COOKIE = 'authjs.session-token';
let dir: string;

async function load() {
  vi.resetModules();
  return { token: await import('./token'), users: await import('./users') };
}

function issue(payload: Record<string, unknown>, opts: { secret?: string; salt?: string; maxAge?: number } = {}) {
  return encode({ token: payload, secret: opts.secret ?? SECRET, salt: opts.salt ?? COOKIE, maxAge: opts.maxAge ?? 3600 });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-token-'));
  vi.stubEnv('BERTH_DATA_DIR', dir);
  vi.stubEnv('AUTH_SECRET', SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('readSessionToken', () => {
  it('reads the cookie Auth.js issued, under either of its names, and from its chunks', async () => {
    const { token } = await load();
    const plain = await issue({ email: 'ada@example.com', role: 'admin' });
    expect(await token.readSessionToken([{ name: COOKIE, value: plain }])).toMatchObject({ email: 'ada@example.com', role: 'admin' });

    const secure = await issue({ email: 'ada@example.com' }, { salt: `__Secure-${COOKIE}` });
    expect(await token.readSessionToken([{ name: `__Secure-${COOKIE}`, value: secure }])).toMatchObject({ email: 'ada@example.com' });

    const half = Math.floor(plain.length / 2);
    const chunked = [
      { name: `${COOKIE}.1`, value: plain.slice(half) },
      { name: 'other', value: 'x' },
      { name: `${COOKIE}.0`, value: plain.slice(0, half) },
    ];
    expect(await token.readSessionToken(chunked)).toMatchObject({ email: 'ada@example.com' });
  });

  it('refuses no cookie, a cookie made with another secret or under another name, and an expired one', async () => {
    const { token } = await load();
    expect(await token.readSessionToken([])).toBeNull();
    expect(await token.readSessionToken([{ name: COOKIE, value: 'not-a-token' }])).toBeNull();
    const foreign = await issue({ email: 'ada@example.com' }, { secret: 'some-other-secret-0123456789abcdefghijkl' });
    expect(await token.readSessionToken([{ name: COOKIE, value: foreign }])).toBeNull();
    // Each cookie name is its key's salt: a token moved to the other name does not decrypt.
    const plain = await issue({ email: 'ada@example.com' });
    expect(await token.readSessionToken([{ name: `__Secure-${COOKIE}`, value: plain }])).toBeNull();
    // Past its expiry and Auth.js's 15 s of clock tolerance.
    const expired = await issue({ email: 'ada@example.com' }, { maxAge: -60 });
    expect(await token.readSessionToken([{ name: COOKIE, value: expired }])).toBeNull();
  });

  it('stops accepting a token it decrypted before once it expires', async () => {
    const { token } = await load();
    const soon = await issue({ email: 'ada@example.com' }, { maxAge: 5 });
    const cookies = [{ name: COOKIE, value: soon }];
    expect(await token.readSessionToken(cookies)).not.toBeNull();
    vi.useFakeTimers({ now: Date.now() + 60_000, toFake: ['Date'] });
    try {
      expect(await token.readSessionToken(cookies)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('sessionRole', () => {
  it('gives the role the store holds now, and null once the session has been ended', async () => {
    const { token, users } = await load();
    await users.upsertUser({ email: 'grace@example.com', role: 'admin', password: 'another long password' });
    const { user } = await users.upsertUser({ email: 'ada@example.com', role: 'viewer', password: 'correct horse battery' });
    const session = { email: user.email, provider: 'credentials', uid: user.id, gen: user.sessionGeneration, role: 'viewer' as const };
    expect(await token.sessionRole(session)).toBe('viewer');
    // A role change ends the session (a new generation), so the old token is refused rather than promoted.
    await users.upsertUser({ email: 'ada@example.com', role: 'admin' });
    expect(await token.sessionRole(session)).toBeNull();
    const fresh = (await users.findUser('ada@example.com'))!;
    expect(await token.sessionRole({ ...session, gen: fresh.sessionGeneration })).toBe('admin');
    await users.endSessions('ada@example.com', { id: fresh.id, generation: fresh.sessionGeneration });
    expect(await token.sessionRole({ ...session, gen: fresh.sessionGeneration })).toBeNull();
    await users.removeUser('ada@example.com');
    expect(await token.sessionRole({ ...session, gen: fresh.sessionGeneration + 1 })).toBeNull();
  });
});
