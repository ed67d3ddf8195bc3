import { AwsError } from '../../../core/errors';
import { S3_IAM_ACTIONS } from '../iam-actions.generated';

/**
 * Bucket policies: validation as PutBucketPolicy does it, and a small
 * evaluator (explicit Deny wins, otherwise an Allow is needed) that S3 access
 * checks and, later, CloudFront origin access use.
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

function principalMatches(spec: unknown, who: PolicyPrincipal): boolean {
  if (spec === '*') return true;
  if (!spec || typeof spec !== 'object') return false;
  const p = spec as Record<string, unknown>;
  if (list(p.AWS).includes('*')) return true;
  if (who.type === 'anonymous') return false;
  if (who.type === 'AWS') {
    const account = /^arn:aws:iam::(\d{12}):/.exec(who.id)?.[1];
    return list(p.AWS).some(
      (x) => x === who.id || (account !== undefined && (x === account || x === `arn:aws:iam::${account}:root`)),
    );
  }
  if (who.type === 'Service') return list(p.Service).includes(who.id);
  return list(p.CanonicalUser).includes(who.id);
}

function contextValue(ctx: PolicyRequest['context'], key: string): string[] | undefined {
  if (!ctx) return undefined;
  const hit = Object.keys(ctx).find((k) => k.toLowerCase() === key.toLowerCase());
  if (hit === undefined) return undefined;
  const v = ctx[hit];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v : [String(v)];
}

/** Evaluates one condition block; every operator and every key in it must hold. */
function conditionsHold(cond: Statement['Condition'], ctx: PolicyRequest['context']): boolean {
  if (!cond) return true;
  for (const [rawOp, keys] of Object.entries(cond)) {
    const ifExists = rawOp.endsWith('IfExists');
    const op = ifExists ? rawOp.slice(0, -'IfExists'.length) : rawOp;
    for (const [key, expectedRaw] of Object.entries(keys)) {
      const expected = list(expectedRaw);
      const actual = contextValue(ctx, key);
      if (op === 'Null') {
        const wantNull = expected[0] === 'true';
        if ((actual === undefined) !== wantNull) return false;
        continue;
      }
      const negated = /Not/.test(op);
      if (actual === undefined) {
        // A missing key satisfies only IfExists and negated operators.
        if (ifExists || negated) continue;
        return false;
      }
      const test = (a: string, e: string): boolean => {
        switch (op.replace('Not', '')) {
          case 'StringEquals':
          case 'ArnEquals':
            return a === e;
          case 'StringEqualsIgnoreCase':
            return a.toLowerCase() === e.toLowerCase();
          case 'StringLike':
          case 'ArnLike':
            return wildcardMatch(e, a);
          case 'Bool':
            return a.toLowerCase() === e.toLowerCase();
          case 'NumericEquals':
            return Number(a) === Number(e);
          default:
            return false;
        }
      };
      const anyMatch = actual.some((a) => expected.some((e) => test(a, e)));
      if (negated ? anyMatch : !anyMatch) return false;
    }
  }
  return true;
}

function statementApplies(s: Statement, req: PolicyRequest): boolean {
  if (s.Principal !== undefined && !principalMatches(s.Principal, req.principal)) return false;
  if (s.NotPrincipal !== undefined && principalMatches(s.NotPrincipal, req.principal)) return false;
  const actionHit = (patterns: string[]) => patterns.some((p) => wildcardMatch(p, req.action, true));
  if (s.Action !== undefined && !actionHit(list(s.Action))) return false;
  if (s.NotAction !== undefined && actionHit(list(s.NotAction))) return false;
  const resHit = (patterns: string[]) => patterns.some((p) => wildcardMatch(p, req.resourceArn));
  if (s.Resource !== undefined && !resHit(list(s.Resource))) return false;
  if (s.NotResource !== undefined && resHit(list(s.NotResource))) return false;
  return conditionsHold(s.Condition, req.context);
}

/**
 * Evaluates a bucket policy for one request: `Deny` when a matching Deny
 * statement exists, `Allow` when a matching Allow does (and no Deny),
 * `ImplicitDeny` otherwise (or when the policy is absent or unreadable).
 */
export function evaluateBucketPolicy(policyJson: string | null | undefined, req: PolicyRequest): PolicyDecision {
  if (!policyJson) return 'ImplicitDeny';
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policyJson) as { Statement?: unknown };
  } catch {
    return 'ImplicitDeny';
  }
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).filter(
    (s): s is Statement => !!s && typeof s === 'object',
  );
  let allowed = false;
  for (const s of statements) {
    if (!statementApplies(s, req)) continue;
    if (s.Effect === 'Deny') return 'Deny';
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/** S3's notion of a public policy: some Allow grants everyone (`*`) without conditions. */
export function isPolicyPublic(policyJson: string | null | undefined): boolean {
  if (!policyJson) return false;
  try {
    const doc = JSON.parse(policyJson) as { Statement?: unknown };
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    return statements.some((raw) => {
      if (!raw || typeof raw !== 'object') return false;
      const s = raw as Statement;
      if (s.Effect !== 'Allow' || s.Principal === undefined) return false;
      const everyone = s.Principal === '*' || list((s.Principal as Record<string, unknown>).AWS).includes('*');
      return everyone && (s.Condition === undefined || Object.keys(s.Condition).length === 0);
    });
  } catch {
    return false;
  }
}
