import { JsonSyntaxError, parseJsonWithPositions, type JsonValue, type Position } from './json';

/**
 * Reading and checking policy documents as IAM does, with IAM's
 * MalformedPolicyDocument wording.
 *
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * The texts below are the ones IAM answers with (seen in CLI and SDK
 * error reports); where IAM's text is not known, the closest IAM text is
 * used and the comment says so.
 */

/**
 * `identity`: attached to a user, group or role (and permissions boundaries):
 * no Principal, Resource required. `trust`: a role's trust policy: Principal
 * required, no Resource. `resource`: a policy on a resource (bucket,
 * repository…): Principal required, Resource optional (services differ).
 */
export type PolicyKind = 'identity' | 'trust' | 'resource';

export type { Position };

/** `"*"`, or principal type (AWS, Service, Federated, CanonicalUser) → values. */
export type PrincipalSpec = '*' | Record<string, string[]>;

export interface ConditionEntry {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** The condition key as written, e.g. `aws:PrincipalTag/team`. */
  key: string;
  /** The policy values, as strings (JSON booleans and numbers become their text). */
  values: string[];
}

export interface ParsedStatement {
  /** 0-based position in the Statement list. */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  conditions: ConditionEntry[];
  /** Just after the statement's `{` and `}`, as IAM's simulator reports them. */
  start: Position;
  end: Position;
}

export interface ParsedPolicy {
  /** `2012-10-17` turns on policy variables; `2008-10-17` or none leaves `${…}` literal. */
  version?: string;
  id?: string;
  statements: ParsedStatement[];
}

export interface ParseOptions {
  /**
   * Checks only what evaluation needs (shape), without IAM's wording checks,
   * for documents a service has already validated with its own rules (an S3
   * bucket policy) or that were stored before.
   */
  validate?: boolean;
  /**
   * A managed policy (CreatePolicy, CreatePolicyVersion): IAM requires
   * Version 2012-10-17 and alphanumeric Sids there.
   */
  managed?: boolean;
  /**
   * For trust policies: whether an IAM user or role ARN named as a principal
   * exists. IAM stores such principals by unique id and refuses ones it
   * cannot resolve ("Invalid principal in policy").
   */
  principalExists?: (arn: string) => boolean;
}

/** A policy IAM would refuse: code MalformedPolicyDocument, HTTP 400. */
export class MalformedPolicyError extends Error {
  readonly code = 'MalformedPolicyDocument';
  readonly status = 400;
}

/** IAM's texts. */
export const MESSAGES = {
  invalidJson: 'This policy contains invalid Json',
  syntax: 'Syntax errors in policy.',
  version: 'Policy document must be version 2012-10-17 or greater.',
  legacy: 'The policy failed legacy parsing',
  principalInIdentity: 'Policy document should not specify a principal.',
  sidUnique: 'Statement IDs (SID) in a single policy must be unique.',
  sidAlnum: 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  actions: 'Policy statement must contain actions.',
  resources: 'Policy statement must contain resources.',
  vendor: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  oneColon: 'Actions/Condition can contain only one colon.',
  noPrincipal: 'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
  // S3 and the other resource services say this when Principal is missing.
  missingPrincipal: 'Missing required field Principal',
  // Not confirmed word for word: IAM's answer for a trust policy naming a non-STS action.
  trustActions: 'AssumeRole policy may only specify STS AssumeRole actions.',
} as const;

const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);

/** The condition operators IAM knows, without the ForAnyValue:/ForAllValues: prefix and IfExists suffix. */
export const CONDITION_OPERATORS = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
]);

export interface OperatorParts {
  set?: 'ForAnyValue' | 'ForAllValues';
  base: string;
  ifExists: boolean;
}

