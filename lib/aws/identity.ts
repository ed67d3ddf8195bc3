import 'server-only';
import { cache } from 'react';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { env } from '@/lib/env';
import { stsClient } from './clients';

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** Who Berth is in AWS. Read once per request; the shell and the overview share it. */
export const getCallerIdentity = cache(async (): Promise<CallerIdentity> => {
  const out = await stsClient(env().defaultRegion).send(new GetCallerIdentityCommand({}));
  return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
});
