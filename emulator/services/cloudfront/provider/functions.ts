import type { CloudFront } from '@aws-sdk/client-cloudfront';
import type { RequestContext } from '../../../core/types';
import type { Providers } from '../../../core/wire/service';
import { API, PUBLIC_ENDPOINT, markerList } from '../model/common';
import {
  createFunction,
  deleteFunction,
  describeFunction,
  functionArn,
  functionCode,
  listFunctions,
  publishFunction,
  testFunction,
  updateFunction,
} from '../model/functions';

/** CloudFront Functions: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateFunction.html */

const arn = (input: { Name?: string }, ctx: RequestContext) => functionArn(ctx.env.accountId, input.Name ?? '*');

export const functionProviders: Providers<CloudFront> = {
  CreateFunction: {
    handler(input, ctx) {
      const name = input.Name ?? '';
      const v = createFunction(ctx.env, name, input.FunctionConfig, input.FunctionCode, input.Tags?.Items ?? []);
      return { FunctionSummary: v.summary, ETag: v.etag, Location: `${PUBLIC_ENDPOINT}${API}/function/${encodeURIComponent(name)}` };
    },
    resource: arn,
  },
  DescribeFunction: {
    handler(input, ctx) {
      const v = describeFunction(ctx.env, input.Name ?? '', input.Stage);
      return { FunctionSummary: v.summary, ETag: v.etag };
    },
    resource: arn,
  },
  GetFunction: {
    handler(input, ctx) {
      const got = functionCode(ctx.env, input.Name ?? '', input.Stage);
      // The payload is raw bytes; the SDK's output type is the blob adapter it hands its own caller.
      return { FunctionCode: got.code as never, ETag: got.etag, ContentType: 'application/octet-stream' };
    },
    resource: arn,
  },
  UpdateFunction: {
    handler(input, ctx) {
      const v = updateFunction(ctx.env, input.Name ?? '', input.IfMatch, input.FunctionConfig, input.FunctionCode);
      return { FunctionSummary: v.summary, ETag: v.etag };
    },
    resource: arn,
  },
  PublishFunction: {
    handler: (input, ctx) => ({ FunctionSummary: publishFunction(ctx.env, input.Name ?? '', input.IfMatch).summary }),
    resource: arn,
  },
  // Running a test changes nothing, but IAM counts it as a write (cloudfront:TestFunction is not a read action).
  TestFunction: {
    handler: (input, ctx) => ({ TestResult: testFunction(ctx.env, input.Name ?? '', input.IfMatch, input.Stage, input.EventObject) }),
    resource: arn,
  },
  DeleteFunction: {
    handler(input, ctx) {
      deleteFunction(ctx.env, input.Name ?? '', input.IfMatch);
      return {};
    },
    resource: arn,
  },
  ListFunctions: {
    handler: (input, ctx) => ({ FunctionList: markerList(listFunctions(ctx.env, input)) }),
    resource: (_input, ctx) => functionArn(ctx.env.accountId, '*'),
  },
};
