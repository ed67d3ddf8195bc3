import type { CachePolicyConfig, OriginRequestPolicyConfig, ResponseHeadersPolicyConfig } from '@aws-sdk/client-cloudfront';

/**
 * The policies AWS manages, by the ids the API uses. Every account sees them;
 * nobody can change or delete them. Names, ids and settings follow the
 * CloudFront Developer Guide:
 *   "Use managed cache policies"
 *     https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
 *   "Use managed origin request policies"
 *     https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html
 *   "Use managed response headers policies"
 *     https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html
 * (read through the docs corpus and the guide's published source, awsdocs/amazon-cloudfront-developer-guide).
 * Left out: the Amplify Hosting cache policies (Amplify-Default and its kin,
 * which the guide says only Amplify itself should use) and HostHeaderOnly,
 * whose ids we could not confirm from the guide.
 * The `Comment` texts are ours; AWS's own wording is not reproduced.
 */

const ONE_YEAR = 31_536_000;
const ONE_DAY = 86_400;

const list = (items: string[]) => ({ Quantity: items.length, Items: items });

function cachePolicy(
  name: string,
  comment: string,
  ttl: { min: number; def: number; max: number },
  key: { gzip: boolean; brotli: boolean; headers?: string[]; cookies: 'none' | 'all'; queryStrings: 'none' | 'all' | string[] },
): CachePolicyConfig {
  return {
    Name: `Managed-${name}`,
    Comment: comment,
    MinTTL: ttl.min,
    DefaultTTL: ttl.def,
    MaxTTL: ttl.max,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: key.gzip,
      EnableAcceptEncodingBrotli: key.brotli,
      HeadersConfig: key.headers ? { HeaderBehavior: 'whitelist', Headers: list(key.headers) } : { HeaderBehavior: 'none' },
      CookiesConfig: { CookieBehavior: key.cookies },
      QueryStringsConfig: Array.isArray(key.queryStrings)
        ? { QueryStringBehavior: 'whitelist', QueryStrings: list(key.queryStrings) }
        : { QueryStringBehavior: key.queryStrings },
    },
  };
}

const ORIGIN_CACHE_CONTROL_HEADERS = ['Host', 'Origin', 'X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'];

export const MANAGED_CACHE_POLICIES: Readonly<Record<string, CachePolicyConfig>> = {
  '2e54312d-136d-493c-8eb9-b001f22f67d2': cachePolicy(
    'Amplify',
    'For an AWS Amplify web app origin.',
    { min: 2, def: 2, max: 600 },
    { gzip: true, brotli: true, headers: ['Authorization', 'CloudFront-Viewer-Country', 'Host'], cookies: 'all', queryStrings: 'all' },
  ),
  '4135ea2d-6df8-44a3-9df3-4b5a84be39ad': cachePolicy(
    'CachingDisabled',
    'Nothing is cached.',
    { min: 0, def: 0, max: 0 },
    { gzip: false, brotli: false, cookies: 'none', queryStrings: 'none' },
  ),
  '658327ea-f89d-4fab-a63d-7e88639e58f6': cachePolicy(
    'CachingOptimized',
    'Cached with a minimal cache key; Gzip and Brotli objects cached apart.',
    { min: 1, def: ONE_DAY, max: ONE_YEAR },
    { gzip: true, brotli: true, cookies: 'none', queryStrings: 'none' },
  ),
  'b2884449-e4de-46a7-ac36-70bc7f1ddd6d': cachePolicy(
    'CachingOptimizedForUncompressedObjects',
    'Cached with a minimal cache key, without compressed variants.',
    { min: 1, def: ONE_DAY, max: ONE_YEAR },
    { gzip: false, brotli: false, cookies: 'none', queryStrings: 'none' },
  ),
  '08627262-05a9-4f76-9ded-b50ca2e3a84f': cachePolicy(
    'Elemental-MediaPackage',
    'For an AWS Elemental MediaPackage endpoint origin.',
    { min: 0, def: ONE_DAY, max: ONE_YEAR },
    { gzip: true, brotli: false, headers: ['Origin'], cookies: 'none', queryStrings: ['aws.manifestfilter', 'start', 'end', 'm'] },
  ),
  '83da9c7e-98b4-4e11-a168-04f0df8e2c65': cachePolicy(
    'UseOriginCacheControlHeaders',
    "Honours the origin's Cache-Control headers; caches nothing by default.",
    { min: 0, def: 0, max: ONE_YEAR },
    { gzip: true, brotli: true, headers: ORIGIN_CACHE_CONTROL_HEADERS, cookies: 'all', queryStrings: 'none' },
  ),
  '4cc15a8a-d715-48a4-82b8-cc0b614638fe': cachePolicy(
    'UseOriginCacheControlHeaders-QueryStrings',
    "Honours the origin's Cache-Control headers, with query strings in the cache key.",
    { min: 0, def: 0, max: ONE_YEAR },
    { gzip: true, brotli: true, headers: ORIGIN_CACHE_CONTROL_HEADERS, cookies: 'all', queryStrings: 'all' },
  ),
};

