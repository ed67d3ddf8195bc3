import 'server-only';

// One place that turns whatever the SDK throws into a sentence a person can act
// on. The UI shows `message`; it never shows raw error text or a stack.

export type AwsService = 'ECR' | 'S3' | 'CLOUDFRONT' | 'STS' | 'WAFV2';

const SERVICE_NAMES: Record<AwsService, string> = { ECR: 'ECR', S3: 'S3', CLOUDFRONT: 'CloudFront', STS: 'STS', WAFV2: 'AWS WAF' };

export interface AwsProblem {
  /** Short heading, e.g. "Permission missing". */
  title: string;
  /** What happened and what to do, as one or two sentences. */
  message: string;
  /** AWS's error code when there is one (shown small, useful in support tickets). */
  code?: string;
  /** The IAM action AWS said was missing, when it said. */
  missingAction?: string;
  requestId?: string;
  retryable: boolean;
}

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $fault?: 'client' | 'server';
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

/**
 * Messages for service errors whose AWS wording is not enough on its own. The
 * service modules add theirs with registerErrorMessages so this file stays the
 * one mapper.
 */
const serviceMessages = new Map<string, (err: ErrorLike) => Omit<AwsProblem, 'retryable' | 'code'>>();

export function registerErrorMessages(
  entries: Record<string, (awsMessage: string) => { title: string; message: string }>,
): void {
  for (const [code, build] of Object.entries(entries)) {
    serviceMessages.set(code, (err) => build(cleanAwsMessage(err.message)));
  }
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

/** Pulls "ecr:CreateRepository" out of AWS's "is not authorized to perform: …" wording. */
export function missingActionFrom(message: string | undefined): string | undefined {
  const m = /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(message ?? '');
  return m?.[1];
}

export function describeAwsError(
  error: unknown,
  ctx: { service: AwsService; endpoint?: string; action?: string },
): AwsProblem {
  const err: ErrorLike = typeof error === 'object' && error !== null ? (error as ErrorLike) : { message: String(error) };
  const code = err.Code ?? (err.name && err.name !== 'Error' ? err.name : undefined);
  const requestId = err.$metadata?.requestId;

  const net = networkCode(err);
  if (net && !err.$metadata?.httpStatusCode) {
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
        : "AWS refused this request for Berth's AWS identity. Check the IAM policy attached to the identity Berth runs as (and any bucket or repository policy), then try again.",
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

  if (code === 'SignatureDoesNotMatch') {
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

  const specific = code ? serviceMessages.get(code) : undefined;
  if (specific) {
    return { ...specific(err), code, requestId, retryable: false };
  }

  const status = err.$metadata?.httpStatusCode;
  if (err.$fault === 'server' || (status !== undefined && status >= 500)) {
    return {
      title: 'AWS had a problem',
      message: `${SERVICE_NAMES[ctx.service]} answered with an internal error. This is usually temporary: try again in a moment.`,
      code,
      requestId,
      retryable: true,
    };
  }

  if (code && err.$metadata) {
    const said = cleanAwsMessage(err.message);
    return {
      title: 'AWS refused the request',
      message: said ? `AWS refused the request: ${said}` : `AWS refused the request with ${code}.`,
      code,
      requestId,
      retryable: false,
    };
  }

  return {
    title: 'Something went wrong',
    message: 'Berth could not complete the request. The server log has the details.',
    retryable: false,
  };
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; problem: AwsProblem };

/** Runs an AWS read and hands back either its value or the problem, for pages to render. */
export async function attempt<T>(
  fn: () => Promise<T>,
  ctx: { service: AwsService; endpoint?: string; action?: string },
): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    const problem = describeAwsError(error, ctx);
    if (!problem.code) console.error(`[${ctx.action ?? ctx.service}]`, error);
    return { ok: false, problem };
  }
}
