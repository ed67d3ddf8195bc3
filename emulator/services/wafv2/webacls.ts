import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors';
import type { Reply, RequestContext } from '../../core/types';
import { distributionsUsingWebAcl } from '../cloudfront/store';
import { MANAGED_RULE_GROUPS } from './managed';
import type { WebAclRow } from './store';

/**
 * WAFv2 web ACLs (JSON 1.1, AWSWAF_20190729). Rules are stored and returned
 * as sent, checked for shape, priority and capacity; they are never evaluated
 * against traffic.
 */

type Input = Record<string, unknown>;
type Scope = 'CLOUDFRONT' | 'REGIONAL';

const NAME = /^[\w-]{1,128}$/;
const DESCRIPTION = /^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$/;
const METRIC = /^[\w#:.\-/]{1,255}$/;
const UUID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/;
/** The most web ACL capacity units (WCUs) a web ACL may use. */
const MAX_CAPACITY = 5000;
const STATEMENTS = [
  'ByteMatchStatement', 'SqliMatchStatement', 'XssMatchStatement', 'SizeConstraintStatement', 'GeoMatchStatement',
  'RuleGroupReferenceStatement', 'IPSetReferenceStatement', 'RegexPatternSetReferenceStatement', 'RateBasedStatement',
  'AndStatement', 'OrStatement', 'NotStatement', 'ManagedRuleGroupStatement', 'LabelMatchStatement', 'RegexMatchStatement',
  'AsnMatchStatement',
];

/** WAF's parameter error: its message names the reason, the field and the value. */
export function invalidParameter(field: string, parameter: string, reason: string): AwsError {
  return new AwsError('WAFInvalidParameterException', `Error reason: ${reason}, field: ${field}, parameter: ${parameter}`, 400, {
    fields: { Field: field, Parameter: parameter, Reason: reason },
  });
}

function nonexistent(): AwsError {
  return new AwsError('WAFNonexistentItemException', 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.', 400);
}

function isObj(v: unknown): v is Input {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function reqString(input: Input, key: string, field: string): string {
  const v = input[key];
  if (typeof v !== 'string' || v === '') throw invalidParameter(field, String(v ?? 'null'), `The parameter ${key} is required.`);
  return v;
}

/** Scope is CLOUDFRONT or REGIONAL, and CLOUDFRONT only in us-east-1, where CloudFront's web ACLs live. */
function scopeOf(ctx: RequestContext): Scope {
  const s = ctx.input.Scope;
  if (s !== 'CLOUDFRONT' && s !== 'REGIONAL') throw invalidParameter('SCOPE_VALUE', String(s ?? 'null'), 'The scope is not valid.');
  if (s === 'CLOUDFRONT' && ctx.region !== 'us-east-1') throw invalidParameter('SCOPE_VALUE', 'CLOUDFRONT', 'The scope is not valid.');
  return s;
}

function nameOf(input: Input): string {
  const name = reqString(input, 'Name', 'WEB_ACL');
  if (!NAME.test(name)) throw invalidParameter('WEB_ACL', name, 'The parameter contains formatting that is not valid.');
  return name;
}

function checkDescription(input: Input): string | null {
  const d = input.Description;
  if (d === undefined || d === null) return null;
  if (typeof d !== 'string' || d.length < 1 || d.length > 256 || !DESCRIPTION.test(d)) {
    throw invalidParameter('WEB_ACL', String(d), 'The parameter contains formatting that is not valid.');
  }
  return d;
}

function checkVisibility(v: unknown, where: string): void {
  if (!isObj(v)) throw invalidParameter('METRIC_NAME', where, 'A VisibilityConfig is required.');
  if (typeof v.SampledRequestsEnabled !== 'boolean' || typeof v.CloudWatchMetricsEnabled !== 'boolean') {
    throw invalidParameter('METRIC_NAME', where, 'SampledRequestsEnabled and CloudWatchMetricsEnabled are required booleans.');
  }
  if (typeof v.MetricName !== 'string' || !METRIC.test(v.MetricName)) {
    throw invalidParameter('METRIC_NAME', String(v.MetricName ?? 'null'), 'The parameter contains formatting that is not valid.');
  }
}

/** Exactly one of `keys` is set on `v`. */
function exactlyOne(v: unknown, keys: readonly string[]): string | undefined {
  if (!isObj(v)) return undefined;
  const set = Object.keys(v).filter((k) => keys.includes(k) && v[k] !== undefined && v[k] !== null);
  return set.length === 1 ? set[0] : undefined;
}

/** The statement's capacity in WCUs: managed groups as AWS publishes them, other statements approximated. */
function statementCapacity(statement: unknown, where: string): number {
  const kind = exactlyOne(statement, STATEMENTS);
  if (!kind) {
    throw invalidParameter('STATEMENT', where, 'You have used none or multiple values for a field that requires exactly one value.');
  }
  const body = (statement as Input)[kind];
  if (!isObj(body)) throw invalidParameter('STATEMENT', where, `${kind} must be an object.`);
  switch (kind) {
    case 'ManagedRuleGroupStatement': {
      const group = MANAGED_RULE_GROUPS.find((g) => g.Name === body.Name);
      if (body.VendorName !== 'AWS' || !group) throw nonexistent();
      return group.Capacity;
    }
    case 'AndStatement':
    case 'OrStatement': {
      const parts = body.Statements;
      if (!Array.isArray(parts) || parts.length < 2) throw invalidParameter('STATEMENT', where, `${kind} needs at least two statements.`);
      return parts.reduce<number>((sum, s, i) => sum + statementCapacity(s, `${where}.${kind}[${i}]`), 0);
    }
    case 'NotStatement':
      return statementCapacity(body.Statement, `${where}.NotStatement`);
    case 'RateBasedStatement':
      return 2 + (body.ScopeDownStatement === undefined ? 0 : statementCapacity(body.ScopeDownStatement, `${where}.ScopeDownStatement`));
    case 'SqliMatchStatement':
    case 'XssMatchStatement':
      return 20;
    case 'RegexMatchStatement':
    case 'RegexPatternSetReferenceStatement':
      return 25;
    default:
      return 1;
  }
}

/** Checks the rules and returns the web ACL's capacity. */
function checkRules(rules: unknown): number {
  if (rules === undefined || rules === null) return 0;
  if (!Array.isArray(rules)) throw invalidParameter('RULE', 'Rules', 'Rules must be a list.');
  const names = new Set<string>();
  const priorities = new Set<number>();
  let capacity = 0;
  rules.forEach((r: unknown, i) => {
    if (!isObj(r)) throw invalidParameter('RULE', `Rules[${i}]`, 'A rule must be an object.');
    const name = r.Name;
    if (typeof name !== 'string' || !NAME.test(name)) throw invalidParameter('RULE', String(name ?? 'null'), 'The parameter contains formatting that is not valid.');
    if (names.has(name)) throw new AwsError('WAFDuplicateItemException', `AWS WAF couldn’t perform the operation because some resource in your request is a duplicate of an existing one: rule ${name}.`, 400);
    names.add(name);
    const priority = r.Priority;
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0) {
      throw invalidParameter('RULE', name, 'The rule priority must be a whole number of 0 or more.');
    }
    if (priorities.has(priority)) throw invalidParameter('RULE', name, `Rule priorities must be unique; ${priority} is used twice.`);
    priorities.add(priority);
    checkVisibility(r.VisibilityConfig, name);
    capacity += statementCapacity(r.Statement, name);
    const usesGroup = exactlyOne(r.Statement, STATEMENTS) === 'ManagedRuleGroupStatement' || exactlyOne(r.Statement, STATEMENTS) === 'RuleGroupReferenceStatement';
    if (usesGroup) {
      if (r.Action !== undefined || !exactlyOne(r.OverrideAction, ['Count', 'None'])) {
        throw invalidParameter('OVERRIDE_ACTION', name, 'A rule that uses a rule group needs exactly one OverrideAction (None or Count) and no Action.');
      }
    } else if (r.OverrideAction !== undefined || !exactlyOne(r.Action, ['Block', 'Allow', 'Count', 'Captcha', 'Challenge'])) {
      throw invalidParameter('RULE_ACTION', name, 'A rule needs exactly one Action (Allow, Block, Count, Captcha or Challenge) and no OverrideAction.');
    }
  });
  if (capacity > MAX_CAPACITY) {
    throw new AwsError(
      'WAFLimitsExceededException',
      `AWS WAF couldn’t perform the operation because you exceeded your resource limit: the rules need ${capacity} WCUs and a web ACL may use ${MAX_CAPACITY}.`,
      400,
    );
  }
  return capacity;
}

/** The settings stored as the web ACL's body. */
function bodyOf(input: Input): { body: Input; capacity: number } {
  if (!exactlyOne(input.DefaultAction, ['Allow', 'Block'])) {
    throw invalidParameter('DEFAULT_ACTION', 'DefaultAction', 'You have used none or multiple values for a field that requires exactly one value.');
  }
  checkVisibility(input.VisibilityConfig, 'VisibilityConfig');
  const capacity = checkRules(input.Rules);
  const body: Input = { DefaultAction: input.DefaultAction, Rules: input.Rules ?? [], VisibilityConfig: input.VisibilityConfig };
  for (const k of ['CustomResponseBodies', 'CaptchaConfig', 'ChallengeConfig', 'TokenDomains', 'AssociationConfig', 'DataProtectionConfig', 'OnSourceDDoSProtectionConfig', 'ApplicationConfig']) {
    if (input[k] !== undefined) body[k] = input[k];
  }
  return { body, capacity };
}

function arnFor(ctx: RequestContext, scope: Scope, name: string, id: string): string {
  return scope === 'CLOUDFRONT'
    ? `arn:aws:wafv2:us-east-1:${ctx.env.accountId}:global/webacl/${name}/${id}`
    : `arn:aws:wafv2:${ctx.region}:${ctx.env.accountId}:regional/webacl/${name}/${id}`;
}

function regionFor(ctx: RequestContext, scope: Scope): string {
  return scope === 'CLOUDFRONT' ? 'us-east-1' : ctx.region;
}

/** The ARN an access-denied message names, from the request. */
export function webAclResource(ctx: RequestContext): string {
  const { Name: name, Id: id, Scope: scope } = ctx.input;
  if (typeof name !== 'string' || (scope !== 'CLOUDFRONT' && scope !== 'REGIONAL')) return '*';
  return arnFor(ctx, scope, name, typeof id === 'string' ? id : '*');
}

function summary(row: WebAclRow): Input {
  return { Name: row.name, Id: row.id, Description: row.description ?? undefined, LockToken: row.lock_token, ARN: row.arn };
}

/** Finds the web ACL a Name/Scope/Id triple names, in the caller's region (us-east-1 for CLOUDFRONT). */
function requireWebAcl(ctx: RequestContext): WebAclRow {
  const scope = scopeOf(ctx);
  const name = nameOf(ctx.input);
  const id = reqString(ctx.input, 'Id', 'WEB_ACL');
  if (!UUID.test(id)) throw invalidParameter('WEB_ACL', id, 'The parameter contains formatting that is not valid.');
  const row = ctx.env.db
    .prepare('SELECT * FROM wafv2_web_acls WHERE id = ? AND name = ? AND scope = ? AND region = ?')
    .get(id, name, scope, regionFor(ctx, scope)) as WebAclRow | undefined;
  if (!row) throw nonexistent();
  return row;
}

function checkLockToken(ctx: RequestContext, row: WebAclRow): void {
  const token = reqString(ctx.input, 'LockToken', 'WEB_ACL');
  if (token !== row.lock_token) {
    throw new AwsError(
      'WAFOptimisticLockException',
      'AWS WAF couldn’t save your changes because someone changed the resource after you started to edit it. Reapply your changes.',
      400,
    );
  }
}

function checkTags(tags: unknown): { Key: string; Value: string }[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags) || tags.length === 0 || tags.length > 50) throw invalidParameter('TAGS', 'Tags', 'Give between 1 and 50 tags.');
  return tags.map((t: unknown) => {
    if (!isObj(t) || typeof t.Key !== 'string' || typeof t.Value !== 'string' || t.Key.length < 1 || t.Key.length > 128 || t.Value.length > 256) {
      throw invalidParameter('TAGS', JSON.stringify(t), 'A tag needs a Key of 1 to 128 characters and a Value of at most 256.');
    }
    return { Key: t.Key, Value: t.Value };
  });
}

