import { createHash, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  CachePolicyConfig,
  CacheBehavior,
  DefaultCacheBehavior,
  DistributionConfig,
  OriginRequestPolicyConfig,
  ResponseHeadersPolicyConfig,
} from '@aws-sdk/client-cloudfront';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { checkIfMatch, checkQuantities, invalidArgument, newEtag, pageOf, type Page } from './common';
import { MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES, MANAGED_RESPONSE_HEADERS_POLICIES } from './managed-policies';
import { distributionsWhere } from './store';

/**
 * Cache, origin request and response headers policies. The three share one
 * life cycle (managed ones from AWS, custom ones created, updated with
 * If-Match, refused deletion while a cache behavior names them), so one set
 * of functions serves all three, each kind with its own error codes.
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateCachePolicy.html
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateOriginRequestPolicy.html
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateResponseHeadersPolicy.html
 */

export type PolicyKind = 'cache' | 'origin-request' | 'response-headers';
export type PolicyType = 'managed' | 'custom';

interface ConfigOf {
  cache: CachePolicyConfig;
  'origin-request': OriginRequestPolicyConfig;
  'response-headers': ResponseHeadersPolicyConfig;
}

export interface Policy<K extends PolicyKind> {
  id: string;
  type: PolicyType;
  config: ConfigOf[K];
  etag: string;
  lastModified: Date;
}

/** Default quotas: 20 custom policies of each kind, 10 headers, cookies and query strings in each list. */
const MAX_CUSTOM = 20;
const MAX_NAMES = 10;

/** The managed policies are AWS's; they are dated, arbitrarily, to when the emulator learned them. */
const MANAGED_SINCE = new Date('2023-08-01T00:00:00Z');

interface KindRules<K extends PolicyKind> {
  noun: string;
  /** The error code stem: `CachePolicy`, `OriginRequestPolicy`, `ResponseHeadersPolicy`. */
  code: string;
  managed: Readonly<Record<string, ConfigOf[K]>>;
  /** Fills in defaults and refuses what CloudFront refuses; returns the config to store. */
  check(config: ConfigOf[K]): ConfigOf[K];
  /** Which member of a cache behavior names this kind of policy. */
  behaviorMember: 'CachePolicyId' | 'OriginRequestPolicyId' | 'ResponseHeadersPolicyId';
}

type Behavior = DefaultCacheBehavior | CacheBehavior;

export function behaviorsOf(c: DistributionConfig): Behavior[] {
  return [...(c.DefaultCacheBehavior ? [c.DefaultCacheBehavior] : []), ...(c.CacheBehaviors?.Items ?? [])];
}

/** `whitelist` and `allExcept` need names; `none` and `all` take none. */
function checkNames(behavior: string | undefined, list: { Quantity?: number; Items?: string[] } | undefined, what: string, needsNames: readonly string[], tooMany: string): void {
  const n = list?.Items?.length ?? 0;
  if (behavior !== undefined && needsNames.includes(behavior)) {
    if (n === 0) throw invalidArgument(`The ${what} behavior ${behavior} needs at least one ${what} name.`);
  } else if (n > 0) {
    throw invalidArgument(`The ${what} behavior ${String(behavior)} cannot list ${what} names.`);
  }
  if (n > MAX_NAMES) throw new AwsError(tooMany, `The policy lists more than ${MAX_NAMES} ${what} names.`, 400);
}

