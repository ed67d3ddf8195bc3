import { queryProtocol } from '../../core/protocols/query';
import type { ServiceDefinition } from '../../core/types';
import { leaf } from '../../core/xml';

/**
 * Sent with every GetCallerIdentity answer: the emulator says what it is, so a
 * client (the console) can tell it apart from AWS or a proxy to AWS that sits
 * at a custom endpoint. It is an announcement, not a behaviour to rely on.
 */
export const EMULATOR_HEADER = 'x-berth-emulator';

/** STS: just enough to answer "who am I", which the console uses to test its credentials. */
export const sts: ServiceDefinition = {
  name: 'sts',
  signingName: 'sts',
  protocol: queryProtocol({ xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/', version: '2011-06-15' }),
  operations: [
    {
      name: 'GetCallerIdentity',
      write: false,
      handler(ctx) {
        // GetCallerIdentity always works for a valid key; only a missing or unknown key fails earlier.
        const p = ctx.principal;
        if (!p) return { xml: '' };
        return { xml: leaf('Arn', p.arn) + leaf('UserId', p.userId) + leaf('Account', p.accountId), headers: { [EMULATOR_HEADER]: '1' } };
      },
    },
  ],
};
