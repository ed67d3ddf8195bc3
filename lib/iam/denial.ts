// Reads an AWS access-denied message someone pasted: docker's
// "denied: User: … is not authorized to perform: … on resource: … because …",
// the AWS CLI's "An error occurred (AccessDeniedException) when calling the X
// operation: User: …", S3's variant with the resource in quotes, the same
// sentence inside an XML or JSON error body, wrapped by a terminal, or cut
// short. Lenient: whatever part is found is returned, the rest is null.
// Pure: unit-tested without AWS.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html

export type PrincipalKind = 'user' | 'role' | 'assumed-role' | 'federated-user' | 'root' | 'other';

export interface DeniedPrincipal {
  /** The ARN as the message gave it. */
  arn: string;
  kind: PrincipalKind;
  account: string | null;
  /** The user's or role's name (for an assumed role: the role's), else null. */
  name: string | null;
  /** An assumed role's session name. */
  session: string | null;
  /**
   * The IAM user or role whose policies decide, when the message names one:
   * an assumed-role session maps to its role. An assumed-role ARN carries no
   * role path, so this is arn:…:role/NAME, to be matched by name.
   */
  entityArn: string | null;
}

export type DenialPolicyType =
  | 'identity-based policy'
  | 'resource-based policy'
  | 'permissions boundary'
  | 'session policy'
  | 'service control policy'
  | 'resource control policy'
  | 'VPC endpoint policy';

export interface DenialReason {
  /** implicit: no policy of that type allows; explicit: a Deny statement in one. */
  kind: 'implicit' | 'explicit';
  policyType: DenialPolicyType | null;
  /** The policy's ARN, when the message names it (AWS adds it for some policy types). */
  policyArn: string | null;
}

export interface ParsedDenial {
  principal: DeniedPrincipal | null;
  action: string | null;
  resource: string | null;
  /** The API operation the CLI names ("when calling the PutImage operation"). */
  operation: string | null;
  /** The error code in the CLI's parentheses, e.g. AccessDeniedException. */
  errorCode: string | null;
  reason: DenialReason | null;
}

