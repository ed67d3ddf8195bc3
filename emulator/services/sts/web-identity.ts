import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { AssumeRoleWithWebIdentityCommandInput, AssumeRoleWithWebIdentityCommandOutput } from '@aws-sdk/client-sts';
import { AwsError } from '../../core/errors';
import { authorize, globalContext, parsePolicy, type ContextInput, type LoadedPolicy } from '../../core/policy/index';
import type { RequestContext } from '../../core/types';
import { findOidcProvider, findRole } from '../iam/directory';
import { checkSessionPolicy, credentialsOutput, packedPolicySize, sessionDuration, startRoleSession } from './assume-role';

/**
 * AssumeRoleWithWebIdentity with OpenID Connect ID tokens: the token is a
 * JWT whose issuer must be an OIDC provider registered in IAM, whose audience
 * must be one of that provider's client ids, which must be in date, and whose
 * signature must verify against a key the issuer publishes (its discovery
 * document's jwks_uri). Then the role's trust policy must allow the provider
 * (Principal Federated) with the token's claims as condition keys.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 */

const invalidToken = (message: string) => new AwsError('InvalidIdentityToken', message, 400);
const idpError = (message: string) => new AwsError('IDPCommunicationError', message, 400);

interface JwtParts {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
}

function decodePart(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
  return value as Record<string, unknown>;
}

function parseJwt(token: string): JwtParts {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) throw invalidToken("Couldn't parse the web identity token: it is not a JWT.");
  try {
    return {
      header: decodePart(parts[0]!),
      claims: decodePart(parts[1]!),
      signingInput: Buffer.from(`${parts[0]}.${parts[1]}`),
      signature: Buffer.from(parts[2]!, 'base64url'),
    };
  } catch {
    throw invalidToken("Couldn't parse the web identity token: its header or payload is not JSON.");
  }
}

/**
 * Loopback hosts, for which the emulator also accepts an `http://` issuer.
 * AWS accepts only https issuers; a local test issuer without TLS is the
 * emulator's one exception, and only on this machine's loopback addresses.
 */
function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** `https://host/path` → `host/path` (how IAM keys providers); undefined for a URL STS would not fetch. */
function issuerKey(iss: string): { key: string; url: URL } | undefined {
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) return undefined;
  if (url.search || url.hash) return undefined;
  const key = `${url.host}${url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '')}`;
  return { key, url };
}

/** A URL the emulator may fetch for this issuer: https, or http on loopback when the issuer itself is a loopback http one. */
function fetchable(raw: unknown, issuer: URL): URL | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol === 'https:') return u;
    if (u.protocol === 'http:' && issuer.protocol === 'http:' && isLoopback(u.hostname)) return u;
  } catch {
    // fall through
  }
  return undefined;
}

const FETCH_TIMEOUT_MS = 5000;

async function fetchJson(url: URL): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  } catch {
    throw idpError(`Couldn't reach the identity provider at ${url.origin} to fetch ${url.pathname}.`);
  }
  if (!res.ok) throw idpError(`The identity provider answered HTTP ${res.status} for ${url.href}.`);
  try {
    return await res.json();
  } catch {
    throw idpError(`The identity provider's answer at ${url.href} is not JSON.`);
  }
}

// The algorithms STS accepts for OIDC tokens: RSA and ECDSA signatures.
const ALGORITHMS: Record<string, { hash: string; kty: string; ecdsa?: boolean }> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  ES256: { hash: 'sha256', kty: 'EC', ecdsa: true },
  ES384: { hash: 'sha384', kty: 'EC', ecdsa: true },
  ES512: { hash: 'sha512', kty: 'EC', ecdsa: true },
};

const VERIFICATION_KEY_ERROR =
  "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements";

