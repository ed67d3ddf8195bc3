import type { AssumeRoleCommandInput, AssumeRoleCommandOutput, Tag } from '@aws-sdk/client-sts';
import type Database from 'better-sqlite3';
import { AwsError } from '../../core/errors';
import {
  authorize,
  callerFromArn,
  globalContext,
  MalformedPolicyError,
  messageForResult,
  parsePolicy,
  type AuthorizationResult,
  type ContextInput,
  type LoadedPolicy,
} from '../../core/policy/index';
import type { Principal, RequestContext } from '../../core/types';
import { findRole, permissionsBoundary, principalPolicies, principalTags, type DirectoryRole } from '../iam/directory';
import { issueCredentials, type TemporaryCredentials } from './sessions';

/**
 * AssumeRole as STS does it.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html (role trust policies)
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html (source identity)
 */

export const validationError = (message: string) => new AwsError('ValidationError', message, 400);
export const accessDenied = (message: string) => new AwsError('AccessDenied', message, 403);

/** AWS's default session length for AssumeRole and AssumeRoleWithWebIdentity. */
const DEFAULT_DURATION_SECONDS = 3600;
/** A session that assumes another role (role chaining) gets at most an hour. */
const ROLE_CHAINING_LIMIT_SECONDS = 3600;

/** Checks DurationSeconds against the role (the model already bounds it to 900..43200). */
export function sessionDuration(role: DirectoryRole, requested: number | undefined, chained: boolean): number {
  const seconds = requested ?? DEFAULT_DURATION_SECONDS;
  if (chained && seconds > ROLE_CHAINING_LIMIT_SECONDS) {
    throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (seconds > role.maxSessionDuration) {
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  return seconds;
}

/** Loads the identity-based policies of a principal for evaluation, skipping any the engine cannot read. */
function loadIdentityPolicies(db: Database.Database, arn: string): LoadedPolicy[] {
  const out: LoadedPolicy[] = [];
  for (const p of principalPolicies(db, arn)) {
    try {
      out.push({ source: { id: p.source.name, type: p.source.kind.startsWith('role') ? 'role' : 'user' }, policy: parsePolicy(p.document, 'identity', { validate: false }) });
    } catch {
      // A stored document IAM accepted always parses; a broken one grants nothing.
    }
  }
  return out;
}

function loadBoundary(db: Database.Database, arn: string): LoadedPolicy | undefined {
  const b = permissionsBoundary(db, arn);
  if (!b) return undefined;
  try {
    return { source: { id: b.policyArn, type: 'user-managed' }, policy: parsePolicy(b.document, 'identity', { validate: false }) };
  } catch {
    return undefined;
  }
}

/**
 * Session policies: a JSON document and up to ten managed policy ARNs. They
 * are checked (a document IAM would refuse is MalformedPolicyDocument) and
 * stored with the session; see the README for what enforces them.
 */
export function checkSessionPolicy(policy: string | undefined): void {
  if (policy === undefined) return;
  try {
    parsePolicy(policy, 'identity');
  } catch (err) {
    if (err instanceof MalformedPolicyError) throw new AwsError('MalformedPolicyDocument', err.message, 400);
    throw err;
  }
}

/**
 * PackedPolicySize: the percentage of STS's packed-size limit that the
 * session policies and tags use. AWS's packing is a private compression;
 * this counts compact JSON bytes against 2,048, which is the same order of
 * magnitude and goes over 100 (PackedPolicyTooLarge) for comparable input.
 */
export function packedPolicySize(policy: string | undefined, policyArns: string[], tags: Record<string, string>): number | undefined {
  if (policy === undefined && policyArns.length === 0 && Object.keys(tags).length === 0) return undefined;
  let bytes = 0;
  if (policy !== undefined) {
    try {
      bytes += Buffer.byteLength(JSON.stringify(JSON.parse(policy)));
    } catch {
      bytes += Buffer.byteLength(policy);
    }
  }
  for (const a of policyArns) bytes += Buffer.byteLength(a);
  for (const [k, v] of Object.entries(tags)) bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  const pct = Math.ceil((bytes * 100) / 2048);
  if (pct > 100) {
    throw new AwsError('PackedPolicyTooLarge', `Packed size of consolidated session policies and tags exceeds limit (${pct}% of allowed).`, 400);
  }
  return pct;
}

/**
 * Session tags: the request's Tags, and (when chaining) the caller's
 * transitive tags, which pass on and may not be overridden.
 */
function sessionTags(input: AssumeRoleCommandInput, caller: Principal): { tags: Record<string, string>; transitive: string[]; requested: Record<string, string> } {
  const requested: Record<string, string> = {};
  const seen = new Set<string>();
  for (const t of (input.Tags ?? []) as Tag[]) {
    const key = t.Key ?? '';
    // Session tag keys are case-insensitive: two keys that differ only in case are one key.
    if (seen.has(key.toLowerCase())) throw validationError('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key.toLowerCase());
    requested[key] = t.Value ?? '';
  }
  const requestedLower = new Map(Object.keys(requested).map((k) => [k.toLowerCase(), k]));
  for (const k of input.TransitiveTagKeys ?? []) {
    if (!requestedLower.has(k.toLowerCase())) throw validationError('The specified transitive tag key must be included in the requested tags.');
  }
  const inherited: Record<string, string> = {};
  const inheritedKeys: string[] = [];
  for (const k of caller.session?.transitiveTagKeys ?? []) {
    const v = caller.session?.tags?.[k];
    if (v === undefined) continue;
    if (requestedLower.has(k.toLowerCase())) {
      throw validationError('One of the specified transitive tag keys can\'t be set because it conflicts with a transitive tag key from the calling session.');
    }
    inherited[k] = v;
    inheritedKeys.push(k);
  }
  const transitive = [...inheritedKeys, ...(input.TransitiveTagKeys ?? []).map((k) => requestedLower.get(k.toLowerCase()) ?? k)];
  return { tags: { ...inherited, ...requested }, transitive, requested };
}

/** The condition keys of an AssumeRole call (global keys of the caller, plus STS's own). */
function assumeRoleContext(ctx: RequestContext, caller: Principal, input: AssumeRoleCommandInput, requestedTags: Record<string, string>): ContextInput {
  const arn = caller.arn;
  const session = caller.session;
  const tags = { ...principalTags(ctx.env.db, arn), ...(session?.tags ?? {}) };
  const context = globalContext(
    {
      arn,
      uniqueId: session ? session.roleId : caller.userId,
      roleArn: session?.roleArn,
      sessionName: session?.sessionName,
      tags,
      sourceIdentity: session?.sourceIdentity,
      tokenIssueTime: caller.temporaryIssuedAt !== undefined ? new Date(caller.temporaryIssuedAt) : undefined,
    },
    {
      now: new Date(ctx.env.now()),
      secureTransport: false,
      sourceIp: ctx.req.socket.remoteAddress,
      region: ctx.region,
      requestTags: Object.keys(requestedTags).length ? requestedTags : undefined,
    },
  );
  context['sts:RoleSessionName'] = input.RoleSessionName;
  if (input.ExternalId !== undefined) context['sts:ExternalId'] = input.ExternalId;
  if (input.SourceIdentity !== undefined) context['sts:SourceIdentity'] = input.SourceIdentity;
  if (input.TransitiveTagKeys?.length) context['sts:TransitiveTagKeys'] = input.TransitiveTagKeys;
  return context;
}

/** Decides one STS action on the role for the caller: identity side (same account: or the trust policy alone) and the trust policy. */
function decide(ctx: RequestContext, caller: Principal, role: DirectoryRole, action: string, context: ContextInput, trust: LoadedPolicy): AuthorizationResult {
  const db = ctx.env.db;
  return authorize({
    caller: callerFromArn(caller.arn, { roleArn: caller.session?.roleArn, userId: caller.session ? undefined : caller.userId }),
    action,
    resource: role.arn,
    resourceAccount: ctx.env.accountId,
    context,
    identityPolicies: loadIdentityPolicies(db, caller.arn),
    permissionsBoundary: loadBoundary(db, caller.arn),
    resourcePolicy: trust,
    resourcePolicyMustAllow: true,
  });
}

/**
 * AWS's AssumeRole refusal is the bare sentence, naming no policy, whichever
 * side was missing ("User: … is not authorized to perform: sts:AssumeRole on
 * resource: …"); an explicit Deny adds where it was.
 */
function denial(result: AuthorizationResult, caller: Principal, action: string, roleArn: string): AwsError {
  const explicit = result.reason?.kind === 'explicit';
  const message = explicit
    ? (messageForResult(result, { principalArn: caller.arn, action, resource: roleArn }) ?? '')
    : `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${roleArn}`;
  return accessDenied(message);
}

interface SessionOutcome {
  credentials: TemporaryCredentials;
  assumedRoleId: string;
  arn: string;
  packedPolicySize?: number;
  sourceIdentity?: string;
}

/** Builds and stores a role session (shared by AssumeRole and AssumeRoleWithWebIdentity). */
export function startRoleSession(
  ctx: RequestContext,
  role: DirectoryRole,
  session: {
    sessionName: string;
    durationSeconds: number;
    sourceIdentity?: string;
    tags?: Record<string, string>;
    transitiveTagKeys?: string[];
    policy?: string;
    policyArns?: string[];
    federatedProvider?: string;
    packedPolicySize?: number;
  },
): SessionOutcome {
  const env = ctx.env;
  const arn = `arn:aws:sts::${env.accountId}:assumed-role/${role.roleName}/${session.sessionName}`;
  const assumedRoleId = `${role.roleId}:${session.sessionName}`;
  const issuedAt = env.now();
  const principal: Omit<Principal, 'accessKeyId'> = {
    // IAM's API reads `userName` for "the calling user"; a role session has none, so the session name stands in.
    userName: session.sessionName,
    userId: assumedRoleId,
    arn,
    accountId: env.accountId,
    session: {
      roleArn: role.arn,
      roleId: role.roleId,
      sessionName: session.sessionName,
      issuedAt,
      ...(session.sourceIdentity !== undefined ? { sourceIdentity: session.sourceIdentity } : {}),
      ...(session.tags && Object.keys(session.tags).length ? { tags: session.tags } : {}),
      ...(session.transitiveTagKeys?.length ? { transitiveTagKeys: session.transitiveTagKeys } : {}),
      ...(session.policy !== undefined || session.policyArns?.length
        ? { sessionPolicy: { ...(session.policy !== undefined ? { document: session.policy } : {}), policyArns: session.policyArns ?? [] } }
        : {}),
      ...(session.federatedProvider ? { federatedProvider: session.federatedProvider } : {}),
    },
  };
  const credentials = issueCredentials(env.db, principal, issuedAt, session.durationSeconds);
  return {
    credentials,
    assumedRoleId,
    arn,
    ...(session.packedPolicySize !== undefined ? { packedPolicySize: session.packedPolicySize } : {}),
    ...(session.sourceIdentity !== undefined ? { sourceIdentity: session.sourceIdentity } : {}),
  };
}

/** The Credentials structure of STS's answers. */
export function credentialsOutput(c: TemporaryCredentials) {
  return { AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken, Expiration: new Date(c.expiresAt) };
}

export function assumeRole(input: AssumeRoleCommandInput, ctx: RequestContext): Omit<AssumeRoleCommandOutput, '$metadata'> {
  const caller = ctx.principal;
  // The server refuses unsigned calls before this point; the check keeps the types honest.
  if (!caller) throw accessDenied('Unsigned requests may not call AssumeRole.');
  const roleArn = input.RoleArn!;
  const sessionName = input.RoleSessionName!;
  const action = 'sts:AssumeRole';

  // A role that does not exist is refused with the same sentence as one that
  // does not trust the caller: STS does not tell callers which roles exist.
  const role = findRole(ctx.env.db, roleArn);
  if (!role) throw accessDenied(`User: ${caller.arn} is not authorized to perform: ${action} on resource: ${roleArn}`);

  if (input.SerialNumber !== undefined || input.TokenCode !== undefined) {
    // MFA devices are not emulated, so no code can be right.
    throw accessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code. ');
  }
  checkSessionPolicy(input.Policy);
  const policyArns = (input.PolicyArns ?? []).map((p) => p.arn ?? '');
  const { tags, transitive, requested } = sessionTags(input, caller);

  // Source identity is set once and then kept: a chained session may repeat it, not change it.
  const inheritedSource = caller.session?.sourceIdentity;
  if (inheritedSource !== undefined && input.SourceIdentity !== undefined && input.SourceIdentity !== inheritedSource) {
    throw accessDenied(`User: ${caller.arn} is not authorized to perform: sts:SetSourceIdentity on resource: ${role.arn}`);
  }
  const sourceIdentity = inheritedSource ?? input.SourceIdentity;

  let trust: LoadedPolicy;
  try {
    trust = { source: { id: 'AssumeRolePolicyDocument', type: 'resource' }, policy: parsePolicy(role.trustPolicy, 'trust', { validate: false }) };
  } catch {
    throw accessDenied(`User: ${caller.arn} is not authorized to perform: ${action} on resource: ${role.arn}`);
  }
  const context = assumeRoleContext(ctx, caller, input, requested);

  // The caller needs each of these on the role: sts:AssumeRole always,
  // sts:TagSession with session tags, sts:SetSourceIdentity with a source identity.
  const actions = [action];
  if (Object.keys(requested).length || input.TransitiveTagKeys?.length) actions.push('sts:TagSession');
  if (input.SourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  for (const a of actions) {
    const result = decide(ctx, caller, role, a, context, trust);
    if (result.decision !== 'allowed') throw denial(result, caller, a, role.arn);
  }

  // Role chaining: a role session assuming a role (GetSessionToken's credentials are the user's, not a chain).
  const chained = caller.session !== undefined;
  const durationSeconds = sessionDuration(role, input.DurationSeconds, chained);
  const packed = packedPolicySize(input.Policy, policyArns, requested);

  const out = startRoleSession(ctx, role, {
    sessionName,
    durationSeconds,
    sourceIdentity,
    tags,
    transitiveTagKeys: transitive,
    policy: input.Policy,
    policyArns,
    packedPolicySize: packed,
  });
  return {
    Credentials: credentialsOutput(out.credentials),
    AssumedRoleUser: { AssumedRoleId: out.assumedRoleId, Arn: out.arn },
    ...(out.packedPolicySize !== undefined ? { PackedPolicySize: out.packedPolicySize } : {}),
    ...(out.sourceIdentity !== undefined ? { SourceIdentity: out.sourceIdentity } : {}),
  };
}