/** Splits `ForAllValues:StringLikeIfExists` into its parts; undefined for an operator IAM does not know. */
export function splitOperator(operator: string): OperatorParts | undefined {
  let rest = operator;
  let set: OperatorParts['set'];
  const m = /^(ForAnyValue|ForAllValues):(.*)$/.exec(rest);
  if (m) {
    set = m[1] as OperatorParts['set'];
    rest = m[2] ?? '';
  }
  let ifExists = false;
  if (rest.endsWith('IfExists') && rest !== 'Null') {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  if (!CONDITION_OPERATORS.has(rest)) return undefined;
  if (ifExists && rest === 'Null') return undefined;
  return { set, base: rest, ifExists };
}

function fail(message: string): never {
  throw new MalformedPolicyError(message);
}

const isObject = (v: unknown): v is Record<string, JsonValue> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string or a list of strings, else undefined (a syntax error for the caller). */
function stringList(v: JsonValue | undefined): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

function conditionValues(v: JsonValue): string[] | undefined {
  const one = (x: JsonValue): string | undefined =>
    typeof x === 'string' ? x : typeof x === 'boolean' || typeof x === 'number' ? String(x) : undefined;
  if (Array.isArray(v)) {
    const out = v.map(one);
    return out.every((x) => x !== undefined) ? (out as string[]) : undefined;
  }
  const s = one(v);
  return s === undefined ? undefined : [s];
}

function readPrincipal(v: JsonValue | undefined, validate: boolean): PrincipalSpec | undefined {
  if (v === undefined) return undefined;
  if (v === '*') return '*';
  if (!isObject(v)) return validate ? fail(invalidPrincipalText(v)) : undefined;
  const out: Record<string, string[]> = {};
  for (const [type, raw] of Object.entries(v)) {
    const values = stringList(raw);
    if (validate) {
      if (!PRINCIPAL_TYPES.has(type) || !values || values.length === 0 || values.some((x) => x === '')) {
        fail(invalidPrincipalText({ [type]: raw }));
      }
    }
    if (values) out[type] = values;
  }
  return out;
}

/** IAM quotes the offending principal: `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/gone"`. */
function invalidPrincipalText(v: JsonValue): string {
  if (isObject(v)) {
    const [type, raw] = Object.entries(v)[0] ?? ['', ''];
    const first = Array.isArray(raw) ? raw[0] : raw;
    return `Invalid principal in policy: ${JSON.stringify(type)}:${JSON.stringify(first ?? '')}`;
  }
  return `Invalid principal in policy: ${JSON.stringify(v)}`;
}

/** A value in `"AWS": …` that IAM accepts: `*`, an account id, an IAM/STS ARN, or a unique id (AIDA…, AROA…). */
function validAwsPrincipal(v: string): boolean {
  if (v === '*') return true;
  if (/^\d{12}$/.test(v)) return true;
  if (/^A[A-Z0-9]{15,127}$/.test(v)) return true;
  // `cloudfront` is the account of origin access identities (arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E…).
  return /^arn:[a-z-]+:(iam|sts)::(\d{12}|aws|cloudfront):.+$/.test(v);
}

function checkAction(action: string): void {
  if (action === '*') return;
  const parts = action.split(':');
  if (parts.length === 1) fail(MESSAGES.vendor);
  if (parts.length > 2) fail(MESSAGES.oneColon);
  const vendor = parts[0] ?? '';
  if (/[^a-zA-Z0-9\-.*?]/.test(vendor) || vendor === '') fail(`Vendor ${vendor} is not valid`);
}

function checkResource(resource: string): void {
  if (resource === '*') return;
  const parts = resource.split(':');
  if (parts.length < 2 || parts[0] !== 'arn') fail(`Resource ${resource} must be in ARN format or "*".`);
  const partition = parts[1] ?? '';
  if (!PARTITIONS.has(partition) && partition !== '*') {
    const seg = (n: number) => (parts[n] === undefined || parts[n] === '' ? '*' : parts[n]);
    fail(`Partition "${partition}" is not valid for resource "arn:${partition}:${seg(2)}:${seg(3)}:${seg(4)}:${parts.length > 5 ? parts.slice(5).join(':') : '*'}".`);
  }
  const service = parts[2] ?? '';
  // IAM resources are global: a region in an IAM ARN is refused with this text.
  if (service === 'iam' && (parts[3] ?? '') !== '') fail(`IAM resource ${resource} cannot contain region information.`);
}

/**
 * Parses a policy document and checks it as IAM does for `kind`, throwing
 * MalformedPolicyError with IAM's words for the first problem.
 */
export function parsePolicy(text: string, kind: PolicyKind, options: ParseOptions = {}): ParsedPolicy {
  const validate = options.validate !== false;
  let parsed;
  try {
    parsed = parseJsonWithPositions(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) fail(MESSAGES.invalidJson);
    throw e;
  }
  const doc = parsed.value;
  if (!isObject(doc)) fail(MESSAGES.syntax);
  if (validate) {
    if (parsed.duplicateKeys.has(doc)) fail(MESSAGES.syntax);
    for (const k of Object.keys(doc)) if (!TOP_KEYS.has(k)) fail(MESSAGES.syntax);
    if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') fail(MESSAGES.syntax);
    if (doc.Id !== undefined && typeof doc.Id !== 'string') fail(MESSAGES.syntax);
  }
  const rawStatements = Array.isArray(doc.Statement) ? doc.Statement : isObject(doc.Statement) ? [doc.Statement] : undefined;
  if (!rawStatements || rawStatements.length === 0) fail(MESSAGES.syntax);
  if (validate && options.managed && doc.Version !== '2012-10-17') fail(MESSAGES.version);

  const statements: ParsedStatement[] = [];
  rawStatements.forEach((raw, index) => {
    if (!isObject(raw)) fail(MESSAGES.syntax);
    if (validate) {
      if (kind === 'identity' && (raw.Principal !== undefined || raw.NotPrincipal !== undefined)) fail(MESSAGES.principalInIdentity);
      if (parsed.duplicateKeys.has(raw)) fail(MESSAGES.syntax);
      for (const k of Object.keys(raw)) if (!STATEMENT_KEYS.has(k)) fail(MESSAGES.syntax);
      if (raw.Action !== undefined && raw.NotAction !== undefined) fail(MESSAGES.syntax);
      if (raw.Resource !== undefined && raw.NotResource !== undefined) fail(MESSAGES.syntax);
      if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) fail(MESSAGES.syntax);
      if (typeof raw.Effect !== 'string' || !/^(allow|deny)$/i.test(raw.Effect)) fail(MESSAGES.syntax);
      // Any case passes the syntax check; only the exact spelling passes IAM's second parser.
      if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') fail(MESSAGES.legacy);
      if (raw.Sid !== undefined && typeof raw.Sid !== 'string') fail(MESSAGES.syntax);
      for (const k of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
        if (raw[k] !== undefined && stringList(raw[k]) === undefined) fail(MESSAGES.syntax);
      }
      if (raw.Condition !== undefined) {
        if (!isObject(raw.Condition)) fail(MESSAGES.syntax);
        for (const [op, block] of Object.entries(raw.Condition)) {
          if (!isObject(block)) fail(MESSAGES.syntax);
          if (!splitOperator(op) && Object.keys(block).length > 0) fail(MESSAGES.syntax);
          for (const v of Object.values(block)) if (conditionValues(v) === undefined) fail(MESSAGES.syntax);
        }
      }
    }
    const span = parsed.spans.get(raw) ?? { start: { Line: 1, Column: 1 }, end: { Line: 1, Column: 1 } };
    const conditions: ConditionEntry[] = [];
    if (isObject(raw.Condition)) {
      for (const [operator, block] of Object.entries(raw.Condition)) {
        if (!isObject(block)) continue;
        for (const [key, v] of Object.entries(block)) conditions.push({ operator, key, values: conditionValues(v) ?? [] });
      }
    }
    statements.push({
      index,
      sid: typeof raw.Sid === 'string' ? raw.Sid : undefined,
      effect: raw.Effect === 'Deny' ? 'Deny' : 'Allow',
      principal: readPrincipal(raw.Principal, validate && kind !== 'identity'),
      notPrincipal: readPrincipal(raw.NotPrincipal, validate && kind !== 'identity'),
      action: stringList(raw.Action),
      notAction: stringList(raw.NotAction),
      resource: stringList(raw.Resource),
      notResource: stringList(raw.NotResource),
      conditions,
      start: span.start,
      end: span.end,
    });
  });

  if (validate) checkSemantics(statements, kind, options);
  return {
    version: typeof doc.Version === 'string' ? doc.Version : undefined,
    id: typeof doc.Id === 'string' ? doc.Id : undefined,
    statements,
  };
}

