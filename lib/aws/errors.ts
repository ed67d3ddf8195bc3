import 'server-only';
import { CloudFrontServiceException } from '@aws-sdk/client-cloudfront';
import { CloudTrailServiceException } from '@aws-sdk/client-cloudtrail';
import { CostExplorerServiceException } from '@aws-sdk/client-cost-explorer';
import { CloudWatchServiceException } from '@aws-sdk/client-cloudwatch';
import { ECRServiceException } from '@aws-sdk/client-ecr';
import { IAMServiceException } from '@aws-sdk/client-iam';
import { PricingServiceException } from '@aws-sdk/client-pricing';
import { ECRPUBLICServiceException } from '@aws-sdk/client-ecr-public';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { STSServiceException } from '@aws-sdk/client-sts';
import { WAFV2ServiceException } from '@aws-sdk/client-wafv2';
import { CLOUDFRONT_ERRORS, WAF_ERRORS } from '@/lib/cloudfront/errors';
import { CLOUDTRAIL_ERRORS } from '@/lib/cloudtrail/errors';
import { CLOUDWATCH_ERRORS } from '@/lib/cloudwatch/errors';
import { ECR_ERRORS } from '@/lib/ecr/errors';
import { IAM_ERRORS } from '@/lib/iam/errors';
import { ECR_PUBLIC_ERRORS } from '@/lib/ecr-public/errors';
import { S3_ERRORS } from '@/lib/s3/errors';
import { RoleSessionError } from './role-sessions';
import { PartialChange } from './steps';

// One place that turns whatever the SDK throws into a sentence a person can act
// on. The UI shows `message`; it never shows raw error text or a stack.
//
// The order of questions: did anything answer at all (network, credentials)?
// Did an answer arrive that could not be read? Is the code one every AWS
// service uses (throttling, access denied, bad key)? Is it a code of *the
// service that answered*, from that service's own table? If none of those,
// the HTTP status says enough to name the service and the kind of refusal.


export type AwsService = 'ECR' | 'ECR_PUBLIC' | 'S3' | 'CLOUDFRONT' | 'STS' | 'WAFV2' | 'IAM' | 'CLOUDTRAIL' | 'CLOUDWATCH' | 'COST_EXPLORER' | 'PRICING';

const SERVICE_NAMES: Record<AwsService, string> = { ECR: 'ECR', ECR_PUBLIC: 'ECR Public', S3: 'S3', CLOUDFRONT: 'CloudFront', STS: 'STS', WAFV2: 'AWS WAF', IAM: 'IAM', CLOUDTRAIL: 'CloudTrail', CLOUDWATCH: 'CloudWatch', COST_EXPLORER: 'Cost Explorer', PRICING: 'the Price List API' };

export interface AwsProblem {
  /** Short heading, e.g. "Permission missing". */
  title: string;
  /** What happened and what to do, as one or two sentences. */
  message: string;
  /** AWS's error code when there is one, else the HTTP status (shown small, useful in support tickets). */
  code?: string;
  /** The IAM action AWS said was missing, when it said. */
  missingAction?: string;
  requestId?: string;
  retryable: boolean;
}

/** A service's own codes → a sentence; `aws` is AWS's message, tidied. */
export type ErrorTable = Record<string, (aws: string) => { title: string; message: string; retryable?: boolean }>;

const TABLES: Record<AwsService, ErrorTable> = { S3: S3_ERRORS, ECR: ECR_ERRORS, ECR_PUBLIC: ECR_PUBLIC_ERRORS, CLOUDFRONT: CLOUDFRONT_ERRORS, WAFV2: WAF_ERRORS, STS: {}, IAM: IAM_ERRORS, CLOUDTRAIL: CLOUDTRAIL_ERRORS, CLOUDWATCH: CLOUDWATCH_ERRORS, COST_EXPLORER: {}, PRICING: {} };

/**
 * Each SDK client throws its own base class for every error the service
 * answered, modeled or not, so the error itself says which service refused:
 * an S3 refusal inside a CloudFront form is still read from S3's table.
 */
const SERVICE_BASES: [AwsService, abstract new (...args: never[]) => Error][] = [
  ['S3', S3ServiceException],
  ['ECR', ECRServiceException],
  ['ECR_PUBLIC', ECRPUBLICServiceException],
  ['CLOUDFRONT', CloudFrontServiceException],
  ['WAFV2', WAFV2ServiceException],
  ['STS', STSServiceException],
  ['IAM', IAMServiceException],
  ['CLOUDTRAIL', CloudTrailServiceException],
  ['COST_EXPLORER', CostExplorerServiceException],
  ['PRICING', PricingServiceException],
  ['CLOUDWATCH', CloudWatchServiceException],
];

