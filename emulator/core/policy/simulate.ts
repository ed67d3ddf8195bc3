import type {
  ContextEntry,
  EvaluationResult,
  PolicyEvaluationDecisionType,
  ResourceSpecificResult,
  SimulatePolicyResponse,
  Statement,
} from '@aws-sdk/client-iam';
import { RequestContext } from './conditions';
import { authorize, type AuthorizationResult, type Decision, type LoadedPolicy, type MatchedStatement, type PolicySource } from './evaluate';
import { callerFromArn, principalKind, splitArn, type Caller } from './match';
import { parsePolicy } from './parse';

/**
 * The IAM policy simulator: SimulatePrincipalPolicy, SimulateCustomPolicy,
 * GetContextKeysForPrincipalPolicy and GetContextKeysForCustomPolicy, as pure
 * functions over policy documents. The IAM provider looks up the principal's
 * policies and passes them in.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
 *
 * Output follows the SDK's current shape: one EvaluationResult per action,
 * whose top-level fields are the most restrictive decision over the
 * resources asked about, and one ResourceSpecificResult per resource.
 */

/** A refusal of the simulator's input, as IAM answers it (InvalidInput, 400). */
export class SimulationInputError extends Error {
  readonly code = 'InvalidInput';
  readonly status = 400;
}

export interface SimulationPolicy {
  document: string;
  source: PolicySource;
}

export interface SimulateInput {
  /**
   * SimulatePrincipalPolicy: every policy of PolicySourceArn (a user's inline
   * and managed policies and those of its groups; a role's; a group's).
   * SimulateCustomPolicy: none.
   */
  principalPolicies?: SimulationPolicy[];
  /** The entity's own permissions boundary; PermissionsBoundaryPolicyInputList replaces it. */
  principalBoundary?: SimulationPolicy;
  /** SimulatePrincipalPolicy's PolicySourceArn: the caller when CallerArn is absent and it names a user. */
  PolicySourceArn?: string;
  PolicyInputList?: string[];
  PermissionsBoundaryPolicyInputList?: string[];
  OrderedOrganizationPolicyInputList?: { ServiceControlPolicyInputList?: string[] }[];
  ActionNames: string[];
  ResourceArns?: string[];
  ResourcePolicy?: string;
  ResourceOwner?: string;
  CallerArn?: string;
  ContextEntries?: ContextEntry[];
  MaxItems?: number;
  Marker?: string;
  /**
   * The ARN template of the action's resource type, e.g.
   * `arn:${Partition}:s3:::${BucketName}/${KeyName}`, reported as
   * EvalResourceName; `*` when unknown or when the action has none.
   */
  resourceTemplate?: (action: string) => string | undefined;
}

const RANK: Record<Decision, number> = { allowed: 0, implicitDeny: 1, explicitDeny: 2 };
const worst = (ds: Decision[]): Decision => ds.reduce<Decision>((a, d) => (RANK[d] > RANK[a] ? d : a), 'allowed');

function load(doc: string, source: PolicySource, kind: 'identity' | 'resource'): LoadedPolicy {
  return { source, policy: parsePolicy(doc, kind) };
}

function accountOf(owner: string | undefined): string | undefined {
  if (!owner) return undefined;
  if (/^\d{12}$/.test(owner)) return owner;
  return splitArn(owner)?.[4] || undefined;
}

function toStatement(m: MatchedStatement): Statement {
  return {
    SourcePolicyId: m.source.id,
    SourcePolicyType: m.source.type,
    StartPosition: { Line: m.start.Line, Column: m.start.Column },
    EndPosition: { Line: m.end.Line, Column: m.end.Column },
  };
}