const ENTITIES: Record<string, string> = { '&quot;': '"', '&#34;': '"', '&apos;': "'", '&#39;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/** The message as one line: XML entities and JSON escapes undone, blanks collapsed. */
function tidy(raw: string): string {
  return raw
    .replace(/&(quot|#34|apos|#39|lt|gt|amp);/g, (m) => ENTITIES[m] ?? m)
    .replace(/\\"/g, '"')
    .replace(/\\[nrt]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// An ARN: "arn:" and five fields; the resource part runs to a blank, a quote or
// a closing bracket. A terminal may wrap a line inside a long ARN, which
// `tidy` turns into a blank, so the ARN is cut there; that is the best a
// reader can do without guessing.
const ARN = String.raw`arn:[a-z0-9-]+:[a-z0-9-]*:[a-z0-9-]*:[0-9]*:[^\s"'<>,]+`;

const PRINCIPAL_RE = new RegExp(String.raw`\bUser:\s*(${ARN}|anonymous)`, 'i');
const ACTION_RE = /is not authorized to perform:?\s*["']?([a-z0-9-]+:[A-Za-z0-9*]+)/i;
const RESOURCE_RE = new RegExp(String.raw`\bon resource:?\s*["']?(${ARN}|\*)`, 'i');
const OPERATION_RE = /when calling the ([A-Za-z0-9]+) operation/;
const CODE_RE = /An error occurred \(([A-Za-z0-9.]+)\)/;
const EXPLICIT_RE = new RegExp(
  String.raw`with an explicit deny in (?:an? |the )?(identity-based policy|resource-based policy|permissions boundary|session policy|service control policy|resource control policy|VPC endpoint policy)(?::?\s*(${ARN}))?`,
  'i',
);
const IMPLICIT_RE =
  /because no (identity-based policy|resource-based policy|permissions boundary|session policy|service control policy|resource control policy|VPC endpoint policy) allows/i;

const TYPES: DenialPolicyType[] = [
  'identity-based policy',
  'resource-based policy',
  'permissions boundary',
  'session policy',
  'service control policy',
  'resource control policy',
  'VPC endpoint policy',
];
const policyType = (s: string): DenialPolicyType | null => TYPES.find((t) => t.toLowerCase() === s.toLowerCase()) ?? null;

/** Trailing punctuation a sentence leaves on an ARN ("…/api." or "…/api)"). */
const trimArn = (arn: string) => arn.replace(/[.;:)\]}]+$/, '');

/** What an ARN of the caller says about who it is. */
export function readPrincipal(arnIn: string): DeniedPrincipal {
  const arn = trimArn(arnIn);
  const m = /^arn:([^:]+):(iam|sts)::(\d{12}):(.*)$/.exec(arn);
  if (!m) return { arn, kind: 'other', account: null, name: null, session: null, entityArn: null };
  const [, partition, service, account, rest] = m as unknown as [string, string, string, string, string];
  if (service === 'iam' && rest === 'root') return { arn, kind: 'root', account, name: null, session: null, entityArn: null };
  if (service === 'iam' && (rest.startsWith('user/') || rest.startsWith('role/'))) {
    const kind = rest.startsWith('user/') ? 'user' : 'role';
    const name = rest.slice(rest.lastIndexOf('/') + 1);
    return { arn, kind, account, name, session: null, entityArn: name ? arn : null };
  }
  if (service === 'sts' && rest.startsWith('assumed-role/')) {
    // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION; the role's path is not in it.
    const [, role = '', ...session] = rest.split('/');
    return {
      arn,
      kind: 'assumed-role',
      account,
      name: role || null,
      session: session.join('/') || null,
      entityArn: role ? `arn:${partition}:iam::${account}:role/${role}` : null,
    };
  }
  if (service === 'sts' && rest.startsWith('federated-user/')) {
    return { arn, kind: 'federated-user', account, name: rest.slice('federated-user/'.length) || null, session: null, entityArn: null };
  }
  return { arn, kind: 'other', account, name: null, session: null, entityArn: null };
}

/** Reads what it can of a pasted access-denied message; null when it holds none of the parts. */
export function parseDenial(raw: string): ParsedDenial | null {
  const text = tidy(raw);
  if (!text) return null;
  const who = PRINCIPAL_RE.exec(text)?.[1];
  const action = ACTION_RE.exec(text)?.[1] ?? null;
  const resourceRaw = RESOURCE_RE.exec(text)?.[1];
  const explicit = EXPLICIT_RE.exec(text);
  const implicit = IMPLICIT_RE.exec(text);
  const reason: DenialReason | null = explicit
    ? { kind: 'explicit', policyType: policyType(explicit[1]!), policyArn: explicit[2] ? trimArn(explicit[2]) : null }
    : implicit
      ? { kind: 'implicit', policyType: policyType(implicit[1]!), policyArn: null }
      : null;
  const out: ParsedDenial = {
    principal: who && who.toLowerCase() !== 'anonymous' ? readPrincipal(who) : null,
    action: action ? normalizeAction(action) : null,
    resource: resourceRaw ? trimArn(resourceRaw) : null,
    operation: OPERATION_RE.exec(text)?.[1] ?? null,
    errorCode: CODE_RE.exec(text)?.[1] ?? null,
    reason,
  };
  if (!out.principal && !out.action && !out.resource && !out.operation) return null;
  return out;
}

/** "ECR:initiateLayerUpload" → "ecr:InitiateLayerUpload": the service prefix is lower case; the action's case is kept as written but its first letter raised. */
export function normalizeAction(action: string): string {
  const i = action.indexOf(':');
  if (i < 0) return action;
  const name = action.slice(i + 1);
  return `${action.slice(0, i).toLowerCase()}:${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}
