import type { EvaluationResult, Statement } from '@aws-sdk/client-iam';
import type { Capability, WhoCanTarget } from './who-can-actions';

// The policy simulator's answer (SimulatePrincipalPolicy's EvaluationResults)
// turned into one verdict per capability ("push"): every action allowed, some,
// none because a statement denies it, or none because nothing allows it. Pure.
//
// The simulator evaluates every action on every resource it is given. With
// more than one ResourceArn (a bucket and its objects) it answers per resource
// in ResourceSpecificResults, and the top-level decision is the most
// restrictive over all of them, which would call s3:GetObject denied merely
// because it was also asked on the bucket ARN. So each action is read on the
// one resource it acts on (who-can-actions.ts), from ResourceSpecificResults
// when present, else from the top level.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ResourceSpecificResult.html

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny' | 'unknown';

/** Where a matched statement is: the policy IAM names and the statement's position in it. */
export interface StatementRef {
  /** SourcePolicyId: a policy name, or `ResourcePolicy` for the resource policy passed in. */
  policyId: string;
  /** SourcePolicyType: user, group, role, aws-managed, user-managed, resource, none. */
  policyType: string;
  line: number | null;
  column: number | null;
}

export interface ActionVerdict {
  action: string;
  resource: string | null;
  decision: Decision;
  statements: StatementRef[];
  /** Condition keys a statement needed that the simulation had no value for. */
  missingContext: string[];
  /** False when the permissions boundary does not allow the action (it then cannot be allowed). */
  allowedByBoundary: boolean | null;
}

export type VerdictState = 'allowed' | 'partial' | 'denied' | 'not-allowed' | 'unknown';

export interface CapabilityVerdict {
  id: string;
  label: string;
  noun: string;
  state: VerdictState;
  allowed: number;
  total: number;
  actions: ActionVerdict[];
  /**
   * The statements that decide it: the denying ones when a statement denies
   * any of its actions, else those that allow the allowed actions.
   */
  deciding: StatementRef[];
  missingContext: string[];
  /** True when the permissions boundary is what keeps an action out. */
  boundaryBlocks: boolean;
}

interface Row {
  action: string;
  resource: string;
  decision: Decision;
  statements: Statement[];
  missing: string[];
  boundary: boolean | null;
}

const DECISIONS = new Set<string>(['allowed', 'explicitDeny', 'implicitDeny']);
const decisionOf = (d: string | undefined): Decision => (d && DECISIONS.has(d) ? (d as Decision) : 'unknown');

/** One row per (action, resource) the simulator answered. */
function rows(results: readonly EvaluationResult[]): Row[] {
  const out: Row[] = [];
  for (const r of results) {
    const action = r.EvalActionName ?? '';
    const specific = r.ResourceSpecificResults ?? [];
    if (specific.length) {
      for (const s of specific) {
        out.push({
          action,
          resource: s.EvalResourceName ?? '*',
          decision: decisionOf(s.EvalResourceDecision),
          statements: s.MatchedStatements ?? [],
          missing: s.MissingContextValues ?? [],
          boundary: s.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary ?? null,
        });
      }
    } else {
      out.push({
        action,
        resource: r.EvalResourceName ?? '*',
        decision: decisionOf(r.EvalDecision),
        statements: r.MatchedStatements ?? [],
        missing: r.MissingContextValues ?? [],
        boundary: r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary ?? null,
      });
    }
  }
  return out;
}

function ref(s: Statement): StatementRef {
  return { policyId: s.SourcePolicyId ?? '', policyType: s.SourcePolicyType ?? 'none', line: s.StartPosition?.Line ?? null, column: s.StartPosition?.Column ?? null };
}

const refKey = (r: StatementRef) => `${r.policyType}\u0000${r.policyId}\u0000${r.line}\u0000${r.column}`;

function unique(refs: StatementRef[]): StatementRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(refKey(r)) && seen.add(refKey(r)));
}

/**
 * The row for this action on this resource. Action names compare without
 * regard to case (IAM's do); when the simulator named no such resource (it
 * was asked on "*", or reports a template), its one row for the action is used.
 */
function find(all: Row[], action: string, resource: string | undefined): Row | undefined {
  const same = all.filter((r) => r.action.toLowerCase() === action.toLowerCase());
  return same.find((r) => r.resource === resource) ?? (same.length === 1 ? same[0] : undefined);
}

export function capabilityVerdict(capability: Capability, target: WhoCanTarget, results: readonly EvaluationResult[]): CapabilityVerdict {
  const all = rows(results);
  const actions: ActionVerdict[] = capability.actions.map((a) => {
    const row = find(all, a.name, target.arns[a.on]);
    return row
      ? { action: a.name, resource: row.resource, decision: row.decision, statements: row.statements.map(ref), missingContext: row.missing, allowedByBoundary: row.boundary }
      : { action: a.name, resource: target.arns[a.on] ?? null, decision: 'unknown', statements: [], missingContext: [], allowedByBoundary: null };
  });
  const allowed = actions.filter((a) => a.decision === 'allowed').length;
  const denied = actions.filter((a) => a.decision === 'explicitDeny');
  const unknown = actions.some((a) => a.decision === 'unknown');
  const state: VerdictState =
    allowed === actions.length ? 'allowed' : allowed > 0 ? 'partial' : unknown ? 'unknown' : denied.length ? 'denied' : 'not-allowed';
  const deciding = unique(denied.length ? denied.flatMap((a) => a.statements) : actions.filter((a) => a.decision === 'allowed').flatMap((a) => a.statements));
  return {
    id: capability.id,
    label: capability.label,
    noun: capability.noun,
    state,
    allowed,
    total: actions.length,
    actions,
    deciding,
    missingContext: [...new Set(actions.flatMap((a) => a.missingContext))],
    boundaryBlocks: actions.some((a) => a.decision !== 'allowed' && a.allowedByBoundary === false),
  };
}

/** One verdict per capability of the target, in the target's order. */
export function verdictsFor(target: WhoCanTarget, results: readonly EvaluationResult[]): CapabilityVerdict[] {
  return target.capabilities.map((c) => capabilityVerdict(c, target, results));
}

/** The badge's words: readable without its colour. */
export function verdictText(v: Pick<CapabilityVerdict, 'state' | 'allowed' | 'total'>): string {
  switch (v.state) {
    case 'allowed':
      return 'Allowed';
    case 'partial':
      return `Partly: ${v.allowed} of ${v.total}`;
    case 'denied':
      return 'Denied';
    case 'not-allowed':
      return 'Not allowed';
    default:
      return 'Unknown';
  }
}

/** A sentence for a verdict, e.g. "Some push actions allowed: 3 of 5; not ecr:PutImage, ecr:UploadLayerPart." */
export function verdictSentence(v: CapabilityVerdict): string {
  const missing = v.actions.filter((a) => a.decision !== 'allowed').map((a) => a.action);
  switch (v.state) {
    case 'allowed':
      return `Every ${v.noun.replace(/s$/, '')} is allowed (${v.actions.map((a) => a.action).join(', ')}).`;
    case 'partial':
      return `Some ${v.noun} allowed: ${v.allowed} of ${v.total}; not ${missing.join(', ')}.`;
    case 'denied':
      return `Denied by a statement (an explicit Deny wins over any Allow): ${missing.join(', ')}.`;
    case 'not-allowed':
      return `No statement allows ${missing.join(', ')}.`;
    default:
      return `The simulator did not answer for ${missing.join(', ')}.`;
  }
}
