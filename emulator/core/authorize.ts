import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import {
  authorize,
  callerFromArn,
  globalContext,
  isPublicPolicy,
  messageForResult,
  parsePolicy,
  type AuthorizationResult,
  type Caller,
  type ContextInput,
  type LoadedPolicy,
  type ParsedPolicy,
  type PolicyKind,
} from './policy';
import { RequestContext as PolicyContext } from './policy/conditions';
import type { EmulatorEnv, Principal, RequestContext, ServiceDefinition } from './types';

/**
 * Request authorization for every emulated service, as AWS's IAM decides it:
 * the caller's identity-based policies (its own, its groups', or its role's),
 * its permissions boundary, and the resource's own policies (an ECR
 * repository policy with the registry policy, an ECR Public repository
 * policy, an S3 bucket policy with the ACL grants that count, under Block
 * Public Access) and condition keys (its tags),
 * evaluated by the policy engine in ./policy. Same account only, as the
 * emulator has one: an Allow in the identity policies (within the boundary)
 * or in the resource policy suffices, an explicit Deny anywhere wins.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *
 * The server calls `authorizeOperation` at its "Authorise" step; the Docker
 * registries call `authorizeAction` for the ECR actions a push or pull stands
 * for.
 */

/** One permission a request needs: most need one, a few several (S3 GetObjectAttributes, DeleteObjects). */
export interface AccessCheck {
  /** e.g. `ecr:PutImage`, `s3:ListBucket`. */
  action: string;
  /** The resource ARN, or `*` for actions with no resource type (ecr:GetAuthorizationToken, s3:ListAllMyBuckets). */
  resource: string;
  /** Service condition keys of the request (s3:prefix, s3:delimiter…). */
  context?: ContextInput;
}

/** A resource's own policy, as its service keeps it. */
export interface ResourcePolicy {
  /** The policy document; absent when only ACL grants apply. */
  document?: string;
  /**
   * Further resource-based documents weighed with it as one resource policy:
   * S3's ACL grants that count, written as Allow statements for AllUsers and
   * AuthenticatedUsers; ECR's registry policy. Never judged by
   * RestrictPublicBuckets, which is about the bucket policy (IgnorePublicAcls
   * has already left out the grants it should).
   */
  additional?: string[];
  /**
   * S3 Block Public Access's RestrictPublicBuckets: while the policy is
   * public, only principals of the bucket's account (and AWS services) get
   * anything from it; anonymous callers get nothing.
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-options
   */
  restrictPublic?: boolean;
}

/** What authorization needs of a service: its signing name (for S3's wording), its resource policies and resource tags. */
export type AuthorizingService = Pick<ServiceDefinition, 'signingName' | 'resourcePolicy' | 'resourceContext'>;

/** The engine's result, and whether a session policy (not the permissions boundary) refused it. */
export type Decided = AuthorizationResult & { sessionPolicyDenied?: boolean };

/** What a denial looks like to the caller. */
export interface Denial {
  result: AuthorizationResult;
  check: AccessCheck;
  /** AWS's sentence; undefined for an anonymous caller (each service says "Access Denied" its own way). */
  message?: string;
}

/** Parsed documents by kind and text: the same few policies are evaluated on every request. */
const parsedCache = new Map<string, ParsedPolicy>();
const PARSED_CACHE_LIMIT = 1000;

export function parsedPolicy(text: string, kind: PolicyKind): ParsedPolicy {
  const key = `${kind}\u0000${text}`;
  let hit = parsedCache.get(key);
  if (!hit) {
    // Stored documents were checked when they were written (IAM's or the
    // service's own rules); only their shape matters here.
    hit = parsePolicy(text, kind, { validate: false });
    if (parsedCache.size >= PARSED_CACHE_LIMIT) parsedCache.clear();
    parsedCache.set(key, hit);
  }
  return hit;
}

/**
 * The caller's identity policies as the engine takes them, once per request.
 * They come from the service that keeps identities (IAM's `identitySource`,
 * through `env.identityOf`), which caches them until IAM changes.
 */
function loadIdentity(
  env: EmulatorEnv,
  principal: Principal,
): { policies: LoadedPolicy[]; boundary?: LoadedPolicy; tags: Record<string, string>; sessionPolicy?: LoadedPolicy } {
  const id = env.identityOf(principal.arn);
  const policies = id.policies.map((p) => ({ source: p.source, policy: parsedPolicy(p.document, 'identity') }));
  const b = id.boundary;
  const boundary = b ? { source: { id: b.policyArn, type: 'user-managed' as const }, policy: parsedPolicy(b.document, 'identity') } : undefined;
  // Session tags override the role's tags of the same key (aws:PrincipalTag).
  const tags = { ...id.tags, ...(principal.session?.tags ?? {}) };
  return { policies, boundary, tags, sessionPolicy: sessionPolicyOf(env, principal) };
}

