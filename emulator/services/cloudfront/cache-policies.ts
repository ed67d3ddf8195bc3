/**
 * AWS's managed cache policies, by the ids the API uses. The emulator has no
 * CreateCachePolicy, so these are the only ids a cache behaviour may name.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
 */
export interface CachePolicy {
  name: string;
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
}

export const MANAGED_CACHE_POLICIES: Readonly<Record<string, CachePolicy>> = {
  '658327ea-f89d-4fab-a63d-7e88639e58f6': { name: 'Managed-CachingOptimized', minTtl: 1, defaultTtl: 86400, maxTtl: 31536000 },
  'b2884449-e4de-46a7-ac36-70bc7f1ddd6d': { name: 'Managed-CachingOptimizedForUncompressedObjects', minTtl: 1, defaultTtl: 86400, maxTtl: 31536000 },
  '4135ea2d-6df8-44a3-9df3-4b5a84be39ad': { name: 'Managed-CachingDisabled', minTtl: 0, defaultTtl: 0, maxTtl: 0 },
  '83da9c7e-98b4-4e11-a168-04f0df8e2c65': { name: 'Managed-UseOriginCacheControlHeaders', minTtl: 0, defaultTtl: 0, maxTtl: 31536000 },
  '4cc15a8a-d715-48a4-82b8-cc0b614638fe': { name: 'Managed-UseOriginCacheControlHeaders-QueryStrings', minTtl: 0, defaultTtl: 0, maxTtl: 31536000 },
  '2e54312d-136d-493c-8eb9-b001f22f67d2': { name: 'Managed-Amplify', minTtl: 2, defaultTtl: 2, maxTtl: 600 },
  '08627262-05a9-4f76-9ded-b50ca2e3a84f': { name: 'Managed-Elemental-MediaPackage', minTtl: 0, defaultTtl: 86400, maxTtl: 31536000 },
};

/** The TTLs a cache behaviour applies: its cache policy's, or the legacy MinTTL/DefaultTTL/MaxTTL. */
export function behaviorTtls(b: { CachePolicyId?: string; MinTTL?: number; DefaultTTL?: number; MaxTTL?: number }): CachePolicy {
  const policy = b.CachePolicyId ? MANAGED_CACHE_POLICIES[b.CachePolicyId] : undefined;
  if (policy) return policy;
  return { name: 'legacy', minTtl: b.MinTTL ?? 0, defaultTtl: b.DefaultTTL ?? 86400, maxTtl: b.MaxTTL ?? 31536000 };
}

/**
 * How long CloudFront keeps a response (seconds), from the origin's
 * Cache-Control and the behaviour's TTLs: s-maxage or max-age clamped to
 * [min, max]; no-store/no-cache/private fall back to the minimum; otherwise
 * the default TTL.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Expiration.html
 */
export function responseTtl(ttls: CachePolicy, cacheControl: string | undefined): number {
  if (ttls.maxTtl === 0) return 0;
  const cc = (cacheControl ?? '').toLowerCase();
  const directive = (name: string) => new RegExp(`(?:^|[,\\s])${name}\\s*=\\s*"?(\\d+)`).exec(cc)?.[1];
  const age = directive('s-maxage') ?? directive('max-age');
  if (age !== undefined) return Math.min(Math.max(Number(age), ttls.minTtl), ttls.maxTtl);
  if (/(?:^|[,\s])(no-store|no-cache|private)\b/.test(cc)) return ttls.minTtl;
  return Math.max(ttls.defaultTtl, ttls.minTtl);
}
