import 'server-only';
import { cache } from 'react';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { iamClient } from '@/lib/aws/clients';
import { getCallerIdentity } from '@/lib/aws/identity';
import { readDocument } from './documents';
import { tagPairs, type TagPair } from './authorization';

// What the authorization snapshot does not say about a role: its maximum
// session duration and description (RoleDetail has neither). One GetRole for
// the role page, not shared: it is one call, for one page.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html

export interface RoleFacts {
  name: string;
  arn: string;
  description: string | null;
  /** Seconds; IAM allows 3,600 (its default) to 43,200. */
  maxSessionSeconds: number;
  trust: string;
  lastUsed: { at: string; region: string | null } | null;
  tags: TagPair[];
  createdAt: string | null;
}

/** The role, or null when IAM has no role of that name. */
export const getRole = cache(async (name: string): Promise<RoleFacts | null> => {
  try {
    const { Role: r } = await iamClient().send(new GetRoleCommand({ RoleName: name }));
    if (!r) return null;
    return {
      name: r.RoleName ?? name,
      arn: r.Arn ?? '',
      description: r.Description || null,
      maxSessionSeconds: r.MaxSessionDuration ?? 3600,
      trust: readDocument(r.AssumeRolePolicyDocument).text,
      lastUsed: r.RoleLastUsed?.LastUsedDate ? { at: r.RoleLastUsed.LastUsedDate.toISOString(), region: r.RoleLastUsed.Region ?? null } : null,
      tags: tagPairs(r.Tags),
      createdAt: r.CreateDate?.toISOString() ?? null,
    };
  } catch (error) {
    if ((error as Error).name === 'NoSuchEntityException' || (error as { Code?: string }).Code === 'NoSuchEntity') return null;
    throw error;
  }
});

/** "1 h", "12 h", "1 h 30 min". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return [h ? `${h} h` : '', m ? `${m} min` : '', !h && !m ? `${seconds} s` : ''].filter(Boolean).join(' ');
}

/** Berth's own account, so trust policies can say "this account"; nothing when STS cannot say. */
export async function trustContext(): Promise<{ account?: string }> {
  try {
    return { account: (await getCallerIdentity()).account };
  } catch {
    return {};
  }
}
