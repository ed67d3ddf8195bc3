import type { Tag, User } from '@aws-sdk/client-iam';
import {
  checkEntityPath,
  byKey,
  deleteConflict,
  entityAlreadyExists,
  entityArn,
  mergeTags,
  nameKey,
  newUniqueId,
  noSuchEntity,
  paginate,
  parseTags,
  removeTags,
  underPath,
  type Iam,
  type Page,
} from './common';
import { requireBoundary } from './policies';

/**
 * IAM users: create, read, rename, delete (only once nothing hangs off them,
 * as IAM insists), and their tags.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_manage.html
 */

export interface UserRow {
  name: string;
  user_id: string;
  path: string;
  created_ms: number;
  permissions_boundary: string | null;
  tags: string;
}

export function findUser(iam: Iam, name: string): UserRow | undefined {
  return iam.db.prepare('SELECT * FROM iam_users WHERE name = ?').get(name) as UserRow | undefined;
}

export function requireUser(iam: Iam, name: string): UserRow {
  const row = findUser(iam, name);
  if (!row) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return row;
}

export function userArn(iam: Pick<Iam, 'accountId'>, row: Pick<UserRow, 'path' | 'name'>): string {
  return entityArn(iam.accountId, 'user', row.path, row.name);
}

/** The SDK's `User`; ListUsers leaves out tags and the boundary, as IAM's list calls do. */
export function toUser(iam: Iam, row: UserRow, full = true): User {
  const tags = parseTags(row.tags);
  return {
    Path: row.path,
    UserName: row.name,
    UserId: row.user_id,
    Arn: userArn(iam, row),
    CreateDate: new Date(row.created_ms),
    ...(full && row.permissions_boundary
      ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: row.permissions_boundary } }
      : {}),
    ...(full && tags.length > 0 ? { Tags: tags } : {}),
  };
}

export interface CreateUserInput {
  UserName: string;
  Path?: string;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

export function createUser(iam: Iam, input: CreateUserInput, fixedId?: string): UserRow {
  return iam.db.transaction(() => {
    checkEntityPath(input.Path, 'path');
    if (findUser(iam, input.UserName)) throw entityAlreadyExists(`User with name ${input.UserName} already exists.`);
    if (input.PermissionsBoundary) requireBoundary(iam, input.PermissionsBoundary);
    const tags = mergeTags([], input.Tags ?? []);
    const row: UserRow = {
      name: input.UserName,
      user_id: fixedId ?? newUniqueId('AIDA'),
      path: input.Path ?? '/',
      created_ms: iam.now(),
      permissions_boundary: input.PermissionsBoundary ?? null,
      tags: JSON.stringify(tags),
    };
    iam.db
      .prepare('INSERT INTO iam_users (name, user_id, path, created_ms, permissions_boundary, tags) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.name, row.user_id, row.path, row.created_ms, row.permissions_boundary, row.tags);
    return row;
  })();
}

export function listUsers(iam: Iam, input: { PathPrefix?: string; Marker?: string; MaxItems?: number }): Page<UserRow> {
  const rows = (iam.db.prepare('SELECT * FROM iam_users').all() as UserRow[]).filter((r) => underPath(r.path, input.PathPrefix));
  return paginate(byKey(rows, (r) => nameKey(r.name)), (r) => nameKey(r.name), input.Marker, input.MaxItems);
}

/** UpdateUser: a new name (unique without regard to case) and/or path; every reference follows the rename. */
export function updateUser(iam: Iam, input: { UserName: string; NewUserName?: string; NewPath?: string }): void {
  iam.db.transaction(() => {
    checkEntityPath(input.NewPath, 'newPath');
    const row = requireUser(iam, input.UserName);
    const newName = input.NewUserName ?? row.name;
    if (newName.toLowerCase() !== row.name.toLowerCase() && findUser(iam, newName)) {
      throw entityAlreadyExists(`User with name ${newName} already exists.`);
    }
    iam.db.prepare('UPDATE iam_users SET name = ?, path = ? WHERE name = ?').run(newName, input.NewPath ?? row.path, row.name);
    if (newName !== row.name) {
      iam.db.prepare('UPDATE iam_group_members SET user_name = ? WHERE user_name = ?').run(newName, row.name);
      iam.db.prepare("UPDATE iam_attachments SET entity_name = ? WHERE entity_type = 'user' AND entity_name = ?").run(newName, row.name);
      iam.db.prepare("UPDATE iam_inline_policies SET entity_name = ? WHERE entity_type = 'user' AND entity_name = ?").run(newName, row.name);
      iam.db.prepare('UPDATE iam_access_keys SET user_name = ? WHERE user_name = ?').run(newName, row.name);
    }
  })();
}

const count = (iam: Iam, sql: string, ...args: unknown[]) => (iam.db.prepare(sql).get(...args) as { n: number }).n;

/**
 * DeleteUser refuses while the user still has access keys, group
 * memberships, attached or inline policies: the console deletes those first,
 * the API leaves that to the caller.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_remove.html
 */
export function deleteUser(iam: Iam, name: string): void {
  iam.db.transaction(() => {
    const row = requireUser(iam, name);
    if (count(iam, 'SELECT COUNT(*) AS n FROM iam_access_keys WHERE user_name = ?', row.name) > 0) {
      throw deleteConflict('Cannot delete entity, must delete access keys first.');
    }
    if (count(iam, 'SELECT COUNT(*) AS n FROM iam_group_members WHERE user_name = ?', row.name) > 0) {
      throw deleteConflict('Cannot delete entity, must remove users from group first.');
    }
    if (count(iam, "SELECT COUNT(*) AS n FROM iam_attachments WHERE entity_type = 'user' AND entity_name = ?", row.name) > 0) {
      throw deleteConflict('Cannot delete entity, must detach all policies first.');
    }
    if (count(iam, "SELECT COUNT(*) AS n FROM iam_inline_policies WHERE entity_type = 'user' AND entity_name = ?", row.name) > 0) {
      throw deleteConflict('Cannot delete entity, must delete policies first.');
    }
    iam.db.prepare('DELETE FROM iam_users WHERE name = ?').run(row.name);
  })();
}

export function tagUser(iam: Iam, name: string, tags: Tag[]): void {
  iam.db.transaction(() => {
    const row = requireUser(iam, name);
    iam.db.prepare('UPDATE iam_users SET tags = ? WHERE name = ?').run(JSON.stringify(mergeTags(parseTags(row.tags), tags)), row.name);
  })();
}

export function untagUser(iam: Iam, name: string, keys: string[]): void {
  iam.db.transaction(() => {
    const row = requireUser(iam, name);
    iam.db.prepare('UPDATE iam_users SET tags = ? WHERE name = ?').run(JSON.stringify(removeTags(parseTags(row.tags), keys)), row.name);
  })();
}

/**
 * PutUserPermissionsBoundary / DeleteUserPermissionsBoundary: the boundary must
 * be a managed policy that exists; deleting clears whatever is set.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export function setUserBoundary(iam: Iam, name: string, policyArn: string | null): void {
  iam.db.transaction(() => {
    const row = requireUser(iam, name);
    if (policyArn !== null) requireBoundary(iam, policyArn);
    iam.db.prepare('UPDATE iam_users SET permissions_boundary = ? WHERE name = ?').run(policyArn, row.name);
  })();
}
