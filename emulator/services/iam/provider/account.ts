import type { IAM } from '@aws-sdk/client-iam';
import type { Providers } from '../../../core/wire/service';
import { authorizationDetails } from '../model/authorization';
import { accountSummary } from '../model/summary';
import { iamOf } from './common';

/** Account-wide reads. */
export const accountProviders: Providers<IAM> = {
  GetAccountAuthorizationDetails(input, ctx) {
    return authorizationDetails(iamOf(ctx), input);
  },

  GetAccountSummary(_input, ctx) {
    return { SummaryMap: accountSummary(iamOf(ctx)) };
  },

  /** The emulated account has no alias (CreateAccountAlias is not implemented). */
  ListAccountAliases() {
    return { AccountAliases: [], IsTruncated: false };
  },
};
