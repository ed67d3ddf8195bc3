import 'server-only';
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { s3Client } from '@/lib/aws/clients';
import { currentPartition } from '@/lib/aws/identity';
import { bucketRegion, forgetBucket } from '@/lib/s3/buckets';
import { withStatement } from '@/lib/validation/policy';
import { distributionReadStatement, withoutDistribution } from '@/lib/validation/s3-policy';
import { oaiArn } from './origin-access';
import '@/lib/s3/errors';

// The bucket side of "only this distribution may read": a policy statement
// for the distribution's OAC (or OAI), merged into whatever policy the bucket
// already has, and Block Public Access turned fully on.

export async function readBucketPolicy(bucket: string): Promise<string> {
  try {
    const out = await s3Client(await bucketRegion(bucket)).send(new GetBucketPolicyCommand({ Bucket: bucket }));
    return out.Policy ? JSON.stringify(JSON.parse(out.Policy), null, 2) : '';
  } catch (error) {
    if ((error as Error).name === 'NoSuchBucketPolicy') return '';
    throw error;
  }
}

export type Reader = { distributionArn: string } | { oaiId: string };

async function statementFor(bucket: string, who: Reader) {
  return 'oaiId' in who ? distributionReadStatement(bucket, { oaiId: who.oaiId, oaiArn: oaiArn(who.oaiId, await currentPartition()) }) : distributionReadStatement(bucket, who);
}

/** Adds the read statement (replacing an earlier one for the same reader) and returns the policy before and after. */
export async function grantBucketRead(bucket: string, who: Reader): Promise<{ before: string; after: string }> {
  const before = await readBucketPolicy(bucket);
  const after = withStatement(before, await statementFor(bucket, who));
  const client = s3Client(await bucketRegion(bucket));
  await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: after }));
  forgetBucket(bucket);
  return { before, after };
}

export async function blockPublicAccess(bucket: string): Promise<void> {
  await s3Client(await bucketRegion(bucket)).send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    }),
  );
  forgetBucket(bucket);
}

/** Takes out the statements that let this reader in; deletes the policy if none are left. */
export async function revokeBucketRead(bucket: string, who: { distributionArn?: string; oaiId?: string }): Promise<number> {
  const current = await readBucketPolicy(bucket);
  const next = withoutDistribution(current, { distributionArn: who.distributionArn, oaiArn: who.oaiId ? oaiArn(who.oaiId, await currentPartition()) : undefined });
  if (next.removed === 0) return 0;
  const client = s3Client(await bucketRegion(bucket));
  if (next.policy) await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: next.policy }));
  else await client.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
  forgetBucket(bucket);
  return next.removed;
}

/** Whether the bucket's policy mentions this reader (for the delete flow's offer and the security check). */
export async function policyMentions(policy: string, who: { distributionArn?: string; oaiId?: string }): Promise<boolean> {
  return withoutDistribution(policy, { distributionArn: who.distributionArn, oaiArn: who.oaiId ? oaiArn(who.oaiId, await currentPartition()) : undefined }).removed > 0;
}
