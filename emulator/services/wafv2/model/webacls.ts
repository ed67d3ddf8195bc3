import { randomUUID } from 'node:crypto';
import type { CreateWebACLRequest, Rule, Statement, Tag, UpdateWebACLRequest, WebACL, WebACLSummary } from '@aws-sdk/client-wafv2';
import { distributionsUsingWebAcl } from '../../cloudfront/index';
import type { WebAclRow } from '../store';
import {
  ARN_NOT_VALID,
  associated,
  checkLockToken,
  duplicate,
  entityArn,
  fromStored,
  invalidParameter,
  limitsExceeded,
  nonexistent,
  page,
  parseEntityArn,
  placeOf,
  toStored,
  type Caller,
  type Place,
} from './common';
import { ipSetByArn } from './ipsets';
import { MANAGED_RULE_GROUPS } from './managed';
import { dropTags, putTags } from './tags';

/**
 * Web ACLs. Rules are stored and returned as sent, checked for the things the
 * model cannot say (exactly one action, unique names and priorities, the
 * entities they reference, capacity); they are never evaluated against
 * traffic, except that the CloudFront edge honours a Block default action.
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html
 */

/** The most web ACL capacity units (WCUs) a web ACL may use without a quota increase. */
const MAX_CAPACITY = 5000;

/** The settings a web ACL is made of, stored as sent. */
export type WebAclBody = Pick<
  CreateWebACLRequest,
  | 'DefaultAction'
  | 'Rules'
  | 'VisibilityConfig'
  | 'DataProtectionConfig'
  | 'CustomResponseBodies'
  | 'CaptchaConfig'
  | 'ChallengeConfig'
  | 'TokenDomains'
  | 'AssociationConfig'
  | 'OnSourceDDoSProtectionConfig'
  | 'ApplicationConfig'
>;

/** Identifies a web ACL by name, scope and id, or (GetWebACL only) by ARN. */
export interface WebAclRef {
  Name?: string;
  Scope?: string;
  Id?: string;
  ARN?: string;
}

const EXACTLY_ONE = 'Your statement has multiple values set for a field that requires exactly one value.';
const NONE_SET = 'You have used none or multiple values for a field that requires exactly one value.';
/** WAF's words for an And/Or statement with fewer than two statements in it. */
const THRESHOLD =
  'You haven’t met a minimum requirement for a threshold setting. Examples include a rule group capacity setting that’s too low and an OR statement with only one nested statement.';

/**
 * The members set on a structure that must have exactly one (a statement, an
 * action). The wire layer keeps only the model's members, so the set keys are
 * the choices made.
 */
function chosen(v: object | undefined): string[] {
  return v ? Object.entries(v).filter(([, x]) => x !== undefined && x !== null).map(([k]) => k) : [];
}

interface RuleCheck {
  caller: Caller;
  place: Place;
}

/** The statement's capacity in WCUs: managed groups as AWS publishes them, other statements approximated. */
function statementCapacity(check: RuleCheck, statement: Statement | undefined, rule: string): number {
  const kinds = chosen(statement);
  if (kinds.length !== 1 || !statement) throw invalidParameter('STATEMENT', rule, kinds.length > 1 ? EXACTLY_ONE : NONE_SET);
  switch (kinds[0]) {
    case 'ManagedRuleGroupStatement': {
      const g = statement.ManagedRuleGroupStatement;
      const group = MANAGED_RULE_GROUPS.find((m) => m.Name === g?.Name);
      if (g?.VendorName !== 'AWS' || !group) throw nonexistent();
      return group.Capacity;
    }
    case 'IPSetReferenceStatement': {
      // The IP set must exist in the web ACL's own scope and region.
      const arn = statement.IPSetReferenceStatement?.ARN ?? '';
      if (!ipSetByArn(check.caller, check.place, arn)) throw nonexistent();
      return 1;
    }
    case 'RuleGroupReferenceStatement':
    case 'RegexPatternSetReferenceStatement':
      // Neither rule groups nor regex pattern sets can be made here yet, so none exists.
      throw nonexistent();
    case 'AndStatement':
    case 'OrStatement': {
      const kind = kinds[0];
      const parts = (kind === 'AndStatement' ? statement.AndStatement : statement.OrStatement)?.Statements ?? [];
      if (parts.length < 2) throw invalidParameter(kind === 'AndStatement' ? 'AND_STATEMENT' : 'OR_STATEMENT', kind, THRESHOLD);
      return parts.reduce((sum, s) => sum + statementCapacity(check, s, rule), 0);
    }
    case 'NotStatement':
      return statementCapacity(check, statement.NotStatement?.Statement, rule);
    case 'RateBasedStatement': {
      const down = statement.RateBasedStatement?.ScopeDownStatement;
      return 2 + (down ? statementCapacity(check, down, rule) : 0);
    }
    case 'SqliMatchStatement':
    case 'XssMatchStatement':
      return 20;
    case 'RegexMatchStatement':
      return 25;
    default:
      return 1;
  }
}

