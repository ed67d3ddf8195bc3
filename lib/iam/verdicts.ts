import type { Capability, WhoCanTarget } from './who-can-actions';

// The policy simulator's answer (SimulatePrincipalPolicy, through
// lib/iam/simulate.ts) turned into one verdict per capability ("push"): every
// action allowed, some, none because a statement denies it, or none because
// nothing allows it. Pure.
//
// Each action is read on the one resource it acts on (who-can-actions.ts): a
// bucket's s3:GetObject is asked on its objects' ARN, s3:ListBucket on the
// bucket's, and an answer for the other ARN says nothing about it.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html

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

/** One action on one resource as the simulator decided it (the shape lib/iam/simulate.ts answers, plus the ARN asked about). */
export interface SimulatedAction {
  action: string;
  /** The ARN the action was simulated on. */
  resource: string;
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  matched: { policyId: string; policyType: string; start: { line: number; column: number } | null }[];
  missingContext: string[];
  boundaryAllows: boolean | null;
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

function ref(m: SimulatedAction['matched'][number]): StatementRef {
  return { policyId: m.policyId, policyType: m.policyType, line: m.start?.line ?? null, column: m.start?.column ?? null };
}

const refKey = (r: StatementRef) => `${r.policyType}\u0000${r.policyId}\u0000${r.line}\u0000${r.column}`;

function unique(refs: StatementRef[]): StatementRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(refKey(r)) && seen.add(refKey(r)));
}

/** The answer for this action on this resource; action names compare without regard to case, as IAM's do. */
function find(all: readonly SimulatedAction[], action: string, resource: string | undefined): SimulatedAction | undefined {
  return all.find((r) => r.action.toLowerCase() === action.toLowerCase() && r.resource === resource);
}

export function capabilityVerdict(capability: Capability, target: WhoCanTarget, all: readonly SimulatedAction[]): CapabilityVerdict {
  const actions: ActionVerdict[] = capability.actions.map((a) => {
    const row = find(all, a.name, target.arns[a.on]);
    return row
      ? { action: a.name, resource: row.resource, decision: row.decision, statements: row.matched.map(ref), missingContext: row.missingContext, allowedByBoundary: row.boundaryAllows }
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
export function verdictsFor(target: WhoCanTarget, simulated: readonly SimulatedAction[]): CapabilityVerdict[] {
  return target.capabilities.map((c) => capabilityVerdict(c, target, simulated));
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
