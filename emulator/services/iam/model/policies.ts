import type { AttachedPolicy, Policy, PolicyVersion, Tag } from '@aws-sdk/client-iam';
import { AwsError } from '../../../core/errors';
import {
  QUOTAS,
  byKey,
  deleteConflict,
  encodeDocument,
  entityAlreadyExists,
  entityArn,
  limitExceeded,
  mergeTags,
  nameKey,
  newUniqueId,
  noSuchEntity,
  paginate,
  parseTags,
  removeTags,
  underPath,
  type EntityKind,
  type Iam,
  type Page,
} from './common';
import { checkManagedSize, checkPolicyDocument } from './documents';

/**
 * Managed policies (customer managed and the AWS managed ones the emulator
 * carries), their versions, and their attachments to users, groups and roles.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
 */

export interface PolicyRow {
  arn: string;
  name: string;
  policy_id: string;
  path: string;
  description: string | null;
  created_ms: number;
  updated_ms: number;
  default_version: string;
  next_version: number;
  aws_managed: number;
  tags: string;
}

export interface VersionRow {
  policy_arn: string;
  version_id: string;
  number: number;
  document: string;
  created_ms: number;
}

export function findPolicy(iam: Iam, arn: string): PolicyRow | undefined {
  return iam.db.prepare('SELECT * FROM iam_policies WHERE arn = ?').get(arn) as PolicyRow | undefined;
}

export function requirePolicy(iam: Iam, arn: string): PolicyRow {
  const row = findPolicy(iam, arn);
  if (!row) throw noSuchEntity(`Policy ${arn} was not found.`);
  return row;
}

/** Attach calls and permissions boundaries word a missing policy differently from GetPolicy. */
function requireAttachable(iam: Iam, arn: string): PolicyRow {
  const row = findPolicy(iam, arn);
  if (!row) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return row;
}

export function requireBoundary(iam: Iam, arn: string): PolicyRow {
  const row = findPolicy(iam, arn);
  if (!row) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  return row;
}

/**
 * AWS managed policies belong to AWS, not to the account: changing or
 * deleting one is refused the way a request on another account's resource
 * is, with access denied.
 */
export function refuseAwsManaged(row: PolicyRow, callerArn: string, action: string): void {
  if (row.aws_managed !== 1) return;
  throw new AwsError(
    'AccessDenied',
    `User: ${callerArn} is not authorized to perform: ${action} on resource: policy ${row.arn} because no resource-based policy allows the ${action} action`,
    403,
  );
}

export function attachmentCount(iam: Iam, arn: string): number {
  return (iam.db.prepare('SELECT COUNT(*) AS n FROM iam_attachments WHERE policy_arn = ?').get(arn) as { n: number }).n;
}

export function boundaryUsageCount(iam: Iam, arn: string): number {
  const users = (iam.db.prepare('SELECT COUNT(*) AS n FROM iam_users WHERE permissions_boundary = ?').get(arn) as { n: number }).n;
  const roles = (iam.db.prepare('SELECT COUNT(*) AS n FROM iam_roles WHERE permissions_boundary = ?').get(arn) as { n: number }).n;
  return users + roles;
}

/** The SDK's `Policy`; ListPolicies leaves out the description and tags, as IAM does. */
export function toPolicy(iam: Iam, row: PolicyRow, full = true): Policy {
  const tags = parseTags(row.tags);
  return {
    PolicyName: row.name,
    PolicyId: row.policy_id,
    Arn: row.arn,
    Path: row.path,
    DefaultVersionId: row.default_version,
    AttachmentCount: attachmentCount(iam, row.arn),
    PermissionsBoundaryUsageCount: boundaryUsageCount(iam, row.arn),
    IsAttachable: true,
    ...(full && row.description !== null ? { Description: row.description } : {}),
    CreateDate: new Date(row.created_ms),
    UpdateDate: new Date(row.updated_ms),
    ...(full && tags.length > 0 ? { Tags: tags } : {}),
  };
}

export function toVersion(row: VersionRow, defaultVersion: string): PolicyVersion {
  return {
    Document: encodeDocument(row.document),
    VersionId: row.version_id,
    IsDefaultVersion: row.version_id === defaultVersion,
    CreateDate: new Date(row.created_ms),
  };
}

export function versionsOf(iam: Iam, arn: string): VersionRow[] {
  return iam.db.prepare('SELECT * FROM iam_policy_versions WHERE policy_arn = ? ORDER BY number DESC').all(arn) as VersionRow[];
}

