// IAM-style policy documents in general: merging a statement in, and the
// structural checks that catch a broken document before AWS is asked. Used by
// the ECR repository policy, the identity policy and the S3 bucket policy.

/** One statement of an IAM-style policy, in the grammar's own member names. */
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: unknown;
}
export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

/** Adds a statement to a policy (or starts one), replacing a statement with the same Sid. */
export function withStatement(existing: string, statement: Statement): string {
  let doc: PolicyDocument = { Version: '2012-10-17', Statement: [] };
  if (existing.trim()) {
    const parsed = JSON.parse(existing) as { Version?: string; Statement?: Statement | Statement[] };
    doc = {
      Version: parsed.Version ?? '2012-10-17',
      Statement: Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [],
    };
  }
  doc.Statement = [...doc.Statement.filter((s) => !statement.Sid || s.Sid !== statement.Sid), statement];
  return JSON.stringify(doc, null, 2);
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/**
 * Structural checks on an IAM-style policy document. AWS checks more (it knows
 * which principals exist); these catch what can be caught before sending.
 */
export function policyProblems(text: string, kind: 'resource' | 'identity'): string[] {
  if (!text.trim()) return ['The policy is empty.'];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return [`This is not valid JSON: ${(e as Error).message}.`];
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return ['A policy is a JSON object with Version and Statement.'];
  const d = doc as Record<string, unknown>;
  const problems: string[] = [];
  if (d.Version !== '2012-10-17' && d.Version !== '2008-10-17') problems.push('Set "Version" to "2012-10-17".');
  const statements = asList(d.Statement);
  if (statements.length === 0) problems.push('Add at least one statement to "Statement".');
  statements.forEach((raw, i) => {
    const n = `Statement ${i + 1}`;
    if (typeof raw !== 'object' || raw === null) {
      problems.push(`${n} is not an object.`);
      return;
    }
    const s = raw as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') problems.push(`${n}: "Effect" must be "Allow" or "Deny".`);
    if (s.Action === undefined && s.NotAction === undefined) problems.push(`${n}: name the actions in "Action".`);
    for (const a of [...asList(s.Action), ...asList(s.NotAction)]) {
      if (typeof a !== 'string' || !/^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/.test(a)) problems.push(`${n}: "${String(a)}" is not an action like ecr:BatchGetImage.`);
    }
    if (kind === 'resource' && s.Principal === undefined && s.NotPrincipal === undefined) {
      problems.push(`${n}: a repository policy statement needs a "Principal" (who it applies to).`);
    }
    if (kind === 'identity' && s.Principal !== undefined) problems.push(`${n}: an identity policy has no "Principal".`);
    if (kind === 'identity' && s.Resource === undefined && s.NotResource === undefined) problems.push(`${n}: add a "Resource".`);
  });
  return problems;
}

