import { cbor } from '@smithy/core/cbor';
import { AwsError } from '../errors';
import { newExtendedRequestId } from '../ids';
import { formatAmzDate, parseAmzDate } from '../sigv4';
import type { RenderedResponse, SignatureMismatchDetail, StandardErrors } from '../types';
import { XML_DECLARATION, escapeXml, leaf, node } from '../xml';
import type { WireProtocol } from './model';

/**
 * Each protocol's error envelope and the standard errors every service must
 * be able to express in it (unknown operation, throttling, bad keys…). These
 * are the protocols' own shapes, documented per protocol, not any
 * operation's: https://smithy.io/2.0/aws/protocols/index.html
 */

/** REST-XML services differ in error shape and wording: S3's bare `<Error>`, CloudFront's `<ErrorResponse>`. */
export type RestXmlFlavor = 's3' | 'cloudfront';

export interface ErrorProtocol {
  errors: StandardErrors;
  /** Headers every response of the protocol carries (request ids). */
  baseHeaders(requestId: string): Record<string, string>;
  renderError(err: AwsError, requestId: string, method: string): RenderedResponse;
}

const INTERNAL = 'The request processing has failed because of an unknown error, exception or failure.';
const INCOMPLETE_SIGNATURE = "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter.";

/** What every service but S3 says when the signature differs (query, JSON and CloudFront alike). */
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const TOKEN_INVALID = 'The security token included in the request is invalid.';
const TOKEN_EXPIRED = 'The security token included in the request is expired';
/** AWS allows this much difference between the request's time and its own. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * The services other than S3 word a skewed clock as an expired (or not yet
 * valid) signature, naming the request's time, the bound it crossed and the
 * server's time, e.g. "Signature expired: 20250101T000000Z is now earlier
 * than 20250101T004500Z (20250101T010000Z - 15 min.)".
 */
function skewMessage(requestAmzDate: string, nowMs: number): string {
  const at = parseAmzDate(requestAmzDate) ?? 0;
  if (at < nowMs) {
    return `Signature expired: ${requestAmzDate} is now earlier than ${formatAmzDate(nowMs - MAX_SKEW_MS)} (${formatAmzDate(nowMs)} - 15 min.)`;
  }
  return `Signature not yet current: ${requestAmzDate} is still later than ${formatAmzDate(nowMs + MAX_SKEW_MS)} (${formatAmzDate(nowMs)} + 15 min.)`;
}

/** S3 prints the strings it signed, and their bytes as space-separated hex, so a client can diff them with its own. */
function hexBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

function s3SignatureMismatch(d: SignatureMismatchDetail): AwsError {
  return new AwsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403, {
    fields: {
      AWSAccessKeyId: d.accessKeyId,
      StringToSign: d.stringToSign,
      SignatureProvided: d.signatureProvided,
      StringToSignBytes: hexBytes(d.stringToSign),
      CanonicalRequest: d.canonicalRequest,
      CanonicalRequestBytes: hexBytes(d.canonicalRequest),
    },
  });
}

function jsonErrors(): StandardErrors {
  return {
    unknownOperation: (name) => new AwsError('UnknownOperationException', `Unknown operation ${name}`, 400),
    throttled: () => new AwsError('ThrottlingException', 'Rate exceeded', 400),
    internal: () => new AwsError('InternalFailure', INTERNAL, 500),
    accessDenied: (message) => new AwsError('AccessDeniedException', message, 400),
    anonymousDenied: () => new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400),
    invalidKey: () => new AwsError('UnrecognizedClientException', TOKEN_INVALID, 400),
    // JSON (Coral) services answer a bad or stale signature with 400, as ECS
    // and ECR are seen to: "InvalidSignatureException: The request signature
    // we calculated does not match ... status code: 400"
    // (github.com/teralytics/prometheus-ecs-discovery/issues/7, and for ECR's
    // "Signature expired", github.com/upmc-enterprises/registry-creds/issues/24).
    signatureMismatch: () => new AwsError('InvalidSignatureException', SIGNATURE_MISMATCH, 400),
    requestTimeSkewed: (at, now) => new AwsError('InvalidSignatureException', skewMessage(at, now), 400),
    invalidToken: () => new AwsError('UnrecognizedClientException', TOKEN_INVALID, 400),
    expiredToken: () => new AwsError('ExpiredTokenException', TOKEN_EXPIRED, 400),
    unsupportedAuth: () => new AwsError('IncompleteSignatureException', INCOMPLETE_SIGNATURE, 400),
    // Coral-based JSON services name this error with the Exception suffix.
    missingAuth: () => new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400),
    malformedAuth: () => new AwsError('IncompleteSignatureException', INCOMPLETE_SIGNATURE, 400),
    malformedBody: (detail) => new AwsError('SerializationException', detail, 400),
    tooLarge: (limit) => new AwsError('RequestEntityTooLargeException', `Request body must not exceed ${limit} bytes`, 413),
  };
}

