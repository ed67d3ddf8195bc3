import type { CloudFront, DistributionConfig } from '@aws-sdk/client-cloudfront';
import type { RequestContext } from '../../../core/types';
import type { Providers } from '../../../core/wire/service';
import { API, PUBLIC_ENDPOINT, distributionArn } from '../model/common';
import {
  createDistribution,
  deleteDistribution,
  getDistribution,
  getDistributionConfig,
  listDistributionIds,
  listDistributions,
  setDistributionWebAcl,
  updateDistribution,
  type DistributionView,
} from '../model/distributions';
import { behaviorsOf, requirePolicy, type PolicyKind } from '../model/policies';

/** Distributions and the ListDistributionsBy* lookups. */

const arn = (ctx: RequestContext, id: string | undefined) => distributionArn(ctx.env.accountId, id ?? '*');
const anyDistribution = (_input: unknown, ctx: RequestContext) => arn(ctx, undefined);

function created(ctx: RequestContext, view: DistributionView) {
  // The new id is only in the answer; CloudTrail names the distribution by it.
  ctx.answered = { Id: view.distribution.Id ?? '' };
  return {
    Distribution: view.distribution,
    ETag: view.etag,
    Location: `${PUBLIC_ENDPOINT}${API}/distribution/${view.distribution.Id ?? ''}`,
  };
}

/** The distributions whose cache behaviors name the policy; the policy itself must exist. */
function byPolicy(kind: PolicyKind, member: 'CachePolicyId' | 'OriginRequestPolicyId' | 'ResponseHeadersPolicyId') {
  return (ctx: RequestContext, id: string | undefined, input: { Marker?: string; MaxItems?: number }) => {
    requirePolicy(ctx.env.db, kind, id ?? '');
    return listDistributionIds(ctx.env, input, (c) => behaviorsOf(c).some((b) => b[member] === id));
  };
}