export function createWebAclHandler(ctx: RequestContext): Reply {
  const scope = scopeOf(ctx);
  const name = nameOf(ctx.input);
  const description = checkDescription(ctx.input);
  const { body, capacity } = bodyOf(ctx.input);
  const tags = checkTags(ctx.input.Tags);
  const db = ctx.env.db;
  const region = regionFor(ctx, scope);
  const row = db
    .transaction(() => {
      const dup = db.prepare('SELECT 1 FROM wafv2_web_acls WHERE scope = ? AND region = ? AND name = ?').get(scope, region, name);
      if (dup) {
        throw new AwsError(
          'WAFDuplicateItemException',
          'AWS WAF couldn’t perform the operation because some resource in your request is a duplicate of an existing one.',
          400,
        );
      }
      const id = randomUUID();
      const r: WebAclRow = {
        id,
        name,
        scope,
        region,
        arn: arnFor(ctx, scope, name, id),
        lock_token: randomUUID(),
        description,
        body_json: JSON.stringify(body),
        capacity,
        tags_json: JSON.stringify(tags),
        created_at_ms: ctx.env.now(),
      };
      db.prepare(
        `INSERT INTO wafv2_web_acls (id, name, scope, region, arn, lock_token, description, body_json, capacity, tags_json, created_at_ms)
         VALUES (@id, @name, @scope, @region, @arn, @lock_token, @description, @body_json, @capacity, @tags_json, @created_at_ms)`,
      ).run(r);
      return r;
    })
    .immediate();
  return { json: { Summary: summary(row) } };
}