/** The checks IAM makes after the syntax pass, in IAM's order (as moto found it by trying AWS). */
function checkSemantics(statements: ParsedStatement[], kind: PolicyKind, options: ParseOptions): void {
  if (kind === 'identity') for (const s of statements) for (const r of [...(s.resource ?? []), ...(s.notResource ?? [])]) checkResource(r);
  const sids = new Set<string>();
  for (const s of statements) {
    if (!s.sid) continue;
    if (sids.has(s.sid)) fail(MESSAGES.sidUnique);
    sids.add(s.sid);
  }
  if (options.managed) for (const s of statements) if (s.sid !== undefined && !/^[0-9A-Za-z]*$/.test(s.sid)) fail(MESSAGES.sidAlnum);
  for (const s of statements) {
    const actions = s.action ?? s.notAction;
    if (!actions || actions.length === 0) fail(MESSAGES.actions);
  }
  for (const s of statements) {
    if (kind === 'identity') {
      const resources = s.resource ?? s.notResource;
      if (!resources || resources.length === 0) fail(MESSAGES.resources);
    }
    if (kind === 'trust') {
      if (s.resource) fail('Has prohibited field Resource');
      if (s.notResource) fail('Has prohibited field NotResource');
      // The IAM User Guide: NotPrincipal cannot be used in a role trust policy.
      if (s.notPrincipal) fail('Has prohibited field NotPrincipal');
      if (!s.principal) fail(MESSAGES.noPrincipal);
    }
    if (kind === 'resource' && !s.principal && !s.notPrincipal) fail(MESSAGES.missingPrincipal);
  }
  for (const s of statements) for (const a of [...(s.action ?? []), ...(s.notAction ?? [])]) checkAction(a);
  if (kind === 'trust') {
    for (const s of statements) {
      for (const a of s.action ?? s.notAction ?? []) if (a !== '*' && !/^sts:/i.test(a)) fail(MESSAGES.trustActions);
    }
  }
  if (kind !== 'identity') {
    for (const s of statements) {
      for (const spec of [s.principal, s.notPrincipal]) {
        if (!spec || spec === '*') continue;
        for (const v of spec.AWS ?? []) {
          if (!validAwsPrincipal(v)) fail(`Invalid principal in policy: "AWS":${JSON.stringify(v)}`);
          if (
            kind === 'trust' &&
            options.principalExists &&
            /^arn:[a-z-]+:iam::\d{12}:(user|role)\//.test(v) &&
            !options.principalExists(v)
          ) {
            fail(`Invalid principal in policy: "AWS":${JSON.stringify(v)}`);
          }
        }
      }
    }
  }
}
