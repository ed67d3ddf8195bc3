import { FolderSigner, liveCredential } from '../../core/folder-signer';
import type { EmulatorEnv, Principal, RequestContext } from '../../core/types';

/**
 * Registry credentials. GetAuthorizationToken hands out `AWS:<token>` where
 * the token is `<payload>.<mac>`: the payload (base64url JSON) names the
 * access key, region and expiry, and the mac is an HMAC-SHA256 over it with a
 * secret generated once per data folder and kept in the meta table. The
 * registry recomputes the mac, so tokens survive restarts but not a new data
 * folder. The same secret signs GetDownloadUrlForLayer's URLs.
 *
 * A token stands for the identity that asked for it: each use looks its
 * access key up again through the emulator's one credential resolver (the
 * same that verifies SigV4), so a deleted key's tokens stop working, and
 * temporary credentials' tokens end with the credentials. Otherwise a token
 * lasts 12 hours, as ECR's do
 * (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAuthorizationToken.html).
 */

const signer = new FolderSigner('ecr:registry-secret');
const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;
export const DOWNLOAD_URL_LIFETIME_MS = 60 * 60 * 1000;

interface TokenPayload {
  /** access key id */
  k: string;
  /** region the token was issued in, which the registry serves */
  r: string;
  /** expiry, epoch ms */
  e: number;
}

export function issueToken(env: EmulatorEnv, accessKeyId: string, region: string): { token: string; expiresAtMs: number } {
  const expiresAtMs = env.now() + TOKEN_LIFETIME_MS;
  return { token: signer.seal(env, 'token', { k: accessKeyId, r: region, e: expiresAtMs } satisfies TokenPayload), expiresAtMs };
}

export type TokenCheck =
  | { ok: true; principal: Principal; region: string }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'unknown-key' };

export function verifyToken(env: EmulatorEnv, token: string): TokenCheck {
  const opened = signer.open(env, 'token', token);
  if (!opened.ok) return opened;
  const p = opened.payload;
  if (typeof p.e !== 'number' || typeof p.k !== 'string' || typeof p.r !== 'string') return { ok: false, reason: 'malformed' };
  if (env.now() > p.e) return { ok: false, reason: 'expired' };
  const live = liveCredential(env, p.k);
  return live.ok ? { ok: true, principal: live.principal, region: p.r } : live;
}

/** Reads `Authorization: Basic base64(AWS:<token>)`; undefined when absent or not Basic. */
export function basicToken(header: string | undefined): { user: string; password: string } | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * The emulator's own base URL as the caller reached it. `localhost:<port>`
 * is ECR Public's registry host (services/ecr-public), so a caller who
 * reached the API by that name is given the private registry at
 * `127.0.0.1:<port>` instead: the same listener, the host that keeps the two
 * registries (and Docker's stored logins for them) apart.
 */
export function selfUrl(ctx: RequestContext): string {
  const host = typeof ctx.headers.host === 'string' && ctx.headers.host !== '' ? ctx.headers.host : '127.0.0.1';
  return `http://${host.replace(/^localhost(?=:\d+$|$)/i, '127.0.0.1')}`;
}

export interface AuthorizationData {
  authorizationToken: string;
  expiresAtMs: number;
  proxyEndpoint: string;
}

/**
 * GetAuthorizationToken: one entry per registry asked for (all of them this
 * emulator's one registry), each `base64("AWS:" + token)`.
 */
export function authorizationData(env: EmulatorEnv, principal: Principal, region: string, proxyEndpoint: string, registryIds: string[] | undefined): AuthorizationData[] {
  const { token, expiresAtMs } = issueToken(env, principal.accessKeyId, region);
  const entry = { authorizationToken: Buffer.from(`AWS:${token}`).toString('base64'), expiresAtMs, proxyEndpoint };
  return (registryIds ?? [env.accountId]).map(() => entry);
}

/** A presigned-style blob URL: a plain GET with these query parameters needs no other credentials. */
export function signDownload(env: EmulatorEnv, base: string, region: string, repo: string, digest: string): string {
  const expires = env.now() + DOWNLOAD_URL_LIFETIME_MS;
  const sig = signer.mac(env, `download:${region}:${repo}:${digest}:${expires}`);
  const q = new URLSearchParams({ 'X-Berth-Region': region, 'X-Berth-Expires': String(expires), 'X-Berth-Signature': sig });
  return `${base}/v2/${repo}/blobs/${digest}?${q.toString()}`;
}

export type DownloadCheck = { ok: true; region: string } | { ok: false; reason: string } | undefined;

/** Checks a signed download query; undefined when the request carries none. */
export function verifyDownload(env: EmulatorEnv, query: URLSearchParams, repo: string, digest: string): DownloadCheck {
  const sig = query.get('X-Berth-Signature');
  if (sig === null) return undefined;
  const region = query.get('X-Berth-Region') ?? '';
  const expires = Number(query.get('X-Berth-Expires'));
  if (!Number.isFinite(expires)) return { ok: false, reason: 'the download URL is malformed' };
  if (!signer.check(env, `download:${region}:${repo}:${digest}:${expires}`, sig)) {
    return { ok: false, reason: 'the download URL signature does not match' };
  }
  if (env.now() > expires) return { ok: false, reason: 'the download URL has expired' };
  return { ok: true, region };
}
