import { AwsError } from '../errors';
import { newExtendedRequestId } from '../ids';
import { findRestOperation } from '../rest-routes';
import type { ProtocolAdapter, RenderedResponse, StandardErrors } from '../types';
import { XML_DECLARATION, leaf, node } from '../xml';

/** S3 and CloudFront share REST-XML routing but differ in error shape and wording. */
export type RestXmlFlavor = 's3' | 'cloudfront';

const CLOUDFRONT_NS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

function s3Errors(): StandardErrors {
  return {
    unknownOperation: (name) =>
      new AwsError('NotImplemented', `A header you provided implies functionality that is not implemented (${name})`, 501),
    throttled: () => new AwsError('SlowDown', 'Please reduce your request rate.', 503),
    internal: () => new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500),
    accessDenied: (message) => new AwsError('AccessDenied', message, 403),
    anonymousDenied: () => new AwsError('AccessDenied', 'Access Denied', 403),
    invalidKey: (accessKeyId) =>
      new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, {
        fields: { AWSAccessKeyId: accessKeyId },
      }),
    missingAuth: () => new AwsError('AccessDenied', 'Access Denied', 403),
    malformedAuth: () =>
      new AwsError('AuthorizationHeaderMalformed', 'The authorization header that you provided is not valid.', 400),
    malformedBody: () =>
      new AwsError(
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema',
        400,
      ),
    tooLarge: (limit) =>
      new AwsError('MaxMessageLengthExceeded', `Your request was too big. The limit is ${limit} bytes.`, 400),
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
    invalidKey: () => new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
    missingAuth: () => new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
    malformedAuth: () =>
      new AwsError(
        'IncompleteSignature',
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter.",
        400,
      ),
    malformedBody: (detail) => new AwsError('MalformedInput', detail, 400),
    tooLarge: (limit) => new AwsError('MalformedInput', `Request body must not exceed ${limit} bytes`, 400),
  };
}

export function restXmlProtocol(flavor: RestXmlFlavor): ProtocolAdapter {
  const errors = flavor === 's3' ? s3Errors() : cloudfrontErrors();
  const contentType = flavor === 's3' ? 'application/xml' : 'text/xml';

  const baseHeaders = (requestId: string): Record<string, string> =>
    flavor === 's3'
      ? { 'x-amz-request-id': requestId, 'x-amz-id-2': newExtendedRequestId() }
      : { 'x-amzn-RequestId': requestId };

  return {
    name: 'rest-xml',
    errors,

    async resolve(pre, service) {
      const path = service.rewritePath ? service.rewritePath(pre.host, pre.path) : pre.path;
      const hit = findRestOperation(
        service.operations,
        pre.method,
        path,
        pre.query,
        service.reservedQueryKeys ?? [],
        pre.headers,
      );
      const q = [...pre.query.keys()].filter((k) => !k.startsWith('X-Amz-') && k !== 'x-id');
      const name = hit?.operation.name ?? `${pre.method} ${path}${q.length ? `?${q.join('&')}` : ''}`;
      return { name, operation: hit?.operation, params: hit?.params ?? {} };
    },

    parseInput() {
      // REST operations read path params, headers and (if any) an XML payload themselves.
      return {};
    },

    baseHeaders,

    renderSuccess(ctx, reply) {
      const headers: Record<string, string> = { ...baseHeaders(ctx.requestId), ...reply.headers };
      let body: RenderedResponse['body'];
      if (reply.xml !== undefined) {
        body = XML_DECLARATION + '\n' + reply.xml;
        headers['Content-Type'] ??= contentType;
      } else {
        body = reply.body;
      }
      return { status: reply.status ?? 200, headers, body: ctx.method === 'HEAD' ? undefined : body };
    },

    renderError(err, requestId, method) {
      const headers: Record<string, string> = { ...baseHeaders(requestId), ...err.headers };
      // HEAD responses carry no body, so clients read only the status (S3 HeadBucket 404 → NotFound).
      if (method === 'HEAD') return { status: err.status, headers };
      headers['Content-Type'] = contentType;
      const fields = Object.entries(err.fields)
        .map(([k, v]) => leaf(k, String(v)))
        .join('');
      let xml: string;
      if (flavor === 's3') {
        xml = node(
          'Error',
          leaf('Code', err.code) + leaf('Message', err.message) + fields + leaf('RequestId', requestId) +
            leaf('HostId', headers['x-amz-id-2'] ?? ''),
        );
      } else {
        xml = node(
          'ErrorResponse',
          node('Error', leaf('Type', err.fault) + leaf('Code', err.code) + leaf('Message', err.message) + fields) +
            leaf('RequestId', requestId),
          { xmlns: CLOUDFRONT_NS },
        );
      }
      return { status: err.status, headers, body: XML_DECLARATION + '\n' + xml };
    },
  };
}
