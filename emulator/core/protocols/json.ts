import { AwsError } from '../errors';
import type { ProtocolAdapter, StandardErrors } from '../types';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * AWS's JSON 1.1 RPC protocol (ECR): POST /, operation in X-Amz-Target,
 * errors as `{"__type": code, "message": text}` with mostly 400 statuses.
 */
export function jsonProtocol(): ProtocolAdapter {
  const errors: StandardErrors = {
    unknownOperation: (name) => new AwsError('UnknownOperationException', `Unknown operation ${name}`, 400),
    throttled: () => new AwsError('ThrottlingException', 'Rate exceeded', 400),
    internal: () =>
      new AwsError(
        'InternalFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
        500,
      ),
    accessDenied: (message) => new AwsError('AccessDeniedException', message, 400),
    anonymousDenied: () => new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400),
    invalidKey: () =>
      new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400),
    // Coral-based JSON services name this error with the Exception suffix.
    missingAuth: () => new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400),
    malformedAuth: () =>
      new AwsError(
        'IncompleteSignatureException',
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter.",
        400,
      ),
    malformedBody: (detail) => new AwsError('SerializationException', detail, 400),
    tooLarge: (limit) =>
      new AwsError('RequestEntityTooLargeException', `Request body must not exceed ${limit} bytes`, 413),
  };

  return {
    name: 'json',
    errors,

    async resolve(pre, service) {
      const target = pre.headers['x-amz-target'];
      const t = typeof target === 'string' ? target : '';
      const dot = t.lastIndexOf('.');
      const prefix = dot >= 0 ? t.slice(0, dot) : '';
      const name = dot >= 0 ? t.slice(dot + 1) : t || `${pre.method} ${pre.path}`;
      if (prefix !== service.targetPrefix || pre.method !== 'POST') return { name, params: {} };
      const operation = service.operations.find((o) => o.name === name);
      return { name, operation, params: {} };
    },

    parseInput(ctx) {
      const text = ctx.body.toString('utf8').trim();
      if (text === '') return {};
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw errors.malformedBody('Start of structure or map found where not expected, or the body is not valid JSON.');
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw errors.malformedBody('The request body must be a JSON object.');
      }
      return parsed as Record<string, unknown>;
    },

    baseHeaders(requestId) {
      return { 'x-amzn-RequestId': requestId };
    },

    renderSuccess(ctx, reply) {
      return {
        status: reply.status ?? 200,
        headers: { ...this.baseHeaders(ctx.requestId), 'Content-Type': CONTENT_TYPE, ...reply.headers },
        body: JSON.stringify(reply.json ?? {}),
      };
    },

    renderError(err, requestId) {
      return {
        status: err.status,
        headers: { ...this.baseHeaders(requestId), 'Content-Type': CONTENT_TYPE, ...err.headers },
        body: JSON.stringify({ __type: err.code, message: err.message, ...err.fields }),
      };
    },
  };
}
