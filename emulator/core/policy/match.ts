import type { PrincipalSpec } from './parse';

/**
 * Matching of the Action, Resource and Principal elements, with `*` / `?`
 * wildcards and policy variables.
 *
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */

/** A pattern after variable substitution: literal text and the two wildcards. */
export type Piece = { lit: string } | { star: true } | { one: true };

/** Looks up a single-valued context key for `${key}`; undefined when the request has no value. */
export type VariableLookup = (key: string) => string | undefined;

export interface Substituted {
  pieces: Piece[];
  /** Keys of variables the request had no value for (and no default). */
  missing: string[];
}

function literalPieces(s: string, wildcards: boolean): Piece[] {
  if (!wildcards) return s ? [{ lit: s }] : [];
  const out: Piece[] = [];
  let buf = '';
  for (const c of s) {
    if (c === '*' || c === '?') {
      if (buf) out.push({ lit: buf });
      buf = '';
      out.push(c === '*' ? { star: true } : { one: true });
    } else buf += c;
  }
  if (buf) out.push({ lit: buf });
  return out;
}

/**
 * Turns a policy string into pieces. With `variables` (policy Version
 * 2012-10-17), `${key}` takes the request's value as literal text,
 * `${key, 'default'}` falls back to the default, and `${*}`, `${?}`, `${$}`
 * stand for the literal characters. Without it, `${…}` is plain text, as
 * IAM does for Version 2008-10-17 or none.
 */
export function substitute(pattern: string, lookup: VariableLookup | undefined, wildcards = true): Substituted {
  if (!lookup || !pattern.includes('${')) return { pieces: literalPieces(pattern, wildcards), missing: [] };
  const pieces: Piece[] = [];
  const missing: string[] = [];
  const re = /\$\{([^}]*)\}/g;
  let last = 0;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    pieces.push(...literalPieces(pattern.slice(last, m.index), wildcards));
    last = m.index + m[0].length;
    const inner = (m[1] ?? '').trim();
    if (inner === '*' || inner === '?' || inner === '$') {
      pieces.push({ lit: inner });
      continue;
    }
    const d = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(inner);
    const key = (d ? d[1] : inner)?.trim() ?? '';
    const value = lookup(key) ?? d?.[2];
    if (value === undefined) missing.push(key);
    else pieces.push({ lit: value });
  }
  pieces.push(...literalPieces(pattern.slice(last), wildcards));
  return { pieces, missing };
}

/** Matches `value` against pieces; `*` and `?` do not cross `stop` characters when given (ARN segments). */
export function matchPieces(pieces: Piece[], value: string, ignoreCase = false, stop?: string): boolean {
  const norm = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  const v = norm(value);
  const ps = pieces.map((p) => ('lit' in p ? { lit: norm(p.lit) } : p));
  // Backtracking over stars, remembering positions already known to fail so a
  // pattern like `*a*a*a*b` stays polynomial on long values.
  const failed = new Uint8Array((ps.length + 1) * (v.length + 1));
  const go = (pi: number, vi: number): boolean => {
    const at = pi * (v.length + 1) + vi;
    if (failed[at]) return false;
    const ok = step(pi, vi);
    if (!ok) failed[at] = 1;
    return ok;
  };
  const step = (pi: number, vi: number): boolean => {
    while (pi < ps.length) {
      const p = ps[pi]!;
      if ('lit' in p) {
        if (!v.startsWith(p.lit, vi)) return false;
        vi += p.lit.length;
        pi++;
      } else if ('one' in p) {
        if (vi >= v.length || (stop && stop.includes(v[vi]!))) return false;
        vi++;
        pi++;
      } else {
        for (let k = vi; k <= v.length; k++) {
          if (go(pi + 1, k)) return true;
          if (k < v.length && stop && stop.includes(v[k]!)) return false;
        }
        return false;
      }
    }
    return vi === v.length;
  };
  return go(0, 0);
}

/** Plain wildcard match (no variables). */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return matchPieces(literalPieces(pattern, true), value, ignoreCase);
}

/** Action names compare without regard to case, service prefix included: `S3:get*` matches `s3:GetObject`. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, true);
}

/** The six colon-separated parts of an ARN (the last keeps its colons), or undefined. */
export function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * Resource matching, case-sensitive. `*` alone matches anything. For ARNs,
 * wildcards in the first five parts stay within their part and variables
 * are substituted only in the resource part (IAM allows them only there);
 * the resource part is matched as one string, so `bucket/*` covers keys
 * with colons and slashes. A variable with no value makes the pattern match
 * nothing, as the User Guide says.
 */
export function resourceMatches(pattern: string, resource: string, lookup: VariableLookup | undefined): { match: boolean; missing: string[] } {
  if (pattern === '*') return { match: true, missing: [] };
  const pp = splitArn(pattern);
  const rp = splitArn(resource);
  // Wildcards work within ARN segments: a pattern with too few segments names no ARN.
  if (rp && !pp) return { match: false, missing: [] };
  if (!pp || !rp) {
    const sub = substitute(pattern, lookup);
    if (sub.missing.length) return { match: false, missing: sub.missing };
    return { match: matchPieces(sub.pieces, resource), missing: [] };
  }
  for (let n = 0; n < 5; n++) {
    if (!matchPieces(literalPieces(pp[n]!, true), rp[n]!)) return { match: false, missing: [] };
  }
  const sub = substitute(pp[5]!, lookup);
  if (sub.missing.length) return { match: false, missing: sub.missing };
  return { match: matchPieces(sub.pieces, rp[5]!), missing: [] };
}

