import type { S3Control } from '@aws-sdk/client-s3-control';
import type { Providers } from '../../core/wire/service';
import type { RequestContext } from '../../core/types';
import { checkAccount, deleteAccountPublicAccessBlock, getAccountPublicAccessBlock, putAccountPublicAccessBlock } from './model';

/** The caller's own account; an unsigned request never gets this far (S3 Control refuses it). */
const callerAccount = (ctx: RequestContext) => ctx.principal?.accountId ?? ctx.env.accountId;

/**
 * S3 Control's account-level Block Public Access. IAM knows these as
 * s3:GetAccountPublicAccessBlock and s3:PutAccountPublicAccessBlock (Delete
 * is a Put, as for a bucket's setting), on no resource (`*`).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
export const providers: Providers<S3Control> = {
  GetPublicAccessBlock: {
    iamAction: 's3:GetAccountPublicAccessBlock',
    handler: (input, ctx) => ({
      PublicAccessBlockConfiguration: getAccountPublicAccessBlock(ctx.env.db, checkAccount(callerAccount(ctx), input.AccountId)),
    }),
  },
  PutPublicAccessBlock: {
    iamAction: 's3:PutAccountPublicAccessBlock',
    handler(input, ctx) {
      putAccountPublicAccessBlock(ctx.env.db, checkAccount(callerAccount(ctx), input.AccountId), input.PublicAccessBlockConfiguration);
      return {};
    },
  },
  DeletePublicAccessBlock: {
    iamAction: 's3:PutAccountPublicAccessBlock',
    handler(input, ctx) {
      deleteAccountPublicAccessBlock(ctx.env.db, checkAccount(callerAccount(ctx), input.AccountId));
      return {};
    },
  },
};
