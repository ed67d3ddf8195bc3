import { FolderSigner, liveCredential } from '../../../core/folder-signer';
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

const signer = new FolderSigner('ecr-public:registry-secret');
const LOGIN_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** Registry tokens are short-lived; clients fetch a new one when it runs out. */
const BEARER_LIFETIME_MS = 15 * 60 * 1000;

function open(env: EmulatorEnv, kind: string, token: string): Record<string, unknown> | undefined {
  const r = signer.open(env, kind, token);
  return r.ok ? r.payload : undefined;
}

/** GetAuthorizationToken's answer: `base64("AWS:" + password)` and its expiry. */
export function loginToken(env: EmulatorEnv, principal: Principal): { authorizationToken: string; expiresAt: Date } {
  const e = env.now() + LOGIN_LIFETIME_MS;
  const password = signer.seal(env, 'login', { k: principal.accessKeyId, e });
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
  const live = liveCredential(env, p.k);
  if (live.ok) return live;
  return { ok: false, reason: live.reason === 'expired' ? 'expired' : 'invalid' };
}

export interface Grant {
  /** The access key the token was issued to; absent for an anonymous token. */
  accessKeyId?: string;
  /** `<alias>/<repository>` → the actions granted on it. */
  access: Record<string, string[]>;
}

export function issueBearer(env: EmulatorEnv, grant: Grant): { token: string; expiresInSec: number; issuedAt: string } {
  const now = env.now();
  const token = signer.seal(env, 'bearer', { k: grant.accessKeyId ?? null, a: grant.access, e: now + BEARER_LIFETIME_MS });
  return { token, expiresInSec: BEARER_LIFETIME_MS / 1000, issuedAt: new Date(now).toISOString() };
}

export function verifyBearer(env: EmulatorEnv, token: string): Grant | undefined {
  const p = open(env, 'bearer', token);
  if (!p || typeof p.e !== 'number' || env.now() > p.e || !p.a || typeof p.a !== 'object') return undefined;
  return { ...(typeof p.k === 'string' ? { accessKeyId: p.k } : {}), access: p.a as Record<string, string[]> };
}