function checkCachePolicy(c: CachePolicyConfig): CachePolicyConfig {
  const min = c.MinTTL ?? 0;
  // Defaults from CachePolicyConfig: one day and one year, raised to MinTTL / DefaultTTL when those are larger.
  const def = c.DefaultTTL ?? Math.max(86_400, min);
  const max = c.MaxTTL ?? Math.max(31_536_000, def);
  if (min < 0 || min > def || def > max) {
    throw invalidArgument('The TTLs of a cache policy must satisfy 0 ≤ MinTTL ≤ DefaultTTL ≤ MaxTTL.');
  }
  const p = c.ParametersInCacheKeyAndForwardedToOrigin;
  if (p) {
    checkNames(p.HeadersConfig?.HeaderBehavior, p.HeadersConfig?.Headers, 'header', ['whitelist'], 'TooManyHeadersInCachePolicy');
    checkNames(p.CookiesConfig?.CookieBehavior, p.CookiesConfig?.Cookies, 'cookie', ['whitelist', 'allExcept'], 'TooManyCookiesInCachePolicy');
    checkNames(p.QueryStringsConfig?.QueryStringBehavior, p.QueryStringsConfig?.QueryStrings, 'query string', ['whitelist', 'allExcept'], 'TooManyQueryStringsInCachePolicy');
    // With caching disabled there is no cache key to put anything in.
    if (max === 0) {
      const keyed =
        p.EnableAcceptEncodingGzip ||
        p.EnableAcceptEncodingBrotli ||
        (p.HeadersConfig?.HeaderBehavior ?? 'none') !== 'none' ||
        (p.CookiesConfig?.CookieBehavior ?? 'none') !== 'none' ||
        (p.QueryStringsConfig?.QueryStringBehavior ?? 'none') !== 'none';
      if (keyed) {
        throw invalidArgument('A cache policy with caching disabled (MaxTTL 0) cannot include headers, cookies, query strings or compressed encodings in the cache key.');
      }
    }
  }
  return { ...c, MinTTL: min, DefaultTTL: def, MaxTTL: max };
}

function checkOriginRequestPolicy(c: OriginRequestPolicyConfig): OriginRequestPolicyConfig {
  checkNames(c.HeadersConfig?.HeaderBehavior, c.HeadersConfig?.Headers, 'header', ['whitelist', 'allViewerAndWhitelistCloudFront', 'allExcept'], 'TooManyHeadersInOriginRequestPolicy');
  checkNames(c.CookiesConfig?.CookieBehavior, c.CookiesConfig?.Cookies, 'cookie', ['whitelist', 'allExcept'], 'TooManyCookiesInOriginRequestPolicy');
  checkNames(c.QueryStringsConfig?.QueryStringBehavior, c.QueryStringsConfig?.QueryStrings, 'query string', ['whitelist', 'allExcept'], 'TooManyQueryStringsInOriginRequestPolicy');
  return c;
}

function checkResponseHeadersPolicy(c: ResponseHeadersPolicyConfig): ResponseHeadersPolicyConfig {
  const custom = c.CustomHeadersConfig?.Items ?? [];
  if (custom.length > MAX_NAMES) {
    throw new AwsError('TooManyCustomHeadersInResponseHeadersPolicy', `A response headers policy can add at most ${MAX_NAMES} custom headers.`, 400);
  }
  const removed = c.RemoveHeadersConfig?.Items ?? [];
  if (removed.length > MAX_NAMES) {
    throw new AwsError('TooManyRemoveHeadersInResponseHeadersPolicy', `A response headers policy can remove at most ${MAX_NAMES} headers.`, 400);
  }
  const seen = new Set<string>();
  for (const h of custom) {
    const name = (h.Header ?? '').toLowerCase();
    if (seen.has(name)) throw invalidArgument(`The custom header ${h.Header ?? ''} is given more than once.`);
    seen.add(name);
  }
  const cors = c.CorsConfig;
  if (cors?.AccessControlAllowCredentials && (cors.AccessControlAllowOrigins?.Items ?? []).includes('*')) {
    throw invalidArgument('Access-Control-Allow-Credentials cannot be true when Access-Control-Allow-Origins is *.');
  }
  return c;
}

const RULES: { [K in PolicyKind]: KindRules<K> } = {
  cache: { noun: 'cache policy', code: 'CachePolicy', managed: MANAGED_CACHE_POLICIES, check: checkCachePolicy, behaviorMember: 'CachePolicyId' },
  'origin-request': {
    noun: 'origin request policy',
    code: 'OriginRequestPolicy',
    managed: MANAGED_ORIGIN_REQUEST_POLICIES,
    check: checkOriginRequestPolicy,
    behaviorMember: 'OriginRequestPolicyId',
  },
  'response-headers': {
    noun: 'response headers policy',
    code: 'ResponseHeadersPolicy',
    managed: MANAGED_RESPONSE_HEADERS_POLICIES,
    check: checkResponseHeadersPolicy,
    behaviorMember: 'ResponseHeadersPolicyId',
  },
};

export function noSuchPolicy(kind: PolicyKind): AwsError {
  const r = RULES[kind];
  return new AwsError(`NoSuch${r.code}`, `The ${r.noun} does not exist.`, 404);
}

