import {
  QUOTAS,
  byKey,
  limitExceeded,
  nameKey,
  noSuchEntity,
  paginate,
  type EntityKind,
  type Iam,
  type Page,
} from './common';
import { checkPolicyDocument, policySize } from './documents';

/**
 * Inline policies: documents embedded in one user, group or role, named
 * within it. Their sizes count together against a per-entity quota (user
 * 2,048, group 5,120, role 10,240 non-whitespace characters).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
 */

const AGGREGATE: Record<EntityKind, number> = {
  user: QUOTAS.userInlineSize,
  group: QUOTAS.groupInlineSize,
  role: QUOTAS.roleInlineSize,
};

export interface InlineRow {
  policy_name: string;
  document: string;
}

export function inlinePolicies(iam: Iam, kind: EntityKind, entityName: string): InlineRow[] {
  return iam.db
    .prepare('SELECT policy_name, document FROM iam_inline_policies WHERE entity_type = ? AND entity_name = ? ORDER BY rowid')
    .all(kind, entityName) as InlineRow[];
}

/** Adds or replaces an inline policy; `entityName` is the stored name of an entity the caller found. */
export function putInlinePolicy(iam: Iam, kind: EntityKind, entityName: string, policyName: string, document: string): void {
  iam.db.transaction(() => {
    checkPolicyDocument(document, { kind: 'inline' });
    const others = inlinePolicies(iam, kind, entityName).filter((p) => p.policy_name.toLowerCase() !== policyName.toLowerCase());
    const total = others.reduce((n, p) => n + policySize(p.document), 0) + policySize(document);
    if (total > AGGREGATE[kind]) throw limitExceeded(`Maximum policy size of ${AGGREGATE[kind]} bytes exceeded for ${kind} ${entityName}`);
    iam.db
      .prepare(
        `INSERT INTO iam_inline_policies (entity_type, entity_name, policy_name, document) VALUES (?, ?, ?, ?)
         ON CONFLICT (entity_type, entity_name, policy_name) DO UPDATE SET document = excluded.document`,
      )
      .run(kind, entityName, policyName, document);
  })();
}

export function getInlinePolicy(iam: Iam, kind: EntityKind, entityName: string, policyName: string): InlineRow {
  const row = iam.db
    .prepare('SELECT policy_name, document FROM iam_inline_policies WHERE entity_type = ? AND entity_name = ? AND policy_name = ?')
    .get(kind, entityName, policyName) as InlineRow | undefined;
  if (!row) throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
  return row;
}

export function deleteInlinePolicy(iam: Iam, kind: EntityKind, entityName: string, policyName: string): void {
  const r = iam.db
    .prepare('DELETE FROM iam_inline_policies WHERE entity_type = ? AND entity_name = ? AND policy_name = ?')
    .run(kind, entityName, policyName);
  if (r.changes === 0) throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
}

/** ListUserPolicies and friends answer the policy names, alphabetically, paged. */
export function listInlineNames(iam: Iam, kind: EntityKind, entityName: string, input: { Marker?: string; MaxItems?: number }): Page<string> {
  const names = inlinePolicies(iam, kind, entityName).map((p) => p.policy_name);
  return paginate(byKey(names, nameKey), nameKey, input.Marker, input.MaxItems);
}
