import 'server-only';
import { cache } from 'react';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { endpointFor, s3ControlClient } from '@/lib/aws/clients';
import { attempt, type Attempt } from '@/lib/aws/errors';
import { getCallerIdentity } from '@/lib/aws/identity';
import { env } from '@/lib/env';
import type { PublicAccessBlock } from './properties';

// The account-level Block Public Access setting (S3 Control), beside a
// bucket's own. S3 applies, flag by flag, the stricter of the two: "Amazon S3
// applies the most restrictive combination of the bucket-level and
// account-level settings".
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html

export const PUBLIC_ACCESS_FLAGS = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;

const absent = (e: unknown) => (e as Error).name === 'NoSuchPublicAccessBlockConfiguration';

/**
 * The account's setting (null when the account has none), read with the
 * account id of Berth's own identity; once per request, since the bucket
 * page and the explainers may both ask. A refusal (s3:GetAccountPublicAccessBlock
 * missing) comes back as a problem that names the permission.
 */
export const getAccountPublicAccessBlock = cache(
  async (): Promise<Attempt<PublicAccessBlock | null>> => {
    const region = env().defaultRegion;
    return attempt(
      async () => {
        const { account } = await getCallerIdentity();
        try {
          const out = await s3ControlClient(region).send(new GetPublicAccessBlockCommand({ AccountId: account }));
          const c = out.PublicAccessBlockConfiguration;
          return {
            blockPublicAcls: Boolean(c?.BlockPublicAcls),
            ignorePublicAcls: Boolean(c?.IgnorePublicAcls),
            blockPublicPolicy: Boolean(c?.BlockPublicPolicy),
            restrictPublicBuckets: Boolean(c?.RestrictPublicBuckets),
          };
        } catch (e) {
          if (absent(e)) return null;
          throw e;
        }
      },
      { service: 'S3', endpoint: endpointFor('S3_CONTROL', region), action: 's3:GetAccountPublicAccessBlock' },
    );
  },
);

/** Each flag on when the bucket's or the account's setting has it on; a setting not there counts as all off. */
export function publicAccessInForce(bucket: PublicAccessBlock | null, account: PublicAccessBlock | null): PublicAccessBlock {
  const out = {} as PublicAccessBlock;
  for (const k of PUBLIC_ACCESS_FLAGS) out[k] = Boolean(bucket?.[k]) || Boolean(account?.[k]);
  return out;
}
