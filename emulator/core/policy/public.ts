import { ipInCidr } from './conditions';
import { parsePolicy, splitOperator, type ParsedPolicy, type ParsedStatement } from './parse';

/**
 * S3 Block Public Access's notion of a public policy.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 *
 * S3 starts from "public" and looks for a reason to call each Allow
 * statement non-public: it names fixed principals (an account, user, role,
 * service principal or canonical user, never `*`), or it is limited by a
 * condition with a fixed value (no wildcard, no policy variable) on one of
 * the keys S3 lists. A single public statement makes the whole policy public.
 */

/** Keys whose fixed values make a statement non-public, lower-cased. */
const LIMITING_KEYS = new Set([
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceowner',
  'aws:sourceaccount',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
  'aws:userid',
  's3:dataaccesspointarn',
  's3:dataaccesspointaccount',
  // "An AWS principal, user, role, or service principal (e.g. aws:PrincipalOrgID)".
  'aws:principalorgid',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourceip',
]);

/** Operators that narrow who matches (negated operators, IfExists and ForAllValues do not). */
const NARROWING = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike', 'IpAddress']);

const fixed = (v: string) => !/[*?]/.test(v) && !v.includes('${');

/** RFC 1918 private IPv4 ranges, which S3 does not count as broad. */
const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** A CIDR narrow enough for S3: no broader than /8 for IPv4 and /32 for IPv6, or inside a private range. */
function narrowCidr(cidr: string): boolean {
  const [base, lenText] = cidr.trim().split('/');
  if (!base) return false;
  const v6 = base.includes(':');
  const len = lenText === undefined ? (v6 ? 128 : 32) : Number(lenText);
  if (!Number.isInteger(len)) return false;
  if (v6) return len >= 32;
  if (len >= 8) return true;
  return PRIVATE_V4.some((p) => ipInCidr(base, p) && len >= Number(p.split('/')[1]));
}

function valueLimits(key: string, value: string): boolean {
  if (!fixed(value)) {
    // An access point ARN may wildcard the access point name if the account is fixed.
    if (key === 's3:dataaccesspointarn') return /^arn:[a-z-]+:s3:[a-z0-9-]+:\d{12}:accesspoint\/\*$/.test(value);
    return false;
  }
  if (key === 'aws:sourceip') return narrowCidr(value);
  // aws:userid of the form "AROLEID:*" names every session of a role; S3 counts it as public.
  if (key === 'aws:userid') return !value.endsWith(':*');
  return true;
}

function statementLimited(s: ParsedStatement): boolean {
  for (const c of s.conditions) {
    const op = splitOperator(c.operator);
    if (!op || op.ifExists || op.set === 'ForAllValues' || !NARROWING.has(op.base)) continue;
    const key = c.key.toLowerCase();
    if (!LIMITING_KEYS.has(key)) continue;
    if (c.values.length > 0 && c.values.every((v) => valueLimits(key, v))) return true;
  }
  return false;
}

/** Whether a principal element admits anyone: `*`, `{"AWS": "*"}`, or a federated (web identity) provider. */
function principalPublic(s: ParsedStatement): boolean {
  if (s.notPrincipal) return true;
  const p = s.principal;
  if (!p) return true;
  if (p === '*') return true;
  if ((p.AWS ?? []).some((v) => !fixed(v))) return true;
  if ((p.Federated ?? []).length > 0) return true;
  return Object.values(p).some((vs) => vs.some((v) => !fixed(v)));
}

/** Whether S3 would call this bucket policy public. */
export function isPublicPolicy(doc: string | ParsedPolicy): boolean {
  const policy = typeof doc === 'string' ? parsePolicy(doc, 'resource', { validate: false }) : doc;
  return policy.statements.some((s) => s.effect === 'Allow' && principalPublic(s) && !statementLimited(s));
}