export interface ErrorContext {
  /** The service the caller was talking to; used when the error does not say. */
  service: AwsService;
  /** The endpoint, when known, for "could not reach …" sentences. */
  endpoint?: string;
  /** The IAM action being attempted, e.g. "s3:PutObject", for a refusal that names none. */
  action?: string;
  /** What it was attempted on, e.g. "bucket/key", said along with `action`. */
  resource?: string;
}

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $fault?: 'client' | 'server';
  $response?: unknown;
  cause?: unknown;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Forbidden']);

const BAD_KEY = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId', 'InvalidToken']);

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);

/** Names the SDK gives an error whose answer carried no code (an empty body). */
const NO_CODE = new Set(['Unknown', 'UnknownError', 'Error']);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function statusLabel(status: number): string {
  return STATUS_TEXT[status] ? `${status} ${STATUS_TEXT[status]}` : `HTTP ${status}`;
}

function networkCode(err: ErrorLike): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as ErrorLike).code;
    if (code && NETWORK_CODES.has(code)) return code;
    // Node's fetch and AggregateError keep the socket error a level or two down.
    const inner = (e as { errors?: unknown[] }).errors?.[0];
    e = (e as ErrorLike).cause ?? inner;
  }
  if (err.name === 'TimeoutError' || /timed? ?out/i.test(err.message ?? '')) return 'ETIMEDOUT';
  return undefined;
}

function cleanAwsMessage(text: string | undefined): string {
  // AWS messages are sentences already; trim them and keep them to one paragraph.
  const s = (text ?? '').replace(/\s+/g, ' ').trim();
  return s.length > 400 ? `${s.slice(0, 397)}…` : s;
}

/** AWS's own words, when it said any: the SDK fills "UnknownError" in for an empty body. */
function awsWords(err: ErrorLike, code: string | undefined): string {
  const said = cleanAwsMessage(err.message);
  return said === 'UnknownError' || said === code ? '' : said;
}

/** Pulls "ecr:CreateRepository" out of AWS's "is not authorized to perform: …" wording. */
export function missingActionFrom(message: string | undefined): string | undefined {
  const m = /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(message ?? '');
  return m?.[1];
}

function answeringService(error: unknown, fallback: AwsService): AwsService {
  for (const [service, Base] of SERVICE_BASES) if (error instanceof Base) return service;
  return fallback;
}

const RESOURCE_POLICY: Partial<Record<AwsService, string>> = { S3: 'the bucket policy', ECR: 'the repository policy', ECR_PUBLIC: 'the repository policy' };

/** What a refusal means when only its HTTP status is known: the service is named, the status explained. */
function byStatus(status: number, svc: AwsService, said: string, ctx: ErrorContext): { title: string; message: string; retryable: boolean } {
  const name = SERVICE_NAMES[svc];
  const label = statusLabel(status);
  const aws = said ? ` ${name} said: “${said}”` : '';
  if (status === 401 || status === 403) {
    const what = ctx.action ? ` (${ctx.action}${ctx.resource ? ` on ${ctx.resource}` : ''})` : '';
    const policy = RESOURCE_POLICY[svc] ? `, or ${RESOURCE_POLICY[svc]} denies it` : ', or a resource policy denies it';
    return {
      title: 'Permission missing',
      message: `${name} refused this (${label}): the AWS identity Berth uses may lack the permission${what}${policy}. Check the IAM policy attached to the identity Berth runs as.${aws}`,
      retryable: false,
    };
  }
  if (status === 404) {
    return { title: 'Not found', message: `${name} found nothing there (${label}): it does not exist, or it was deleted.${aws}`, retryable: false };
  }
  if (status === 405 || status === 501) {
    return {
      title: 'Not supported',
      message: `${name} does not support this request (${label}). If AWS_ENDPOINT_URL points Berth at an emulator or an ${name}-compatible service, it may not implement this operation. Trying again will not help.${aws}`,
      retryable: false,
    };
  }
  if (status === 409) {
    return { title: 'Conflict', message: `${name} refused because the resource is in a state that conflicts with this change (${label}). Reload and try again.${aws}`, retryable: false };
  }
  if (status === 412) {
    return { title: 'Changed meanwhile', message: `${name} refused because the resource changed since it was read (${label}). Reload and try again.${aws}`, retryable: false };
  }
  if (status === 413) {
    return { title: 'Too large', message: `${name} refused the request as too large (${label}).${aws}`, retryable: false };
  }
  if (status === 429) {
    return { title: 'AWS is rate-limiting', message: `${name} is rate-limiting requests right now (${label}). Wait a few seconds and try again.`, retryable: true };
  }
  if (status >= 500) {
    return { title: 'AWS had a problem', message: `${name} answered with an internal error. This is usually temporary: try again in a moment.`, retryable: true };
  }
  return {
    title: `${name} refused the request`,
    message: said ? `${name} refused the request (${label}): ${said}` : `${name} refused the request (${label}) without saying why.`,
    retryable: false,
  };
}

