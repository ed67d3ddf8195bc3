import 'server-only';
import { cache } from 'react';
import { GetPolicyCommand, GetPolicyVersionCommand } from '@aws-sdk/client-iam';
import { iamClient } from '@/lib/aws/clients';
import { currentPartition, getCallerIdentity } from '@/lib/aws/identity';
import { readDocument } from './documents';
import type { PolicyRef } from './authorization';

// One managed policy and its default version's document: GetPolicy, then
// GetPolicyVersion (the version id comes from the first answer), for the
// policy page only. Who it is attached to comes from the shared authorization
// snapshot (lib/iam/authorization.ts), which already holds every attachment.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html

export interface ManagedPolicy {
  name: string;
  arn: string;
  path: string;
  description: string | null;
  /** An AWS managed policy (arn:…:iam::aws:policy/…), as opposed to one made in this account. */
  awsManaged: boolean;
  defaultVersion: string;
  attachmentCount: number;
  boundaryCount: number;
  createdAt: string | null;
  updatedAt: string | null;
  /** The default version's document, decoded and pretty-printed. */
  document: string;
}

const notFound = (error: unknown) => (error as Error).name === 'NoSuchEntityException' || (error as { Code?: string }).Code === 'NoSuchEntity';

/** The policy with this ARN, or null when IAM has none. */
export const getManagedPolicy = cache(async (arn: string): Promise<ManagedPolicy | null> => {
  const client = iamClient();
  let p;
  try {
    p = (await client.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
  } catch (error) {
    if (notFound(error)) return null;
    throw error;
  }
  if (!p) return null;
  const version = p.DefaultVersionId ?? 'v1';
  const v = await client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: version }));
  return {
    name: p.PolicyName ?? '',
    arn: p.Arn ?? arn,
    path: p.Path ?? '/',
    description: p.Description || null,
    awsManaged: /^arn:[^:]+:iam::aws:policy\//.test(p.Arn ?? arn),
    defaultVersion: version,
    attachmentCount: p.AttachmentCount ?? 0,
    boundaryCount: p.PermissionsBoundaryUsageCount ?? 0,
    createdAt: p.CreateDate?.toISOString() ?? null,
    updatedAt: p.UpdateDate?.toISOString() ?? null,
    document: readDocument(v.PolicyVersion?.Document).text,
  };
});

/**
 * The ARN a policy page's address names: an ARN as it is; a bare name is
 * looked up among the policies the account uses, then taken as this
 * account's own policy of that name, then as AWS's.
 */
export async function policyArnFor(nameOrArn: string, known: PolicyRef[]): Promise<string[]> {
  if (nameOrArn.startsWith('arn:')) return [nameOrArn];
  const used = known.filter((p) => p.name === nameOrArn).map((p) => p.arn);
  if (used.length) return used;
  const [{ account }, partition] = await Promise.all([getCallerIdentity(), currentPartition()]);
  return [`arn:${partition}:iam::${account}:policy/${nameOrArn}`, `arn:${partition}:iam::aws:policy/${nameOrArn}`];
}