/** Checks the rules and returns the web ACL's capacity. */
function checkRules(check: RuleCheck, rules: readonly Rule[]): number {
  const names = new Set<string>();
  const priorities = new Set<number>();
  let capacity = 0;
  for (const r of rules) {
    const name = r.Name ?? '';
    if (names.has(name)) throw duplicate(`rule ${name}`);
    names.add(name);
    const priority = r.Priority ?? 0;
    if (priorities.has(priority)) throw invalidParameter('RULE', name, `Rule priorities must be unique; ${priority} is used twice.`);
    priorities.add(priority);
    capacity += statementCapacity(check, r.Statement, name);
    // A rule that runs a rule group says what to do with the group's own actions, not an action of its own.
    // https://docs.aws.amazon.com/waf/latest/APIReference/API_Rule.html#WAF-Type-Rule-OverrideAction
    const [kind] = chosen(r.Statement);
    if (kind === 'ManagedRuleGroupStatement' || kind === 'RuleGroupReferenceStatement') {
      if (r.Action !== undefined || chosen(r.OverrideAction).length !== 1) {
        throw invalidParameter('OVERRIDE_ACTION', name, 'A rule that uses a rule group needs exactly one OverrideAction (None or Count) and no Action.');
      }
    } else if (r.OverrideAction !== undefined || chosen(r.Action).length !== 1) {
      throw invalidParameter('RULE_ACTION', name, 'A rule needs exactly one Action (Allow, Block, Count, Captcha or Challenge) and no OverrideAction.');
    }
  }
  if (capacity > MAX_CAPACITY) throw limitsExceeded(`the rules need ${capacity} WCUs and a web ACL may use ${MAX_CAPACITY}`);
  return capacity;
}

/** The settings stored as the web ACL's body, checked, and their capacity. */
function bodyOf(check: RuleCheck, input: CreateWebACLRequest | UpdateWebACLRequest): { body: WebAclBody; capacity: number } {
  if (chosen(input.DefaultAction).length !== 1) throw invalidParameter('DEFAULT_ACTION', 'DefaultAction', NONE_SET);
  const capacity = checkRules(check, input.Rules ?? []);
  const body: WebAclBody = {
    DefaultAction: input.DefaultAction,
    Rules: input.Rules ?? [],
    VisibilityConfig: input.VisibilityConfig,
    DataProtectionConfig: input.DataProtectionConfig,
    CustomResponseBodies: input.CustomResponseBodies,
    CaptchaConfig: input.CaptchaConfig,
    ChallengeConfig: input.ChallengeConfig,
    TokenDomains: input.TokenDomains,
    AssociationConfig: input.AssociationConfig,
    OnSourceDDoSProtectionConfig: input.OnSourceDDoSProtectionConfig,
    ApplicationConfig: input.ApplicationConfig,
  };
  return { body, capacity };
}

function summary(row: WebAclRow): WebACLSummary {
  return { Name: row.name, Id: row.id, Description: row.description ?? undefined, LockToken: row.lock_token, ARN: row.arn };
}

/** The web ACL a Name/Scope/Id triple (or, for GetWebACL, an ARN) names, in the caller's region (us-east-1 for CLOUDFRONT). */
function requireWebAcl(caller: Caller, ref: WebAclRef): WebAclRow {
  if (ref.ARN !== undefined && ref.Name === undefined && ref.Id === undefined) {
    if (!parseEntityArn(ref.ARN)) throw invalidParameter('RESOURCE_ARN', ref.ARN, ARN_NOT_VALID);
    const row = caller.db.prepare('SELECT * FROM wafv2_web_acls WHERE arn = ? AND region = ?').get(ref.ARN, caller.region) as WebAclRow | undefined;
    if (!row) throw nonexistent();
    return row;
  }
  const place = placeOf(caller, ref.Scope);
  // Without an ARN, GetWebACL needs all three (the model cannot mark them required, since ARN replaces them).
  if (ref.Name === undefined || ref.Id === undefined) throw invalidParameter('WEB_ACL', 'null', 'The parameter is required.');
  const row = caller.db
    .prepare('SELECT * FROM wafv2_web_acls WHERE id = ? AND name = ? AND scope = ? AND region = ?')
    .get(ref.Id, ref.Name, place.scope, place.region) as WebAclRow | undefined;
  if (!row) throw nonexistent();
  return row;
}

