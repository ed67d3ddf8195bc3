import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';

/**
 * A tiny OpenID Connect issuer for tests of AssumeRoleWithWebIdentity: it
 * serves `/.well-known/openid-configuration` and a JWKS over plain HTTP on a
 * loopback port (the emulator accepts http issuers on loopback only) and
 * mints RS256 ID tokens, like GitHub Actions' token service does.
 */
export interface TestIssuer {
  /** `http://127.0.0.1:<port><path>`, the tokens' `iss`. */
  url: string;
  /** The issuer as IAM's CreateOpenIDConnectProvider wants it (https). */
  providerUrl: string;
  /** `127.0.0.1:<port><path>`: the provider's ARN suffix and condition-key prefix. */
  host: string;
  /** Signs a token; claims override the defaults (iss, iat, nbf, exp = now + 5 min, jti). */
  token(claims: Record<string, unknown>, opts?: { key?: KeyObject; kid?: string; nowSeconds?: number }): string;
  /** A private key the issuer does not publish, for forged tokens. */
  strangerKey: KeyObject;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  close(): Promise<void>;
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export async function startTestIssuer(port: number, path = ''): Promise<TestIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const kid = 'test-key-1';
  const url = `http://127.0.0.1:${port}${path}`;
  let fetches = 0;
  const server = http.createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === `${path}/.well-known/openid-configuration`) {
      send({
        issuer: url,
        jwks_uri: `${url}/.well-known/jwks`,
        subject_types_supported: ['public'],
        response_types_supported: ['id_token'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    } else if (req.url === `${path}/.well-known/jwks`) {
      fetches++;
      send({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] });
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url,
    providerUrl: `https://127.0.0.1:${port}${path}`,
    host: `127.0.0.1:${port}${path}`,
    strangerKey: stranger,
    jwksFetches: () => fetches,
    token(claims, opts = {}) {
      const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
      const header = { alg: 'RS256', typ: 'JWT', kid: opts.kid ?? kid };
      const payload = { iss: url, iat: now, nbf: now, exp: now + 300, jti: randomUUID(), ...claims };
      const input = `${b64url(header)}.${b64url(payload)}`;
      const signature = sign('sha256', Buffer.from(input), opts.key ?? privateKey).toString('base64url');
      return `${input}.${signature}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The claims GitHub Actions puts in its OIDC tokens that trust policies check. */
export function githubClaims(repo: string, branch: string, aud = 'sts.amazonaws.com'): Record<string, unknown> {
  return {
    aud,
    sub: `repo:${repo}:ref:refs/heads/${branch}`,
    repository: repo,
    ref: `refs/heads/${branch}`,
    event_name: 'push',
  };
}