export function describeAwsError(error: unknown, ctx: ErrorContext): AwsProblem {
  if (error instanceof RoleSessionError) return describeRoleSessionError(error);
  const err: ErrorLike = typeof error === 'object' && error !== null ? (error as ErrorLike) : { message: String(error) };
  const named = err.Code ?? err.name;
  const code = named && !NO_CODE.has(named) ? named : undefined;
  const requestId = err.$metadata?.requestId;
  const status = err.$metadata?.httpStatusCode;
  const service = answeringService(error, ctx.service);
  const name = SERVICE_NAMES[service];

  const net = networkCode(err);
  if (net && !status) {
    const where = ctx.endpoint ?? 'the AWS endpoint';
    return {
      title: 'AWS could not be reached',
      message:
        net === 'ETIMEDOUT'
          ? `The request to ${where} timed out. Check the network path from the Berth server, or try again.`
          : `Berth could not reach ${where} (${net}). Check that the endpoint is running and reachable from the Berth server.`,
      code: net,
      retryable: true,
    };
  }

  if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(err.message ?? '')) {
    return {
      title: 'No AWS credentials',
      message:
        'Berth found no AWS credentials. Set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) for the Berth server, or give its host an IAM role, then restart Berth.',
      code,
      retryable: false,
    };
  }

  // An answer arrived but the SDK could not read it: every error a service
  // sends is decoded into an exception with $fault, so one without $fault but
  // with the raw $response attached failed while parsing the answer itself.
  // That is not a blip: the endpoint does not speak this operation, or
  // something other than the service answered.
  if (err.$response !== undefined && err.$fault === undefined) {
    const where = ctx.endpoint ? ` at ${ctx.endpoint}` : '';
    const shown = status ? ` (HTTP ${status})` : '';
    if (status === 502 || status === 503 || status === 504) {
      return {
        title: 'AWS could not be reached',
        message: `A gateway between Berth and ${name} answered instead of ${name}${shown}. This is usually temporary: try again in a moment.`,
        code: `HTTP ${status}`,
        requestId,
        retryable: true,
      };
    }
    return {
      title: 'Answer not readable',
      message: `The answer from ${name}${where} could not be read${shown}. Most likely the endpoint does not implement this operation (AWS_ENDPOINT_URL pointing at an emulator or a compatible service), or a proxy answered in ${name}’s place. Trying again will not help; check what AWS_ENDPOINT_URL points at.`,
      code: status ? `HTTP ${status}` : undefined,
      requestId,
      retryable: false,
    };
  }

  if (code && THROTTLING.has(code)) {
    return {
      title: 'AWS is rate-limiting',
      message: 'AWS is rate-limiting requests right now. Wait a few seconds and try again.',
      code,
      requestId,
      retryable: true,
    };
  }

  if (code && ACCESS_DENIED.has(code)) {
    const missing = missingActionFrom(err.message) ?? ctx.action;
    return {
      title: 'Permission missing',
      message: missing
        ? `Berth's AWS identity is not allowed to call ${missing}. Add ${missing} to the IAM policy attached to the identity Berth runs as, then try again.`
        : `${name} refused this request for Berth's AWS identity. Check the IAM policy attached to the identity Berth runs as (and any ${RESOURCE_POLICY[service] ?? 'resource policy'}), then try again.`,
      code,
      missingAction: missing,
      requestId,
      retryable: false,
    };
  }

  if (code && BAD_KEY.has(code)) {
    return {
      title: 'AWS credentials not recognised',
      message:
        'AWS does not recognise the access key Berth is using. Check AWS_ACCESS_KEY_ID or the profile in AWS_PROFILE, then restart Berth.',
      code,
      requestId,
      retryable: false,
    };
  }

  // A signature refused for its time, not its key: S3 says RequestTimeTooSkewed,
  // the query and JSON services "Signature expired" / "not yet current". The SDK
  // corrects its clock from the answer's Date and retries once, so this
  // reaches a person only when the server's clock keeps drifting.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html
  if (code === 'RequestTimeTooSkewed' || (/^Signature (expired|not yet current)/.test(err.message ?? '') && (code === 'InvalidSignatureException' || code === 'SignatureDoesNotMatch'))) {
    return {
      title: 'Server clock is off',
      message: "AWS refused the request because the clock on Berth's server differs from AWS's by more than 15 minutes. Set the server's time (NTP), then try again.",
      code,
      requestId,
      retryable: false,
    };
  }

  // JSON services (ECR, WAFv2) name a wrong signature InvalidSignatureException.
  if (code === 'SignatureDoesNotMatch' || code === 'InvalidSignatureException') {
    return {
      title: 'AWS credentials not accepted',
      message: "AWS rejected the request's signature: the secret access key Berth uses does not match its access key id.",
      code,
      requestId,
      retryable: false,
    };
  }

  if (code && EXPIRED.has(code)) {
    return {
      title: 'AWS credentials expired',
      message:
        "Berth's AWS credentials have expired. Refresh them (for an SSO profile run `aws sso login`), then try again.",
      code,
      requestId,
      retryable: false,
    };
  }

  const specific = code ? TABLES[service][code] : undefined;
  if (specific) {
    const said = specific(cleanAwsMessage(err.message));
    return { title: said.title, message: said.message, code, requestId, retryable: said.retryable ?? false };
  }

  if (status !== undefined) {
    const said = awsWords(err, code);
    return { ...byStatus(status, service, said, ctx), code: code ?? `HTTP ${status}`, requestId };
  }

  if (err.$fault === 'server') {
    return {
      title: 'AWS had a problem',
      message: `${name} answered with an internal error. This is usually temporary: try again in a moment.`,
      code,
      requestId,
      retryable: true,
    };
  }

  return {
    title: 'Something went wrong',
    message: 'Berth could not complete the request. The server log has the details.',
    retryable: false,
  };
}