/** Fetches the issuer's signing keys (discovery → jwks_uri) and checks the token's signature with the one it names. */
async function verifySignature(jwt: JwtParts, issuer: URL): Promise<void> {
  const alg = typeof jwt.header.alg === 'string' ? ALGORITHMS[jwt.header.alg] : undefined;
  if (!alg) throw invalidToken(`The web identity token's signing algorithm (${String(jwt.header.alg)}) is not supported.`);
  const base = issuer.href.replace(/\/$/, '');
  const discovery = await fetchJson(new URL(`${base}/.well-known/openid-configuration`));
  const jwksUri = fetchable((discovery as { jwks_uri?: unknown } | null)?.jwks_uri, issuer);
  if (!jwksUri) throw invalidToken(VERIFICATION_KEY_ERROR);
  const jwks = await fetchJson(jwksUri);
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw invalidToken(VERIFICATION_KEY_ERROR);
  const kid = jwt.header.kid;
  const candidates = (keys as JsonWebKey[]).filter(
    (k) => k && typeof k === 'object' && k.kty === alg.kty && (kid === undefined || k.kid === kid) && (k.use === undefined || k.use === 'sig'),
  );
  if (candidates.length === 0) throw invalidToken(VERIFICATION_KEY_ERROR);
  for (const jwk of candidates) {
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      continue;
    }
    const ok = verify(alg.hash, jwt.signingInput, alg.ecdsa ? { key, dsaEncoding: 'ieee-p1363' } : key, jwt.signature);
    if (ok) return;
  }
  throw invalidToken('The web identity token\'s signature does not verify with any key the identity provider publishes.');
}

function audiences(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}

