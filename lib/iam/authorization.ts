import 'server-only';
import { cache } from 'react';
import {
  paginateGetAccountAuthorizationDetails,
  type AttachedPolicy,
  type GroupDetail,
  type PolicyDetail,
  type RoleDetail,
  type Tag as IamTag,
  type UserDetail,
} from '@aws-sdk/client-iam';
import { endpointFor, iamClient } from '@/lib/aws/clients';
import { sharedReads, type Fresh, type ReadSpec } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import { decodeDocument, readDocument } from './documents';
import './errors';

// The account's IAM users, groups and roles, with every relationship and
// policy document between them, from one paged call:
// GetAccountAuthorizationDetails (filtered to users, groups and roles) gives
// each user's groups, attached and inline policies (with their documents) and
// tags, each group's policies, and each role's trust policy, policies, tags
// and last use. Read per entity instead, the users list alone would cost
// ListUsers plus three calls per user (ListGroupsForUser,
// ListAttachedUserPolicies, ListUserPolicies) and one more per inline policy.
//
// Managed policies are left out of the filter: the snapshot would carry every
// version of every policy's document (AWS managed ones included), which no page
// needs; the policy page asks for the one it shows (lib/iam/policies.ts).
//
// One snapshot, shared by every viewer of every Access page for the read
// cache's time (lib/aws/read-cache.ts). Group membership is taken from the
// users' group lists, so the groups pages cost no GetGroup per group.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html

/** IAM's largest page: MaxItems may be 1 to 1000. */
const PAGE = 1000;

export interface PolicyRef {
  name: string;
  arn: string;
}

export interface InlinePolicy {
  name: string;
  /** The decoded document, pretty-printed. */
  document: string;
  /**
   * The decoded document as IAM holds it, when that differs from `document`:
   * the policy simulator locates statements by line and column in this text
   * (lib/iam/statement-at.ts).
   */
  raw?: string;
}

export interface TagPair {
  key: string;
  value: string;
}

export interface IamUser {
  name: string;
  id: string;
  arn: string;
  path: string;
  createdAt: string | null;
  groups: string[];
  attached: PolicyRef[];
  inline: InlinePolicy[];
  /** The permissions boundary's policy ARN, if it has one. */
  boundary: string | null;
  tags: TagPair[];
}

export interface IamGroup {
  name: string;
  id: string;
  arn: string;
  path: string;
  createdAt: string | null;
  attached: PolicyRef[];
  inline: InlinePolicy[];
}

export interface IamRole {
  name: string;
  id: string;
  arn: string;
  path: string;
  createdAt: string | null;
  /** The trust policy, decoded and pretty-printed. */
  trust: string;
  attached: PolicyRef[];
  inline: InlinePolicy[];
  boundary: string | null;
  tags: TagPair[];
  /** When the role was last assumed, and in which region, when IAM knows (it tracks the last 400 days). */
  lastUsed: { at: string; region: string | null } | null;
  instanceProfiles: string[];
}

export interface Authorization {
  users: IamUser[];
  groups: IamGroup[];
  roles: IamRole[];
}

const refs = (list: AttachedPolicy[] | undefined): PolicyRef[] =>
  (list ?? []).map((p) => ({ name: p.PolicyName ?? '', arn: p.PolicyArn ?? '' })).sort((a, b) => a.name.localeCompare(b.name));
const inline = (list: PolicyDetail[] | undefined): InlinePolicy[] =>
  (list ?? [])
    .map((p) => {
      const raw = decodeDocument(p.PolicyDocument);
      const document = readDocument(p.PolicyDocument).text;
      return raw === document ? { name: p.PolicyName ?? '', document } : { name: p.PolicyName ?? '', document, raw };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
export const tagPairs = (tags: IamTag[] | undefined): TagPair[] =>
  (tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })).sort((a, b) => a.key.localeCompare(b.key));
const iso = (d: Date | undefined): string | null => (d ? d.toISOString() : null);

/**
 * What a user, group and role detail have in common: who it is, and its
 * attached and inline policies (each kind names its inline list differently,
 * so the caller passes it).
 */
function entityOf(
  d: UserDetail | GroupDetail | RoleDetail,
  name: string | undefined,
  id: string | undefined,
  policies: PolicyDetail[] | undefined,
): IamGroup {
  return {
    name: name ?? '',
    id: id ?? '',
    arn: d.Arn ?? '',
    path: d.Path ?? '/',
    createdAt: iso(d.CreateDate),
    attached: refs(d.AttachedManagedPolicies),
    inline: inline(policies),
  };
}

