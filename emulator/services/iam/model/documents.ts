import { QUOTAS, limitExceeded, malformedPolicy } from './common';

/**
 * The checks IAM makes on a policy document before storing it, each failing
 * as MalformedPolicyDocument with IAM's sentence, and the size rules.
 *
 * The grammar is the IAM JSON policy reference:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * Evaluating documents is not done here (emulator/core/policy/ does that);
 * this only decides whether IAM would accept one.
 */

export type DocumentKind =
  /** A managed policy (CreatePolicy, CreatePolicyVersion): needs Version 2012-10-17. */
  | 'managed'
  /** An inline policy of a user, group or role. */
  | 'inline'
  /** A role's trust policy: a resource-based policy naming who may assume the role. */
  | 'trust';

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

const SYNTAX = 'Syntax errors in policy.';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string or a non-empty list of strings, the shape of Action, Resource and principal values. */
function stringList(v: Json | undefined): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

export interface CheckOptions {
  kind: DocumentKind;
  /**
   * For trust policies: whether an `AWS` principal ARN names an existing user
   * or role. IAM refuses a trust policy naming a principal of its own account
   * that does not exist ("Invalid principal in policy").
   */
  principalExists?: (arn: string) => boolean;
  accountId?: string;
}

/** Parses and checks a policy document as IAM does. */
export function checkPolicyDocument(text: string, opts: CheckOptions): void {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    throw malformedPolicy(SYNTAX);
  }
  if (!isObject(doc)) throw malformedPolicy(SYNTAX);
  for (const k of Object.keys(doc)) if (!TOP_LEVEL.has(k)) throw malformedPolicy(SYNTAX);
  const version = doc.Version;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') throw malformedPolicy(SYNTAX);
  // Managed policies need the current language version (policy variables and the rest).
  if (opts.kind === 'managed' && version !== '2012-10-17') throw malformedPolicy('Policy document must be version 2012-10-17 or greater.');
  if (doc.Id !== undefined && typeof doc.Id !== 'string') throw malformedPolicy(SYNTAX);

  const raw = doc.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0 || !statements.every(isObject)) throw malformedPolicy(SYNTAX);

  const sids = new Set<string>();
  for (const s of statements as { [k: string]: Json }[]) {
    for (const k of Object.keys(s)) if (!STATEMENT_KEYS.has(k)) throw malformedPolicy(SYNTAX);
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformedPolicy(SYNTAX);
    if (s.Sid !== undefined) {
      if (typeof s.Sid !== 'string') throw malformedPolicy(SYNTAX);
      if (s.Sid !== '' && sids.has(s.Sid)) throw malformedPolicy('Statement IDs (SID) in a single policy must be unique.');
      sids.add(s.Sid);
    }
    if (s.Action !== undefined && s.NotAction !== undefined) throw malformedPolicy(SYNTAX);
    if (s.Resource !== undefined && s.NotResource !== undefined) throw malformedPolicy(SYNTAX);
    if (s.Principal !== undefined && s.NotPrincipal !== undefined) throw malformedPolicy(SYNTAX);
    if (s.Condition !== undefined) checkCondition(s.Condition);

    const actionsRaw = s.Action ?? s.NotAction;
    if (actionsRaw === undefined) throw malformedPolicy('Policy statement must contain actions.');
    const actions = stringList(actionsRaw);
    if (!actions) throw malformedPolicy(SYNTAX);
    for (const a of actions) checkAction(a);

    const principal = s.Principal ?? s.NotPrincipal;
    const resourcesRaw = s.Resource ?? s.NotResource;
    if (opts.kind === 'trust') {
      if (resourcesRaw !== undefined) throw malformedPolicy('Has prohibited field Resource.');
      if (principal === undefined) throw malformedPolicy('Missing required field Principal');
      checkPrincipal(principal, opts);
      if (!actions.every((a) => a === '*' || a.toLowerCase().startsWith('sts:'))) {
        throw malformedPolicy('Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity');
      }
    } else {
      if (principal !== undefined) throw malformedPolicy('Policy document should not specify a principal.');
      if (resourcesRaw === undefined) throw malformedPolicy('Policy statement must contain resources.');
      const resources = stringList(resourcesRaw);
      if (!resources) throw malformedPolicy(SYNTAX);
      for (const r of resources) {
        // An ARN has six parts (arn:partition:service:region:account:resource); wildcards may stand in for them.
        if (r !== '*' && !(r.startsWith('arn:') && r.split(':').length >= 6)) {
          throw malformedPolicy(`Resource ${r} must be in ARN format or "*".`);
        }
      }
    }
  }
}

function checkAction(action: string): void {
  if (action === '*') return;
  const parts = action.split(':');
  if (parts.length < 2 || parts[0] === '') throw malformedPolicy('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  if (parts.length > 2) throw malformedPolicy('Actions/Condition can contain only one colon.');
  if (!/^[a-zA-Z0-9-]+$/.test(parts[0]!)) throw malformedPolicy(`Vendor ${parts[0]} is not valid`);
}

function checkCondition(condition: Json): void {
  if (!isObject(condition)) throw malformedPolicy(SYNTAX);
  for (const block of Object.values(condition)) {
    if (!isObject(block)) throw malformedPolicy(SYNTAX);
    for (const value of Object.values(block)) {
      const ok =
        ['string', 'number', 'boolean'].includes(typeof value) ||
        (Array.isArray(value) && value.every((v) => ['string', 'number', 'boolean'].includes(typeof v)));
      if (!ok) throw malformedPolicy(SYNTAX);
    }
  }
}

function checkPrincipal(principal: Json, opts: CheckOptions): void {
  if (principal === '*') return;
  if (!isObject(principal) || Object.keys(principal).length === 0) throw malformedPolicy(SYNTAX);
  for (const [k, v] of Object.entries(principal)) {
    if (!PRINCIPAL_KEYS.has(k)) throw malformedPolicy(SYNTAX);
    const values = stringList(v);
    if (!values) throw malformedPolicy(SYNTAX);
    if (k !== 'AWS' || !opts.principalExists) continue;
    for (const p of values) {
      // Users and roles of this account must exist when the policy is saved;
      // IAM keeps the principal's unique id, so a later delete-and-recreate is
      // a different principal. Accounts, root and other accounts are not checked.
      const m = /^arn:aws:iam::(\d{12}):(user|role)\/.+$/.exec(p);
      if (m && m[1] === opts.accountId && !opts.principalExists(p)) {
        throw malformedPolicy(`Invalid principal in policy: "AWS":"${p}"`);
      }
    }
  }
}

/** IAM counts a policy's size in characters, leaving out white space. */
export function policySize(document: string): number {
  return document.replace(/\s/g, '').length;
}

export function checkManagedSize(document: string): void {
  if (policySize(document) > QUOTAS.managedPolicySize) throw limitExceeded(`Cannot exceed quota for PolicySize: ${QUOTAS.managedPolicySize}`);
}

export function checkTrustSize(document: string): void {
  if (policySize(document) > QUOTAS.trustPolicySize) throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${QUOTAS.trustPolicySize}`);
}
