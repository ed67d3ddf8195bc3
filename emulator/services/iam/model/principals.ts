import type { AttachedPermissionsBoundary, Tag } from '@aws-sdk/client-iam';
import {
  byKey,
  deleteConflict,
  entityAlreadyExists,
  mergeTags,
  nameKey,
  noSuchEntity,
  paginate,
  parseTags,
  removeTags,
  underPath,
  type EntityKind,
  type Iam,
  type Page,
} from './common';
import { requireBoundary } from './policies';

/**
 * What users, groups and roles have in common in IAM: one row per name
 * (unique without regard to case), NoSuchEntity worded with the kind,
 * PathPrefix/Marker paging, attached and inline policies keyed by kind and
 * name, and (users and roles only) tags and a permissions boundary. Each
 * kind's own module keeps its rules (trust policies, members, access keys)
 * and calls these for the rest, so the shared behaviour is written once.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id.html
 */

const TABLE: Record<EntityKind, string> = { user: 'iam_users', group: 'iam_groups', role: 'iam_roles' };

/** The entity kinds that carry tags and a permissions boundary (groups have neither). */
export type TaggedKind = Exclude<EntityKind, 'group'>;

const TITLE: Record<EntityKind, string> = { user: 'User', group: 'Group', role: 'Role' };

export interface EntityRow {
  name: string;
  path: string;
}

export function findEntity<R extends EntityRow>(iam: Iam, kind: EntityKind, name: string): R | undefined {
  return iam.db.prepare(`SELECT * FROM ${TABLE[kind]} WHERE name = ?`).get(name) as R | undefined;
}

export function requireEntity<R extends EntityRow>(iam: Iam, kind: EntityKind, name: string): R {
  const row = findEntity<R>(iam, kind, name);
  if (!row) throw noSuchEntity(`The ${kind} with name ${name} cannot be found.`);
  return row;
}

/** Create refuses a name already taken (IAM compares names without case, as SQLite's NOCASE column does). */
export function refuseTakenName(iam: Iam, kind: EntityKind, name: string): void {
  if (findEntity(iam, kind, name)) throw entityAlreadyExists(`${TITLE[kind]} with name ${name} already exists.`);
}

/** ListUsers, ListGroups, ListRoles: by name without case, filtered by PathPrefix, paged by Marker. */
export function listEntities<R extends EntityRow>(
  iam: Iam,
  kind: EntityKind,
  input: { PathPrefix?: string; Marker?: string; MaxItems?: number },
): Page<R> {
  const rows = (iam.db.prepare(`SELECT * FROM ${TABLE[kind]}`).all() as R[]).filter((r) => underPath(r.path, input.PathPrefix));
  return paginate(byKey(rows, (r) => nameKey(r.name)), (r) => nameKey(r.name), input.Marker, input.MaxItems);
}

/**
 * The rename half of UpdateUser and UpdateGroup: a new name (unique without
 * case; a change of case alone is allowed) and/or path, with the entity's
 * attached and inline policies following it. The caller moves what only its
 * kind has (memberships, access keys) through `follow`.
 */
export function renameEntity(
  iam: Iam,
  kind: Exclude<EntityKind, 'role'>,
  row: EntityRow,
  newName: string,
  newPath: string | undefined,
  follow: (oldName: string, newName: string) => void,
): void {
  if (newName.toLowerCase() !== row.name.toLowerCase()) refuseTakenName(iam, kind, newName);
  iam.db.prepare(`UPDATE ${TABLE[kind]} SET name = ?, path = ? WHERE name = ?`).run(newName, newPath ?? row.path, row.name);
  if (newName === row.name) return;
  iam.db.prepare('UPDATE iam_attachments SET entity_name = ? WHERE entity_type = ? AND entity_name = ?').run(newName, kind, row.name);
  iam.db.prepare('UPDATE iam_inline_policies SET entity_name = ? WHERE entity_type = ? AND entity_name = ?').run(newName, kind, row.name);
  follow(row.name, newName);
}

/**
 * The refusals every Delete{User,Group,Role} shares, checked after the
 * kind's own (access keys, memberships): attached policies first, then
 * inline ones, then the row goes.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_remove.html
 */
export function deleteEntityRow(iam: Iam, kind: EntityKind, name: string): void {
  const has = (table: string) => iam.db.prepare(`SELECT 1 FROM ${table} WHERE entity_type = ? AND entity_name = ?`).get(kind, name) !== undefined;
  if (has('iam_attachments')) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (has('iam_inline_policies')) throw deleteConflict('Cannot delete entity, must delete policies first.');
  iam.db.prepare(`DELETE FROM ${TABLE[kind]} WHERE name = ?`).run(name);
}

/** TagUser/TagRole merge (a key already there takes the new value); UntagUser/UntagRole drop keys. */
export function tagEntity(iam: Iam, kind: TaggedKind, name: string, tags: Tag[]): void {
  retag(iam, kind, name, (current) => mergeTags(current, tags));
}

export function untagEntity(iam: Iam, kind: TaggedKind, name: string, keys: string[]): void {
  retag(iam, kind, name, (current) => removeTags(current, keys));
}

function retag(iam: Iam, kind: TaggedKind, name: string, change: (current: Tag[]) => Tag[]): void {
  iam.db.transaction(() => {
    const row = requireEntity<EntityRow & { tags: string }>(iam, kind, name);
    iam.db.prepare(`UPDATE ${TABLE[kind]} SET tags = ? WHERE name = ?`).run(JSON.stringify(change(parseTags(row.tags))), row.name);
  })();
}

/**
 * Put/Delete{User,Role}PermissionsBoundary: the boundary must be a managed
 * policy that exists; deleting (null) clears whatever is set.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export function setEntityBoundary(iam: Iam, kind: TaggedKind, name: string, policyArn: string | null): void {
  iam.db.transaction(() => {
    const row = requireEntity(iam, kind, name);
    if (policyArn !== null) requireBoundary(iam, policyArn);
    iam.db.prepare(`UPDATE ${TABLE[kind]} SET permissions_boundary = ? WHERE name = ?`).run(policyArn, row.name);
  })();
}

/**
 * The boundary and tags members of the SDK's `User` and `Role`; the list
 * calls (`full` false) leave both out, as IAM's do.
 */
export function boundaryAndTags(
  row: { permissions_boundary: string | null; tags: string },
  full: boolean,
): { PermissionsBoundary?: AttachedPermissionsBoundary; Tags?: Tag[] } {
  if (!full) return {};
  const tags = parseTags(row.tags);
  return {
    ...(row.permissions_boundary
      ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: row.permissions_boundary } }
      : {}),
    ...(tags.length > 0 ? { Tags: tags } : {}),
  };
}
