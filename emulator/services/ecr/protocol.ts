import type { OperationDefinition, ProtocolAdapter } from '../../core/types';
import { RegistryError, renderRegistryError } from './registry';

/**
 * ECR's wire format: JSON 1.1 for the API, and on `/v2/` the Docker
 * registry's own HTTP API, whose replies are raw (manifests, blobs) and whose
 * errors use the registry's `{"errors": [...]}` shape.
 */
export function ecrProtocol(registry: OperationDefinition, base: ProtocolAdapter): ProtocolAdapter {
  const isRegistryPath = (p: string) => p === '/v2' || p.startsWith('/v2/');
  return {
    ...base,
    async resolve(pre, service) {
      if (isRegistryPath(pre.path)) return { name: registry.name, operation: registry, params: {}, input: {} };
      return base.resolve(pre, service);
    },
    renderSuccess(ctx, reply) {
      if (ctx.operation !== registry) return base.renderSuccess(ctx, reply);
      // The registry's answers are raw: manifests, blobs and its own JSON.
      return {
        status: reply.status ?? 200,
        headers: { ...base.baseHeaders(ctx.requestId), ...reply.headers },
        body: reply.body,
      };
    },
    renderError(err, requestId, method) {
      if (err instanceof RegistryError) return renderRegistryError(err, requestId);
      return base.renderError(err, requestId, method);
    },
  };
}