function originRequestPolicy(
  name: string,
  comment: string,
  headers: OriginRequestPolicyConfig['HeadersConfig'],
  cookies: 'none' | 'all',
  queryStrings: 'none' | 'all',
): OriginRequestPolicyConfig {
  return {
    Name: `Managed-${name}`,
    Comment: comment,
    HeadersConfig: headers,
    CookiesConfig: { CookieBehavior: cookies },
    QueryStringsConfig: { QueryStringBehavior: queryStrings },
  };
}

const CLOUDFRONT_HEADERS_2022_06 = [
  'CloudFront-Forwarded-Proto',
  'CloudFront-Is-Android-Viewer',
  'CloudFront-Is-Desktop-Viewer',
  'CloudFront-Is-IOS-Viewer',
  'CloudFront-Is-Mobile-Viewer',
  'CloudFront-Is-SmartTV-Viewer',
  'CloudFront-Is-Tablet-Viewer',
  'CloudFront-Viewer-Address',
  'CloudFront-Viewer-ASN',
  'CloudFront-Viewer-City',
  'CloudFront-Viewer-Country',
  'CloudFront-Viewer-Country-Name',
  'CloudFront-Viewer-Country-Region',
  'CloudFront-Viewer-Country-Region-Name',
  'CloudFront-Viewer-Http-Version',
  'CloudFront-Viewer-Latitude',
  'CloudFront-Viewer-Longitude',
  'CloudFront-Viewer-Metro-Code',
  'CloudFront-Viewer-Postal-Code',
  'CloudFront-Viewer-Time-Zone',
  'CloudFront-Viewer-TLS',
];

export const MANAGED_ORIGIN_REQUEST_POLICIES: Readonly<Record<string, OriginRequestPolicyConfig>> = {
  '216adef6-5c7f-47e4-b989-5492eafa07d3': originRequestPolicy('AllViewer', 'Every header, cookie and query string of the viewer request.', { HeaderBehavior: 'allViewer' }, 'all', 'all'),
  '33f36d7e-f396-46d9-90e0-52428a34d9dc': originRequestPolicy(
    'AllViewerAndCloudFrontHeaders-2022-06',
    'Every viewer value, and the CloudFront headers released up to June 2022.',
    { HeaderBehavior: 'allViewerAndWhitelistCloudFront', Headers: list(CLOUDFRONT_HEADERS_2022_06) },
    'all',
    'all',
  ),
  'b689b0a8-53d0-40ab-baf2-68738e2966ac': originRequestPolicy(
    'AllViewerExceptHostHeader',
    'Every viewer value except the Host header (for API Gateway and Lambda function URL origins).',
    { HeaderBehavior: 'allExcept', Headers: list(['Host']) },
    'all',
    'all',
  ),
  '59781a5b-3903-41f3-afcb-af62929ccde1': originRequestPolicy('CORS-CustomOrigin', 'The Origin header, for CORS with a custom origin.', { HeaderBehavior: 'whitelist', Headers: list(['Origin']) }, 'none', 'none'),
  '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf': originRequestPolicy(
    'CORS-S3Origin',
    'The CORS request headers, for an Amazon S3 bucket origin.',
    { HeaderBehavior: 'whitelist', Headers: list(['Origin', 'Access-Control-Request-Headers', 'Access-Control-Request-Method']) },
    'none',
    'none',
  ),
  '775133bc-15f2-49f9-abea-afb2e0bf67d2': originRequestPolicy(
    'Elemental-MediaTailor-PersonalizedManifests',
    'For an AWS Elemental MediaTailor endpoint origin.',
    { HeaderBehavior: 'whitelist', Headers: list(['Origin', 'Access-Control-Request-Headers', 'Access-Control-Request-Method', 'User-Agent', 'X-Forwarded-For']) },
    'none',
    'all',
  ),
  'acba4595-bd28-49b8-b9fe-13317c0390fa': originRequestPolicy(
    'UserAgentRefererHeaders',
    'Only the User-Agent and Referer headers.',
    { HeaderBehavior: 'whitelist', Headers: list(['User-Agent', 'Referer']) },
    'none',
    'none',
  ),
};