/** Users and roles (not groups) carry a permissions boundary and tags. */
const boundaryAndTags = (d: UserDetail | RoleDetail) => ({
  boundary: d.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
  tags: tagPairs(d.Tags),
});

function toUser(u: UserDetail): IamUser {
  return {
    ...entityOf(u, u.UserName, u.UserId, u.UserPolicyList),
    groups: [...(u.GroupList ?? [])].sort(),
    ...boundaryAndTags(u),
  };
}

const toGroup = (g: GroupDetail): IamGroup => entityOf(g, g.GroupName, g.GroupId, g.GroupPolicyList);

function toRole(r: RoleDetail): IamRole {
  return {
    ...entityOf(r, r.RoleName, r.RoleId, r.RolePolicyList),
    trust: readDocument(r.AssumeRolePolicyDocument).text,
    ...boundaryAndTags(r),
    lastUsed: r.RoleLastUsed?.LastUsedDate ? { at: r.RoleLastUsed.LastUsedDate.toISOString(), region: r.RoleLastUsed.Region ?? null } : null,
    instanceProfiles: (r.InstanceProfileList ?? []).map((p) => p.InstanceProfileName ?? '').filter(Boolean),
  };
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

const authorizationSpec: ReadSpec<Authorization> = {
  key: 'iam:authorization',
  region: 'global',
  tags: [readTags.iamAuthorization()],
  weight: (a) => a.users.length + a.groups.length + a.roles.length,
};

/** Reads every page of GetAccountAuthorizationDetails (users, groups and roles), following IAM's Marker. */
export async function loadAuthorization(pageSize = PAGE): Promise<Authorization> {
  const out: Authorization = { users: [], groups: [], roles: [] };
  const pages = paginateGetAccountAuthorizationDetails({ client: iamClient(), pageSize }, { Filter: ['User', 'Group', 'Role'] });
  for await (const page of pages) {
    for (const u of page.UserDetailList ?? []) out.users.push(toUser(u));
    for (const g of page.GroupDetailList ?? []) out.groups.push(toGroup(g));
    for (const r of page.RoleDetailList ?? []) out.roles.push(toRole(r));
  }
  out.users.sort(byName);
  out.groups.sort(byName);
  out.roles.sort(byName);
  return out;
}

/** The account's users, groups and roles, shared by every viewer for the read cache's time, with when they were read. */
export const readAuthorization = cache((): Promise<Fresh<Authorization>> => sharedReads().read(authorizationSpec, () => loadAuthorization()));

/** The members of each group, from the users' group lists. */
export function membersByGroup(users: IamUser[]): Map<string, string[]> {
  const members = new Map<string, string[]>();
  for (const u of users) {
    for (const g of u.groups) {
      const list = members.get(g) ?? [];
      list.push(u.name);
      members.set(g, list);
    }
  }
  return members;
}

export interface Attachments {
  users: string[];
  groups: string[];
  roles: string[];
}

/** Who a managed policy is attached to, from the snapshot (as identities or as permissions boundaries). */
export function attachmentsOf(a: Authorization, arn: string): { attached: Attachments; boundaryOf: Attachments } {
  const has = (list: PolicyRef[]) => list.some((p) => p.arn === arn);
  return {
    attached: {
      users: a.users.filter((u) => has(u.attached)).map((u) => u.name),
      groups: a.groups.filter((g) => has(g.attached)).map((g) => g.name),
      roles: a.roles.filter((r) => has(r.attached)).map((r) => r.name),
    },
    boundaryOf: {
      users: a.users.filter((u) => u.boundary === arn).map((u) => u.name),
      groups: [],
      roles: a.roles.filter((r) => r.boundary === arn).map((r) => r.name),
    },
  };
}

/** Every managed policy the snapshot mentions (attached or as a boundary), by ARN. */
export function managedPoliciesIn(a: Authorization): PolicyRef[] {
  const seen = new Map<string, PolicyRef>();
  for (const e of [...a.users, ...a.groups, ...a.roles]) for (const p of e.attached) seen.set(p.arn, p);
  return [...seen.values()].sort(byName);
}

/** What a page tells the error mapper when an IAM read fails: which call, so a refusal names the permission. */
export const iamRead = (action: string) => ({ service: 'IAM' as const, endpoint: endpointFor('IAM', 'us-east-1'), action });
