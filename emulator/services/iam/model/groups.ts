import type { Group } from '@aws-sdk/client-iam';
import {
  checkEntityPath,
  QUOTAS,
  byKey,
  deleteConflict,
  entityAlreadyExists,
  entityArn,
  limitExceeded,
  nameKey,
  newUniqueId,
  noSuchEntity,
  paginate,
  underPath,
  type Iam,
  type Page,
} from './common';
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

export function findGroup(iam: Iam, name: string): GroupRow | undefined {
  return iam.db.prepare('SELECT * FROM iam_groups WHERE name = ?').get(name) as GroupRow | undefined;
}

export function requireGroup(iam: Iam, name: string): GroupRow {
  const row = findGroup(iam, name);
  if (!row) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return row;
}

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
    if (findGroup(iam, input.GroupName)) throw entityAlreadyExists(`Group with name ${input.GroupName} already exists.`);
    const row: GroupRow = { name: input.GroupName, group_id: newUniqueId('AGPA'), path: input.Path ?? '/', created_ms: iam.now() };
    iam.db.prepare('INSERT INTO iam_groups (name, group_id, path, created_ms) VALUES (?, ?, ?, ?)').run(row.name, row.group_id, row.path, row.created_ms);
    return row;
  })();
}

export function listGroups(iam: Iam, input: { PathPrefix?: string; Marker?: string; MaxItems?: number }): Page<GroupRow> {
  const rows = (iam.db.prepare('SELECT * FROM iam_groups').all() as GroupRow[]).filter((r) => underPath(r.path, input.PathPrefix));
  return paginate(byKey(rows, (r) => nameKey(r.name)), (r) => nameKey(r.name), input.Marker, input.MaxItems);
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
    const newName = input.NewGroupName ?? row.name;
    if (newName.toLowerCase() !== row.name.toLowerCase() && findGroup(iam, newName)) {
      throw entityAlreadyExists(`Group with name ${newName} already exists.`);
    }
    iam.db.prepare('UPDATE iam_groups SET name = ?, path = ? WHERE name = ?').run(newName, input.NewPath ?? row.path, row.name);
    if (newName !== row.name) {
      iam.db.prepare('UPDATE iam_group_members SET group_name = ? WHERE group_name = ?').run(newName, row.name);
      iam.db.prepare("UPDATE iam_attachments SET entity_name = ? WHERE entity_type = 'group' AND entity_name = ?").run(newName, row.name);
      iam.db.prepare("UPDATE iam_inline_policies SET entity_name = ? WHERE entity_type = 'group' AND entity_name = ?").run(newName, row.name);
    }
  })();
}

/** DeleteGroup refuses while the group has members, attached or inline policies. */
export function deleteGroup(iam: Iam, name: string): void {
  iam.db.transaction(() => {
    const row = requireGroup(iam, name);
    const has = (sql: string) => iam.db.prepare(sql).get(row.name) !== undefined;
    if (has('SELECT 1 FROM iam_group_members WHERE group_name = ?')) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    if (has("SELECT 1 FROM iam_attachments WHERE entity_type = 'group' AND entity_name = ?")) {
      throw deleteConflict('Cannot delete entity, must detach all policies first.');
    }
    if (has("SELECT 1 FROM iam_inline_policies WHERE entity_type = 'group' AND entity_name = ?")) {
      throw deleteConflict('Cannot delete entity, must delete policies first.');
    }
    iam.db.prepare('DELETE FROM iam_groups WHERE name = ?').run(row.name);
  })();
}
