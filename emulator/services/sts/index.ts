import { queryProtocol } from '../../core/protocols/query';
import type { ServiceDefinition } from '../../core/types';
import { leaf } from '../../core/xml';

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
        return { xml: leaf('Arn', p.arn) + leaf('UserId', p.userId) + leaf('Account', p.accountId) };
      },
    },
  ],
};