export function createWebAcl(caller: Caller, input: CreateWebACLRequest): WebACLSummary {
  const place = placeOf(caller, input.Scope);
  const name = input.Name ?? '';
  const db = caller.db;
  return db
    .transaction(() => {
      const { body, capacity } = bodyOf({ caller, place }, input);
      if (db.prepare('SELECT 1 FROM wafv2_web_acls WHERE scope = ? AND region = ? AND name = ?').get(place.scope, place.region, name)) throw duplicate();
      const id = randomUUID();
      const row: WebAclRow = {
        id,
        name,
        scope: place.scope,
        region: place.region,
        arn: entityArn(caller, place, 'webacl', name, id),
        lock_token: randomUUID(),
        description: input.Description ?? null,
        body_json: toStored(body),
        capacity,
        created_at_ms: caller.now(),
      };
      db.prepare(
        `INSERT INTO wafv2_web_acls (id, name, scope, region, arn, lock_token, description, body_json, capacity, created_at_ms)
         VALUES (@id, @name, @scope, @region, @arn, @lock_token, @description, @body_json, @capacity, @created_at_ms)`,
      ).run(row);
      if (input.Tags?.length) putTags(caller, row.arn, input.Tags as Tag[]);
      return summary(row);
    })
    .immediate();
}

export function getWebAcl(caller: Caller, ref: WebAclRef): { WebACL: WebACL; LockToken: string } {
  const row = requireWebAcl(caller, ref);
  const body = fromStored<WebAclBody>(row.body_json);
  return {
    WebACL: {
      Name: row.name,
      Id: row.id,
      ARN: row.arn,
      ...body,
      Description: row.description ?? undefined,
      Capacity: row.capacity,
      ManagedByFirewallManager: false,
      // Labels that this web ACL's rules add are namespaced by account and name.
      // https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-label-requirements.html
      LabelNamespace: `awswaf:${caller.accountId}:webacl:${row.name}:`,
      RetrofittedByFirewallManager: false,
    },
    LockToken: row.lock_token,
  };
}

export function listWebAcls(caller: Caller, scope: string | undefined, limit?: number, marker?: string): { WebACLs: WebACLSummary[]; NextMarker?: string } {
  const place = placeOf(caller, scope);
  const rows = caller.db.prepare('SELECT * FROM wafv2_web_acls WHERE scope = ? AND region = ? ORDER BY name').all(place.scope, place.region) as WebAclRow[];
  const { items, next } = page(rows, (r) => r.name, limit, marker);
  return { WebACLs: items.map(summary), ...(next ? { NextMarker: next } : {}) };
}

/** Replaces every setting: what the request leaves out is cleared, as WAF does. */
export function updateWebAcl(caller: Caller, input: UpdateWebACLRequest): string {
  const db = caller.db;
  return db
    .transaction(() => {
      const row = requireWebAcl(caller, input);
      checkLockToken(input.LockToken, row.lock_token);
      const { body, capacity } = bodyOf({ caller, place: row }, input);
      const next = randomUUID();
      db.prepare('UPDATE wafv2_web_acls SET lock_token = ?, description = ?, body_json = ?, capacity = ? WHERE id = ?').run(
        next,
        input.Description ?? null,
        toStored(body),
        capacity,
        row.id,
      );
      return next;
    })
    .immediate();
}

/** A CloudFront distribution that names the web ACL in its WebACLId keeps it from being deleted. */
export function deleteWebAcl(caller: Caller, ref: WebAclRef & { LockToken?: string }): void {
  const db = caller.db;
  db.transaction(() => {
    const row = requireWebAcl(caller, ref);
    checkLockToken(ref.LockToken, row.lock_token);
    const users = row.scope === 'CLOUDFRONT' ? distributionsUsingWebAcl(db, row.arn) : [];
    if (users.length > 0) throw associated(`CloudFront distribution ${users.join(', ')}`);
    db.prepare('DELETE FROM wafv2_web_acls WHERE id = ?').run(row.id);
    dropTags(caller, row.arn);
  }).immediate();
}

/** The regional web ACL an ARN names, in the caller's region. */
export function regionalWebAclByArn(caller: Caller, arn: string): WebAclRow | undefined {
  return caller.db.prepare("SELECT * FROM wafv2_web_acls WHERE arn = ? AND scope = 'REGIONAL' AND region = ?").get(arn, caller.region) as WebAclRow | undefined;
}

export function listManagedRuleGroups(caller: Caller, scope: string | undefined, limit?: number, marker?: string) {
  placeOf(caller, scope);
  const { items, next } = page([...MANAGED_RULE_GROUPS], (g) => g.Name, limit, marker);
  return {
    ManagedRuleGroups: items.map((g) => ({ VendorName: 'AWS', Name: g.Name, VersioningSupported: true, Description: g.Description })),
    ...(next ? { NextMarker: next } : {}),
  };
}
