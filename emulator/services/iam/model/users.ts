import type { Tag, User } from '@aws-sdk/client-iam';
import { checkEntityPath, deleteConflict, entityArn, mergeTags, newUniqueId, type Iam, type Page } from './common';
import { requireBoundary } from './policies';
import {
  boundaryAndTags,
  deleteEntityRow,
  findEntity,
  listEntities,
  refuseTakenName,
  renameEntity,
  requireEntity,
  setEntityBoundary,
  tagEntity,
  untagEntity,
} from './principals';

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

export const findUser = (iam: Iam, name: string) => findEntity<UserRow>(iam, 'user', name);

export const requireUser = (iam: Iam, name: string) => requireEntity<UserRow>(iam, 'user', name);

export function userArn(iam: Pick<Iam, 'accountId'>, row: Pick<UserRow, 'path' | 'name'>): string {
  return entityArn(iam.accountId, 'user', row.path, row.name);
}

/** The SDK's `User`; ListUsers leaves out tags and the boundary, as IAM's list calls do. */
export function toUser(iam: Iam, row: UserRow, full = true): User {
  return {
    Path: row.path,
    UserName: row.name,
    UserId: row.user_id,
    Arn: userArn(iam, row),
    CreateDate: new Date(row.created_ms),
    ...boundaryAndTags(row, full),
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
    refuseTakenName(iam, 'user', input.UserName);
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
  return listEntities<UserRow>(iam, 'user', input);
}

/** UpdateUser: a new name (unique without regard to case) and/or path; every reference follows the rename. */
export function updateUser(iam: Iam, input: { UserName: string; NewUserName?: string; NewPath?: string }): void {
  iam.db.transaction(() => {
    checkEntityPath(input.NewPath, 'newPath');
    const row = requireUser(iam, input.UserName);
    renameEntity(iam, 'user', row, input.NewUserName ?? row.name, input.NewPath, (from, to) => {
      iam.db.prepare('UPDATE iam_group_members SET user_name = ? WHERE user_name = ?').run(to, from);
      iam.db.prepare('UPDATE iam_access_keys SET user_name = ? WHERE user_name = ?').run(to, from);
    });
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
    deleteEntityRow(iam, 'user', row.name);
  })();
}

export const tagUser = (iam: Iam, name: string, tags: Tag[]) => tagEntity(iam, 'user', name, tags);

export const untagUser = (iam: Iam, name: string, keys: string[]) => untagEntity(iam, 'user', name, keys);

/** Put/DeleteUserPermissionsBoundary (null clears it). */
export const setUserBoundary = (iam: Iam, name: string, policyArn: string | null) => setEntityBoundary(iam, 'user', name, policyArn);
