import { evaluateConditions, RequestContext, type ContextInput } from './conditions';
import {
  actionMatches,
  notPrincipalExcludes,
  principalKind,
  principalMatches,
  resourceMatches,
  type Caller,
  type PrincipalMatch,
} from './match';
import type { ParsedPolicy, ParsedStatement, Position } from './parse';

/**
 * IAM's decision for one request.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */

/** IAM's PolicySourceType values. */
export type PolicySourceType = 'user' | 'group' | 'role' | 'aws-managed' | 'user-managed' | 'resource' | 'none';

export interface PolicySource {
  /** What the simulator reports as SourcePolicyId (a policy name, `PolicyInputList.1`, `ResourcePolicy`…). */
  id: string;
  type: PolicySourceType;
  /** A display name when it differs from `id` (a managed policy's ARN, say). */
  name?: string;
}

export interface LoadedPolicy {
  source: PolicySource;
  policy: ParsedPolicy;
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface MatchedStatement {
  source: PolicySource;
  sid?: string;
  effect: 'Allow' | 'Deny';
  statementIndex: number;
  start: Position;
  end: Position;
}

/** The policy types AWS names in its access-denied messages. */
export type DenyingPolicyType = 'identity' | 'resource' | 'boundary' | 'scp' | 'trust';

export interface DenyReason {
  kind: 'explicit' | 'implicit';
  policyType: DenyingPolicyType;
}

export interface AuthorizationRequest {
  caller: Caller;
  /** e.g. `ecr:InitiateLayerUpload` (compared without regard to case). */
  action: string;
  /** The resource ARN, or `*` for actions without one. */
  resource: string;
  /** The account owning the resource; the caller's when left out (a same-account request). */
  resourceAccount?: string;
  /** Condition keys (aws:SourceIp, aws:username, s3:prefix…), case-insensitive names. */
  context?: ContextInput | RequestContext;
  /** The caller's identity-based policies: inline and managed, user, its groups, or role. */
  identityPolicies?: LoadedPolicy[];
  /** The caller's permissions boundary, if it has one. */
  permissionsBoundary?: LoadedPolicy;
  /** The policy on the resource (bucket policy, repository policy, role trust policy). */
  resourcePolicy?: LoadedPolicy;
  /**
   * The resource policy must allow the request whatever the identity
   * policies say: role trust policies (sts:AssumeRole…) and KMS key policies.
   */
  resourcePolicyMustAllow?: boolean;
  /** Service control policies, one list per level from the organization root to the account. */
  serviceControlPolicies?: LoadedPolicy[][];
}

export interface PolicyTypeDecisions {
  identity: Decision;
  resource?: Decision;
  boundary?: Decision;
  /** Whether every SCP level allowed (only when SCPs were given). */
  organizations?: boolean;
}

export interface AuthorizationResult {
  decision: Decision;
  /** Why it was denied, for the message; undefined when allowed. */
  reason?: DenyReason;
  /** Which side's allow carried the decision. */
  allowedBy?: 'identity' | 'resource' | 'both';
  /**
   * The statements that decided: the Deny statements for an explicit deny,
   * the Allow statements that applied when allowed, none for an implicit
   * deny. Never SCP or boundary statements (the simulator leaves them out too).
   */
  matchedStatements: MatchedStatement[];
  /** Condition keys (and policy variables) the policies consulted that the request lacked. */
  missingContextValues: string[];
  details: PolicyTypeDecisions;
  crossAccount: boolean;
}

interface SetResult {
  allows: MatchedStatement[];
  denies: MatchedStatement[];
  /** The best principal match among the applying Allow statements (resource policies). */
  allowMatch: PrincipalMatch;
  missing: string[];
}

const MATCH_RANK: Record<PrincipalMatch, number> = { none: 0, account: 1, role: 2, direct: 3 };

function statementMatch(source: PolicySource, s: ParsedStatement): MatchedStatement {
  return { source, sid: s.sid, effect: s.effect, statementIndex: s.index, start: s.start, end: s.end };
}

/** Whether the statement covers the action and resource (before principal and conditions). */
function coversRequest(s: ParsedStatement, req: AuthorizationRequest, ctx: RequestContext, variables: boolean, missing: string[]): boolean {
  if (s.action && !s.action.some((a) => actionMatches(a, req.action))) return false;
  if (s.notAction && s.notAction.some((a) => actionMatches(a, req.action))) return false;
  const lookup = variables ? ctx.lookup : undefined;
  const anyResource = (patterns: string[]): boolean => {
    let hit = false;
    for (const p of patterns) {
      const r = resourceMatches(p, req.resource, lookup);
      missing.push(...r.missing);
      if (r.match) hit = true;
    }
    return hit;
  };
  if (s.resource && !anyResource(s.resource)) return false;
  if (s.notResource && anyResource(s.notResource)) return false;
  return true;
}

function evaluateSet(policies: LoadedPolicy[], req: AuthorizationRequest, ctx: RequestContext, withPrincipal: boolean): SetResult {
  const out: SetResult = { allows: [], denies: [], allowMatch: 'none', missing: [] };
  for (const { source, policy } of policies) {
    const variables = policy.version === '2012-10-17';
    for (const s of policy.statements) {
      let match: PrincipalMatch = 'direct';
      if (withPrincipal) {
        if (s.principal) match = principalMatches(s.principal, req.caller);
        else if (s.notPrincipal) match = notPrincipalExcludes(s.notPrincipal, req.caller) ? 'none' : 'direct';
        else match = 'none';
        if (match === 'none') continue;
      }
      if (!coversRequest(s, req, ctx, variables, out.missing)) continue;
      const cond = evaluateConditions(s.conditions, ctx, variables);
      out.missing.push(...cond.missing);
      if (!cond.holds) continue;
      if (s.effect === 'Deny') out.denies.push(statementMatch(source, s));
      else {
        out.allows.push(statementMatch(source, s));
        if (MATCH_RANK[match] > MATCH_RANK[out.allowMatch]) out.allowMatch = match;
      }
    }
  }
  return out;
}

const setDecision = (r: SetResult): Decision => (r.denies.length ? 'explicitDeny' : r.allows.length ? 'allowed' : 'implicitDeny');

function dedupe(keys: string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const l = k.toLowerCase();
    if (seen.has(l)) return false;
    seen.add(l);
    return true;
  });
}

