import type { Rule, Statement } from '@aws-sdk/client-wafv2';
import { fromStored, type Caller, type Place } from './common';

/**
 * Which web ACLs reference an entity (an IP set) from a rule statement,
 * however deeply nested: such an entity cannot be deleted.
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_DeleteIPSet.html
 */

/** Every statement in a rule's tree: the statement itself and those nested in And/Or/Not and rate-based scope-downs. */
export function* statementsIn(statement: Statement | undefined): Generator<Statement> {
  if (!statement) return;
  yield statement;
  for (const s of statement.AndStatement?.Statements ?? []) yield* statementsIn(s);
  for (const s of statement.OrStatement?.Statements ?? []) yield* statementsIn(s);
  yield* statementsIn(statement.NotStatement?.Statement);
  yield* statementsIn(statement.RateBasedStatement?.ScopeDownStatement);
  yield* statementsIn(statement.ManagedRuleGroupStatement?.ScopeDownStatement);
}

export function referencedArns(rules: readonly Rule[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const r of rules ?? []) {
    for (const s of statementsIn(r.Statement)) {
      const arn = s.IPSetReferenceStatement?.ARN ?? s.RegexPatternSetReferenceStatement?.ARN ?? s.RuleGroupReferenceStatement?.ARN;
      if (arn) out.add(arn);
    }
  }
  return out;
}

/** Names of the web ACLs in `place` whose rules reference `arn`. */
export function webAclsReferencing(caller: Caller, place: Place, arn: string): string[] {
  const rows = caller.db.prepare('SELECT name, body_json FROM wafv2_web_acls WHERE scope = ? AND region = ? ORDER BY name').all(place.scope, place.region) as {
    name: string;
    body_json: string;
  }[];
  return rows.filter((r) => referencedArns(fromStored<{ Rules?: Rule[] }>(r.body_json).Rules).has(arn)).map((r) => r.name);
}
