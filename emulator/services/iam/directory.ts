import type Database from 'better-sqlite3';
import { ACCOUNT_ID } from '../../core/credentials';
import { findAccessKeyRow, noteUsed } from './model/access-keys';
import type { EntityKind, Iam } from './model/common';
import { groupsOfUser } from './model/groups';
import { inlinePolicies } from './model/inline';
import { attachedPolicies, defaultDocument, findPolicy } from './model/policies';
import { findOidc } from './model/oidc';
import { findRole as findRoleRow, roleArn } from './model/roles';
import { findUser, userArn } from './model/users';

/**
 * Read access to IAM's data for the rest of the emulator: signature checks
 * (the secret of an access key), authorization (the policies and tags of a
 * principal), STS (roles, trust policies, OIDC providers). Plain functions
 * over the emulator's database; nothing here speaks HTTP or throws AWS errors.
 *
 * Policy documents come back as the JSON text IAM stored (not URL-encoded).
 * Names are matched without regard to case, as IAM matches them.
 */

const view = (db: Database.Database): Iam => ({ db, accountId: ACCOUNT_ID, now: Date.now });

/** The IAM user an access key belongs to. */
export interface DirectoryUser {
  userName: string;
  userId: string;
  arn: string;
  path: string;
}

export interface DirectoryAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** `Active` or `Inactive`; an inactive key must not authenticate. */
  status: 'Active' | 'Inactive';
  user: DirectoryUser;
}

/**
 * Looks up an access key by id (exact, case-sensitive, as AWS compares key
 * ids). Undefined when no such key exists.
 */
export function findAccessKey(db: Database.Database, accessKeyId: string): DirectoryAccessKey | undefined {
  const iam = view(db);
  const key = findAccessKeyRow(iam, accessKeyId);
  if (!key || key.access_key_id !== accessKeyId) return undefined;
  const user = findUser(iam, key.user_name);
  if (!user) return undefined;
  return {
    accessKeyId: key.access_key_id,
    secretAccessKey: key.secret,
    status: key.status === 'Active' ? 'Active' : 'Inactive',
    user: { userName: user.name, userId: user.user_id, arn: userArn(iam, user), path: user.path },
  };
}

/**
 * Records that a key signed a request, for GetAccessKeyLastUsed: `service` is
 * the signing name (`s3`, `ecr`…), `region` the credential scope's region,
 * `at` the emulator clock's milliseconds. A no-op for an unknown key.
 */
export function noteAccessKeyUsed(db: Database.Database, accessKeyId: string, use: { service: string; region: string; at: number }): void {
  noteUsed(view(db), accessKeyId, use);
}

export type PolicySourceKind = 'user-inline' | 'user-managed' | 'group-inline' | 'group-managed' | 'role-inline' | 'role-managed';

export interface PrincipalPolicy {
  /** The policy document as JSON text (a managed policy's default version). */
  document: string;
  source: {
    kind: PolicySourceKind;
    /** The inline policy's name, or the managed policy's name. */
    name: string;
    /** Managed policies only. */
    policyArn?: string;
    /** Policies that come from a group the user belongs to. */
    groupName?: string;
  };
}

type Principal = { kind: 'user' | 'role'; name: string };

/**
 * Reads a principal ARN: an IAM user or role (`arn:aws:iam::<acct>:user/path/name`)
 * or an STS assumed-role session (`arn:aws:sts::<acct>:assumed-role/name/session`),
 * which acts with its role's policies.
 */
function parsePrincipal(arn: string): Principal | undefined {
  const iamArn = /^arn:aws:iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (iamArn) return iamArn[1] === ACCOUNT_ID ? { kind: iamArn[2] as 'user' | 'role', name: iamArn[3]! } : undefined;
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  if (session && session[1] === ACCOUNT_ID) return { kind: 'role', name: session[2]! };
  return undefined;
}

function entityPolicies(iam: Iam, kind: EntityKind, name: string, groupName?: string): PrincipalPolicy[] {
  const out: PrincipalPolicy[] = [];
  for (const p of inlinePolicies(iam, kind, name)) {
    out.push({ document: p.document, source: { kind: `${kind}-inline`, name: p.policy_name, ...(groupName ? { groupName } : {}) } });
  }
  for (const a of attachedPolicies(iam, kind, name)) {
    const row = findPolicy(iam, a.PolicyArn!);
    if (!row) continue;
    out.push({
      document: defaultDocument(iam, row),
      source: { kind: `${kind}-managed`, name: row.name, policyArn: row.arn, ...(groupName ? { groupName } : {}) },
    });
  }
  return out;
}

/**
 * Every identity-based policy that applies to a principal: a user's own
 * (inline, then attached) and those of each group it belongs to; a role's
 * own. Empty for an unknown principal. Permissions boundaries are not
 * included (see `permissionsBoundary`).
 */