/**
 * The session policies given to AssumeRole (Policy and PolicyArns) as one
 * document: they cap what the role's policies give the session, the way a
 * permissions boundary does (resource policies naming the session itself
 * are not limited). Undefined for callers without session policies.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
 */
function sessionPolicyOf(env: EmulatorEnv, principal: Principal): LoadedPolicy | undefined {
  const sp = principal.session?.sessionPolicy;
  if (!sp || (sp.document === undefined && sp.policyArns.length === 0)) return undefined;
  const docs = [
    ...(sp.document !== undefined ? [sp.document] : []),
    ...sp.policyArns.map((arn) => env.managedPolicyDocument(arn)).filter((d): d is string => d !== undefined),
  ];
  const parsed = docs.map((d) => parsedPolicy(d, 'identity'));
  // One policy of every statement: an Allow in any session policy counts, as for a set of boundaries' union.
  const policy: ParsedPolicy = { version: '2012-10-17', statements: parsed.flatMap((p) => p.statements) };
  if (parsed.some((p) => p.version !== '2012-10-17')) policy.version = parsed.find((p) => p.version !== '2012-10-17')?.version;
  return { source: { id: 'SessionPolicy', type: 'none' }, policy };
}

/** The address a request came from, IPv4-mapped IPv6 written as IPv4 (as aws:SourceIp reads). */
export function sourceIpOf(req: IncomingMessage | undefined): string | undefined {
  const ip = req?.socket?.remoteAddress;
  if (!ip) return undefined;
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice('::ffff:'.length) : ip;
}

export interface AuthorizerOptions {
  env: EmulatorEnv;
  /** null for an unsigned request. */
  principal: Principal | null;
  req?: IncomingMessage;
  region: string;
}

/**
 * Decides the checks of one request. Built once per request: the caller's
 * policies and global condition keys are gathered on first use and reused by
 * every check the request makes.
 */
export class Authorizer {
  private identity?: ReturnType<typeof loadIdentity>;
  private global?: ContextInput;
  private readonly caller: Caller;

  constructor(private readonly opts: AuthorizerOptions) {
    const p = opts.principal;
    this.caller = p ? callerFromArn(p.arn, { roleArn: p.session?.roleArn, userId: p.session?.roleId ?? p.userId }) : { type: 'anonymous' };
  }

  private identityOf(principal: Principal) {
    return (this.identity ??= loadIdentity(this.opts.env, principal));
  }

  private globalKeys(): ContextInput {
    if (this.global) return this.global;
    const { env, principal, req, region } = this.opts;
    const s = principal?.session;
    this.global = globalContext(
      principal
        ? {
            arn: principal.arn,
            uniqueId: s?.roleId ?? principal.userId,
            roleArn: s?.roleArn,
            sessionName: s?.sessionName,
            tags: this.identityOf(principal).tags,
            sourceIdentity: s?.sourceIdentity,
            tokenIssueTime: (s?.issuedAt ?? principal.temporaryIssuedAt) !== undefined ? new Date(s?.issuedAt ?? principal.temporaryIssuedAt!) : undefined,
          }
        : {},
      {
        now: new Date(env.now()),
        // The emulator listens on plain HTTP; a TLS front would make this true.
        secureTransport: (req?.socket as TLSSocket | undefined)?.encrypted === true,
        sourceIp: sourceIpOf(req),
        region,
      },
    );
    // A web identity session's provider (aws:FederatedProvider), which globalContext does not know of.
    if (s?.federatedProvider) this.global['aws:FederatedProvider'] = s.federatedProvider;
    return this.global;
  }