function queryErrors(version: string): StandardErrors {
  return {
    unknownOperation: (name) => new AwsError('InvalidAction', `Could not find operation ${name} for version ${version}`, 400),
    throttled: () => new AwsError('Throttling', 'Rate exceeded', 400),
    internal: () => new AwsError('InternalFailure', INTERNAL, 500),
    accessDenied: (message) => new AwsError('AccessDenied', message, 403),
    anonymousDenied: () => new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
    invalidKey: () => new AwsError('InvalidClientTokenId', TOKEN_INVALID, 403),
    signatureMismatch: () => new AwsError('SignatureDoesNotMatch', SIGNATURE_MISMATCH, 403),
    requestTimeSkewed: (at, now) => new AwsError('SignatureDoesNotMatch', skewMessage(at, now), 403),
    invalidToken: () => new AwsError('InvalidClientTokenId', TOKEN_INVALID, 403),
    expiredToken: () => new AwsError('ExpiredToken', TOKEN_EXPIRED, 403),
    unsupportedAuth: () => new AwsError('IncompleteSignature', INCOMPLETE_SIGNATURE, 400),
    missingAuth: () => new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
    malformedAuth: () => new AwsError('IncompleteSignature', INCOMPLETE_SIGNATURE, 400),
    malformedBody: (detail) => new AwsError('MalformedQueryString', detail, 400),
    tooLarge: (limit) => new AwsError('RequestEntityTooLarge', `Request body must not exceed ${limit} bytes`, 413),
  };
}

function s3Errors(): StandardErrors {
  return {
    unknownOperation: (name) => new AwsError('NotImplemented', `A header you provided implies functionality that is not implemented (${name})`, 501),
    throttled: () => new AwsError('SlowDown', 'Please reduce your request rate.', 503),
    internal: () => new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500),
    accessDenied: (message) => new AwsError('AccessDenied', message, 403),
    anonymousDenied: () => new AwsError('AccessDenied', 'Access Denied', 403),
    invalidKey: (accessKeyId) =>
      new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, {
        fields: { AWSAccessKeyId: accessKeyId },
      }),
    signatureMismatch: s3SignatureMismatch,
    // https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
    requestTimeSkewed: (at, now) =>
      new AwsError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403, {
        fields: { RequestTime: at, ServerTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'), MaxAllowedSkewMilliseconds: MAX_SKEW_MS },
      }),
    invalidToken: () => new AwsError('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400),
    expiredToken: () => new AwsError('ExpiredToken', 'The provided token has expired.', 400),
    // What S3 answers SigV2 in the regions that take only SigV4 (every region opened since 2014).
    unsupportedAuth: () =>
      new AwsError('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.', 400),
    missingAuth: () => new AwsError('AccessDenied', 'Access Denied', 403),
    malformedAuth: () => new AwsError('AuthorizationHeaderMalformed', 'The authorization header that you provided is not valid.', 400),
    malformedBody: () => new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400),
    tooLarge: (limit) => new AwsError('MaxMessageLengthExceeded', `Your request was too big. The limit is ${limit} bytes.`, 400),
  };
}

function cloudfrontErrors(): StandardErrors {
  return {
    // CloudFront has no catch-all code for an unknown API; S3's 501 NotImplemented is the clearest analogue.
    unknownOperation: (name) => new AwsError('NotImplemented', `The operation ${name} is not implemented.`, 501),
    throttled: () => new AwsError('Throttling', 'Rate exceeded', 400),
    internal: () => new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500),
    accessDenied: (message) => new AwsError('AccessDenied', message, 403),
    anonymousDenied: () => new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
    invalidKey: () => new AwsError('InvalidClientTokenId', TOKEN_INVALID, 403),
    signatureMismatch: () => new AwsError('SignatureDoesNotMatch', SIGNATURE_MISMATCH, 403),
    requestTimeSkewed: (at, now) => new AwsError('SignatureDoesNotMatch', skewMessage(at, now), 403),
    invalidToken: () => new AwsError('InvalidClientTokenId', TOKEN_INVALID, 403),
    expiredToken: () => new AwsError('ExpiredToken', TOKEN_EXPIRED, 403),
    unsupportedAuth: () => new AwsError('IncompleteSignature', INCOMPLETE_SIGNATURE, 400),
    missingAuth: () => new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
    malformedAuth: () => new AwsError('IncompleteSignature', INCOMPLETE_SIGNATURE, 400),
    malformedBody: (detail) => new AwsError('MalformedInput', detail, 400),
    tooLarge: (limit) => new AwsError('MalformedInput', `Request body must not exceed ${limit} bytes`, 400),
  };
}

const fieldsXml = (err: AwsError) =>
  Object.entries(err.fields)
    .map(([k, v]) => leaf(k, String(v)))
    .join('');

const amznRequestId = (requestId: string) => ({ 'x-amzn-RequestId': requestId });