/** A stable ETag for a managed policy (it never changes). */
function managedEtag(id: string): string {
  return `E${createHash('sha256').update(id).digest('hex').slice(0, 13).toUpperCase()}`;
}

interface PolicyRow {
  kind: string;
  id: string;
  name: string;
  etag: string;
  config_json: string;
  last_modified_ms: number;
}

function fromRow<K extends PolicyKind>(row: PolicyRow): Policy<K> {
  return { id: row.id, type: 'custom', config: JSON.parse(row.config_json) as ConfigOf[K], etag: row.etag, lastModified: new Date(row.last_modified_ms) };
}

function managedPolicy<K extends PolicyKind>(kind: K, id: string): Policy<K> | undefined {
  const config = RULES[kind].managed[id] as ConfigOf[K] | undefined;
  return config ? { id, type: 'managed', config, etag: managedEtag(id), lastModified: MANAGED_SINCE } : undefined;
}

export function findPolicy<K extends PolicyKind>(db: Database.Database, kind: K, id: string): Policy<K> | undefined {
  const managed = managedPolicy(kind, id);
  if (managed) return managed;
  const row = db.prepare('SELECT * FROM cloudfront_policies WHERE kind = ? AND id = ?').get(kind, id) as PolicyRow | undefined;
  return row ? fromRow<K>(row) : undefined;
}

export function requirePolicy<K extends PolicyKind>(db: Database.Database, kind: K, id: string): Policy<K> {
  const p = findPolicy(db, kind, id);
  if (!p) throw noSuchPolicy(kind);
  return p;
}

/** Managed first (AWS lists them first), then custom, each in id order; `type` narrows to one. */
export function listPolicies<K extends PolicyKind>(db: Database.Database, kind: K, input: { Type?: string; Marker?: string; MaxItems?: number }): Page<Policy<K>> {
  const type = input.Type ?? 'all';
  if (!['all', 'managed', 'custom'].includes(type)) throw invalidArgument(`The policy type ${type} is not valid: use managed or custom.`);
  const managed = type === 'custom' ? [] : Object.keys(RULES[kind].managed).sort().map((id) => managedPolicy(kind, id)!);
  const custom =
    type === 'managed'
      ? []
      : (db.prepare('SELECT * FROM cloudfront_policies WHERE kind = ? ORDER BY id').all(kind) as PolicyRow[]).map((r) => fromRow<K>(r));
  // The marker is the position in this combined order, so both halves page alike.
  const all = [...managed, ...custom].map((p, i) => ({ p, key: String(i).padStart(6, '0') }));
  const page = pageOf(all, (x) => x.key, input);
  return { ...page, items: page.items.map((x) => x.p) };
}

function nameTaken(db: Database.Database, kind: PolicyKind, name: string, exceptId?: string): void {
  const r = RULES[kind];
  const managed = Object.values(r.managed).some((c) => c.Name === name);
  const other = db.prepare('SELECT id FROM cloudfront_policies WHERE kind = ? AND name = ?').get(kind, name) as { id: string } | undefined;
  if (managed || (other && other.id !== exceptId)) {
    throw new AwsError(`${r.code}AlreadyExists`, `A ${r.noun} with the name ${name} already exists${other ? `: ${other.id}` : ''}.`, 409);
  }
}

export function createPolicy<K extends PolicyKind>(env: EmulatorEnv, kind: K, input: ConfigOf[K]): Policy<K> {
  const r = RULES[kind] as KindRules<K>;
  checkQuantities(input, `${r.code}Config`);
  const config = r.check(input);
  const db = env.db;
  return db
    .transaction(() => {
      nameTaken(db, kind, config.Name ?? '');
      const n = (db.prepare('SELECT COUNT(*) AS n FROM cloudfront_policies WHERE kind = ?').get(kind) as { n: number }).n;
      if (n >= MAX_CUSTOM) {
        const plural = r.code.replace(/Policy$/, 'Policies');
        throw new AwsError(`TooMany${plural}`, `You have reached the maximum number of ${r.noun} objects (${MAX_CUSTOM}) for this AWS account.`, 400);
      }
      const row: PolicyRow = { kind, id: randomUUID(), name: config.Name ?? '', etag: newEtag(), config_json: JSON.stringify(config), last_modified_ms: env.now() };
      db.prepare('INSERT INTO cloudfront_policies (kind, id, name, etag, config_json, last_modified_ms) VALUES (@kind, @id, @name, @etag, @config_json, @last_modified_ms)').run(row);
      return fromRow<K>(row);
    })
    .immediate();
}