  /** The engine's decision for one check against `resourcePolicy` (if the resource has one). */
  decide(check: AccessCheck, resourcePolicy?: ResourcePolicy): Decided {
    const principal = this.opts.principal;
    const context = new PolicyContext({ ...this.globalKeys(), ...(check.context ?? {}) });
    let resource: LoadedPolicy | undefined;
    const own = resourcePolicy?.document !== undefined ? parsedPolicy(resourcePolicy.document, 'resource') : undefined;
    if (resourcePolicy) {
      const more = (resourcePolicy.additional ?? []).map((d) => parsedPolicy(d, 'resource'));
      const policy: ParsedPolicy = more.length
        ? { version: own?.version ?? more[0]!.version, statements: [...(own?.statements ?? []), ...more.flatMap((p) => p.statements)] }
        : (own ?? { version: '2012-10-17', statements: [] });
      resource = { source: { id: 'ResourcePolicy', type: 'resource' }, policy };
    }
    const identity = principal ? this.identityOf(principal) : undefined;
    const result = authorize({
      caller: this.caller,
      action: check.action,
      resource: check.resource,
      context,
      identityPolicies: identity?.policies,
      permissionsBoundary: identity?.boundary,
      resourcePolicy: resource,
    });
    // Session policies cap the session as a boundary would: a second decision with
    // them in the boundary's place must allow too, and its refusal names them.
    if (identity?.sessionPolicy && result.decision !== 'explicitDeny') {
      const capped = authorize({
        caller: this.caller,
        action: check.action,
        resource: check.resource,
        context,
        identityPolicies: identity.policies,
        permissionsBoundary: identity.sessionPolicy,
        resourcePolicy: resource,
      });
      if (capped.decision === 'explicitDeny' || (result.decision === 'allowed' && capped.decision !== 'allowed')) {
        return capped.reason?.policyType === 'boundary' ? { ...capped, sessionPolicyDenied: true } : capped;
      }
    }
    // RestrictPublicBuckets: a public policy grants nothing to anonymous callers.
    if (
      result.decision === 'allowed' &&
      !principal &&
      resourcePolicy?.restrictPublic &&
      own &&
      isPublicPolicy(own)
    ) {
      return { ...result, decision: 'implicitDeny', reason: { kind: 'implicit', policyType: 'resource' }, allowedBy: undefined, matchedStatements: [] };
    }
    return result;
  }

  /**
   * Runs each check against the service's resource policy for its resource;
   * returns the first denial, or undefined when every check is allowed.
   */
  check(service: AuthorizingService, checks: AccessCheck[]): Denial | undefined {
    for (const asked of checks) {
      const rp = asked.resource !== '*' ? service.resourcePolicy?.(this.opts.env, asked.resource, asked) : undefined;
      // The resource's own keys (aws:ResourceTag/…) under the request's: a request cannot stand in for them,
      // and no operation names a key of both kinds.
      const own = asked.resource !== '*' ? service.resourceContext?.(this.opts.env, asked.resource) : undefined;
      const check = own ? { ...asked, context: { ...(asked.context ?? {}), ...own } } : asked;
      const result = this.decide(check, rp);
      if (result.decision === 'allowed') continue;
      const principal = this.opts.principal;
      if (!principal) return { result, check: asked };
      const s3 = service.signingName === 's3';
      let message = messageForResult(result, {
        principalArn: principal.arn,
        action: check.action,
        // S3 quotes the resource and names none for an action without one (s3:ListAllMyBuckets).
        resource: s3 && check.resource === '*' ? undefined : check.resource,
        quoteResource: s3,
      });
      // IAM names session policies in their own words ("… because no session policy allows …").
      if (result.sessionPolicyDenied && message) message = message.replace(/permissions boundary/, 'session policy');
      return { result, check: asked, message };
    }
    return undefined;
  }
}

/** The permissions an operation needs: its own list, or its IAM action on its resource. */
export function operationChecks(ctx: RequestContext): AccessCheck[] {
  const op = ctx.operation;
  if (op.accessChecks) return op.accessChecks(ctx);
  return [{ action: op.iamAction ?? `${ctx.service.signingName}:${op.name}`, resource: op.resource?.(ctx) ?? '*' }];
}

/** One Authorizer per request, so a handler's own checks reuse what the Authorise step loaded. */
const perRequest = new WeakMap<RequestContext, Authorizer>();

function authorizerOf(ctx: RequestContext): Authorizer {
  let a = perRequest.get(ctx);
  if (!a) {
    a = new Authorizer({ env: ctx.env, principal: ctx.principal, req: ctx.req, region: ctx.region });
    perRequest.set(ctx, a);
  }
  return a;
}

/**
 * Whether the request's caller may do `check`, for handlers that decide part
 * of a request themselves (DeleteObjects refuses key by key).
 */
export function isAllowed(ctx: RequestContext, check: AccessCheck): boolean {
  return authorizerOf(ctx).check(ctx.service, [check]) === undefined;
}

/**
 * The server's Authorise step: throws the protocol's AccessDenied with AWS's
 * sentence (or its anonymous refusal) when the request is not allowed.
 */
export function authorizeOperation(ctx: RequestContext): void {
  const denial = authorizerOf(ctx).check(ctx.service, operationChecks(ctx));
  if (!denial) return;
  const errors = ctx.service.protocol.errors;
  if (denial.message === undefined) throw errors.anonymousDenied();
  throw errors.accessDenied(denial.message);
}

/**
 * One action outside the AWS API (a registry push or pull), decided as the
 * API would: the denial's sentence, or undefined when allowed.
 */
export function authorizeAction(
  env: EmulatorEnv,
  service: AuthorizingService,
  principal: Principal,
  check: AccessCheck,
  request: { req?: IncomingMessage; region: string },
): string | undefined {
  const denial = new Authorizer({ env, principal, req: request.req, region: request.region }).check(service, [check]);
  return denial?.message;
}