export function defaultDocument(iam: Iam, row: PolicyRow): string {
  const v = iam.db.prepare('SELECT document FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?').get(row.arn, row.default_version) as
    | { document: string }
    | undefined;
  return v?.document ?? '{}';
}

export interface CreatePolicyInput {
  PolicyName: string;
  PolicyDocument: string;
  Path?: string;
  Description?: string;
  Tags?: Tag[];
}

export function createPolicy(iam: Iam, input: CreatePolicyInput): PolicyRow {
  return iam.db.transaction(() => {
    const taken = iam.db.prepare('SELECT 1 FROM iam_policies WHERE name = ? AND aws_managed = 0').get(input.PolicyName);
    if (taken) throw entityAlreadyExists(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
    checkPolicyDocument(input.PolicyDocument, { kind: 'managed' });
    checkManagedSize(input.PolicyDocument);
    const path = input.Path ?? '/';
    const now = iam.now();
    const row: PolicyRow = {
      arn: entityArn(iam.accountId, 'policy', path, input.PolicyName),
      name: input.PolicyName,
      policy_id: newUniqueId('ANPA'),
      path,
      description: input.Description ?? null,
      created_ms: now,
      updated_ms: now,
      default_version: 'v1',
      next_version: 2,
      aws_managed: 0,
      tags: JSON.stringify(mergeTags([], input.Tags ?? [])),
    };
    insertPolicy(iam, row);
    iam.db
      .prepare('INSERT INTO iam_policy_versions (policy_arn, version_id, number, document, created_ms) VALUES (?, ?, ?, ?, ?)')
      .run(row.arn, 'v1', 1, input.PolicyDocument, now);
    return row;
  })();
}

export function insertPolicy(iam: Pick<Iam, 'db'>, row: PolicyRow): void {
  iam.db
    .prepare(
      `INSERT INTO iam_policies (arn, name, policy_id, path, description, created_ms, updated_ms, default_version, next_version, aws_managed, tags)
       VALUES (@arn, @name, @policy_id, @path, @description, @created_ms, @updated_ms, @default_version, @next_version, @aws_managed, @tags)`,
    )
    .run(row);
}

export interface ListPoliciesInput {
  Scope?: string;
  OnlyAttached?: boolean;
  PathPrefix?: string;
  PolicyUsageFilter?: string;
  Marker?: string;
  MaxItems?: number;
}

export function listPolicies(iam: Iam, input: ListPoliciesInput): Page<PolicyRow> {
  const scope = input.Scope ?? 'All';
  const rows = (iam.db.prepare('SELECT * FROM iam_policies').all() as PolicyRow[]).filter((r) => {
    if (scope === 'AWS' && r.aws_managed !== 1) return false;
    if (scope === 'Local' && r.aws_managed !== 0) return false;
    if (!underPath(r.path, input.PathPrefix)) return false;
    const attached = attachmentCount(iam, r.arn) > 0;
    const bounding = boundaryUsageCount(iam, r.arn) > 0;
    if (input.OnlyAttached && !attached && !bounding) return false;
    if (input.PolicyUsageFilter === 'PermissionsPolicy' && input.OnlyAttached && !attached) return false;
    if (input.PolicyUsageFilter === 'PermissionsBoundary' && input.OnlyAttached && !bounding) return false;
    return true;
  });
  const key = (r: PolicyRow) => `${nameKey(r.name)}\u0000${r.arn}`;
  return paginate(byKey(rows, key), key, input.Marker, input.MaxItems);
}

/**
 * DeletePolicy: not while attached or used as a boundary, and not while it
 * has versions besides the default (the default goes with the policy).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html
 */
export function deletePolicy(iam: Iam, arn: string, callerArn: string): void {
  iam.db.transaction(() => {
    const row = requirePolicy(iam, arn);
    refuseAwsManaged(row, callerArn, 'iam:DeletePolicy');
    if (attachmentCount(iam, arn) > 0 || boundaryUsageCount(iam, arn) > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
    if (versionsOf(iam, arn).length > 1) {
      throw deleteConflict(
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
    }
    iam.db.prepare('DELETE FROM iam_policies WHERE arn = ?').run(arn);
  })();
}

export function createPolicyVersion(iam: Iam, arn: string, document: string, setAsDefault: boolean, callerArn: string): VersionRow {
  return iam.db.transaction(() => {
    const row = requirePolicy(iam, arn);
    refuseAwsManaged(row, callerArn, 'iam:CreatePolicyVersion');
    checkPolicyDocument(document, { kind: 'managed' });
    checkManagedSize(document);
    if (versionsOf(iam, arn).length >= QUOTAS.versionsPerPolicy) {
      throw limitExceeded(
        `A managed policy can have up to ${QUOTAS.versionsPerPolicy} versions. Before you create a new version, you must delete an existing version.`,
      );
    }
    // Version numbers are never reused: after v1..v5 and deleting v2, the next is v6.
    const v: VersionRow = { policy_arn: arn, version_id: `v${row.next_version}`, number: row.next_version, document, created_ms: iam.now() };
    iam.db
      .prepare('INSERT INTO iam_policy_versions (policy_arn, version_id, number, document, created_ms) VALUES (?, ?, ?, ?, ?)')
      .run(v.policy_arn, v.version_id, v.number, v.document, v.created_ms);
    iam.db
      .prepare('UPDATE iam_policies SET next_version = next_version + 1, updated_ms = ?, default_version = ? WHERE arn = ?')
      .run(v.created_ms, setAsDefault ? v.version_id : row.default_version, arn);
    return v;
  })();
}

export function requireVersion(iam: Iam, arn: string, versionId: string): VersionRow {
  requirePolicy(iam, arn);
  const v = iam.db.prepare('SELECT * FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?').get(arn, versionId) as VersionRow | undefined;
  if (!v) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
  return v;
}

export function deletePolicyVersion(iam: Iam, arn: string, versionId: string, callerArn: string): void {
  iam.db.transaction(() => {
    const row = requirePolicy(iam, arn);
    refuseAwsManaged(row, callerArn, 'iam:DeletePolicyVersion');
    requireVersion(iam, arn, versionId);
    if (row.default_version === versionId) throw deleteConflict('Cannot delete the default version of a policy.');
    iam.db.prepare('DELETE FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?').run(arn, versionId);
  })();
}

export function setDefaultPolicyVersion(iam: Iam, arn: string, versionId: string, callerArn: string): void {
  iam.db.transaction(() => {
    const row = requirePolicy(iam, arn);
    refuseAwsManaged(row, callerArn, 'iam:SetDefaultPolicyVersion');
    requireVersion(iam, arn, versionId);
    iam.db.prepare('UPDATE iam_policies SET default_version = ?, updated_ms = ? WHERE arn = ?').run(versionId, iam.now(), arn);
  })();
}

export function tagPolicy(iam: Iam, arn: string, tags: Tag[], callerArn: string): void {
  iam.db.transaction(() => {
    const row = requirePolicy(iam, arn);
    refuseAwsManaged(row, callerArn, 'iam:TagPolicy');
    iam.db.prepare('UPDATE iam_policies SET tags = ? WHERE arn = ?').run(JSON.stringify(mergeTags(parseTags(row.tags), tags)), arn);
  })();
}

export function untagPolicy(iam: Iam, arn: string, keys: string[], callerArn: string): void {
  iam.db.transaction(() => {
    const row = requirePolicy(iam, arn);
    refuseAwsManaged(row, callerArn, 'iam:UntagPolicy');
    iam.db.prepare('UPDATE iam_policies SET tags = ? WHERE arn = ?').run(JSON.stringify(removeTags(parseTags(row.tags), keys)), arn);
  })();
}

// ---------------------------------------------------------------- attachments

const ATTACH_QUOTA: Record<EntityKind, { limit: number; label: string }> = {
  user: { limit: QUOTAS.managedPoliciesPerUser, label: 'PoliciesPerUser' },
  group: { limit: QUOTAS.managedPoliciesPerGroup, label: 'PoliciesPerGroup' },
  role: { limit: QUOTAS.managedPoliciesPerRole, label: 'PoliciesPerRole' },
};

/** Attaches (idempotently) a managed policy; the entity must exist (the caller checks, naming it IAM's way). */
export function attachPolicy(iam: Iam, kind: EntityKind, entityName: string, arn: string): void {
  iam.db.transaction(() => {
    requireAttachable(iam, arn);
    if (iam.db.prepare('SELECT 1 FROM iam_attachments WHERE entity_type = ? AND entity_name = ? AND policy_arn = ?').get(kind, entityName, arn)) return;
    const n = (iam.db.prepare('SELECT COUNT(*) AS n FROM iam_attachments WHERE entity_type = ? AND entity_name = ?').get(kind, entityName) as { n: number }).n;
    const q = ATTACH_QUOTA[kind];
    if (n >= q.limit) throw limitExceeded(`Cannot exceed quota for ${q.label}: ${q.limit}`);
    iam.db.prepare('INSERT INTO iam_attachments (entity_type, entity_name, policy_arn) VALUES (?, ?, ?)').run(kind, entityName, arn);
  })();
}

export function detachPolicy(iam: Iam, kind: EntityKind, entityName: string, arn: string): void {
  iam.db.transaction(() => {
    requirePolicy(iam, arn);
    const r = iam.db.prepare('DELETE FROM iam_attachments WHERE entity_type = ? AND entity_name = ? AND policy_arn = ?').run(kind, entityName, arn);
    if (r.changes === 0) throw noSuchEntity(`Policy ${arn} was not found.`);
  })();
}

/** The managed policies attached to one entity, in the order they were attached. */
export function attachedPolicies(iam: Iam, kind: EntityKind, entityName: string): (AttachedPolicy & { path: string })[] {
  const rows = iam.db
    .prepare(
      `SELECT p.name, p.arn, p.path FROM iam_attachments a JOIN iam_policies p ON p.arn = a.policy_arn
       WHERE a.entity_type = ? AND a.entity_name = ? ORDER BY a.rowid`,
    )
    .all(kind, entityName) as { name: string; arn: string; path: string }[];
  return rows.map((r) => ({ PolicyName: r.name, PolicyArn: r.arn, path: r.path }));
}

export function listAttached(
  iam: Iam,
  kind: EntityKind,
  entityName: string,
  input: { PathPrefix?: string; Marker?: string; MaxItems?: number },
): Page<AttachedPolicy> {
  const all = attachedPolicies(iam, kind, entityName).filter((p) => underPath(p.path, input.PathPrefix));
  const indexed = all.map((p, i) => ({ p, k: String(i).padStart(6, '0') }));
  const page = paginate(indexed, (x) => x.k, input.Marker, input.MaxItems);
  return { ...page, items: page.items.map((x) => ({ PolicyName: x.p.PolicyName, PolicyArn: x.p.PolicyArn })) };
}

export interface PolicyEntity {
  kind: EntityKind;
  name: string;
  id: string;
  path: string;
}

/**
 * ListEntitiesForPolicy: who uses a policy, as a permissions policy
 * (attached), as a permissions boundary, or both (no filter).
 */
export function entitiesForPolicy(
  iam: Iam,
  arn: string,
  input: { EntityFilter?: string; PathPrefix?: string; PolicyUsageFilter?: string; Marker?: string; MaxItems?: number },
): Page<PolicyEntity> {
  requirePolicy(iam, arn);
  const usage = input.PolicyUsageFilter;
  const out: PolicyEntity[] = [];
  const tables: Record<EntityKind, { table: string; id: string }> = {
    group: { table: 'iam_groups', id: 'group_id' },
    user: { table: 'iam_users', id: 'user_id' },
    role: { table: 'iam_roles', id: 'role_id' },
  };
  for (const kind of ['group', 'user', 'role'] as const) {
    const filter = input.EntityFilter;
    if (filter !== undefined && filter.toLowerCase() !== kind) continue;
    const { table, id } = tables[kind];
    const seen = new Set<string>();
    if (usage !== 'PermissionsBoundary') {
      const rows = iam.db
        .prepare(`SELECT e.name, e.${id} AS id, e.path FROM iam_attachments a JOIN ${table} e ON e.name = a.entity_name WHERE a.entity_type = ? AND a.policy_arn = ?`)
        .all(kind, arn) as { name: string; id: string; path: string }[];
      for (const r of rows) {
        if (seen.has(r.name)) continue;
        seen.add(r.name);
        out.push({ kind, ...r });
      }
    }
    if (usage !== 'PermissionsPolicy' && kind !== 'group') {
      const rows = iam.db.prepare(`SELECT name, ${id} AS id, path FROM ${table} WHERE permissions_boundary = ?`).all(arn) as {
        name: string;
        id: string;
        path: string;
      }[];
      for (const r of rows) {
        if (seen.has(r.name)) continue;
        seen.add(r.name);
        out.push({ kind, ...r });
      }
    }
  }
  const order = { group: 0, user: 1, role: 2 };
  const key = (e: PolicyEntity) => `${order[e.kind]}:${nameKey(e.name)}`;
  return paginate(byKey(out.filter((e) => underPath(e.path, input.PathPrefix)), key), key, input.Marker, input.MaxItems);
}