/**
 * Decides one request as AWS does:
 *
 * 1. An applicable Deny in any policy (SCP, identity, boundary, resource) wins.
 * 2. Each SCP level must allow (an SCP's implicit deny is worded as explicit).
 * 3. Same account: an Allow in an identity policy (within the permissions
 *    boundary) or in the resource policy suffices. A resource policy naming
 *    the user or session itself (or `*`) is not limited by the boundary;
 *    one naming the role a session belongs to is; one naming only the
 *    account delegates to the account, so the identity policy must allow.
 * 4. Cross-account: the identity side and the resource policy must both allow.
 * 5. Role trust policies (and KMS key policies) must allow in every case.
 *
 * The account root user needs no identity policy (across accounts the resource
 * policy must still allow it).
 * Anonymous and service callers have only the resource policy.
 */
export function authorize(req: AuthorizationRequest): AuthorizationResult {
  const ctx = req.context instanceof RequestContext ? req.context : new RequestContext(req.context ?? {});
  const caller = req.caller;
  const isAws = caller.type === 'AWS';
  const isRoot = isAws && principalKind(caller.arn) === 'root';
  const crossAccount = isAws && req.resourceAccount !== undefined && req.resourceAccount !== caller.account;

  const empty: SetResult = { allows: [], denies: [], allowMatch: 'none', missing: [] };
  const id = isAws && !isRoot ? evaluateSet(req.identityPolicies ?? [], req, ctx, false) : empty;
  const boundary = isAws && !isRoot && req.permissionsBoundary ? evaluateSet([req.permissionsBoundary], req, ctx, false) : undefined;
  const resource = req.resourcePolicy ? evaluateSet([req.resourcePolicy], req, ctx, true) : undefined;
  const scps = (req.serviceControlPolicies ?? []).map((level) => evaluateSet(level, req, ctx, false));

  const missingContextValues = dedupe([id, boundary, resource, ...scps].flatMap((r) => r?.missing ?? []));
  const details: PolicyTypeDecisions = { identity: setDecision(id) };
  if (isRoot) details.identity = 'allowed';
  if (resource) details.resource = setDecision(resource);
  if (boundary) details.boundary = setDecision(boundary);
  const scpAllowed = scps.every((r) => r.allows.length > 0 && r.denies.length === 0);
  if (scps.length) details.organizations = scpAllowed;

  const base = { missingContextValues, details, crossAccount };
  const denied = (reason: DenyReason, decision: Decision = 'implicitDeny'): AuthorizationResult => ({
    ...base,
    decision,
    reason,
    matchedStatements: [],
  });

  // 1. Explicit denies. (An SCP's Deny statements are not reported, as in the simulator.)
  if (scps.some((r) => r.denies.length)) return denied({ kind: 'explicit', policyType: 'scp' }, 'explicitDeny');
  const identityDenies = id.denies;
  const resourceDenies = resource?.denies ?? [];
  const boundaryDenies = boundary?.denies ?? [];
  if (identityDenies.length || resourceDenies.length || boundaryDenies.length) {
    const policyType: DenyingPolicyType = identityDenies.length
      ? 'identity'
      : resourceDenies.length
        ? req.resourcePolicyMustAllow ? 'trust' : 'resource'
        : 'boundary';
    return { ...base, decision: 'explicitDeny', reason: { kind: 'explicit', policyType }, matchedStatements: [...identityDenies, ...resourceDenies] };
  }
  // 2. Organizations: no Allow at some level is an implicit deny, which AWS words as explicit.
  if (!scpAllowed) return denied({ kind: 'explicit', policyType: 'scp' });

  // The root user has every permission its own account can give; other accounts still decide through their resource policies.
  const identityAllows = isAws && (isRoot || id.allows.length > 0);
  const boundaryOk = !boundary || boundary.allows.length > 0;
  const identitySide = identityAllows && boundaryOk;
  const rMatch = resource?.allowMatch ?? 'none';
  const resourceAllows = resource ? resource.allows : [];

  const allowed = (by: 'identity' | 'resource' | 'both'): AuthorizationResult => ({
    ...base,
    decision: 'allowed',
    allowedBy: by,
    matchedStatements: [...(by === 'resource' ? [] : id.allows), ...(by === 'identity' ? [] : resourceAllows)],
  });
  const both = (idOk: boolean, resOk: boolean) => (idOk && resOk ? 'both' : idOk ? 'identity' : 'resource');
  const implicitReason = (): DenyReason => {
    if (!isAws) return { kind: 'implicit', policyType: 'resource' };
    if (!identityAllows) return { kind: 'implicit', policyType: 'identity' };
    if (!boundaryOk) return { kind: 'implicit', policyType: 'boundary' };
    return { kind: 'implicit', policyType: req.resourcePolicyMustAllow ? 'trust' : 'resource' };
  };

  // 5. Trust and key policies must allow.
  if (req.resourcePolicyMustAllow) {
    if (rMatch === 'none') return denied({ kind: 'implicit', policyType: 'trust' });
    if (!crossAccount && (rMatch === 'direct' || rMatch === 'role' || isRoot)) return allowed(both(identitySide, true));
    if (identitySide) return allowed('both');
    return denied(implicitReason());
  }

  // 4. Cross-account.
  if (crossAccount) {
    if (identitySide && rMatch !== 'none') return allowed('both');
    return denied(identitySide ? { kind: 'implicit', policyType: 'resource' } : implicitReason());
  }

  // 3. Same account.
  const resourceCounts = !isAws ? rMatch !== 'none' : rMatch === 'direct' || (rMatch === 'role' && boundaryOk);
  if (identitySide || resourceCounts) return allowed(both(identitySide, resourceCounts));
  return denied(implicitReason());
}