const SIMPLE_CORS: NonNullable<ResponseHeadersPolicyConfig['CorsConfig']> = {
  AccessControlAllowOrigins: list(['*']),
  AccessControlAllowHeaders: list(['*']),
  AccessControlAllowMethods: { Quantity: 3, Items: ['GET', 'HEAD', 'POST'] },
  AccessControlAllowCredentials: false,
  OriginOverride: false,
};

const PREFLIGHT_CORS: NonNullable<ResponseHeadersPolicyConfig['CorsConfig']> = {
  AccessControlAllowOrigins: list(['*']),
  AccessControlAllowHeaders: list(['*']),
  AccessControlAllowMethods: { Quantity: 7, Items: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] },
  AccessControlExposeHeaders: list(['*']),
  AccessControlAllowCredentials: false,
  OriginOverride: false,
};

/** The guide's table: X-Content-Type-Options always set; the others only when the origin sends none. */
const SECURITY_HEADERS: NonNullable<ResponseHeadersPolicyConfig['SecurityHeadersConfig']> = {
  XSSProtection: { Override: false, Protection: true, ModeBlock: true },
  FrameOptions: { Override: false, FrameOption: 'SAMEORIGIN' },
  ReferrerPolicy: { Override: false, ReferrerPolicy: 'strict-origin-when-cross-origin' },
  ContentTypeOptions: { Override: true },
  StrictTransportSecurity: { Override: false, IncludeSubdomains: false, Preload: false, AccessControlMaxAgeSec: ONE_YEAR },
};

function responseHeadersPolicy(name: string, comment: string, parts: Partial<ResponseHeadersPolicyConfig>): ResponseHeadersPolicyConfig {
  return { Name: `Managed-${name}`, Comment: comment, ...parts };
}

export const MANAGED_RESPONSE_HEADERS_POLICIES: Readonly<Record<string, ResponseHeadersPolicyConfig>> = {
  'e61eb60c-9c35-4d20-a928-2b84e02af89c': responseHeadersPolicy('CORS-and-SecurityHeadersPolicy', 'Simple CORS from any origin, and security headers.', {
    CorsConfig: SIMPLE_CORS,
    SecurityHeadersConfig: SECURITY_HEADERS,
  }),
  '5cc3b908-e619-4b99-88e5-2cf7f45965bd': responseHeadersPolicy('CORS-With-Preflight', 'CORS from any origin, preflight requests included.', { CorsConfig: PREFLIGHT_CORS }),
  'eaab4381-ed33-4a86-88ca-d9558dc6cd63': responseHeadersPolicy('CORS-with-preflight-and-SecurityHeadersPolicy', 'CORS with preflight from any origin, and security headers.', {
    CorsConfig: PREFLIGHT_CORS,
    SecurityHeadersConfig: SECURITY_HEADERS,
  }),
  '67f7725c-6f97-4210-82d7-5512b31e9d03': responseHeadersPolicy('SecurityHeadersPolicy', 'Security headers on every response.', { SecurityHeadersConfig: SECURITY_HEADERS }),
  '60669652-455b-4ae9-85a4-c4c02393f86c': responseHeadersPolicy('SimpleCORS', 'Simple CORS requests from any origin.', { CorsConfig: SIMPLE_CORS }),
};
