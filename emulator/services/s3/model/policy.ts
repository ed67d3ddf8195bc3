import { parsedPolicy } from '../../../core/authorize';
import { AwsError } from '../../../core/errors';
import { authorize, callerFromArn, isPublicPolicy, type Caller, type ContextInput } from '../../../core/policy';
import { S3_IAM_ACTIONS } from '../iam-actions.generated';

/**
 * Bucket policies: validation as PutBucketPolicy does it (S3's own
 * MalformedPolicy wording, before the IAM engine sees the document), and
 * evaluation of a bucket policy on its own through the IAM engine, for
 * requests with no identity policies (anonymous, CloudFront origin access).
 * Signed requests are authorized by emulator/core/authorize.ts, which takes
 * the bucket policy from `resourcePolicyOf` below.
 */

export type PolicyPrincipal =
  /** An unsigned request. Matches only `"*"` and `{"AWS": "*"}`. */
  | { type: 'anonymous' }
  /** An IAM user/role ARN (its account is taken from the ARN) or an OAI ARN. */
  | { type: 'AWS'; id: string }
  /** A service principal, e.g. `cloudfront.amazonaws.com`. */
  | { type: 'Service'; id: string }
  | { type: 'CanonicalUser'; id: string };

export interface PolicyRequest {
  principal: PolicyPrincipal;
  /** e.g. `s3:GetObject` (matched case-insensitively). */
  action: string;
  /** e.g. `arn:aws:s3:::bucket/key`. */
  resourceArn: string;
  /** Condition keys, e.g. `{ 'AWS:SourceArn': 'arn:aws:cloudfront::123456789012:distribution/E1' }` (case-insensitive). */
  context?: Record<string, string | string[] | boolean | undefined>;
}

export type PolicyDecision = 'Allow' | 'Deny' | 'ImplicitDeny';

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

function malformed(message: string): AwsError {
  return new AwsError('MalformedPolicy', message, 400);
}

function list(v: unknown): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/** `*` is any run of characters, `?` any one character; everything else literal. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('') +
      '$',
    ignoreCase ? 'is' : 's',
  );
  return re.test(value);
}

/**
 * Whether a bucket policy may name this action: `*`, or `s3:` followed by an
 * action in the Service Authorization Reference's list, or a wildcard pattern
 * matching at least one of them (`s3:Get*`, `s3:*`). IAM compares action names
 * without regard to case. Other services' actions have no meaning on a bucket
 * and S3 refuses them too ("Policy has invalid action"), as it always has here.
 */
export function isValidBucketPolicyAction(action: string): boolean {
  if (action === '*') return true;
  const m = /^s3:([A-Za-z0-9*?]+)$/i.exec(action);
  if (!m) return false;
  const pattern = m[1] ?? '';
  return S3_IAM_ACTIONS.some((name) => wildcardMatch(pattern, name, true));
}

/**
 * Validates a bucket policy document for `bucket`, throwing MalformedPolicy
 * with S3's wording for the first problem found. Returns the parsed document.
 */
