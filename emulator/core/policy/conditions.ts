import { arnLike, matchPieces, substitute, type Piece, type VariableLookup } from './match';
import { splitOperator, type ConditionEntry } from './parse';

/**
 * The request context and the Condition element.
 *
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 *
 * Key names are compared without regard to case (`aws:SourceIP` is
 * `AWS:sourceip`), including the tag key part of `aws:PrincipalTag/Team`.
 */

/** What a caller passes for one key: one value, several, or nothing (absent). */
export type ContextValue = string | number | boolean | Date | readonly (string | number | boolean | Date)[] | undefined;
export type ContextInput = Record<string, ContextValue>;

/** The request context: lower-cased key → values (a present key may have an empty list: a null data set). */
export class RequestContext {
  private readonly keys = new Map<string, { name: string; values: string[] }>();

  constructor(input: ContextInput = {}) {
    for (const [name, v] of Object.entries(input)) this.set(name, v);
  }

  set(name: string, v: ContextValue): this {
    if (v === undefined) {
      this.keys.delete(name.toLowerCase());
      return this;
    }
    const list = (Array.isArray(v) ? v : [v]) as (string | number | boolean | Date)[];
    this.keys.set(name.toLowerCase(), { name, values: list.map((x) => (x instanceof Date ? x.toISOString() : String(x))) });
    return this;
  }

  get(name: string): string[] | undefined {
    return this.keys.get(name.toLowerCase())?.values;
  }

  has(name: string): boolean {
    return this.keys.has(name.toLowerCase());
  }

  /** Policy variables take single-valued keys only. */
  readonly lookup: VariableLookup = (key) => {
    const v = this.get(key);
    return v && v.length === 1 ? v[0] : undefined;
  };
}

/** Result of a condition block: whether it holds, and which keys the request lacked. */
export interface ConditionResult {
  holds: boolean;
  missing: string[];
}

const NEGATED = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
]);

/** A policy value as prepared for comparison; `null` when its variable had no value. */
type Prepared = { text: string; pieces: Piece[] } | null;

function prepare(base: string, value: string, lookup: VariableLookup | undefined): Prepared {
  // Variables work with the string, ARN and Bool operators only.
  const varsAllowed = /^(String|Arn|Bool)/.test(base) ? lookup : undefined;
  const wildcards = /Like$/.test(base) || base.startsWith('Arn');
  const sub = substitute(value, varsAllowed, wildcards);
  if (sub.missing.length) return null;
  const text = sub.pieces.map((p) => ('lit' in p ? p.lit : 'star' in p ? '*' : '?')).join('');
  return { text, pieces: sub.pieces };
}

/** Seconds since the epoch for an ISO 8601 date or an epoch number, else NaN. */
export function parseDate(s: string): number {
  if (/^-?\d+(\.\d+)?$/.test(s.trim())) return Number(s);
  const t = Date.parse(s);
  return Number.isNaN(t) ? NaN : t / 1000;
}

