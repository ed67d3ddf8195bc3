import 'server-only';
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { s3Client } from '@/lib/aws/clients';
import { currentPartition } from '@/lib/aws/identity';
import { bucketRegion, changingBucket } from '@/lib/s3/buckets';
import { bucketPolicyKey } from '@/lib/s3/properties';
import { mergeSharedDocument } from '@/lib/aws/shared-document';
import { withStatement, type Statement } from '@/lib/validation/policy';
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

/** One lock per bucket policy, shared with the policy editor on the bucket page. */
const policyKey = bucketPolicyKey;

async function writeBucketPolicy(bucket: string, policy: string): Promise<void> {
  await changingBucket(bucket, async () => {
    const client = s3Client(await bucketRegion(bucket));
    if (policy) await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
    else await client.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
  });
}

/**
 * Adds the read statement (replacing an earlier one for the same reader) and
 * returns the policy before and after. Several distributions created at once
 * for one bucket each add a statement to the same policy, and S3 has no
 * conditional PutBucketPolicy: the change is serialized per bucket and read
 * back, and made again if another writer replaced it (lib/aws/shared-document).
 */
export async function grantBucketRead(bucket: string, who: Reader): Promise<{ before: string; after: string }> {
  const statement = await statementFor(bucket, who);
  const reader = readerNames(who);
  return mergeSharedDocument({
    key: policyKey(bucket),
    what: `bucket policy of ${bucket}`,
    read: () => readBucketPolicy(bucket),
    merge: (current) => (hasStatement(current, statement) ? null : withStatement(current, statement)),
    write: (next) => writeBucketPolicy(bucket, next),
    holds: (current) => policyMentions(current, reader),
  });
}

function readerNames(who: Reader): { distributionArn?: string; oaiId?: string } {
  return 'oaiId' in who ? { oaiId: who.oaiId } : { distributionArn: who.distributionArn };
}

/** Whether the policy already holds exactly this statement (same Sid, same content, in any key order). */
function hasStatement(policy: string, statement: Statement): boolean {
  if (!policy.trim()) return false;
  const doc = JSON.parse(policy) as { Statement?: Statement | Statement[] };
  const all = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return all.some((s) => s.Sid === statement.Sid && canonical(s) === canonical(statement));
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export async function blockPublicAccess(bucket: string): Promise<void> {
  await changingBucket(bucket, async () =>
    s3Client(await bucketRegion(bucket)).send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      }),
    ),
  );
}

/** Takes out the statements that let this reader in; deletes the policy if none are left. Serialized and confirmed as grantBucketRead is. */
export async function revokeBucketRead(bucket: string, who: { distributionArn?: string; oaiId?: string }): Promise<number> {
  let removed = 0;
  const partition = await currentPartition();
  await mergeSharedDocument({
    key: policyKey(bucket),
    what: `bucket policy of ${bucket}`,
    read: () => readBucketPolicy(bucket),
    merge: (current) => {
      const next = withoutDistribution(current, { distributionArn: who.distributionArn, oaiArn: who.oaiId ? oaiArn(who.oaiId, partition) : undefined });
      if (next.removed === 0) return null;
      removed = next.removed;
      return next.policy ?? '';
    },
    write: (next) => writeBucketPolicy(bucket, next),
    holds: async (current) => !(await policyMentions(current, who)),
  });
  return removed;
}

/** Whether the bucket's policy mentions this reader (for the delete flow's offer and the security check). */
export async function policyMentions(policy: string, who: { distributionArn?: string; oaiId?: string }): Promise<boolean> {
  return withoutDistribution(policy, { distributionArn: who.distributionArn, oaiArn: who.oaiId ? oaiArn(who.oaiId, await currentPartition()) : undefined }).removed > 0;
}