function uniqueStatements(list: MatchedStatement[]): Statement[] {
  const seen = new Set<string>();
  const out: Statement[] = [];
  for (const m of list) {
    const k = `${m.source.type}\u0000${m.source.id}\u0000${m.statementIndex}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(toStatement(m));
  }
  return out;
}

function uniqueKeys(keys: string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((k) => !seen.has(k.toLowerCase()) && seen.add(k.toLowerCase()));
}

function contextFrom(entries: ContextEntry[] | undefined): RequestContext {
  const ctx = new RequestContext();
  for (const e of entries ?? []) {
    if (!e.ContextKeyName) continue;
    const values = e.ContextKeyValues ?? [];
    // A single-valued type takes the first value; the *List types keep them all.
    ctx.set(e.ContextKeyName, e.ContextKeyType && !e.ContextKeyType.endsWith('List') ? values.slice(0, 1) : values);
  }
  return ctx;
}

/** The keys IAM's simulator reports in EvalDecisionDetails for a cross-account simulation. */
function decisionDetails(results: AuthorizationResult[]): Record<string, PolicyEvaluationDecisionType> {
  const cross = results.some((r) => r.crossAccount);
  if (!cross) return {};
  const out: Record<string, PolicyEvaluationDecisionType> = { 'IAM Policy': worst(results.map((r) => r.details.identity)) };
  const res = results.map((r) => r.details.resource).filter((d): d is Decision => d !== undefined);
  out['Resource Policy'] = res.length ? worst(res) : 'implicitDeny';
  return out;
}

export function simulatePolicies(input: SimulateInput): SimulatePolicyResponse {
  if (!input.ActionNames || input.ActionNames.length === 0) throw new SimulationInputError('ActionNames must contain at least one action.');
  for (const a of input.ActionNames) {
    if (a.includes('*') || a.includes('?')) throw new SimulationInputError(`Action ${a} must not contain wildcards.`);
  }
  if ((input.PermissionsBoundaryPolicyInputList?.length ?? 0) > 1) {
    throw new SimulationInputError('Only one permissions boundary policy can be simulated.');
  }

  const identity: LoadedPolicy[] = [
    ...(input.principalPolicies ?? []).map((p) => load(p.document, p.source, 'identity')),
    ...(input.PolicyInputList ?? []).map((d, i) => load(d, { id: `PolicyInputList.${i + 1}`, type: 'none' }, 'identity')),
  ];
  const boundaryDoc = input.PermissionsBoundaryPolicyInputList?.[0];
  const boundary =
    boundaryDoc !== undefined
      ? load(boundaryDoc, { id: 'PermissionsBoundaryPolicyInputList.1', type: 'none' }, 'identity')
      : input.principalBoundary
        ? load(input.principalBoundary.document, input.principalBoundary.source, 'identity')
        : undefined;
  const scps = (input.OrderedOrganizationPolicyInputList ?? []).map((level, n) =>
    (level.ServiceControlPolicyInputList ?? []).map((d, i) => load(d, { id: `OrderedOrganizationPolicyInputList.${n + 1}.${i + 1}`, type: 'none' }, 'identity')),
  );
  const resourcePolicy = input.ResourcePolicy !== undefined ? load(input.ResourcePolicy, { id: 'ResourcePolicy', type: 'resource' }, 'resource') : undefined;

  // The caller: CallerArn, else PolicySourceArn when it names a user. The API
  // reference (SimulatePrincipalPolicy, SimulateCustomPolicy: CallerArn) takes
  // only an IAM user there: "You cannot specify the ARN of an assumed role,
  // federated user, or a service principal", and a role's or group's policies
  // with a ResourcePolicy need a CallerArn, so that the resource policy's
  // Principal has someone to match.
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
  // The two refusals' wording is the emulator's: no AWS answer was at hand.
  const callerArn = input.CallerArn ?? (input.PolicySourceArn && principalKind(input.PolicySourceArn) === 'user' ? input.PolicySourceArn : undefined);
  if (input.CallerArn !== undefined && principalKind(input.CallerArn) !== 'user') {
    throw new SimulationInputError(`Invalid CallerArn: ${input.CallerArn}. CallerArn must be the ARN of an IAM user.`);
  }
  if (resourcePolicy && !callerArn) {
    throw new SimulationInputError(
      input.PolicySourceArn !== undefined
        ? 'CallerArn is required when a ResourcePolicy is included and the PolicySourceArn is not the ARN of an IAM user.'
        : 'CallerArn is required when a ResourcePolicy is included.',
    );
  }
  const ownerAccount = accountOf(input.ResourceOwner);
  const caller: Caller = callerArn
    ? callerFromArn(callerArn)
    : { type: 'AWS', arn: '', account: ownerAccount ?? '' };
  const ctx = contextFrom(input.ContextEntries);
  const resources = input.ResourceArns && input.ResourceArns.length ? input.ResourceArns : undefined;

  const results: EvaluationResult[] = input.ActionNames.map((action) => {
    const perResource = (resources ?? ['*']).map((resource) => {
      // Without a resource policy there is no resource side to weigh, so the owner
      // only matters when one is included: the ARN's account, else ResourceOwner.
      const resourceAccount = resourcePolicy ? (splitArn(resource)?.[4] || ownerAccount) : undefined;
      const r = authorize({
        caller,
        action,
        resource,
        resourceAccount,
        context: ctx,
        identityPolicies: identity,
        permissionsBoundary: boundary,
        resourcePolicy,
        serviceControlPolicies: scps.length ? scps : undefined,
      });
      return { resource, r };
    });
    const decision = worst(perResource.map((p) => p.r.decision));
    const result: EvaluationResult = {
      EvalActionName: action,
      EvalResourceName: input.resourceTemplate?.(action) ?? '*',
      EvalDecision: decision,
      MatchedStatements: uniqueStatements(perResource.filter((p) => p.r.decision === decision).flatMap((p) => p.r.matchedStatements)),
      MissingContextValues: uniqueKeys(perResource.flatMap((p) => p.r.missingContextValues)),
    };
    if (resources) result.EvalDecisionDetails = decisionDetails(perResource.map((p) => p.r));
    else if (perResource.some((p) => p.r.crossAccount)) result.EvalDecisionDetails = decisionDetails(perResource.map((p) => p.r));
    if (boundary) {
      result.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: perResource.every((p) => p.r.details.boundary === 'allowed') };
    }
    if (scps.length) result.OrganizationsDecisionDetail = { AllowedByOrganizations: perResource.every((p) => p.r.details.organizations === true) };
    if (resources) {
      result.ResourceSpecificResults = perResource.map(({ resource, r }): ResourceSpecificResult => {
        const one: ResourceSpecificResult = {
          EvalResourceName: resource,
          EvalResourceDecision: r.decision,
          MatchedStatements: uniqueStatements(r.matchedStatements),
          MissingContextValues: uniqueKeys(r.missingContextValues),
          EvalDecisionDetails: decisionDetails([r]),
        };
        if (boundary) one.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: r.details.boundary === 'allowed' };
        return one;
      });
    }
    return result;
  });

  // IAM pages with MaxItems (default 100) and an opaque Marker.
  const start = input.Marker ? Number.parseInt(input.Marker, 10) : 0;
  if (!Number.isInteger(start) || start < 0 || start > results.length) throw new SimulationInputError('Invalid Marker.');
  const max = input.MaxItems ?? 100;
  const page = results.slice(start, start + max);
  const next = start + page.length;
  return next < results.length ? { EvaluationResults: page, IsTruncated: true, Marker: String(next) } : { EvaluationResults: page, IsTruncated: false };
}

/**
 * The condition keys a set of policies uses (GetContextKeysFor*Policy): keys
 * in Condition blocks and policy variables in Resource, NotResource and
 * condition values, in the order they appear, each once (names compare
 * without regard to case; the first spelling is kept).
 */
export function contextKeysForPolicies(documents: string[], options: { validate?: boolean } = {}): string[] {
  const keys: string[] = [];
  const vars = (s: string) => {
    for (const m of s.matchAll(/\$\{([^}]*)\}/g)) {
      const inner = (m[1] ?? '').trim();
      if (inner === '*' || inner === '?' || inner === '$') continue;
      keys.push(inner.replace(/\s*,\s*'[^']*'$/, '').trim());
    }
  };
  for (const doc of documents) {
    // IAM refuses malformed input here as in the simulator; stored policies can skip the checks.
    const policy = parsePolicy(doc, 'identity', { validate: options.validate !== false });
    const variables = policy.version === '2012-10-17';
    for (const s of policy.statements) {
      if (variables) for (const r of [...(s.resource ?? []), ...(s.notResource ?? [])]) vars(r);
      for (const c of s.conditions) {
        keys.push(c.key);
        if (variables) c.values.forEach(vars);
      }
    }
  }
  return uniqueKeys(keys);
}