export function validateBucketPolicy(text: string, bucket: string): { Version: string; Statement: Statement[] } {
  let doc: unknown;
  if (!text.trimStart().startsWith('{')) throw malformed("Policies must be valid JSON and the first byte must be '{'");
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) {
    if (!['Version', 'Id', 'Statement'].includes(k)) throw malformed(`Unknown field ${k}`);
  }
  if (d.Version !== '2012-10-17' && d.Version !== '2008-10-17') {
    throw malformed('The policy must contain a valid version string');
  }
  if (d.Statement === undefined) throw malformed('Missing required field Statement');
  const statements = Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  if (statements.length === 0) throw malformed('Could not parse the policy: Statement is not valid!');
  for (const raw of statements) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw malformed('Statement is not valid');
    const s = raw as Record<string, unknown>;
    for (const k of Object.keys(s)) {
      if (!['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'].includes(k)) {
        throw malformed(`Unknown field ${k}`);
      }
    }
    if (s.Effect === undefined) throw malformed('Missing required field Effect');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed(`Invalid effect: ${String(s.Effect)}`);
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw malformed('Missing required field Principal');
    const principal = s.Principal ?? s.NotPrincipal;
    if (principal !== '*') {
      if (!principal || typeof principal !== 'object' || Array.isArray(principal)) throw malformed('Invalid principal in policy');
      for (const [k, v] of Object.entries(principal as Record<string, unknown>)) {
        if (!['AWS', 'Service', 'CanonicalUser', 'Federated'].includes(k)) throw malformed('Invalid principal in policy');
        if (list(v).length === 0 || list(v).some((x) => x === '')) throw malformed('Invalid principal in policy');
      }
    }
    if (s.Action === undefined && s.NotAction === undefined) throw malformed('Missing required field Action');
    for (const a of list(s.Action ?? s.NotAction)) {
      if (!isValidBucketPolicyAction(a)) throw malformed('Policy has invalid action');
    }
    if (s.Resource === undefined && s.NotResource === undefined) throw malformed('Missing required field Resource');
    for (const r of list(s.Resource ?? s.NotResource)) {
      if (!resourceInBucket(r, bucket)) throw malformed('Policy has invalid resource');
    }
    if (s.Condition !== undefined && (typeof s.Condition !== 'object' || s.Condition === null || Array.isArray(s.Condition))) {
      throw malformed('Invalid Condition');
    }
  }
  return { Version: d.Version, Statement: statements as Statement[] };
}

/** A policy resource must name this bucket or objects in it (wildcards allowed after the bucket name). */
function resourceInBucket(r: string, bucket: string): boolean {
  const base = `arn:aws:s3:::${bucket}`;
  if (r === base) return true;
  if (r.startsWith(`${base}/`)) return true;
  // A wildcard in the bucket part is accepted only if it can match this bucket.
  if (r.startsWith('arn:aws:s3:::') && /[*?]/.test(r)) {
    return wildcardMatch(r, base) || wildcardMatch(r, `${base}/x`);
  }
  return false;
}

/** The engine's caller for a bucket-policy principal. */
function callerOf(who: PolicyPrincipal): Caller {
  switch (who.type) {
    case 'anonymous':
      return { type: 'anonymous' };
    case 'AWS':
      return callerFromArn(who.id);
    case 'Service':
      return { type: 'Service', service: who.id };
    case 'CanonicalUser':
      return { type: 'CanonicalUser', id: who.id };
  }
}

/**
 * Evaluates a bucket policy on its own for one request, with the IAM policy
 * engine (emulator/core/policy): `Deny` when a matching Deny statement
 * exists, `Allow` when a matching Allow does (and no Deny), `ImplicitDeny`
 * otherwise (or when the policy is absent or unreadable). For callers that
 * have no identity policies of their own here: anonymous requests (S3 website
 * endpoints, public listings) and CloudFront's origin access.
 */
export function evaluateBucketPolicy(policyJson: string | null | undefined, req: PolicyRequest): PolicyDecision {
  if (!policyJson) return 'ImplicitDeny';
  let policy;
  try {
    policy = parsedPolicy(policyJson, 'resource');
  } catch {
    return 'ImplicitDeny';
  }
  const context: ContextInput = {};
  for (const [k, v] of Object.entries(req.context ?? {})) if (v !== undefined) context[k] = v;
  const result = authorize({
    caller: callerOf(req.principal),
    action: req.action,
    resource: req.resourceArn,
    context,
    resourcePolicy: { source: { id: 'ResourcePolicy', type: 'resource' }, policy },
  });
  const d = result.details.resource;
  return d === 'explicitDeny' ? 'Deny' : d === 'allowed' ? 'Allow' : 'ImplicitDeny';
}

/**
 * S3's notion of a public policy, as Block Public Access and
 * GetBucketPolicyStatus read it (the engine's isPublicPolicy: an Allow for
 * everyone not limited by a fixed-value condition on one of S3's keys).
 */
export function isPolicyPublic(policyJson: string | null | undefined): boolean {
  if (!policyJson) return false;
  try {
    return isPublicPolicy(parsedPolicy(policyJson, 'resource'));
  } catch {
    return false;
  }
}