export function getWebAclHandler(ctx: RequestContext): Reply {
  const row = requireWebAcl(ctx);
  const body = JSON.parse(row.body_json) as Input;
  return {
    json: {
      WebACL: {
        Name: row.name,
        Id: row.id,
        ARN: row.arn,
        ...body,
        Description: row.description ?? undefined,
        Capacity: row.capacity,
        ManagedByFirewallManager: false,
        LabelNamespace: `awswaf:${ctx.env.accountId}:webacl:${row.name}:`,
        RetrofittedByFirewallManager: false,
      },
      LockToken: row.lock_token,
    },
  };
}

/** Limit 1..100 (default 100) and an opaque NextMarker, returned only while more remain. */
function listPage<T>(ctx: RequestContext, all: T[], keyOf: (t: T) => string): { page: T[]; next?: string } {
  const rawLimit = ctx.input.Limit;
  if (rawLimit !== undefined && (typeof rawLimit !== 'number' || !Number.isInteger(rawLimit) || rawLimit < 1 || rawLimit > 100)) {
    throw invalidParameter('ENTITY_LIMIT', String(rawLimit), 'The limit must be between 1 and 100.');
  }
  const limit = typeof rawLimit === 'number' ? rawLimit : 100;
  const marker = ctx.input.NextMarker;
  const start = typeof marker === 'string' && marker !== '' ? all.findIndex((t) => keyOf(t) > marker) : 0;
  const from = start < 0 ? all.length : start;
  const page = all.slice(from, from + limit);
  const last = page.at(-1);
  return { page, next: from + limit < all.length && last ? keyOf(last) : undefined };
}

