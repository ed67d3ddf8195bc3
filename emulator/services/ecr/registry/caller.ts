import { authorizeAction } from '../../../core/authorize';
import type { Principal, RequestContext } from '../../../core/types';
import { basicToken, verifyDownload, verifyToken } from '../auth';
import { repositoryArn } from '../repositories';
import { repositoryContextOf, repositoryPolicyOf } from '../repository-policy';
import { RegistryError } from './http';

/** Who is calling the registry, from `Authorization: Basic AWS:<token>` or a signed blob URL. */
export interface Caller {
  principal?: Principal;
  region: string;
  /** Authenticated only by a signed download URL, good for that one blob. */
  signedDownload: boolean;
}

/**
 * ECR's wording for a token past its 12 hours, which Docker prints as
 * "denied: Your authorization token has expired. Reauthenticate and try again."
 * ECR answers it with HTTP 403 ("HTTP 403 Errors ... Your token has expired" in
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/common-errors-docker.html).
 */
export const TOKEN_EXPIRED_MESSAGE = 'Your authorization token has expired. Reauthenticate and try again.';

function unauthorized(ctx: RequestContext, message: string): RegistryError {
  const host = typeof ctx.headers.host === 'string' ? ctx.headers.host : 'localhost';
  return new RegistryError('UNAUTHORIZED', message, 401, null, {
    'WWW-Authenticate': `Basic realm="http://${host}/",service="ecr.amazonaws.com"`,
  });
}

export function authenticate(ctx: RequestContext, blob?: { repo: string; digest: string }): Caller {
  const env = ctx.env;
  if (blob && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
    const signed = verifyDownload(env, ctx.query, blob.repo, blob.digest);
    if (signed?.ok) return { region: signed.region, signedDownload: true };
    if (signed && !signed.ok) throw new RegistryError('DENIED', signed.reason, 403);
  }
  const auth = ctx.headers.authorization;
  const basic = basicToken(typeof auth === 'string' ? auth : undefined);
  if (!basic) throw unauthorized(ctx, 'authentication required: log in with the password from `aws ecr get-login-password`');
  if (basic.user !== 'AWS') throw unauthorized(ctx, "the user name must be 'AWS'");
  const check = verifyToken(env, basic.password);
  if (!check.ok) {
    // An expired token is refused, not challenged: logging in again is the remedy, not retrying with the same password.
    if (check.reason === 'expired') throw new RegistryError('DENIED', TOKEN_EXPIRED_MESSAGE, 403);
    throw unauthorized(ctx, 'Your authorization token is not valid for this registry. Reauthenticate and try again.');
  }
  return { principal: check.principal, region: check.region, signedDownload: false };
}

/** The ECR API's policies, as the registry's actions are decided: the repository policy by the repository's ARN. */
const ECR_AUTHORIZATION = { signingName: 'ecr', resourcePolicy: repositoryPolicyOf, resourceContext: repositoryContextOf };

/**
 * Decides one ECR action the registry request stands for (a push is
 * ecr:InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload, PutImage;
 * a pull ecr:BatchGetImage and GetDownloadUrlForLayer) as the API would, and
 * answers a denial as ECR's registry does: 403 DENIED with IAM's sentence,
 * which docker prints after "denied: ".
 */
export function requireAction(
  ctx: RequestContext,
  caller: Caller,
  repo: string,
  action: string,
  parameters: Record<string, unknown> = {},
): void {
  decide(ctx, caller, action, repositoryArn(caller.region, ctx.env.accountId, repo), { repositoryName: repo, ...parameters });
}

/**
 * `GET /v2/_catalog`: ECR serves it from the DescribeRepositories listing (a
 * page over 1,000 is refused with that operation's maxResults constraint), so
 * it is decided as a DescribeRepositories of every repository, on `*`.
 */
export function requireCatalog(ctx: RequestContext, caller: Caller): void {
  decide(ctx, caller, 'DescribeRepositories', '*', {});
}

function decide(ctx: RequestContext, caller: Caller, action: string, resource: string, parameters: Record<string, unknown>): void {
  if (!caller.principal) {
    // A signed download URL stands for the GetDownloadUrlForLayer that issued it, for that one blob (GET or HEAD).
    if (action === 'GetDownloadUrlForLayer' || action === 'BatchCheckLayerAvailability') return;
    throw new RegistryError('DENIED', 'a signed download URL only allows reading one blob', 403);
  }
  const denied = authorizeAction(
    ctx.env,
    ECR_AUTHORIZATION,
    caller.principal,
    { action: `ecr:${action}`, resource },
    { req: ctx.req, region: caller.region },
  );
  // CloudTrail records a registry request as the ECR API action it stands
  // for, with the API's parameter names, refused or not (see "Logging Amazon
  // ECR actions with AWS CloudTrail" in the ECR user guide).
  (ctx.activity ??= []).push({
    eventName: action,
    principal: caller.principal,
    region: caller.region,
    parameters: { registryId: ctx.env.accountId, ...parameters },
    ...(denied !== undefined ? { error: { code: 'AccessDeniedException', message: denied } } : {}),
  });
  if (denied !== undefined) throw new RegistryError('DENIED', denied, 403);
}

/** The push actions: a signed download URL never allows one. */
export function requirePush(
  ctx: RequestContext,
  caller: Caller,
  repo: string,
  action: string,
  parameters: Record<string, unknown> = {},
): void {
  if (!caller.principal) throw new RegistryError('DENIED', 'a signed download URL only allows reading one blob', 403);
  requireAction(ctx, caller, repo, action, parameters);
}