export const distributionProviders: Providers<CloudFront> = {
  CreateDistribution: {
    handler: (input, ctx) => created(ctx, createDistribution(ctx.env, input.DistributionConfig ?? ({} as DistributionConfig))),
    resource: anyDistribution,
  },
  CreateDistributionWithTags: {
    handler(input, ctx) {
      const body = input.DistributionConfigWithTags;
      return created(ctx, createDistribution(ctx.env, body?.DistributionConfig ?? ({} as DistributionConfig), body?.Tags?.Items ?? []));
    },
    // IAM has no separate action: it takes CreateDistribution (and TagResource).
    iamAction: 'cloudfront:CreateDistribution',
    resource: anyDistribution,
  },
  GetDistribution: {
    handler(input, ctx) {
      const view = getDistribution(ctx.env, input.Id ?? '');
      return { Distribution: view.distribution, ETag: view.etag };
    },
    resource: (input, ctx) => arn(ctx, input.Id),
  },
  GetDistributionConfig: {
    handler(input, ctx) {
      const got = getDistributionConfig(ctx.env, input.Id ?? '');
      return { DistributionConfig: got.config, ETag: got.etag };
    },
    resource: (input, ctx) => arn(ctx, input.Id),
  },
  UpdateDistribution: {
    handler(input, ctx) {
      const view = updateDistribution(ctx.env, input.Id ?? '', input.IfMatch, input.DistributionConfig ?? ({} as DistributionConfig));
      return { Distribution: view.distribution, ETag: view.etag };
    },
    resource: (input, ctx) => arn(ctx, input.Id),
  },
  DeleteDistribution: {
    handler(input, ctx) {
      deleteDistribution(ctx.env, input.Id ?? '', input.IfMatch);
      return {};
    },
    resource: (input, ctx) => arn(ctx, input.Id),
  },
  AssociateDistributionWebACL: {
    handler(input, ctx) {
      const view = setDistributionWebAcl(ctx.env, input.Id ?? '', input.IfMatch, input.WebACLArn ?? '');
      return { Id: view.distribution.Id, WebACLArn: view.distribution.DistributionConfig?.WebACLId, ETag: view.etag };
    },
    resource: (input, ctx) => arn(ctx, input.Id),
  },
  DisassociateDistributionWebACL: {
    handler(input, ctx) {
      const view = setDistributionWebAcl(ctx.env, input.Id ?? '', input.IfMatch, '');
      return { Id: view.distribution.Id, ETag: view.etag };
    },
    resource: (input, ctx) => arn(ctx, input.Id),
  },
  ListDistributions: {
    handler: (input, ctx) => ({ DistributionList: listDistributions(ctx.env, input) }),
    resource: anyDistribution,
  },

  // https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListDistributionsByCachePolicyId.html
  ListDistributionsByCachePolicyId: {
    handler: (input, ctx) => ({ DistributionIdList: byPolicy('cache', 'CachePolicyId')(ctx, input.CachePolicyId, input) }),
    resource: anyDistribution,
  },
  ListDistributionsByOriginRequestPolicyId: {
    handler: (input, ctx) => ({ DistributionIdList: byPolicy('origin-request', 'OriginRequestPolicyId')(ctx, input.OriginRequestPolicyId, input) }),
    resource: anyDistribution,
  },
  ListDistributionsByResponseHeadersPolicyId: {
    handler: (input, ctx) => ({ DistributionIdList: byPolicy('response-headers', 'ResponseHeadersPolicyId')(ctx, input.ResponseHeadersPolicyId, input) }),
    resource: anyDistribution,
  },
  // "null" asks for the distributions with no web ACL at all.
  // https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListDistributionsByWebACLId.html
  ListDistributionsByWebACLId: {
    handler(input, ctx) {
      const want = input.WebACLId === 'null' ? '' : (input.WebACLId ?? '');
      return { DistributionList: listDistributions(ctx.env, input, (c) => (c.WebACLId ?? '') === want) };
    },
    resource: anyDistribution,
  },
  // Key groups, real-time log configs, Anycast IP lists and VPC origins are not
  // emulated, so only a config that names one by hand can match.
  ListDistributionsByKeyGroup: {
    handler: (input, ctx) => ({
      DistributionIdList: listDistributionIds(ctx.env, input, (c) =>
        behaviorsOf(c).some((b) => (b.TrustedKeyGroups?.Items ?? []).includes(input.KeyGroupId ?? '')),
      ),
    }),
    resource: anyDistribution,
  },
  ListDistributionsByRealtimeLogConfig: {
    handler(input, ctx) {
      const arnGiven = input.RealtimeLogConfigArn ?? '';
      const name = input.RealtimeLogConfigName ?? '';
      const matches = (logArn: string | undefined) => !!logArn && (logArn === arnGiven || (name !== '' && logArn.endsWith(`/${name}`)));
      return { DistributionList: listDistributions(ctx.env, input, (c) => behaviorsOf(c).some((b) => matches(b.RealtimeLogConfigArn))) };
    },
    resource: anyDistribution,
  },
  ListDistributionsByAnycastIpListId: {
    handler: (input, ctx) => ({ DistributionList: listDistributions(ctx.env, input, (c) => !!c.AnycastIpListId && c.AnycastIpListId === input.AnycastIpListId) }),
    resource: anyDistribution,
  },
  ListDistributionsByVpcOriginId: {
    handler: (input, ctx) => ({
      DistributionIdList: listDistributionIds(ctx.env, input, (c) => (c.Origins?.Items ?? []).some((o) => o.VpcOriginConfig?.VpcOriginId === input.VpcOriginId)),
    }),
    resource: anyDistribution,
  },
  // A distribution without a ConnectionMode is a standard ("direct") one.
  ListDistributionsByConnectionMode: {
    handler: (input, ctx) => ({ DistributionList: listDistributions(ctx.env, input, (c) => (c.ConnectionMode ?? 'direct') === input.ConnectionMode) }),
    resource: anyDistribution,
  },
};
