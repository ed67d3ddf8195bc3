/**
 * IAM policy evaluation for the emulator: pure functions, no database, no
 * HTTP. The console never imports this (it talks to AWS or the emulator
 * over the wire like any client).
 *
 * What it does
 * - parse.ts: reads policy documents (Version 2012-10-17 / 2008-10-17,
 *   Statement object or list, Effect, Action/NotAction, Resource/NotResource,
 *   Principal/NotPrincipal, Condition) and checks them as IAM does for
 *   identity, trust and resource policies, with IAM's MalformedPolicyDocument
 *   texts; keeps each statement's position for the simulator.
 * - match.ts: `*` / `?` wildcards, case-insensitive actions, case-sensitive
 *   resources (ARN parts matched one by one), policy variables with defaults
 *   and `${*}` `${?}` `${$}`, Principal and NotPrincipal matching (accounts,
 *   root ARNs, users, roles, role sessions through their role, unique ids,
 *   services, federated providers, canonical users, `*`).
 * - conditions.ts: every IAM condition operator (String, Numeric, Date,
 *   Bool, Binary, IpAddress for IPv4 and IPv6, Arn, Null), `…IfExists`,
 *   `ForAnyValue:` / `ForAllValues:`, keys ANDed, values ORed (negated
 *   operators: NOR), missing keys as the User Guide describes.
 * - evaluate.ts: the decision (explicit deny wins; same account: identity OR
 *   resource policy, with the User Guide's rules for resource policies naming
 *   users, sessions, roles or only the account; cross-account: both; trust
 *   and key policies must allow; permissions boundaries; service control
 *   policies level by level) and the statements that decided it.
 * - context.ts: the global condition keys of a request (aws:CurrentTime,
 *   aws:SecureTransport, aws:SourceIp, aws:PrincipalArn, aws:userid,
 *   aws:PrincipalTag/…, aws:RequestTag/…, aws:TagKeys…) per kind of caller.
 * - messages.ts: AWS's access-denied sentences, word for word.
 * - simulate.ts: SimulatePrincipalPolicy / SimulateCustomPolicy /
 *   GetContextKeysFor*Policy in the SDK's output shape.
 * - public.ts: S3 Block Public Access's "is this policy public".
 *
 * Known gaps
 * - Session policies (AssumeRole's Policy/PolicyArns) and their effect on
 *   resource-policy grants are not modelled.
 * - Resource control policies (RCPs) and VPC endpoint policies are not
 *   modelled; SCPs are (per level), without the organization's own keys
 *   (aws:PrincipalOrgID comes only from the context a caller passes).
 * - NotPrincipal follows the User Guide's layered reading (account, role,
 *   session must all be named for the caller to be left out); AWS's own
 *   behaviour here is described only loosely.
 * - The simulator does not fill context keys from the caller (aws:username
 *   and so on come only from ContextEntries) and does not treat a resource
 *   ARN's account as cross-account unless a ResourcePolicy is included.
 * - Services' own policy checks (S3's MalformedPolicy texts, ECR's) stay
 *   with each service; parse with `{ validate: false }` after them.
 * - Unique-id principals (AIDA…, AROA…) match only when the caller's
 *   `userId` is given.
 */

export { parseJsonWithPositions, type Position } from './json';
export {
  parsePolicy,
  splitOperator,
  MalformedPolicyError,
  MESSAGES,
  CONDITION_OPERATORS,
  type PolicyKind,
  type ParsedPolicy,
  type ParsedStatement,
  type ConditionEntry,
  type PrincipalSpec,
  type ParseOptions,
} from './parse';
export {
  actionMatches,
  resourceMatches,
  wildcardMatch,
  principalMatches,
  notPrincipalExcludes,
  callerFromArn,
  principalKind,
  splitArn,
  type Caller,
  type PrincipalMatch,
} from './match';
export { RequestContext, evaluateConditions, evaluateEntry, ipInCidr, parseDate, type ContextInput, type ContextValue } from './conditions';
export {
  authorize,
  type AuthorizationRequest,
  type AuthorizationResult,
  type Decision,
  type DenyReason,
  type LoadedPolicy,
  type MatchedStatement,
  type PolicySource,
  type PolicySourceType,
} from './evaluate';
export { globalContext, requestTagContext, resourceTagContext, type CallerFacts, type RequestFacts } from './context';
export { accessDeniedMessage, messageForResult, type AccessDeniedInput } from './messages';
export { simulatePolicies, contextKeysForPolicies, SimulationInputError, type SimulateInput, type SimulationPolicy } from './simulate';
export { isPublicPolicy } from './public';
