import type { CloudFront, InvalidationBatch } from '@aws-sdk/client-cloudfront';
import type { RequestContext } from '../../../core/types';
import type { Providers } from '../../../core/wire/service';
import { API, PUBLIC_ENDPOINT, distributionArn } from '../model/common';
import { createInvalidation, getInvalidation, listInvalidations } from '../model/invalidations';

/** Invalidations belong to a distribution; IAM names the distribution's ARN. */

const arn = (ctx: RequestContext, id: string | undefined) => distributionArn(ctx.env.accountId, id ?? '*');

export const invalidationProviders: Providers<CloudFront> = {
  CreateInvalidation: {
    handler(input, ctx) {
      const id = input.DistributionId ?? '';
      const inv = createInvalidation(ctx.env, id, input.InvalidationBatch ?? ({} as InvalidationBatch));
      return { Invalidation: inv, Location: `${PUBLIC_ENDPOINT}${API}/distribution/${id}/invalidation/${inv.Id ?? ''}` };
    },
    resource: (input, ctx) => arn(ctx, input.DistributionId),
  },
  GetInvalidation: {
    handler: (input, ctx) => ({ Invalidation: getInvalidation(ctx.env, input.DistributionId ?? '', input.Id ?? '') }),
    resource: (input, ctx) => arn(ctx, input.DistributionId),
  },
  ListInvalidations: {
    handler: (input, ctx) => ({ InvalidationList: listInvalidations(ctx.env, input.DistributionId ?? '', input) }),
    resource: (input, ctx) => arn(ctx, input.DistributionId),
  },
};
