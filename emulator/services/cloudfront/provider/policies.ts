import type { CachePolicyConfig, CloudFront, OriginRequestPolicyConfig, ResponseHeadersPolicyConfig } from '@aws-sdk/client-cloudfront';
import type { RequestContext } from '../../../core/types';
import type { Providers } from '../../../core/wire/service';
import { API, PUBLIC_ENDPOINT, markerList } from '../model/common';
import { createPolicy, deletePolicy, listPolicies, requirePolicy, updatePolicy, type Policy } from '../model/policies';

/** Cache, origin request and response headers policies: managed ones readable, custom ones full CRUD. */

const arnOf = (path: string) => (input: object, ctx: RequestContext) =>
  `arn:aws:cloudfront::${ctx.env.accountId}:${path}/${'Id' in input && typeof input.Id === 'string' ? input.Id : '*'}`;
const cacheArn = arnOf('cache-policy');
const originRequestArn = arnOf('origin-request-policy');
const responseHeadersArn = arnOf('response-headers-policy');

const cachePolicy = (p: Policy<'cache'>) => ({ Id: p.id, LastModifiedTime: p.lastModified, CachePolicyConfig: p.config });
const originRequestPolicy = (p: Policy<'origin-request'>) => ({ Id: p.id, LastModifiedTime: p.lastModified, OriginRequestPolicyConfig: p.config });
const responseHeadersPolicy = (p: Policy<'response-headers'>) => ({ Id: p.id, LastModifiedTime: p.lastModified, ResponseHeadersPolicyConfig: p.config });

export const policyProviders: Providers<CloudFront> = {
  // ---- cache policies: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateCachePolicy.html
  CreateCachePolicy: {
    handler(input, ctx) {
      const p = createPolicy(ctx.env, 'cache', input.CachePolicyConfig ?? ({} as CachePolicyConfig));
      return { CachePolicy: cachePolicy(p), ETag: p.etag, Location: `${PUBLIC_ENDPOINT}${API}/cache-policy/${p.id}` };
    },
    resource: cacheArn,
  },
  GetCachePolicy: {
    handler(input, ctx) {
      const p = requirePolicy(ctx.env.db, 'cache', input.Id ?? '');
      return { CachePolicy: cachePolicy(p), ETag: p.etag };
    },
    resource: cacheArn,
  },
  GetCachePolicyConfig: {
    handler(input, ctx) {
      const p = requirePolicy(ctx.env.db, 'cache', input.Id ?? '');
      return { CachePolicyConfig: p.config, ETag: p.etag };
    },
    resource: cacheArn,
  },
  UpdateCachePolicy: {
    handler(input, ctx) {
      const p = updatePolicy(ctx.env, 'cache', input.Id ?? '', input.IfMatch, input.CachePolicyConfig ?? ({} as CachePolicyConfig));
      return { CachePolicy: cachePolicy(p), ETag: p.etag };
    },
    resource: cacheArn,
  },
  DeleteCachePolicy: {
    handler(input, ctx) {
      deletePolicy(ctx.env, 'cache', input.Id ?? '', input.IfMatch);
      return {};
    },
    resource: cacheArn,
  },
  ListCachePolicies: {
    handler: (input, ctx) => ({
      CachePolicyList: markerList(listPolicies(ctx.env.db, 'cache', input), (p) => ({ Type: p.type, CachePolicy: cachePolicy(p) })),
    }),
    resource: cacheArn,
  },

  // ---- origin request policies: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateOriginRequestPolicy.html
  CreateOriginRequestPolicy: {
    handler(input, ctx) {
      const p = createPolicy(ctx.env, 'origin-request', input.OriginRequestPolicyConfig ?? ({} as OriginRequestPolicyConfig));
      return { OriginRequestPolicy: originRequestPolicy(p), ETag: p.etag, Location: `${PUBLIC_ENDPOINT}${API}/origin-request-policy/${p.id}` };
    },
    resource: originRequestArn,
  },
  GetOriginRequestPolicy: {
    handler(input, ctx) {
      const p = requirePolicy(ctx.env.db, 'origin-request', input.Id ?? '');
      return { OriginRequestPolicy: originRequestPolicy(p), ETag: p.etag };
    },
    resource: originRequestArn,
  },
  GetOriginRequestPolicyConfig: {
    handler(input, ctx) {
      const p = requirePolicy(ctx.env.db, 'origin-request', input.Id ?? '');
      return { OriginRequestPolicyConfig: p.config, ETag: p.etag };
    },
    resource: originRequestArn,
  },
  UpdateOriginRequestPolicy: {
    handler(input, ctx) {
      const p = updatePolicy(ctx.env, 'origin-request', input.Id ?? '', input.IfMatch, input.OriginRequestPolicyConfig ?? ({} as OriginRequestPolicyConfig));
      return { OriginRequestPolicy: originRequestPolicy(p), ETag: p.etag };
    },
    resource: originRequestArn,
  },
  DeleteOriginRequestPolicy: {
    handler(input, ctx) {
      deletePolicy(ctx.env, 'origin-request', input.Id ?? '', input.IfMatch);
      return {};
    },
    resource: originRequestArn,
  },
  ListOriginRequestPolicies: {
    handler: (input, ctx) => ({
      OriginRequestPolicyList: markerList(listPolicies(ctx.env.db, 'origin-request', input), (p) => ({ Type: p.type, OriginRequestPolicy: originRequestPolicy(p) })),
    }),
    resource: originRequestArn,
  },

  // ---- response headers policies: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateResponseHeadersPolicy.html
  CreateResponseHeadersPolicy: {
    handler(input, ctx) {
      const p = createPolicy(ctx.env, 'response-headers', input.ResponseHeadersPolicyConfig ?? ({} as ResponseHeadersPolicyConfig));
      return { ResponseHeadersPolicy: responseHeadersPolicy(p), ETag: p.etag, Location: `${PUBLIC_ENDPOINT}${API}/response-headers-policy/${p.id}` };
    },
    resource: responseHeadersArn,
  },
  GetResponseHeadersPolicy: {
    handler(input, ctx) {
      const p = requirePolicy(ctx.env.db, 'response-headers', input.Id ?? '');
      return { ResponseHeadersPolicy: responseHeadersPolicy(p), ETag: p.etag };
    },
    resource: responseHeadersArn,
  },
  GetResponseHeadersPolicyConfig: {
    handler(input, ctx) {
      const p = requirePolicy(ctx.env.db, 'response-headers', input.Id ?? '');
      return { ResponseHeadersPolicyConfig: p.config, ETag: p.etag };
    },
    resource: responseHeadersArn,
  },
  UpdateResponseHeadersPolicy: {
    handler(input, ctx) {
      const p = updatePolicy(ctx.env, 'response-headers', input.Id ?? '', input.IfMatch, input.ResponseHeadersPolicyConfig ?? ({} as ResponseHeadersPolicyConfig));
      return { ResponseHeadersPolicy: responseHeadersPolicy(p), ETag: p.etag };
    },
    resource: responseHeadersArn,
  },
  DeleteResponseHeadersPolicy: {
    handler(input, ctx) {
      deletePolicy(ctx.env, 'response-headers', input.Id ?? '', input.IfMatch);
      return {};
    },
    resource: responseHeadersArn,
  },
  ListResponseHeadersPolicies: {
    handler: (input, ctx) => ({
      ResponseHeadersPolicyList: markerList(listPolicies(ctx.env.db, 'response-headers', input), (p) => ({ Type: p.type, ResponseHeadersPolicy: responseHeadersPolicy(p) })),
    }),
    resource: responseHeadersArn,
  },
};
