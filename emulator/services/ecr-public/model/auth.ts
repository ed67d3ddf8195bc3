import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { getMeta, setMeta } from '../../../core/db';
import type { EmulatorEnv, Principal } from '../../../core/types';

/**
 * Credentials of the public registry, separate from private ECR's (their
 * own secret, their own token formats), so a private registry password never
 * opens the public registry or the other way round.
 *
 * - The login password (GetAuthorizationToken, `aws ecr-public
 *   get-login-password`): `<payload>.<mac>`, naming the access key and the
 *   expiry, valid 12 hours as on AWS.
 * - Registry bearer tokens, from the token endpoint (`/_ecr-public/token`):
 *   what the registry itself accepts. Anyone may have one that pulls (the
 *   anonymous flow of public.ecr.aws); one that pushes needs the login
 *   password sent to the token endpoint with HTTP Basic `AWS:<password>`.
 * https://docs.aws.amazon.com/AmazonECR/latest/public/public-registry-auth.html
 */

const SECRET_KEY = 'ecr-public:registry-secret';
const LOGIN_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** Registry tokens are short-lived; clients fetch a new one when it runs out. */
const BEARER_LIFETIME_MS = 15 * 60 * 1000;

let cached: { db: unknown; secret: Buffer } | undefined;

function secret(env: EmulatorEnv): Buffer {
  if (cached?.db === env.db) return cached.secret;
  let hex = getMeta(env.db, SECRET_KEY);
  if (hex === undefined) {
    hex = randomBytes(32).toString('hex');
    setMeta(env.db, SECRET_KEY, hex);
  }
  cached = { db: env.db, secret: Buffer.from(hex, 'hex') };
  return cached.secret;
}

function sign(env: EmulatorEnv, kind: string, payload: unknown): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', secret(env)).update(`${kind}:${body}`).digest('base64url')}`;
}

function open(env: EmulatorEnv, kind: string, token: string): Record<string, unknown> | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const want = Buffer.from(createHmac('sha256', secret(env)).update(`${kind}:${body}`).digest('base64url'));
  if (given.length !== want.length || !timingSafeEqual(given, want)) return undefined;
  try {
    const v = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** GetAuthorizationToken's answer: `base64("AWS:" + password)` and its expiry. */
export function loginToken(env: EmulatorEnv, principal: Principal): { authorizationToken: string; expiresAt: Date } {
  const e = env.now() + LOGIN_LIFETIME_MS;
  const password = sign(env, 'login', { k: principal.accessKeyId, e });
  return { authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'), expiresAt: new Date(e) };
}

type LoginCheck = { ok: true; principal: Principal } | { ok: false; reason: 'invalid' | 'expired' };

export function verifyLogin(env: EmulatorEnv, password: string): LoginCheck {
  const p = open(env, 'login', password);
  if (!p || typeof p.k !== 'string' || typeof p.e !== 'number') return { ok: false, reason: 'invalid' };
  if (env.now() > p.e) return { ok: false, reason: 'expired' };
  // The login stands for the key that asked for it, looked up again (the same
  // lookup as SigV4): a deleted key's logins stop, and so do those of
  // temporary credentials once they expire.
  const record = env.resolveCredential(p.k);
  if (!record) return { ok: false, reason: 'invalid' };
  if (record.expiresAt !== undefined && env.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, principal: record.principal };
}

export interface Grant {
  /** The access key the token was issued to; absent for an anonymous token. */
  accessKeyId?: string;
  /** `<alias>/<repository>` → the actions granted on it. */
  access: Record<string, string[]>;
}

export function issueBearer(env: EmulatorEnv, grant: Grant): { token: string; expiresInSec: number; issuedAt: string } {
  const now = env.now();
  const token = sign(env, 'bearer', { k: grant.accessKeyId ?? null, a: grant.access, e: now + BEARER_LIFETIME_MS });
  return { token, expiresInSec: BEARER_LIFETIME_MS / 1000, issuedAt: new Date(now).toISOString() };
}

export function verifyBearer(env: EmulatorEnv, token: string): Grant | undefined {
  const p = open(env, 'bearer', token);
  if (!p || typeof p.e !== 'number' || env.now() > p.e || !p.a || typeof p.a !== 'object') return undefined;
  return { ...(typeof p.k === 'string' ? { accessKeyId: p.k } : {}), access: p.a as Record<string, string[]> };
}