/**
 * Berth could not start the role session a call needed (BERTH_ASSUME_ROLE_ARN).
 * Berth always sets SourceIdentity, which needs sts:SetSourceIdentity in the
 * role's trust policy besides sts:AssumeRole, and a source identity, once set,
 * can never be changed: credentials that are themselves a role session with a
 * different one are refused the same way.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
 */
function describeRoleSessionError(error: RoleSessionError): AwsProblem {
  const inner = describeAwsError(error.cause, { service: 'STS', endpoint: error.endpoint, action: 'sts:AssumeRole', resource: error.roleArn });
  if (inner.title !== 'Permission missing') {
    return { ...inner, message: `Berth could not take on the role ${error.roleArn} (BERTH_ASSUME_ROLE_ARN): ${inner.message}` };
  }
  const said = cleanAwsMessage((error.cause as ErrorLike | undefined)?.message);
  return {
    ...inner,
    message:
      `STS refused to let Berth take on the role ${error.roleArn} (BERTH_ASSUME_ROLE_ARN) with source identity “${error.sourceIdentity}”. ` +
      "The role's trust policy must allow the identity Berth runs as both sts:AssumeRole and sts:SetSourceIdentity (and name the external id, when BERTH_ASSUME_ROLE_EXTERNAL_ID is set). " +
      'A source identity cannot be changed once set: if the credentials Berth runs with are already a role session with a source identity of their own, run Berth with other credentials.' +
      (said ? ` STS said: “${said}”` : ''),
    missingAction: inner.missingAction ?? 'sts:SetSourceIdentity',
  };
}

/**
 * A refusal Berth makes itself (not AWS): a fix that does not apply, a
 * teardown that would touch what Berth did not make. Its message is already
 * a sentence for a person; `fieldErrors` ties it to form fields. The classes
 * that extend it are shown as they are by every server action.
 */
export class Refusal extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

const DEFAULT_RESUME = 'Do it again to finish: the steps already done are not repeated.';

function joinSteps(done: string[]): string {
  return done.length < 2 ? done.join('') : `${done.slice(0, -1).join(', ')} and ${done.at(-1)}`;
}

export interface Failure {
  message: string;
  fieldErrors?: Record<string, string[]>;
  /** For the audit line: "refused:FixRefused", "partial", "error:AccessDenied", "error:unknown". */
  outcome: string;
}

/**
 * Anything a server action's handler threw, as what the person sees (dub's
 * handleServerError is the model; defineAction calls this and nothing else
 * does). Berth's own refusals are shown as they are, a change that stopped
 * part-way says what was done, what failed and how to finish, and anything
 * else goes through describeAwsError.
 */
export function describeFailure(error: unknown, ctx: ErrorContext & { resume?: string }): Failure {
  if (error instanceof Refusal) return { message: error.message, fieldErrors: error.fieldErrors, outcome: `refused:${error.name}` };
  if (error instanceof PartialChange) {
    const why = describeFailure(error.cause, { ...ctx, resume: undefined }).message;
    return { message: `Berth ${joinSteps(error.done)}, but ${error.failedStep} failed: ${why} ${ctx.resume ?? DEFAULT_RESUME}`, outcome: 'partial' };
  }
  const problem = describeAwsError(error, ctx);
  return { message: problem.message, outcome: `error:${problem.code ?? 'unknown'}` };
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; problem: AwsProblem };

/** Runs an AWS read and hands back either its value or the problem, for pages to render. */
export async function attempt<T>(fn: () => Promise<T>, ctx: ErrorContext): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    const problem = describeAwsError(error, ctx);
    if (!problem.code) console.error(`[${ctx.action ?? ctx.service}]`, error);
    return { ok: false, problem };
  }
}
