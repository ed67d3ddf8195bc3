// A minimal OpenID Connect provider for the end-to-end tests: discovery, an
// authorization page where the test picks a person, the code flow with PKCE,
// RS256-signed ID tokens and a JWKS. Written for these tests only; it checks
// what a real provider checks (client secret, redirect URI, PKCE verifier) so
// Berth's side of the flow runs as it would against a real issuer.
import crypto from 'node:crypto';
import http from 'node:http';

const port = Number(process.env.OIDC_PORT ?? 45662);
const issuer = `http://127.0.0.1:${port}`;
const clientId = process.env.OIDC_CLIENT_ID ?? 'berth';
const clientSecret = process.env.OIDC_CLIENT_SECRET ?? 'berth-test-secret';
const redirectPrefix = process.env.OIDC_REDIRECT_PREFIX ?? 'http://127.0.0.1:';

const PEOPLE = {
  alice: { email: 'alice@corp.example', name: 'Alice Admin', groups: ['engineering', 'platform-admins'] },
  bob: { email: 'bob@corp.example', name: 'Bob Builder', groups: ['engineering'] },
  eve: { email: 'eve@corp.example', name: 'Eve Outsider', groups: ['sales'] },
};

const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = 'test-key-1';
const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
const codes = new Map();

const b64url = (buf) => Buffer.from(buf).toString('base64url');
function sign(claims) {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  const sig = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privateKey);
  return `${head}.${body}.${b64url(sig)}`;
}

function json(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

async function readBody(req) {
  let data = '';
  for await (const chunk of req) data += chunk;
  return new URLSearchParams(data);
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', issuer);
  if (url.pathname === '/.well-known/openid-configuration') {
    return json(res, 200, {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'email', 'profile'],
    });
  }
  if (url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
  if (url.pathname === '/authorize') {
    const q = url.searchParams;
    const redirect = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== clientId || !redirect.startsWith(redirectPrefix)) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      return res.end('unknown client or redirect_uri');
    }
    const who = q.get('person');
    if (!who) {
      // The "login page": one link per person, keeping the request's parameters.
      const links = Object.entries(PEOPLE)
        .map(([id, p]) => `<li><a href="/authorize?${q.toString()}&person=${id}">Sign in as ${p.name}</a></li>`)
        .join('');
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(`<!doctype html><title>Test IdP</title><h1>Test IdP</h1><ul>${links}</ul>`);
    }
    const code = crypto.randomBytes(16).toString('hex');
    codes.set(code, { who, nonce: q.get('nonce'), challenge: q.get('code_challenge'), redirect });
    const back = new URL(redirect);
    back.searchParams.set('code', code);
    if (q.get('state')) back.searchParams.set('state', q.get('state'));
    back.searchParams.set('iss', issuer);
    res.writeHead(302, { location: back.toString() });
    return res.end();
  }
  if (url.pathname === '/token' && req.method === 'POST') {
    const form = await readBody(req);
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      const [u, p] = Buffer.from(basic[1], 'base64').toString().split(':');
      id = decodeURIComponent(u ?? '');
      secret = decodeURIComponent(p ?? '');
    }
    if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: 'invalid_client' });
    const grant = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    if (!grant || grant.redirect !== form.get('redirect_uri')) return json(res, 400, { error: 'invalid_grant', error_description: 'unknown code or redirect_uri mismatch' });
    const verifier = form.get('code_verifier') ?? '';
    if (grant.challenge && b64url(crypto.createHash('sha256').update(verifier).digest()) !== grant.challenge) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    }
    const person = PEOPLE[grant.who];
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer, aud: clientId, sub: grant.who, iat: now, exp: now + 300, email: person.email, email_verified: true, name: person.name, groups: person.groups };
    if (grant.nonce) claims.nonce = grant.nonce;
    const accessToken = crypto.randomBytes(16).toString('hex');
    codes.set(`at:${accessToken}`, claims);
    return json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300, id_token: sign(claims), scope: 'openid email profile' });
  }
  if (url.pathname === '/userinfo') {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const claims = token ? codes.get(`at:${token}`) : undefined;
    if (!claims) return json(res, 401, { error: 'invalid_token' });
    const { sub, email, name, groups } = claims;
    return json(res, 200, { sub, email, name, groups });
  }
  if (url.pathname === '/health') return json(res, 200, { ok: true });
  json(res, 404, { error: 'not_found' });
});

server.listen(port, '127.0.0.1', () => console.log(`Test OIDC provider at ${issuer}`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
