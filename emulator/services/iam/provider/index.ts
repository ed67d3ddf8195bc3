import type { IAM } from '@aws-sdk/client-iam';
import type { Providers } from '../../../core/wire/service';
import { accountProviders } from './account';
import { credentialProviders } from './credentials';
import { identityProviders } from './identities';
import { policyProviders } from './policies';
import { simulateProviders } from './simulate';

/** Every IAM operation the emulator implements, one thin typed function each. */
export const providers: Providers<IAM> = {
  ...identityProviders,
  ...policyProviders,
  ...credentialProviders,
  ...accountProviders,
  ...simulateProviders,
};
