import type { AuthorizationResult, DenyReason } from './evaluate';

/**
 * AWS's access-denied sentences.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 *
 * The shape is `User: <arn> is not authorized to perform: <action> on resource:
 * <arn> <context>`, where the context is `with an explicit deny in a <type>`
 * or `because no <type> allows the <action> action`. Some services leave
 * out ` on resource: …` for actions with no resource. Role trust
 * policies and older services give no context at all.
 */

export interface AccessDeniedInput {
  /** The caller's ARN, e.g. `arn:aws:sts::123456789012:assumed-role/ci/session`. */
  principalArn: string;
  action: string;
  /**
   * Left out when the service names none (the User Guide's ListRepositories
   * examples); `*` is printed as is, as ECR does for GetAuthorizationToken.
   */
  resource?: string;
  /** Why; left out for the sentence without a reason. */
  reason?: DenyReason;
  /** S3 puts the resource ARN in double quotes. */
  quoteResource?: boolean;
}

/** The phrase IAM uses for each policy type in the two kinds of context. */
const EXPLICIT: Record<DenyReason['policyType'], string> = {
  identity: 'with an explicit deny in an identity-based policy',
  resource: 'with an explicit deny in a resource-based policy',
  boundary: 'with an explicit deny in a permissions boundary',
  // An SCP's implicit deny is worded as explicit too.
  scp: 'with an explicit deny in a service control policy',
  trust: 'with an explicit deny in the role trust policy',
};

const IMPLICIT_TYPE: Record<Exclude<DenyReason['policyType'], 'scp' | 'trust'>, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  boundary: 'permissions boundary',
};

export function accessDeniedMessage(input: AccessDeniedInput): string {
  const { principalArn, action, resource, reason } = input;
  let text = `User: ${principalArn} is not authorized to perform: ${action}`;
  if (resource !== undefined) text += ` on resource: ${input.quoteResource ? `"${resource}"` : resource}`;
  if (!reason) return text;
  if (reason.kind === 'explicit' || reason.policyType === 'scp') return `${text} ${EXPLICIT[reason.policyType]}`;
  // AWS's AssumeRole refusal names no policy: "… is not authorized to perform: sts:AssumeRole on resource: <role>".
  if (reason.policyType === 'trust') return text;
  return `${text} because no ${IMPLICIT_TYPE[reason.policyType]} allows the ${action} action`;
}

/** The sentence for a denied result; undefined when the result is an allow. */
export function messageForResult(
  result: AuthorizationResult,
  request: { principalArn: string; action: string; resource?: string; quoteResource?: boolean },
): string | undefined {
  if (result.decision === 'allowed') return undefined;
  return accessDeniedMessage({ ...request, reason: result.reason });
}
