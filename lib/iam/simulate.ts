import 'server-only';
import { createHash } from 'node:crypto';
import { SimulatePrincipalPolicyCommand, type EvaluationResult, type Statement } from '@aws-sdk/client-iam';
import { iamClient } from '@/lib/aws/clients';
import { Semaphore } from '@/lib/aws/limit';
import { sharedReads } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import { simulationShape } from './simulation-shape';
import './errors';

// What AWS's own policy simulator says a user or role may do to one resource:
// SimulatePrincipalPolicy with the principal's ARN as PolicySourceArn, which
// makes IAM gather every identity policy the principal has (its own, its
// groups', its permissions boundary) without Berth reading them. Shared by
// "Why was this denied?" (/access/explain) and the who-can panels.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
//
// - Cached in the shared read cache, keyed by principal, actions, resource and
//   a hash of the resource policy, under the IAM snapshot's tag: any IAM write
//   Berth makes forgets it with the snapshot; a change made elsewhere shows
//   when the entry expires or on the page's Refresh.
// - Bounded: at most SIMULATIONS calls in flight across the process (a panel
//   asks once per principal), and a short queue beyond that, so a page with
//   many principals cannot flood IAM (whose API is throttled per account).

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface Position {
  line: number;
  column: number;
}

/** A statement IAM says decided (or took part in) the answer. */
export interface MatchedStatement {
  /**
   * Which policy: an inline policy's name, a managed policy's ARN, or
   * "ResourcePolicy" for the resource policy passed in (IAM's SourcePolicyId).
   */
  policyId: string;
  /** IAM's SourcePolicyType: user, group, role, aws-managed, user-managed, resource, none. */
  policyType: string;
  /** Where the statement is in that policy's document, when IAM says. */
  start: Position | null;
  end: Position | null;
}

export interface ActionVerdict {
  action: string;
  resource: string;
  decision: Decision;
  matched: MatchedStatement[];
  /** IAM's EvalDecisionDetails: the decision of each kind of policy (e.g. the resource policy's) when it reports them. */
  details: Record<string, Decision>;
  /** Condition keys the policies use that the simulation had no value for: the answer may differ in a real request. */
  missingContext: string[];
  /** False when a permissions boundary does not allow the action; null when IAM did not say. */
  boundaryAllows: boolean | null;
  /** False when an organization's SCP does not allow the action; null when IAM did not say. */
  organizationAllows: boolean | null;
}

export interface Simulation {
  principalArn: string;
  resourceArn: string;
  /**
   * Whether the resource policy took part. IAM can only name an IAM user as
   * the simulated caller a resource policy's Principal is matched against
   * (CallerArn), so for a role the resource policy is left out and only its
   * identity policies are simulated.
   */
  resourcePolicyEvaluated: boolean;
  results: ActionVerdict[];
}

/** Calls to SimulatePrincipalPolicy in flight at once, process-wide. */
const SIMULATIONS = 4;
const queue = new Semaphore(SIMULATIONS, 200);

const hash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 22);

function position(p: { Line?: number; Column?: number } | undefined): Position | null {
  return p && typeof p.Line === 'number' ? { line: p.Line, column: p.Column ?? 0 } : null;
}

function matched(s: Statement): MatchedStatement {
  return { policyId: s.SourcePolicyId ?? '', policyType: s.SourcePolicyType ?? 'none', start: position(s.StartPosition), end: position(s.EndPosition) };
}

const asDecision = (d: string | undefined): Decision => (d === 'allowed' || d === 'explicitDeny' ? d : 'implicitDeny');

function verdict(r: EvaluationResult, resourceArn: string): ActionVerdict {
  // With one resource, IAM may answer per resource (ResourceSpecificResults);
  // the statements that decided are then there, not on the action's result.
  const specific = r.ResourceSpecificResults?.find((x) => x.EvalResourceName === resourceArn) ?? r.ResourceSpecificResults?.[0];
  const details: Record<string, Decision> = {};
  for (const [k, v] of Object.entries(specific?.EvalDecisionDetails ?? r.EvalDecisionDetails ?? {})) details[k] = asDecision(v);
  const statements = specific?.MatchedStatements?.length ? specific.MatchedStatements : (r.MatchedStatements ?? []);
  return {
    action: r.EvalActionName ?? '',
    // One resource is asked for at a time: name it as asked.
    resource: resourceArn,
    decision: asDecision(specific?.EvalResourceDecision ?? r.EvalDecision),
    matched: statements.map(matched),
    details,
    missingContext: [...(specific?.MissingContextValues ?? r.MissingContextValues ?? [])],
    boundaryAllows: (specific?.PermissionsBoundaryDecisionDetail ?? r.PermissionsBoundaryDecisionDetail)?.AllowedByPermissionsBoundary ?? null,
    organizationAllows: r.OrganizationsDecisionDetail?.AllowedByOrganizations ?? null,
  };
}

async function load(principalArn: string, actions: string[], resourceArn: string, resourcePolicy: string | null): Promise<Simulation> {
  const shape = simulationShape(principalArn, resourceArn, resourcePolicy);
  const results: ActionVerdict[] = [];
  let marker: string | undefined;
  do {
    const page = await queue.run(() =>
      iamClient().send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: principalArn,
          ActionNames: actions,
          ResourceArns: [resourceArn],
          ...(shape.resourcePolicy !== null ? { ResourcePolicy: shape.resourcePolicy } : {}),
          ...(shape.resourceOwner ? { ResourceOwner: shape.resourceOwner } : {}),
          Marker: marker,
        }),
      ),
    );
    for (const r of page.EvaluationResults ?? []) results.push(verdict(r, resourceArn));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  // In the order asked for, whatever order IAM answered in.
  const order = new Map(actions.map((a, i) => [a.toLowerCase(), i]));
  results.sort((a, b) => (order.get(a.action.toLowerCase()) ?? 0) - (order.get(b.action.toLowerCase()) ?? 0));
  return { principalArn, resourceArn, resourcePolicyEvaluated: shape.resourcePolicy !== null, results };
}

/**
 * What IAM's simulator decides for `principalArn` (a user or role ARN) doing
 * each of `actions` to `resourceArn`, with the resource's policy when given.
 * One entry per action, in the order asked. Throws the SDK's error when IAM
 * refuses (e.g. Berth lacks iam:SimulatePrincipalPolicy): map it with
 * lib/aws/errors.ts. `tags` are more read-cache tags that forget the answer
 * (the resource's, so a write to its policy through Berth drops it).
 */
export async function simulate(principalArn: string, actions: readonly string[], resourceArn: string, resourcePolicy?: string | null, tags: readonly string[] = []): Promise<Simulation> {
  const list = [...new Set(actions)];
  const policy = resourcePolicy?.trim() ? resourcePolicy : null;
  const key = `iam:simulate:${principalArn}\u0000${list.join(',')}\u0000${resourceArn}\u0000${policy === null ? '-' : hash(policy)}`;
  const fresh = await sharedReads().read(
    { key, region: 'global', tags: [readTags.iamAuthorization(), ...tags], weight: (s) => s.results.length },
    () => load(principalArn, list, resourceArn, policy),
  );
  return fresh.value;
}