export function listWebAclsHandler(ctx: RequestContext): Reply {
  const scope = scopeOf(ctx);
  const rows = ctx.env.db
    .prepare('SELECT * FROM wafv2_web_acls WHERE scope = ? AND region = ? ORDER BY name')
    .all(scope, regionFor(ctx, scope)) as WebAclRow[];
  const { page, next } = listPage(ctx, rows, (r) => r.name);
  return { json: { WebACLs: page.map(summary), ...(next ? { NextMarker: next } : {}) } };
}

export function updateWebAclHandler(ctx: RequestContext): Reply {
  const db = ctx.env.db;
  const token = db
    .transaction(() => {
      const row = requireWebAcl(ctx);
      checkLockToken(ctx, row);
      const description = checkDescription(ctx.input);
      const { body, capacity } = bodyOf(ctx.input);
      const next = randomUUID();
      db.prepare('UPDATE wafv2_web_acls SET lock_token = ?, description = ?, body_json = ?, capacity = ? WHERE id = ?').run(
        next,
        description,
        JSON.stringify(body),
        capacity,
        row.id,
      );
      return next;
    })
    .immediate();
  return { json: { NextLockToken: token } };
}

export function deleteWebAclHandler(ctx: RequestContext): Reply {
  const db = ctx.env.db;
  db.transaction(() => {
    const row = requireWebAcl(ctx);
    checkLockToken(ctx, row);
    // A CloudFront distribution names its web ACL in its config (WebACLId).
    const users = row.scope === 'CLOUDFRONT' ? distributionsUsingWebAcl(db, row.arn) : [];
    if (users.length > 0) {
      throw new AwsError(
        'WAFAssociatedItemException',
        `AWS WAF couldn’t perform the operation because your resource is being used by another resource or it’s associated with another resource: CloudFront distribution ${users.join(', ')}.`,
        400,
      );
    }
    db.prepare('DELETE FROM wafv2_web_acls WHERE id = ?').run(row.id);
  }).immediate();
  return { json: {} };
}

export function listAvailableManagedRuleGroupsHandler(ctx: RequestContext): Reply {
  scopeOf(ctx);
  const { page, next } = listPage(ctx, [...MANAGED_RULE_GROUPS], (g) => g.Name);
  return {
    json: {
      ManagedRuleGroups: page.map((g) => ({ VendorName: 'AWS', Name: g.Name, VersioningSupported: true, Description: g.Description })),
      ...(next ? { NextMarker: next } : {}),
    },
  };
}