function numericDate(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Session tags and a source identity an identity provider puts in its tokens:
 * `"https://aws.amazon.com/tags": {"principal_tags": {"team": ["web"]},
 * "transitive_tag_keys": ["team"]}` and `"https://aws.amazon.com/source_identity"`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_adding-assume-role-idp
 */
const TAGS_CLAIM = 'https://aws.amazon.com/tags';
const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity';

function tokenTags(claims: Record<string, unknown>): { tags: Record<string, string>; transitiveTagKeys: string[] } {
  const claim = claims[TAGS_CLAIM];
  if (typeof claim !== 'object' || claim === null) return { tags: {}, transitiveTagKeys: [] };
  const { principal_tags: principalTags, transitive_tag_keys: transitive } = claim as { principal_tags?: unknown; transitive_tag_keys?: unknown };
  const tags: Record<string, string> = {};
  if (typeof principalTags === 'object' && principalTags !== null) {
    for (const [k, v] of Object.entries(principalTags)) {
      // Each tag is a list of one value in the token.
      const value = Array.isArray(v) ? v[0] : v;
      if (typeof value === 'string') tags[k] = value;
    }
  }
  const transitiveTagKeys = Array.isArray(transitive) ? transitive.filter((k): k is string => typeof k === 'string' && k in tags) : [];
  return { tags, transitiveTagKeys };
}

/** Tolerance for iat/nbf a little ahead of the emulator's clock, as issuers' clocks drift. */
const CLOCK_SKEW_SECONDS = 300;

export async function assumeRoleWithWebIdentity(
  input: AssumeRoleWithWebIdentityCommandInput,
  ctx: RequestContext,
): Promise<Omit<AssumeRoleWithWebIdentityCommandOutput, '$metadata'>> {
  const db = ctx.env.db;
  const jwt = parseJwt(input.WebIdentityToken!);
  const claims = jwt.claims;

  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const issuer = issuerKey(iss);
  const providerArn = issuer ? `arn:aws:iam::${ctx.env.accountId}:oidc-provider/${issuer.key}` : undefined;
  const provider = providerArn ? findOidcProvider(db, providerArn) : undefined;
  if (!issuer || !provider) throw invalidToken(`No OpenIDConnect provider found in your account for ${iss}`);

  const tokenAudiences = audiences(claims);
  const audience = tokenAudiences.find((a) => provider.clientIds.includes(a));
  if (audience === undefined) throw invalidToken('Incorrect token audience');

  const nowSeconds = Math.floor(ctx.env.now() / 1000);
  const exp = numericDate(claims.exp);
  if (exp === undefined) throw invalidToken('The web identity token has no expiration time (exp).');
  if (nowSeconds >= exp) {
    throw new AwsError('ExpiredTokenException', `Token expired: current date/time ${nowSeconds} must be before the expiration date/time ${exp}`, 400);
  }
  const nbf = numericDate(claims.nbf);
  const iat = numericDate(claims.iat);
  if ((nbf !== undefined && nbf > nowSeconds + CLOCK_SKEW_SECONDS) || (iat !== undefined && iat > nowSeconds + CLOCK_SKEW_SECONDS)) {
    throw invalidToken('The web identity token is not valid yet (its nbf or iat is in the future).');
  }
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (sub === undefined) throw invalidToken('The web identity token has no subject (sub).');

  await verifySignature(jwt, issuer.url);

  const denied = () => new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
  const role = findRole(db, input.RoleArn!);
  if (!role) throw denied();

  // The token's claims as IAM's condition keys for OIDC federation:
  // <provider>:aud (azp when the token has one, else aud), :oaud (the other audiences), :sub, :amr.
  const azp = typeof claims.azp === 'string' ? claims.azp : undefined;
  const context: ContextInput = {
    ...globalContext({}, { now: new Date(ctx.env.now()), secureTransport: false, sourceIp: ctx.req.socket.remoteAddress, region: ctx.region }),
    'aws:FederatedProvider': provider.arn,
    'sts:RoleSessionName': input.RoleSessionName!,
    [`${provider.url}:aud`]: azp ?? audience,
    [`${provider.url}:sub`]: sub,
  };
  const others = tokenAudiences.filter((a) => a !== (azp ?? audience));
  if (others.length) context[`${provider.url}:oaud`] = others;
  if (Array.isArray(claims.amr)) context[`${provider.url}:amr`] = claims.amr.filter((a): a is string => typeof a === 'string');
  // An anonymous-looking caller is right here: the federated principal has no AWS identity yet.
  delete context['aws:PrincipalType'];
  delete context['aws:userid'];
  delete context['aws:PrincipalAccount'];

  const { tags, transitiveTagKeys } = tokenTags(claims);
  const sourceIdentity = typeof claims[SOURCE_IDENTITY_CLAIM] === 'string' ? (claims[SOURCE_IDENTITY_CLAIM] as string) : undefined;
  if (Object.keys(tags).length) {
    for (const [k, v] of Object.entries(tags)) context[`aws:RequestTag/${k}`] = v;
    context['aws:TagKeys'] = Object.keys(tags);
  }
  if (transitiveTagKeys.length) context['sts:TransitiveTagKeys'] = transitiveTagKeys;
  if (sourceIdentity !== undefined) context['sts:SourceIdentity'] = sourceIdentity;

  // The trust policy must allow the call, and sts:TagSession / sts:SetSourceIdentity
  // when the token carries session tags or a source identity.
  const actions = ['sts:AssumeRoleWithWebIdentity'];
  if (Object.keys(tags).length) actions.push('sts:TagSession');
  if (sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  let trust: LoadedPolicy;
  try {
    trust = { source: { id: 'AssumeRolePolicyDocument', type: 'resource' }, policy: parsePolicy(role.trustPolicy, 'trust', { validate: false }) };
  } catch {
    throw denied();
  }
  for (const action of actions) {
    const result = authorize({
      caller: { type: 'Federated', provider: provider.arn },
      action,
      resource: role.arn,
      context,
      resourcePolicy: trust,
      resourcePolicyMustAllow: true,
    });
    if (result.decision !== 'allowed') throw denied();
  }

  checkSessionPolicy(input.Policy);
  const policyArns = (input.PolicyArns ?? []).map((p) => p.arn ?? '');
  const durationSeconds = sessionDuration(role, input.DurationSeconds, false);
  const packed = packedPolicySize(input.Policy, policyArns, tags);

  const out = startRoleSession(ctx, role, {
    sessionName: input.RoleSessionName!,
    durationSeconds,
    sourceIdentity,
    tags,
    transitiveTagKeys,
    policy: input.Policy,
    policyArns,
    federatedProvider: provider.arn,
    packedPolicySize: packed,
  });
  return {
    Credentials: credentialsOutput(out.credentials),
    SubjectFromWebIdentityToken: sub,
    AssumedRoleUser: { AssumedRoleId: out.assumedRoleId, Arn: out.arn },
    ...(out.packedPolicySize !== undefined ? { PackedPolicySize: out.packedPolicySize } : {}),
    // Real answers carry the provider's ARN here (the API reference's "the iss field" describes other providers).
    Provider: provider.arn,
    Audience: audience,
    ...(out.sourceIdentity !== undefined ? { SourceIdentity: out.sourceIdentity } : {}),
  };
}
