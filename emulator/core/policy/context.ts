import type { ContextInput } from './conditions';
import { principalKind, splitArn } from './match';

/**
 * The global condition keys AWS puts in every request's context, built from
 * what the emulator knows about the caller and the request. Service keys
 * (s3:prefix, ecr:ResourceTag/…) are added by each service on top.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
 */

export interface CallerFacts {
  /** The caller's ARN (user, root, role session, federated user); undefined for an anonymous request. */
  arn?: string;
  /** The unique id IAM gave the user or role (AIDA…, AROA…). */
  uniqueId?: string;
  /** For a role session: the role's ARN (with its path) and the session name. */
  roleArn?: string;
  sessionName?: string;
  /** Tags of the user or role, plus session tags (which win). */
  tags?: Record<string, string>;
  /** Set with AssumeRole's SourceIdentity. */
  sourceIdentity?: string;
  /** When the session's credentials were issued (temporary credentials only). */
  tokenIssueTime?: Date;
}

export interface RequestFacts {
  now: Date;
  secureTransport: boolean;
  sourceIp?: string;
  region?: string;
  /** Tags sent with the request (CreateRepository's tags, TagResource…). */
  requestTags?: Record<string, string>;
}

/**
 * aws:CurrentTime, aws:EpochTime, aws:SecureTransport, aws:SourceIp,
 * aws:RequestedRegion, aws:PrincipalArn (the role's ARN for a session),
 * aws:PrincipalAccount, aws:PrincipalType, aws:username (users only),
 * aws:userid, aws:PrincipalTag/…, aws:SourceIdentity, aws:TokenIssueTime,
 * aws:RequestTag/… and aws:TagKeys, with the values the User Guide's
 * "Principal key values" table gives for each kind of caller.
 */
export function globalContext(caller: CallerFacts, request: RequestFacts): ContextInput {
  const ctx: ContextInput = {
    'aws:CurrentTime': request.now.toISOString(),
    'aws:EpochTime': String(Math.floor(request.now.getTime() / 1000)),
    'aws:SecureTransport': request.secureTransport,
  };
  if (request.sourceIp) ctx['aws:SourceIp'] = request.sourceIp;
  if (request.region) ctx['aws:RequestedRegion'] = request.region;
  if (request.requestTags) {
    for (const [k, v] of Object.entries(request.requestTags)) ctx[`aws:RequestTag/${k}`] = v;
    ctx['aws:TagKeys'] = Object.keys(request.requestTags);
  }

  if (!caller.arn) {
    ctx['aws:PrincipalType'] = 'Anonymous';
    ctx['aws:userid'] = 'anonymous';
    ctx['aws:PrincipalAccount'] = 'anonymous';
    return ctx;
  }
  const parts = splitArn(caller.arn);
  const account = parts?.[4] ?? '';
  ctx['aws:PrincipalAccount'] = account;
  const kind = principalKind(caller.arn);
  const resource = parts?.[5] ?? '';
  if (kind === 'root') {
    ctx['aws:PrincipalType'] = 'Account';
    ctx['aws:userid'] = account;
    ctx['aws:PrincipalArn'] = caller.arn;
  } else if (kind === 'user') {
    ctx['aws:PrincipalType'] = 'User';
    ctx['aws:username'] = resource.split('/').pop() ?? '';
    if (caller.uniqueId) ctx['aws:userid'] = caller.uniqueId;
    ctx['aws:PrincipalArn'] = caller.arn;
  } else if (kind === 'assumed-role') {
    const [, roleName, session] = resource.split('/');
    ctx['aws:PrincipalType'] = 'AssumedRole';
    ctx['aws:PrincipalArn'] = caller.roleArn ?? `arn:${parts?.[1]}:iam::${account}:role/${roleName}`;
    if (caller.uniqueId) ctx['aws:userid'] = `${caller.uniqueId}:${caller.sessionName ?? session ?? ''}`;
  } else if (kind === 'federated-user') {
    ctx['aws:PrincipalType'] = 'FederatedUser';
    ctx['aws:userid'] = `${account}:${resource.split('/').slice(1).join('/')}`;
    ctx['aws:PrincipalArn'] = caller.arn;
  }
  for (const [k, v] of Object.entries(caller.tags ?? {})) ctx[`aws:PrincipalTag/${k}`] = v;
  if (caller.sourceIdentity) ctx['aws:SourceIdentity'] = caller.sourceIdentity;
  if (caller.tokenIssueTime) ctx['aws:TokenIssueTime'] = caller.tokenIssueTime.toISOString();
  return ctx;
}

/**
 * aws:RequestTag/<key> for each tag a request sets, and aws:TagKeys (every key
 * it names): what tagging operations and creates with tags add to the
 * request context. `tags` as AWS's APIs carry them ({Key, Value} lists),
 * `keys` for an untagging call, which names keys only.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html#access_tags_control-requests
 */
export function requestTagContext(tags: readonly { Key?: string; Value?: string }[] | undefined, keys?: readonly string[]): ContextInput {
  const ctx: ContextInput = {};
  const names: string[] = [];
  for (const t of tags ?? []) {
    if (t.Key === undefined) continue;
    ctx[`aws:RequestTag/${t.Key}`] = t.Value ?? '';
    names.push(t.Key);
  }
  names.push(...(keys ?? []));
  if (names.length) ctx['aws:TagKeys'] = names;
  return ctx;
}

/** aws:ResourceTag/<key> (and `<prefix>:ResourceTag/<key>` for a service that has its own alias, such as ECR's) for a resource's tags. */
export function resourceTagContext(tags: Record<string, string>, servicePrefix?: string): ContextInput {
  const ctx: ContextInput = {};
  for (const [k, v] of Object.entries(tags)) {
    ctx[`aws:ResourceTag/${k}`] = v;
    if (servicePrefix) ctx[`${servicePrefix}:ResourceTag/${k}`] = v;
  }
  return ctx;
}
