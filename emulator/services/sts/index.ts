import type { STS } from '@aws-sdk/client-sts';
import * as schemas from '@aws-sdk/client-sts/dist-es/schemas/schemas_0.js';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService, type Providers } from '../../core/wire/service';

/**
 * Sent with every GetCallerIdentity answer: the emulator says what it is, so a
 * client (the console) can tell it apart from AWS or a proxy to AWS that sits
 * at a custom endpoint. It is an announcement, not a behaviour to rely on.
 */
export const EMULATOR_HEADER = 'x-berth-emulator';

const model = loadServiceModel(schemas, {
  protocol: 'awsQuery',
  version: '2011-06-15',
  xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
});

const providers: Providers<STS> = {
  GetCallerIdentity: {
    // "No permissions are required to perform this operation": even an
    // explicit Deny of sts:GetCallerIdentity does not stop it.
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
    accessChecks: () => [],
    handler(_input, ctx) {
      // GetCallerIdentity always works for a valid key; only a missing or unknown key fails earlier.
      ctx.response.headers[EMULATOR_HEADER] = '1';
      const p = ctx.principal;
      return p ? { Arn: p.arn, UserId: p.userId, Account: p.accountId } : {};
    },
  },
};

/** STS: "who am I", which the console uses to test its credentials; the rest of the API answers NotImplemented. */
export const sts = defineModelService({
  name: 'sts',
  signingName: 'sts',
  model,
  providers,
});