function ipToBigInt(ip: string): { v: bigint; bits: 32 | 128 } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    const parts = ip.split('.').map(Number);
    if (parts.some((n) => n > 255)) return undefined;
    return { v: parts.reduce((acc, n) => (acc << 8n) + BigInt(n), 0n), bits: 32 };
  }
  if (!ip.includes(':')) return undefined;
  let text = ip;
  // An IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4) {
    const n = ipToBigInt(v4[1]!);
    if (!n) return undefined;
    text = text.slice(0, -v4[1]!.length) + `${(n.v >> 16n).toString(16)}:${(n.v & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return undefined;
  const groups = [...head, ...Array<string>(fill).fill('0'), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { v: groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n), bits: 128 };
}

/** Whether `ip` falls in `cidr` (an address alone is a /32 or /128). IPv4 and IPv6 never match each other. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base, lenText] = cidr.trim().split('/');
  const a = ipToBigInt(ip.trim());
  const b = ipToBigInt(base ?? '');
  if (!a || !b || a.bits !== b.bits) return false;
  const len = lenText === undefined ? b.bits : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > b.bits) return false;
  const shift = BigInt(b.bits - len);
  return a.v >> shift === b.v >> shift;
}

/** One comparison of a request value with a policy value for a non-negated base operator. */
function compare(base: string, actual: string, p: NonNullable<Prepared>): boolean {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return actual === p.text;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return actual.toLowerCase() === p.text.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return matchPieces(p.pieces, actual);
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return arnLike(p.pieces, actual);
    case 'Bool':
      return actual.toLowerCase() === p.text.toLowerCase();
    case 'BinaryEquals':
      return Buffer.from(actual, 'base64').equals(Buffer.from(p.text, 'base64'));
    case 'IpAddress':
    case 'NotIpAddress':
      return ipInCidr(actual, p.text);
    default: {
      const num = base.startsWith('Numeric');
      const x = num ? Number(actual) : parseDate(actual);
      const y = num ? Number(p.text) : parseDate(p.text);
      if (Number.isNaN(x) || Number.isNaN(y) || actual.trim() === '' || p.text.trim() === '') return false;
      const op = base.replace(/^(Numeric|Date)/, '');
      if (op === 'Equals' || op === 'NotEquals') return x === y;
      if (op === 'LessThan') return x < y;
      if (op === 'LessThanEquals') return x <= y;
      if (op === 'GreaterThan') return x > y;
      return x >= y;
    }
  }
}

/**
 * Evaluates one key of one operator.
 *
 * Without a set operator a negated operator holds when no request value
 * matches any policy value (several policy values act as AND); otherwise
 * any match suffices (OR). ForAnyValue holds when some request value
 * satisfies the operator, ForAllValues when every one does (and when the
 * request has none). A key missing from the request: `…IfExists` holds;
 * plain operators do not hold, negated ones do; ForAllValues holds,
 * ForAnyValue does not.
 */
export function evaluateEntry(entry: ConditionEntry, ctx: RequestContext, variables = true): ConditionResult {
  const op = splitOperator(entry.operator);
  const lookup = variables ? ctx.lookup : undefined;
  if (!op) return { holds: false, missing: [] };
  const actual = ctx.get(entry.key);
  if (op.base === 'Null') {
    const wantAbsent = (entry.values[0] ?? '').toLowerCase() === 'true';
    const absent = actual === undefined || actual.length === 0;
    return { holds: wantAbsent === absent, missing: [] };
  }
  const negated = NEGATED.has(op.base);
  if (actual === undefined) {
    if (op.ifExists) return { holds: true, missing: [entry.key] };
    if (op.set === 'ForAllValues') return { holds: true, missing: [entry.key] };
    if (op.set === 'ForAnyValue') return { holds: false, missing: [entry.key] };
    return { holds: negated, missing: [entry.key] };
  }
  const missing: string[] = [];
  const prepared = entry.values.map((v) => {
    const p = prepare(op.base, v, lookup);
    if (p === null) missing.push(...substitute(v, lookup).missing);
    return p;
  });
  // A request value "satisfies" the operator: for a positive operator it matches some
  // policy value; for a negated one it matches none (a policy value whose variable has
  // no value matches nothing, so negated operators hold against it).
  const satisfies = (a: string): boolean => {
    const hit = prepared.some((p) => p !== null && compare(op.base, a, p));
    return negated ? !hit : hit;
  };
  let holds: boolean;
  if (op.set === 'ForAllValues') holds = actual.every(satisfies);
  else if (op.set === 'ForAnyValue') holds = actual.some(satisfies);
  else if (negated) holds = actual.every(satisfies);
  else holds = actual.some(satisfies);
  return { holds, missing };
}

/**
 * All operators and keys of a statement's Condition must hold (AND).
 * `variables`: whether `${…}` in values is substituted (policy Version 2012-10-17).
 */
export function evaluateConditions(entries: ConditionEntry[], ctx: RequestContext, variables = true): ConditionResult {
  let holds = true;
  const missing: string[] = [];
  for (const e of entries) {
    const r = evaluateEntry(e, ctx, variables);
    missing.push(...r.missing);
    if (!r.holds) holds = false;
  }
  return { holds, missing };
}