export function principalPolicies(db: Database.Database, principalArn: string): PrincipalPolicy[] {
  const iam = view(db);
  const p = parsePrincipal(principalArn);
  if (!p) return [];
  if (p.kind === 'role') {
    const role = findRoleRow(iam, p.name);
    return role ? entityPolicies(iam, 'role', role.name) : [];
  }
  const user = findUser(iam, p.name);
  if (!user) return [];
  const out = entityPolicies(iam, 'user', user.name);
  for (const g of groupsOfUser(iam, user.name)) out.push(...entityPolicies(iam, 'group', g.name, g.name));
  return out;
}

/** The document of the principal's permissions boundary, if it has one. */
export function permissionsBoundary(db: Database.Database, principalArn: string): { policyArn: string; document: string } | undefined {
  const iam = view(db);
  const p = parsePrincipal(principalArn);
  if (!p) return undefined;
  const row = p.kind === 'user' ? findUser(iam, p.name) : findRoleRow(iam, p.name);
  const arn = row?.permissions_boundary;
  if (!arn) return undefined;
  const policy = findPolicy(iam, arn);
  return policy ? { policyArn: arn, document: defaultDocument(iam, policy) } : undefined;
}

/** A managed policy's default version's document, by ARN (session policies' PolicyArns); undefined when there is none. */
export function managedPolicyDocument(db: Database.Database, policyArn: string): string | undefined {
  const iam = view(db);
  const row = findPolicy(iam, policyArn);
  return row ? defaultDocument(iam, row) : undefined;
}

/** A principal's tags as key → value (for `aws:PrincipalTag/<key>`); empty for an unknown principal. */
export function principalTags(db: Database.Database, principalArn: string): Record<string, string> {
  const iam = view(db);
  const p = parsePrincipal(principalArn);
  if (!p) return {};
  const row = p.kind === 'user' ? findUser(iam, p.name) : findRoleRow(iam, p.name);
  if (!row) return {};
  const out: Record<string, string> = {};
  for (const t of JSON.parse(row.tags) as { Key: string; Value: string }[]) out[t.Key] = t.Value;
  return out;
}

export interface DirectoryRole {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  /** The trust policy as JSON text. */
  trustPolicy: string;
  /** Seconds, 3600..43200. */
  maxSessionDuration: number;
  tags: Record<string, string>;
  permissionsBoundaryArn?: string;
}

/** A role by name or by ARN (`arn:aws:iam::<acct>:role/path/name`); undefined when there is none. */
export function findRole(db: Database.Database, nameOrArn: string): DirectoryRole | undefined {
  const iam = view(db);
  let name = nameOrArn;
  let path: string | undefined;
  if (nameOrArn.startsWith('arn:')) {
    const m = /^arn:aws:iam::(\d{12}):role(\/(?:.*\/)?)([^/]+)$/.exec(nameOrArn);
    if (!m || m[1] !== ACCOUNT_ID) return undefined;
    path = m[2];
    name = m[3]!;
  }
  const row = findRoleRow(iam, name);
  if (!row || (path !== undefined && row.path !== path)) return undefined;
  const tags: Record<string, string> = {};
  for (const t of JSON.parse(row.tags) as { Key: string; Value: string }[]) tags[t.Key] = t.Value;
  return {
    roleName: row.name,
    roleId: row.role_id,
    arn: roleArn(iam, row),
    path: row.path,
    trustPolicy: row.trust_policy,
    maxSessionDuration: row.max_session_duration,
    tags,
    ...(row.permissions_boundary ? { permissionsBoundaryArn: row.permissions_boundary } : {}),
  };
}

export interface DirectoryOidcProvider {
  arn: string;
  /** Host and path, without `https://`, as IAM answers it (and as the `iss` claim reads after its scheme). */
  url: string;
  clientIds: string[];
  thumbprints: string[];
  tags: Record<string, string>;
}

export function findOidcProvider(db: Database.Database, arn: string): DirectoryOidcProvider | undefined {
  const row = findOidc(view(db), arn);
  if (!row) return undefined;
  const tags: Record<string, string> = {};
  for (const t of JSON.parse(row.tags) as { Key: string; Value: string }[]) tags[t.Key] = t.Value;
  return {
    arn: row.arn,
    url: row.url,
    clientIds: JSON.parse(row.client_ids) as string[],
    thumbprints: JSON.parse(row.thumbprints) as string[],
    tags,
  };
}

/** The ARN of every IAM user and role, users first, each alphabetically. */
export function listPrincipals(db: Database.Database): string[] {
  const iam = view(db);
  const users = db.prepare('SELECT name, path FROM iam_users ORDER BY name').all() as { name: string; path: string }[];
  const roles = db.prepare('SELECT name, path FROM iam_roles ORDER BY name').all() as { name: string; path: string }[];
  return [...users.map((u) => userArn(iam, u)), ...roles.map((r) => roleArn(iam, r))];
}