export function updatePolicy<K extends PolicyKind>(env: EmulatorEnv, kind: K, id: string, ifMatch: string | undefined, input: ConfigOf[K]): Policy<K> {
  const r = RULES[kind] as KindRules<K>;
  const db = env.db;
  return db
    .transaction(() => {
      const current = requirePolicy(db, kind, id);
      if (current.type === 'managed') throw new AwsError('IllegalUpdate', `A managed ${r.noun} cannot be changed.`, 400);
      checkIfMatch(ifMatch, current.etag);
      checkQuantities(input, `${r.code}Config`);
      const config = r.check(input);
      nameTaken(db, kind, config.Name ?? '', id);
      const row: PolicyRow = { kind, id, name: config.Name ?? '', etag: newEtag(), config_json: JSON.stringify(config), last_modified_ms: env.now() };
      db.prepare('UPDATE cloudfront_policies SET name = @name, etag = @etag, config_json = @config_json, last_modified_ms = @last_modified_ms WHERE kind = @kind AND id = @id').run(row);
      return fromRow<K>(row);
    })
    .immediate();
}

/** Distributions with a cache behavior that names the policy. */
export function distributionsUsingPolicy(db: Database.Database, kind: PolicyKind, id: string): string[] {
  const member = RULES[kind].behaviorMember;
  return distributionsWhere(db, (c) => behaviorsOf(c).some((b) => b[member] === id));
}

export function deletePolicy(env: EmulatorEnv, kind: PolicyKind, id: string, ifMatch: string | undefined): void {
  const r = RULES[kind];
  const db = env.db;
  db.transaction(() => {
    const current = requirePolicy(db, kind, id);
    if (current.type === 'managed') throw new AwsError('IllegalDelete', `A managed ${r.noun} cannot be deleted.`, 400);
    checkIfMatch(ifMatch, current.etag);
    const users = distributionsUsingPolicy(db, kind, id);
    if (users.length > 0) {
      throw new AwsError(`${r.code}InUse`, `Cannot delete the ${r.noun} because it is attached to one or more cache behaviors: ${users.join(', ')}.`, 409);
    }
    db.prepare('DELETE FROM cloudfront_policies WHERE kind = ? AND id = ?').run(kind, id);
  }).immediate();
}

export interface Ttls {
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
}

/** The TTLs a cache behaviour applies: its cache policy's, or the legacy MinTTL/DefaultTTL/MaxTTL. */
export function behaviorTtls(db: Database.Database, b: Behavior): Ttls {
  const policy = b.CachePolicyId ? findPolicy(db, 'cache', b.CachePolicyId) : undefined;
  if (policy) {
    const c = policy.config;
    return { minTtl: c.MinTTL ?? 0, defaultTtl: c.DefaultTTL ?? 86_400, maxTtl: c.MaxTTL ?? 31_536_000 };
  }
  return { minTtl: b.MinTTL ?? 0, defaultTtl: b.DefaultTTL ?? 86_400, maxTtl: b.MaxTTL ?? 31_536_000 };
}

/**
 * How long CloudFront keeps a response (seconds), from the origin's
 * Cache-Control and the behaviour's TTLs: s-maxage or max-age clamped to
 * [min, max]; no-store/no-cache/private fall back to the minimum; otherwise
 * the default TTL.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Expiration.html
 */
export function responseTtl(ttls: Ttls, cacheControl: string | undefined): number {
  if (ttls.maxTtl === 0) return 0;
  const cc = (cacheControl ?? '').toLowerCase();
  const directive = (name: string) => new RegExp(`(?:^|[,\\s])${name}\\s*=\\s*"?(\\d+)`).exec(cc)?.[1];
  const age = directive('s-maxage') ?? directive('max-age');
  if (age !== undefined) return Math.min(Math.max(Number(age), ttls.minTtl), ttls.maxTtl);
  if (/(?:^|[,\s])(no-store|no-cache|private)\b/.test(cc)) return ttls.minTtl;
  return Math.max(ttls.defaultTtl, ttls.minTtl);
}
