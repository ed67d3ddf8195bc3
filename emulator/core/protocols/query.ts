import { MAX_BODY_BYTES } from '../body';
import { AwsError } from '../errors';
import type { ProtocolAdapter, StandardErrors } from '../types';
import { escapeXml, leaf, node } from '../xml';

/**
 * AWS's query protocol (STS): Action and parameters form-encoded in a POST
 * body or in a GET query string; answers `<ActionResponse><ActionResult>`
 * and errors as `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`.
 */
export function queryProtocol(opts: { xmlns: string; version: string }): ProtocolAdapter {
  const errors: StandardErrors = {
    unknownOperation: (name) =>
      new AwsError('InvalidAction', `Could not find operation ${name} for version ${opts.version}`, 400),
    throttled: () => new AwsError('Throttling', 'Rate exceeded', 400),
    internal: () =>
      new AwsError(
        'InternalFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
        500,
      ),
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
    malformedBody: (detail) => new AwsError('MalformedQueryString', detail, 400),
    tooLarge: (limit) => new AwsError('RequestEntityTooLarge', `Request body must not exceed ${limit} bytes`, 413),
  };

  return {
    name: 'query',
    errors,

    async resolve(pre, service) {
      const params: Record<string, unknown> = {};
      for (const [k, v] of pre.query) params[k] = v;
      if (pre.method === 'POST') {
        const body = await pre.loadBody(MAX_BODY_BYTES);
        for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
      }
      const action = params.Action;
      if (typeof action !== 'string' || action === '') {
        throw new AwsError('MissingAction', 'Missing Action', 400);
      }
      const operation = service.operations.find((o) => o.name === action);
      return { name: action, operation, params: {}, input: params };
    },

    parseInput(ctx) {
      return ctx.input;
    },

    baseHeaders(requestId) {
      return { 'x-amzn-RequestId': requestId };
    },

    renderSuccess(ctx, reply) {
      const op = ctx.operation.name;
      const xml = node(
        `${op}Response`,
        node(`${op}Result`, reply.xml ?? '') + node('ResponseMetadata', leaf('RequestId', ctx.requestId)),
        { xmlns: opts.xmlns },
      );
      return {
        status: reply.status ?? 200,
        headers: { ...this.baseHeaders(ctx.requestId), 'Content-Type': 'text/xml', ...reply.headers },
        body: xml,
      };
    },

    renderError(err, requestId) {
      const fields = Object.entries(err.fields)
        .map(([k, v]) => leaf(k, String(v)))
        .join('');
      const xml = node(
        'ErrorResponse',
        node('Error', leaf('Type', err.fault) + leaf('Code', err.code) + leaf('Message', err.message) + fields) +
          `<RequestId>${escapeXml(requestId)}</RequestId>`,
        { xmlns: opts.xmlns },
      );
      return {
        status: err.status,
        headers: { ...this.baseHeaders(requestId), 'Content-Type': 'text/xml', ...err.headers },
        body: xml,
      };
    },
  };
}
