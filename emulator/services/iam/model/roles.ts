import type { Role, Tag } from '@aws-sdk/client-iam';
import { checkEntityPath, encodeDocument, entityArn, mergeTags, newUniqueId, type Iam, type Page } from './common';
import { checkPolicyDocument, checkTrustSize } from './documents';
import { requireBoundary } from './policies';
import {
  boundaryAndTags,
  deleteEntityRow,
  findEntity,
  listEntities,
  refuseTakenName,
  requireEntity,
  setEntityBoundary,
  tagEntity,
  untagEntity,
} from './principals';
import { findUser } from './users';

/**
 * IAM roles: a trust policy (who may assume it), a maximum session duration
 * (1 to 12 hours, one by default), a description and tags.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage.html
 */

export interface RoleRow {
  name: string;
  role_id: string;
  path: string;
  created_ms: number;
  trust_policy: string;
  description: string | null;
  max_session_duration: number;
  permissions_boundary: string | null;
  tags: string;
}

export const findRole = (iam: Iam, name: string) => findEntity<RoleRow>(iam, 'role', name);

export const requireRole = (iam: Iam, name: string) => requireEntity<RoleRow>(iam, 'role', name);

export function roleArn(iam: Pick<Iam, 'accountId'>, row: Pick<RoleRow, 'path' | 'name'>): string {
  return entityArn(iam.accountId, 'role', row.path, row.name);
}

/** The SDK's `Role`, trust policy URL-encoded; ListRoles leaves out tags, the boundary and RoleLastUsed, as IAM does. */
export function toRole(iam: Iam, row: RoleRow, full = true): Role {
  return {
    Path: row.path,
    RoleName: row.name,
    RoleId: row.role_id,
    Arn: roleArn(iam, row),
    CreateDate: new Date(row.created_ms),
    AssumeRolePolicyDocument: encodeDocument(row.trust_policy),
    ...(row.description !== null ? { Description: row.description } : {}),
    MaxSessionDuration: row.max_session_duration,
    ...boundaryAndTags(row, full),
    ...(full ? { RoleLastUsed: {} } : {}),
  };
}

/** Whether an IAM user or role ARN of this account names an entity that exists (path included). */
export function principalExists(iam: Iam, arn: string): boolean {
  const m = /^arn:aws:iam::\d{12}:(user|role)(\/(?:.*\/)?)([^/]+)$/.exec(arn);
  if (!m) return false;
  const [, kind, path, name] = m;
  const row = kind === 'user' ? findUser(iam, name!) : findRole(iam, name!);
  return row !== undefined && row.path === path && row.name === name;
}

function checkTrust(iam: Iam, document: string): void {
  checkPolicyDocument(document, { kind: 'trust', accountId: iam.accountId, principalExists: (arn) => principalExists(iam, arn) });
  checkTrustSize(document);
}

export interface CreateRoleInput {
  RoleName: string;
  AssumeRolePolicyDocument: string;
  Path?: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

export function createRole(iam: Iam, input: CreateRoleInput): RoleRow {
  return iam.db.transaction(() => {
    checkEntityPath(input.Path, 'path');
    refuseTakenName(iam, 'role', input.RoleName);
    checkTrust(iam, input.AssumeRolePolicyDocument);
    if (input.PermissionsBoundary) requireBoundary(iam, input.PermissionsBoundary);
    const row: RoleRow = {
      name: input.RoleName,
      role_id: newUniqueId('AROA'),
      path: input.Path ?? '/',
      created_ms: iam.now(),
      trust_policy: input.AssumeRolePolicyDocument,
      description: input.Description ?? null,
      max_session_duration: input.MaxSessionDuration ?? 3600,
      permissions_boundary: input.PermissionsBoundary ?? null,
      tags: JSON.stringify(mergeTags([], input.Tags ?? [])),
    };
    iam.db
      .prepare(
        `INSERT INTO iam_roles (name, role_id, path, created_ms, trust_policy, description, max_session_duration, permissions_boundary, tags)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.name, row.role_id, row.path, row.created_ms, row.trust_policy, row.description, row.max_session_duration, row.permissions_boundary, row.tags);
    return row;
  })();
}

export function listRoles(iam: Iam, input: { PathPrefix?: string; Marker?: string; MaxItems?: number }): Page<RoleRow> {
  return listEntities<RoleRow>(iam, 'role', input);
}

/** UpdateRole: only what is given changes (an empty description clears it). */
export function updateRole(iam: Iam, input: { RoleName: string; Description?: string; MaxSessionDuration?: number }): void {
  iam.db.transaction(() => {
    const row = requireRole(iam, input.RoleName);
    iam.db
      .prepare('UPDATE iam_roles SET description = ?, max_session_duration = ? WHERE name = ?')
      .run(input.Description ?? row.description, input.MaxSessionDuration ?? row.max_session_duration, row.name);
  })();
}

export function updateAssumeRolePolicy(iam: Iam, roleName: string, document: string): void {
  iam.db.transaction(() => {
    const row = requireRole(iam, roleName);
    checkTrust(iam, document);
    iam.db.prepare('UPDATE iam_roles SET trust_policy = ? WHERE name = ?').run(document, row.name);
  })();
}

/** DeleteRole refuses while policies are attached or embedded. */
export function deleteRole(iam: Iam, name: string): void {
  iam.db.transaction(() => {
    deleteEntityRow(iam, 'role', requireRole(iam, name).name);
  })();
}

export const tagRole = (iam: Iam, name: string, tags: Tag[]) => tagEntity(iam, 'role', name, tags);

export const untagRole = (iam: Iam, name: string, keys: string[]) => untagEntity(iam, 'role', name, keys);

/** Put/DeleteRolePermissionsBoundary (null clears it). */
export const setRoleBoundary = (iam: Iam, name: string, policyArn: string | null) => setEntityBoundary(iam, 'role', name, policyArn);