export interface ErrorProtocolOptions {
  protocol: WireProtocol;
  /** Query and CloudFront error documents carry the service's namespace. */
  xmlNamespace?: string;
  version?: string;
  xmlFlavor?: RestXmlFlavor;
  /**
   * For a JSON or CBOR service that was a query service (awsQueryCompatible):
   * error shapes by their query code. Providers throw the query code (what
   * the query protocol and AWS's documentation name); the JSON body names the
   * shape and `x-amzn-query-error` carries `<code>;<Sender|Receiver>`, from
   * which the SDK fills the error's `Code`.
   * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#aws-protocols-awsquerycompatible-trait
   */
  queryCompatible?: ReadonlyMap<string, string>;
}

function queryCompatHeaders(opts: ErrorProtocolOptions, err: AwsError): { type: string; headers: Record<string, string> } {
  if (!opts.queryCompatible) return { type: err.code, headers: {} };
  return { type: opts.queryCompatible.get(err.code) ?? err.code, headers: { 'x-amzn-query-error': `${err.code};${err.fault}` } };
}

/** The error envelope of a protocol (and, for REST-XML, of the service's flavor of it). */
export function errorProtocol(opts: ErrorProtocolOptions): ErrorProtocol {
  switch (opts.protocol) {
    case 'awsQuery':
      return {
        errors: queryErrors(opts.version ?? ''),
        baseHeaders: amznRequestId,
        renderError(err, requestId) {
          const xml = node(
            'ErrorResponse',
            node('Error', leaf('Type', err.fault) + leaf('Code', err.code) + leaf('Message', err.message) + fieldsXml(err)) +
              `<RequestId>${escapeXml(requestId)}</RequestId>`,
            { xmlns: opts.xmlNamespace ?? '' },
          );
          return { status: err.status, headers: { ...amznRequestId(requestId), 'Content-Type': 'text/xml', ...err.headers }, body: xml };
        },
      };
    case 'restXml': {
      const s3 = (opts.xmlFlavor ?? 's3') === 's3';
      const baseHeaders = (requestId: string): Record<string, string> =>
        s3 ? { 'x-amz-request-id': requestId, 'x-amz-id-2': newExtendedRequestId() } : amznRequestId(requestId);
      return {
        errors: s3 ? s3Errors() : cloudfrontErrors(),
        baseHeaders,
        renderError(err, requestId, method) {
          const headers: Record<string, string> = { ...baseHeaders(requestId), ...err.headers };
          // HEAD responses carry no body, so clients read only the status (S3 HeadBucket 404 → NotFound).
          if (method === 'HEAD') return { status: err.status, headers };
          headers['Content-Type'] = s3 ? 'application/xml' : 'text/xml';
          const xml = s3
            ? node(
                'Error',
                leaf('Code', err.code) + leaf('Message', err.message) + fieldsXml(err) + leaf('RequestId', requestId) + leaf('HostId', headers['x-amz-id-2'] ?? ''),
              )
            : node(
                'ErrorResponse',
                node('Error', leaf('Type', err.fault) + leaf('Code', err.code) + leaf('Message', err.message) + fieldsXml(err)) + leaf('RequestId', requestId),
                { xmlns: opts.xmlNamespace ?? '' },
              );
          return { status: err.status, headers, body: `${XML_DECLARATION}\n${xml}` };
        },
      };
    }
    case 'rpcv2Cbor':
      // https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html: a CBOR map with __type.
      return {
        errors: jsonErrors(),
        baseHeaders: amznRequestId,
        renderError(err, requestId) {
          const compat = queryCompatHeaders(opts, err);
          return {
            status: err.status,
            headers: { ...amznRequestId(requestId), 'Content-Type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', ...compat.headers, ...err.headers },
            body: Buffer.from(cbor.serialize({ __type: compat.type, message: err.message, ...err.fields })),
          };
        },
      };
    case 'restJson1':
      // REST-JSON names the code in X-Amzn-ErrorType.
      return {
        errors: jsonErrors(),
        baseHeaders: amznRequestId,
        renderError(err, requestId, method) {
          return {
            status: err.status,
            headers: { ...amznRequestId(requestId), 'Content-Type': 'application/json', 'X-Amzn-ErrorType': err.code, ...err.headers },
            body: method === 'HEAD' ? undefined : JSON.stringify({ message: err.message, ...err.fields }),
          };
        },
      };
    default: {
      const contentType = opts.protocol === 'awsJson1_0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
      return {
        errors: jsonErrors(),
        baseHeaders: amznRequestId,
        renderError(err, requestId) {
          const compat = queryCompatHeaders(opts, err);
          return {
            status: err.status,
            headers: { ...amznRequestId(requestId), 'Content-Type': contentType, ...compat.headers, ...err.headers },
            body: JSON.stringify({ __type: compat.type, message: err.message, ...err.fields }),
          };
        },
      };
    }
  }
}
