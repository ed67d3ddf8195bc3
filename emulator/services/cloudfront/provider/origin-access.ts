import type { CloudFront, CloudFrontOriginAccessIdentityConfig, OriginAccessControlConfig } from '@aws-sdk/client-cloudfront';
import type { RequestContext } from '../../../core/types';
import type { Providers } from '../../../core/wire/service';
import { API, PUBLIC_ENDPOINT, markerList } from '../model/common';
import {
  createOac,
  createOai,
  deleteOac,
  deleteOai,
  getOacView,
  getOaiView,
  listOacs,
  listOais,
  updateOac,
  updateOai,
} from '../model/origin-access';

/** Origin access controls and (legacy) origin access identities. */

const oacArn = (ctx: RequestContext, id?: string) => `arn:aws:cloudfront::${ctx.env.accountId}:origin-access-control/${id ?? '*'}`;
const oaiArn = (ctx: RequestContext, id?: string) => `arn:aws:cloudfront::${ctx.env.accountId}:origin-access-identity/${id ?? '*'}`;
const noOacConfig = {} as OriginAccessControlConfig;
const noOaiConfig = {} as CloudFrontOriginAccessIdentityConfig;

export const originAccessProviders: Providers<CloudFront> = {
  CreateOriginAccessControl: {
    handler(input, ctx) {
      const v = createOac(ctx.env, input.OriginAccessControlConfig ?? noOacConfig);
      return { OriginAccessControl: v.oac, ETag: v.etag, Location: `${PUBLIC_ENDPOINT}${API}/origin-access-control/${v.oac.Id ?? ''}` };
    },
    resource: (_input, ctx) => oacArn(ctx),
  },
  GetOriginAccessControl: {
    handler(input, ctx) {
      const v = getOacView(ctx.env, input.Id ?? '');
      return { OriginAccessControl: v.oac, ETag: v.etag };
    },
    resource: (input, ctx) => oacArn(ctx, input.Id),
  },
  GetOriginAccessControlConfig: {
    handler(input, ctx) {
      const v = getOacView(ctx.env, input.Id ?? '');
      return { OriginAccessControlConfig: v.oac.OriginAccessControlConfig, ETag: v.etag };
    },
    resource: (input, ctx) => oacArn(ctx, input.Id),
  },
  ListOriginAccessControls: {
    handler: (input, ctx) => ({ OriginAccessControlList: markerList(listOacs(ctx.env, input)) }),
    resource: (_input, ctx) => oacArn(ctx),
  },
  UpdateOriginAccessControl: {
    handler(input, ctx) {
      const v = updateOac(ctx.env, input.Id ?? '', input.IfMatch, input.OriginAccessControlConfig ?? noOacConfig);
      return { OriginAccessControl: v.oac, ETag: v.etag };
    },
    resource: (input, ctx) => oacArn(ctx, input.Id),
  },
  DeleteOriginAccessControl: {
    handler(input, ctx) {
      deleteOac(ctx.env, input.Id ?? '', input.IfMatch);
      return {};
    },
    resource: (input, ctx) => oacArn(ctx, input.Id),
  },

  CreateCloudFrontOriginAccessIdentity: {
    handler(input, ctx) {
      const v = createOai(ctx.env, input.CloudFrontOriginAccessIdentityConfig ?? noOaiConfig);
      return {
        CloudFrontOriginAccessIdentity: v.oai,
        ETag: v.etag,
        Location: `${PUBLIC_ENDPOINT}${API}/origin-access-identity/cloudfront/${v.oai.Id ?? ''}`,
      };
    },
    resource: (_input, ctx) => oaiArn(ctx),
  },
  GetCloudFrontOriginAccessIdentity: {
    handler(input, ctx) {
      const v = getOaiView(ctx.env, input.Id ?? '');
      return { CloudFrontOriginAccessIdentity: v.oai, ETag: v.etag };
    },
    resource: (input, ctx) => oaiArn(ctx, input.Id),
  },
  GetCloudFrontOriginAccessIdentityConfig: {
    handler(input, ctx) {
      const v = getOaiView(ctx.env, input.Id ?? '');
      return { CloudFrontOriginAccessIdentityConfig: v.oai.CloudFrontOriginAccessIdentityConfig, ETag: v.etag };
    },
    resource: (input, ctx) => oaiArn(ctx, input.Id),
  },
  ListCloudFrontOriginAccessIdentities: {
    handler: (input, ctx) => ({ CloudFrontOriginAccessIdentityList: markerList(listOais(ctx.env, input)) }),
    resource: (_input, ctx) => oaiArn(ctx),
  },
  UpdateCloudFrontOriginAccessIdentity: {
    handler(input, ctx) {
      const v = updateOai(ctx.env, input.Id ?? '', input.IfMatch, input.CloudFrontOriginAccessIdentityConfig ?? noOaiConfig);
      return { CloudFrontOriginAccessIdentity: v.oai, ETag: v.etag };
    },
    resource: (input, ctx) => oaiArn(ctx, input.Id),
  },
  DeleteCloudFrontOriginAccessIdentity: {
    handler(input, ctx) {
      deleteOai(ctx.env, input.Id ?? '', input.IfMatch);
      return {};
    },
    resource: (input, ctx) => oaiArn(ctx, input.Id),
  },
};
