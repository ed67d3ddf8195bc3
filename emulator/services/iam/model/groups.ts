import type { Group } from '@aws-sdk/client-iam';
import { checkEntityPath, QUOTAS, deleteConflict, entityArn, limitExceeded, newUniqueId, noSuchEntity, type Iam, type Page } from './common';
import { deleteEntityRow, findEntity, listEntities, refuseTakenName, renameEntity, requireEntity } from './principals';
import { requireUser, type UserRow } from './users';

/**
 * IAM groups and their members. A user belongs to at most 10 groups.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage.html
 */

export interface GroupRow {
  name: string;
  group_id: string;
  path: string;
  created_ms: number;
}

export const findGroup = (iam: Iam, name: string) => findEntity<GroupRow>(iam, 'group', name);

export const requireGroup = (iam: Iam, name: string) => requireEntity<GroupRow>(iam, 'group', name);

export function toGroup(iam: Pick<Iam, 'accountId'>, row: GroupRow): Group {
  return {
    Path: row.path,
    GroupName: row.name,
    GroupId: row.group_id,
    Arn: entityArn(iam.accountId, 'group', row.path, row.name),
    CreateDate: new Date(row.created_ms),
  };
}

export function createGroup(iam: Iam, input: { GroupName: string; Path?: string }): GroupRow {
  return iam.db.transaction(() => {
    checkEntityPath(input.Path, 'path');
    refuseTakenName(iam, 'group', input.GroupName);
    const row: GroupRow = { name: input.GroupName, group_id: newUniqueId('AGPA'), path: input.Path ?? '/', created_ms: iam.now() };
    iam.db.prepare('INSERT INTO iam_groups (name, group_id, path, created_ms) VALUES (?, ?, ?, ?)').run(row.name, row.group_id, row.path, row.created_ms);
    return row;
  })();
}

export function listGroups(iam: Iam, input: { PathPrefix?: string; Marker?: string; MaxItems?: number }): Page<GroupRow> {
  return listEntities<GroupRow>(iam, 'group', input);
}

/** The group's members in the order they were added (GetGroup pages through them). */
export function groupMembers(iam: Iam, groupName: string): UserRow[] {
  return iam.db
    .prepare('SELECT u.* FROM iam_group_members m JOIN iam_users u ON u.name = m.user_name WHERE m.group_name = ? ORDER BY m.rowid')
    .all(groupName) as UserRow[];
}

export function groupsOfUser(iam: Iam, userName: string): GroupRow[] {
  return iam.db
    .prepare('SELECT g.* FROM iam_group_members m JOIN iam_groups g ON g.name = m.group_name WHERE m.user_name = ? ORDER BY m.rowid')
    .all(userName) as GroupRow[];
}

export function addUserToGroup(iam: Iam, groupName: string, userName: string): void {
  iam.db.transaction(() => {
    const group = requireGroup(iam, groupName);
    const user = requireUser(iam, userName);
    const already = iam.db.prepare('SELECT 1 FROM iam_group_members WHERE group_name = ? AND user_name = ?').get(group.name, user.name);
    if (already) return;
    if (groupsOfUser(iam, user.name).length >= QUOTAS.groupsPerUser) {
      throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${QUOTAS.groupsPerUser}`);
    }
    iam.db.prepare('INSERT INTO iam_group_members (group_name, user_name) VALUES (?, ?)').run(group.name, user.name);
  })();
}

export function removeUserFromGroup(iam: Iam, groupName: string, userName: string): void {
  iam.db.transaction(() => {
    const group = requireGroup(iam, groupName);
    const user = requireUser(iam, userName);
    const r = iam.db.prepare('DELETE FROM iam_group_members WHERE group_name = ? AND user_name = ?').run(group.name, user.name);
    if (r.changes === 0) throw noSuchEntity(`User ${user.name} is not in group ${group.name}.`);
  })();
}

/** UpdateGroup: a new name (unique without regard to case) and/or path; members and policies follow the rename. */
export function updateGroup(iam: Iam, input: { GroupName: string; NewGroupName?: string; NewPath?: string }): void {
  iam.db.transaction(() => {
    checkEntityPath(input.NewPath, 'newPath');
    const row = requireGroup(iam, input.GroupName);
    renameEntity(iam, 'group', row, input.NewGroupName ?? row.name, input.NewPath, (from, to) => {
      iam.db.prepare('UPDATE iam_group_members SET group_name = ? WHERE group_name = ?').run(to, from);
    });
  })();
}

/** DeleteGroup refuses while the group has members, attached or inline policies. */
export function deleteGroup(iam: Iam, name: string): void {
  iam.db.transaction(() => {
    const row = requireGroup(iam, name);
    if (iam.db.prepare('SELECT 1 FROM iam_group_members WHERE group_name = ?').get(row.name) !== undefined) {
      throw deleteConflict('Cannot delete entity, must remove users from group first.');
    }
    deleteEntityRow(iam, 'group', row.name);
  })();
}