/**
 * ARN condition operators: each of the six parts is compared on its own and
 * wildcards do not cross colons within the first five.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export function arnLike(pieces: Piece[], value: string): boolean {
  const rp = splitArn(value);
  if (!rp) return false;
  // Rebuild the pattern's parts from pieces: split literal text at the first five colons.
  const parts: Piece[][] = [[]];
  for (const p of pieces) {
    if ('lit' in p && parts.length < 6) {
      const segs = p.lit.split(':');
      segs.forEach((seg, k) => {
        if (k > 0) {
          if (parts.length < 6) parts.push([]);
          else {
            parts[5]!.push({ lit: ':' });
          }
        }
        if (seg) parts[parts.length - 1]!.push({ lit: seg });
      });
    } else parts[parts.length - 1]!.push(p);
  }
  if (parts.length !== 6) return false;
  return parts.every((pp, n) => matchPieces(pp, rp[n]!, false, n < 5 ? ':' : undefined));
}

/**
 * Who is asking. For a role session, `roleArn` is the role's ARN (with its
 * path, which the session ARN drops); `userId` is the unique id IAM keeps
 * for users and roles (AIDA…, AROA…), which trust policies store.
 */
export type Caller =
  | { type: 'anonymous' }
  | { type: 'AWS'; arn: string; account: string; roleArn?: string; userId?: string }
  | { type: 'Service'; service: string }
  | { type: 'Federated'; provider: string }
  | { type: 'CanonicalUser'; id: string };

export type PrincipalKind = 'root' | 'user' | 'role' | 'assumed-role' | 'federated-user' | 'other';

/** The kind of an IAM or STS principal ARN. */
export function principalKind(arn: string): PrincipalKind {
  const p = splitArn(arn);
  if (!p) return 'other';
  const res = p[5] ?? '';
  if (p[2] === 'iam' && res === 'root') return 'root';
  if (p[2] === 'iam' && res.startsWith('user/')) return 'user';
  if (p[2] === 'iam' && res.startsWith('role/')) return 'role';
  if (p[2] === 'sts' && res.startsWith('assumed-role/')) return 'assumed-role';
  if (p[2] === 'sts' && res.startsWith('federated-user/')) return 'federated-user';
  return 'other';
}

/**
 * A Caller for an IAM/STS ARN. For `arn:aws:sts::123456789012:assumed-role/ci/s1`
 * the role is taken as `arn:aws:iam::123456789012:role/ci` unless `roleArn` says
 * otherwise (a role with a path).
 */
export function callerFromArn(arn: string, extra: { roleArn?: string; userId?: string } = {}): Caller {
  const p = splitArn(arn);
  const account = p?.[4] ?? '';
  let roleArn = extra.roleArn;
  if (!roleArn && principalKind(arn) === 'assumed-role') {
    const role = (p?.[5] ?? '').split('/')[1];
    if (role) roleArn = `arn:${p?.[1]}:iam::${account}:role/${role}`;
  }
  return { type: 'AWS', arn, account, roleArn, userId: extra.userId };
}

/** How a principal element matched: by name (user, role, session, service, `*`) or only through the account. */
export type PrincipalMatch = 'none' | 'direct' | 'role' | 'account';

function isAccountValue(v: string): string | undefined {
  if (/^\d{12}$/.test(v)) return v;
  return /^arn:[a-z-]+:iam::(\d{12}):root$/.exec(v)?.[1];
}

/**
 * Whether a Principal element names the caller. `"*"` names everyone;
 * `{"AWS": "*"}` every AWS principal and anonymous callers; an account id or
 * root ARN every principal of that account ('account'); a role ARN the role
 * and its sessions ('role' for a session); the exact user, role or session
 * ARN, or the unique id, the caller itself ('direct').
 */
export function principalMatches(spec: PrincipalSpec, caller: Caller): PrincipalMatch {
  if (spec === '*') return 'direct';
  const aws = spec.AWS ?? [];
  if (caller.type === 'anonymous') return aws.includes('*') ? 'direct' : 'none';
  if (caller.type === 'Service') return (spec.Service ?? []).includes(caller.service) ? 'direct' : 'none';
  if (caller.type === 'Federated') return (spec.Federated ?? []).includes(caller.provider) ? 'direct' : 'none';
  if (caller.type === 'CanonicalUser') return (spec.CanonicalUser ?? []).includes(caller.id) || aws.includes('*') ? 'direct' : 'none';
  let best: PrincipalMatch = 'none';
  for (const v of aws) {
    if (v === '*' || v === caller.arn || (caller.userId !== undefined && v === caller.userId)) return 'direct';
    if (caller.roleArn && v === caller.roleArn) best = 'role';
    else if (best === 'none' && isAccountValue(v) === caller.account) best = 'account';
  }
  return best;
}

/**
 * NotPrincipal: the statement skips the caller only when the element names
 * every layer AWS checks for it: the account, then (for a role session) the
 * role, then the caller itself. Naming just a user or a session leaves its
 * account, and so the caller, covered, as the User Guide warns.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export function notPrincipalExcludes(spec: PrincipalSpec, caller: Caller): boolean {
  if (spec === '*') return true;
  if (caller.type !== 'AWS') return principalMatches(spec, caller) === 'direct';
  const aws = spec.AWS ?? [];
  if (aws.includes('*')) return true;
  const accountNamed = aws.some((v) => isAccountValue(v) === caller.account);
  if (!accountNamed) return false;
  if (principalKind(caller.arn) === 'root') return true;
  const selfNamed = aws.includes(caller.arn) || (caller.userId !== undefined && aws.includes(caller.userId));
  if (caller.roleArn && principalKind(caller.arn) === 'assumed-role') return aws.includes(caller.roleArn) && selfNamed;
  return selfNamed;
}
