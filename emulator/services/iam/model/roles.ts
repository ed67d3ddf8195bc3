import type { Role, Tag } from '@aws-sdk/client-iam';
import {
  checkEntityPath,
  byKey,
  deleteConflict,
  encodeDocument,
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
import { checkPolicyDocument, checkTrustSize } from './documents';
import { requireBoundary } from './policies';
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

export function findRole(iam: Iam, name: string): RoleRow | undefined {
  return iam.db.prepare('SELECT * FROM iam_roles WHERE name = ?').get(name) as RoleRow | undefined;
}

export function requireRole(iam: Iam, name: string): RoleRow {
  const row = findRole(iam, name);
  if (!row) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return row;
}

export function roleArn(iam: Pick<Iam, 'accountId'>, row: Pick<RoleRow, 'path' | 'name'>): string {
  return entityArn(iam.accountId, 'role', row.path, row.name);
}

/** The SDK's `Role`, trust policy URL-encoded; ListRoles leaves out tags, the boundary and RoleLastUsed, as IAM does. */
export function toRole(iam: Iam, row: RoleRow, full = true): Role {
  const tags = parseTags(row.tags);
  return {
    Path: row.path,
    RoleName: row.name,
    RoleId: row.role_id,
    Arn: roleArn(iam, row),
    CreateDate: new Date(row.created_ms),
    AssumeRolePolicyDocument: encodeDocument(row.trust_policy),
    ...(row.description !== null ? { Description: row.description } : {}),
    MaxSessionDuration: row.max_session_duration,
    ...(full && row.permissions_boundary
      ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: row.permissions_boundary } }
      : {}),
    ...(full && tags.length > 0 ? { Tags: tags } : {}),
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
    if (findRole(iam, input.RoleName)) throw entityAlreadyExists(`Role with name ${input.RoleName} already exists.`);
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
  const rows = (iam.db.prepare('SELECT * FROM iam_roles').all() as RoleRow[]).filter((r) => underPath(r.path, input.PathPrefix));
  return paginate(byKey(rows, (r) => nameKey(r.name)), (r) => nameKey(r.name), input.Marker, input.MaxItems);
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
    const row = requireRole(iam, name);
    const has = (sql: string) => iam.db.prepare(sql).get(row.name) !== undefined;
    if (has("SELECT 1 FROM iam_attachments WHERE entity_type = 'role' AND entity_name = ?")) {
      throw deleteConflict('Cannot delete entity, must detach all policies first.');
    }
    if (has("SELECT 1 FROM iam_inline_policies WHERE entity_type = 'role' AND entity_name = ?")) {
      throw deleteConflict('Cannot delete entity, must delete policies first.');
    }
    iam.db.prepare('DELETE FROM iam_roles WHERE name = ?').run(row.name);
  })();
}

export function tagRole(iam: Iam, name: string, tags: Tag[]): void {
  iam.db.transaction(() => {
    const row = requireRole(iam, name);
    iam.db.prepare('UPDATE iam_roles SET tags = ? WHERE name = ?').run(JSON.stringify(mergeTags(parseTags(row.tags), tags)), row.name);
  })();
}

export function untagRole(iam: Iam, name: string, keys: string[]): void {
  iam.db.transaction(() => {
    const row = requireRole(iam, name);
    iam.db.prepare('UPDATE iam_roles SET tags = ? WHERE name = ?').run(JSON.stringify(removeTags(parseTags(row.tags), keys)), row.name);
  })();
}

/**
 * PutRolePermissionsBoundary / DeleteRolePermissionsBoundary: the boundary must
 * be a managed policy that exists; deleting clears whatever is set.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export function setRoleBoundary(iam: Iam, name: string, policyArn: string | null): void {
  iam.db.transaction(() => {
    const row = requireRole(iam, name);
    if (policyArn !== null) requireBoundary(iam, policyArn);
    iam.db.prepare('UPDATE iam_roles SET permissions_boundary = ? WHERE name = ?').run(policyArn, row.name);
  })();
}
