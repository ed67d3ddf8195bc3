import { AwsError } from '../../core/errors';
import type { EmulatorEnv, OperationDefinition, Reply, RequestContext } from '../../core/types';
import { handleBlob, handleUpload, handleUploadStart } from './registry/blobs';
import { authenticate, requireAction } from './registry/caller';
import { json, RegistryError, unsupported } from './registry/http';
import { handleCatalog, handleReferrers, handleTags } from './registry/listings';
import { handleManifest } from './registry/manifests';
import { requireRepository } from './store';
import { REPOSITORY_NAME_PATTERN } from './validation';

export { RegistryError, renderRegistryError } from './registry/http';

/**
 * The Docker / OCI distribution API (`/v2/...`) on the emulator's port, the
 * endpoint `docker login` and skopeo use with GetAuthorizationToken's
 * proxyEndpoint. It is not part of the AWS API: it shares tables and blobs
 * with ECR's operations but has its own routes, auth and error shape, kept in
 * `registry/`. Callers authenticate with HTTP Basic `AWS:<token>`; a token
 * from the readonly key may pull but not push. Blob GETs also accept
 * GetDownloadUrlForLayer's signed URLs.
 */

const NAME_RE = new RegExp(`^${REPOSITORY_NAME_PATTERN}$`);

function checkRepository(env: EmulatorEnv, region: string, name: string): void {
  if (!NAME_RE.test(name) || name.length < 2 || name.length > 256) {
    throw new RegistryError('NAME_INVALID', `invalid repository name '${name}'`, 400, { name });
  }
  try {
    requireRepository(env, region, name);
  } catch (err) {
    if (err instanceof AwsError && err.code === 'RepositoryNotFoundException') {
      throw new RegistryError('NAME_UNKNOWN', err.message, 404, { name });
    }
    throw err;
  }
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new RegistryError('NAME_INVALID', 'the path is not valid percent-encoding', 400);
  }
}

type Route =
  | { kind: 'ping' }
  | { kind: 'catalog' }
  | { kind: 'tags'; repo: string }
  | { kind: 'manifest'; repo: string; ref: string }
  | { kind: 'referrers'; repo: string; digest: string }
  | { kind: 'upload-start'; repo: string }
  | { kind: 'upload'; repo: string; id: string }
  | { kind: 'blob'; repo: string; digest: string };

function route(path: string): Route | undefined {
  const rest = path === '/v2' ? '' : path.slice('/v2/'.length);
  if (rest === '') return { kind: 'ping' };
  // No repository name can be `_catalog`: names start with a letter or digit.
  if (rest === '_catalog') return { kind: 'catalog' };
  let m = /^(.+)\/tags\/list$/.exec(rest);
  if (m?.[1]) return { kind: 'tags', repo: decode(m[1]) };
  m = /^(.+)\/manifests\/([^/]+)$/.exec(rest);
  if (m?.[1] && m[2]) return { kind: 'manifest', repo: decode(m[1]), ref: decode(m[2]) };
  m = /^(.+)\/referrers\/([^/]+)$/.exec(rest);
  if (m?.[1] && m[2]) return { kind: 'referrers', repo: decode(m[1]), digest: decode(m[2]) };
  m = /^(.+)\/blobs\/uploads\/?$/.exec(rest);
  if (m?.[1]) return { kind: 'upload-start', repo: decode(m[1]) };
  m = /^(.+)\/blobs\/uploads\/([^/]+)$/.exec(rest);
  if (m?.[1] && m[2]) return { kind: 'upload', repo: decode(m[1]), id: decode(m[2]) };
  m = /^(.+)\/blobs\/([^/]+)$/.exec(rest);
  if (m?.[1] && m[2]) return { kind: 'blob', repo: decode(m[1]), digest: decode(m[2]) };
  return undefined;
}

async function registryHandler(ctx: RequestContext): Promise<Reply> {
  const r = route(ctx.path);
  if (!r) {
    authenticate(ctx);
    throw new RegistryError('UNSUPPORTED', `${ctx.method} ${ctx.path} is not supported by this registry`, 404);
  }
  const caller = authenticate(ctx, r.kind === 'blob' ? { repo: r.repo, digest: r.digest } : undefined);
  if (r.kind === 'ping') {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw unsupported(ctx.method, '/v2/');
    return json(200, {});
  }
  if (caller.signedDownload && r.kind !== 'blob') throw new RegistryError('DENIED', 'a signed download URL only allows reading one blob', 403);
  if (r.kind === 'catalog') return handleCatalog(ctx, caller);
  checkRepository(ctx.env, caller.region, r.repo);
  switch (r.kind) {
    case 'tags':
      requireAction(ctx, caller, r.repo, 'ListImages');
      return handleTags(ctx, caller, r.repo);
    case 'manifest':
      return handleManifest(ctx, caller, r.repo, r.ref);
    case 'referrers':
      requireAction(ctx, caller, r.repo, 'BatchGetImage');
      return handleReferrers(ctx, caller, r.repo, r.digest);
    case 'blob':
      return handleBlob(ctx, caller, r.repo, r.digest);
    case 'upload-start':
      return handleUploadStart(ctx, caller, r.repo);
    case 'upload':
      return handleUpload(ctx, caller, r.repo, r.id);
  }
}

/** The one operation the `/v2/` paths resolve to; it authenticates callers itself. */
export const registryOperation: OperationDefinition = {
  name: 'Registry',
  auth: 'none',
  streamBody: true,
  handler: async (ctx) => {
    try {
      return await registryHandler(ctx);
    } finally {
      // Whatever the outcome, do not leave an unread body on a keep-alive connection.
      if (!ctx.req.readableEnded) ctx.req.resume();
    }
  },
};
