import type { GetAccountAuthorizationDetailsResponse, GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import { byKey, encodeDocument, nameKey, paginate, parseTags, type EntityKind, type Iam } from './common';
import { groupsOfUser, toGroup, type GroupRow } from './groups';
import { inlinePolicies } from './inline';
import { attachedPolicies, toPolicy, toVersion, versionsOf, type PolicyRow } from './policies';
import { toRole, type RoleRow } from './roles';
import { toUser, type UserRow } from './users';

/**
 * GetAccountAuthorizationDetails: every user, group, role and managed policy
 * with what is attached to and embedded in each, documents URL-encoded.
 * One listing pages through all four kinds in that order. Only AWS managed
 * policies in use (attached or a boundary) appear, as in IAM, where listing
 * all of AWS's would be a thousand entries.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */

type Item =
  | { kind: 'User'; row: UserRow }
  | { kind: 'Group'; row: GroupRow }
  | { kind: 'Role'; row: RoleRow }
  | { kind: 'LocalManagedPolicy' | 'AWSManagedPolicy'; row: PolicyRow };

const ORDER = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;

function inlineDetails(iam: Iam, kind: EntityKind, name: string) {
  return inlinePolicies(iam, kind, name).map((p) => ({ PolicyName: p.policy_name, PolicyDocument: encodeDocument(p.document) }));
}

function attachedDetails(iam: Iam, kind: EntityKind, name: string) {
  return attachedPolicies(iam, kind, name).map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.PolicyArn }));
}

export function authorizationDetails(
  iam: Iam,
  input: { Filter?: string[]; Marker?: string; MaxItems?: number },
): Omit<GetAccountAuthorizationDetailsResponse, '$metadata'> {
  const wanted = new Set<string>(input.Filter && input.Filter.length > 0 ? input.Filter : ORDER);
  const items: Item[] = [];
  const all = <T>(sql: string) => iam.db.prepare(sql).all() as T[];
  if (wanted.has('User')) for (const row of all<UserRow>('SELECT * FROM iam_users')) items.push({ kind: 'User', row });
  if (wanted.has('Group')) for (const row of all<GroupRow>('SELECT * FROM iam_groups')) items.push({ kind: 'Group', row });
  if (wanted.has('Role')) for (const row of all<RoleRow>('SELECT * FROM iam_roles')) items.push({ kind: 'Role', row });
  for (const row of all<PolicyRow>('SELECT * FROM iam_policies')) {
    const kind = row.aws_managed === 1 ? 'AWSManagedPolicy' : 'LocalManagedPolicy';
    if (!wanted.has(kind)) continue;
    if (kind === 'AWSManagedPolicy') {
      const p = toPolicy(iam, row, false);
      if ((p.AttachmentCount ?? 0) === 0 && (p.PermissionsBoundaryUsageCount ?? 0) === 0) continue;
    }
    items.push({ kind, row });
  }
  const key = (i: Item) => `${ORDER.indexOf(i.kind)}:${nameKey(i.row.name)}:${'arn' in i.row ? i.row.arn : ''}`;
  const page = paginate(byKey(items, key), key, input.Marker, input.MaxItems);

  const UserDetailList: UserDetail[] = [];
  const GroupDetailList: GroupDetail[] = [];
  const RoleDetailList: RoleDetail[] = [];
  const Policies: ManagedPolicyDetail[] = [];
  for (const item of page.items) {
    switch (item.kind) {
      case 'User': {
        const u = toUser(iam, item.row);
        const tags = parseTags(item.row.tags);
        UserDetailList.push({
          Path: u.Path,
          UserName: u.UserName,
          UserId: u.UserId,
          Arn: u.Arn,
          CreateDate: u.CreateDate,
          UserPolicyList: inlineDetails(iam, 'user', item.row.name),
          GroupList: groupsOfUser(iam, item.row.name).map((g) => g.name),
          AttachedManagedPolicies: attachedDetails(iam, 'user', item.row.name),
          ...(u.PermissionsBoundary ? { PermissionsBoundary: u.PermissionsBoundary } : {}),
          Tags: tags,
        });
        break;
      }
      case 'Group':
        GroupDetailList.push({
          ...toGroup(iam, item.row),
          GroupPolicyList: inlineDetails(iam, 'group', item.row.name),
          AttachedManagedPolicies: attachedDetails(iam, 'group', item.row.name),
        });
        break;
      case 'Role': {
        const r = toRole(iam, item.row);
        RoleDetailList.push({
          Path: r.Path,
          RoleName: r.RoleName,
          RoleId: r.RoleId,
          Arn: r.Arn,
          CreateDate: r.CreateDate,
          AssumeRolePolicyDocument: r.AssumeRolePolicyDocument,
          InstanceProfileList: [],
          RolePolicyList: inlineDetails(iam, 'role', item.row.name),
          AttachedManagedPolicies: attachedDetails(iam, 'role', item.row.name),
          ...(r.PermissionsBoundary ? { PermissionsBoundary: r.PermissionsBoundary } : {}),
          Tags: parseTags(item.row.tags),
          RoleLastUsed: {},
        });
        break;
      }
      default: {
        const p = toPolicy(iam, item.row);
        Policies.push({
          PolicyName: p.PolicyName,
          PolicyId: p.PolicyId,
          Arn: p.Arn,
          Path: p.Path,
          DefaultVersionId: p.DefaultVersionId,
          AttachmentCount: p.AttachmentCount,
          PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount,
          IsAttachable: p.IsAttachable,
          ...(p.Description !== undefined ? { Description: p.Description } : {}),
          CreateDate: p.CreateDate,
          UpdateDate: p.UpdateDate,
          PolicyVersionList: versionsOf(iam, item.row.arn).map((v) => toVersion(v, item.row.default_version)),
        });
      }
    }
  }
  return {
    UserDetailList,
    GroupDetailList,
    RoleDetailList,
    Policies,
    IsTruncated: page.IsTruncated,
    ...(page.Marker ? { Marker: page.Marker } : {}),
  };
}
