import type { CloudFront } from '@aws-sdk/client-cloudfront';
import type { Providers } from '../../../core/wire/service';
import { listTags, tagResource, untagResource } from '../model/tagging';

/** Tags by resource ARN. */

export const taggingProviders: Providers<CloudFront> = {
  TagResource: {
    handler(input, ctx) {
      tagResource(ctx.env, input.Resource ?? '', input.Tags?.Items ?? []);
      return {};
    },
    resource: (input) => input.Resource ?? '*',
  },
  UntagResource: {
    handler(input, ctx) {
      untagResource(ctx.env, input.Resource ?? '', input.TagKeys?.Items ?? []);
      return {};
    },
    resource: (input) => input.Resource ?? '*',
  },
  ListTagsForResource: {
    handler: (input, ctx) => ({ Tags: { Items: listTags(ctx.env, input.Resource ?? '') } }),
    resource: (input) => input.Resource ?? '*',
  },
};
