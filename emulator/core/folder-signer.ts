import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { getMeta, setMeta } from './db';
import type { EmulatorEnv, Principal } from './types';

/**
 * Tokens the emulator hands out and later checks itself (registry passwords,
 * bearer tokens, signed download URLs): HMAC-SHA256 under a secret made once
 * per data folder and kept in its meta table. They survive a restart but
 * not a new data folder. Each user names its own meta key, so one service's
 * tokens never open another's.
 */
export class FolderSigner {
  private cached: { db: unknown; secret: Buffer } | undefined;

  constructor(private readonly metaKey: string) {}

  private secret(env: EmulatorEnv): Buffer {
    if (this.cached?.db === env.db) return this.cached.secret;
    let hex = getMeta(env.db, this.metaKey);
    if (hex === undefined) {
      hex = randomBytes(32).toString('hex');
      setMeta(env.db, this.metaKey, hex);
    }
    this.cached = { db: env.db, secret: Buffer.from(hex, 'hex') };
    return this.cached.secret;
  }

  /** The MAC of `text`, base64url. */
  mac(env: EmulatorEnv, text: string): string {
    return createHmac('sha256', this.secret(env)).update(text).digest('base64url');
  }

  /** Whether `given` is the MAC of `text`, compared in constant time. */
  check(env: EmulatorEnv, text: string, given: string): boolean {
    const x = Buffer.from(given);
    const y = Buffer.from(this.mac(env, text));
    return x.length === y.length && timingSafeEqual(x, y);
  }

  /** `<base64url JSON>.<mac of "kind:" + that>`: the kind keeps one sort of token from passing as another. */
  seal(env: EmulatorEnv, kind: string, payload: unknown): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(env, `${kind}:${body}`)}`;
  }

  /** A sealed token's payload: `malformed` when it is not `<body>.<mac>` or not a JSON object, `bad-signature` when the MAC does not match. */
  open(env: EmulatorEnv, kind: string, token: string): { ok: true; payload: Record<string, unknown> } | { ok: false; reason: 'malformed' | 'bad-signature' } {
    const dot = token.indexOf('.');
    if (dot <= 0) return { ok: false, reason: 'malformed' };
    const body = token.slice(0, dot);
    if (!this.check(env, `${kind}:${body}`, token.slice(dot + 1))) return { ok: false, reason: 'bad-signature' };
    try {
      const v = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
      return v && typeof v === 'object' ? { ok: true, payload: v as Record<string, unknown> } : { ok: false, reason: 'malformed' };
    } catch {
      return { ok: false, reason: 'malformed' };
    }
  }
}

/**
 * A token stands for the access key that asked for it: each use looks the
 * key up again through the emulator's one credential resolver (the same that
 * verifies SigV4), so a deleted key's tokens stop working, and temporary
 * credentials' tokens end with the credentials.
 */
export function liveCredential(env: EmulatorEnv, accessKeyId: string): { ok: true; principal: Principal } | { ok: false; reason: 'unknown-key' | 'expired' } {
  const record = env.resolveCredential(accessKeyId);
  if (!record) return { ok: false, reason: 'unknown-key' };
  if (record.expiresAt !== undefined && env.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, principal: record.principal };
}
