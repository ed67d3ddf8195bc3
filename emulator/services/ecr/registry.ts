import type { Readable } from 'node:stream';
import { BodyTooLargeError, readBody } from '../../core/body';
import { AwsError, accessDeniedMessage } from '../../core/errors';
import type { EmulatorEnv, OperationDefinition, Principal, Reply, RequestContext } from '../../core/types';
import { basicToken, verifyDownload, verifyToken } from './auth';
import {
  appendUpload,
  discardUpload,
  findUpload,
  finishUpload,
  startUpload,
  uploadedBytes,
  type UploadRow,
} from './layers';
import { repositoryArn } from './repositories';
import {
  addLayer,
  deleteImages,
  digestForTag,
  getImage,
  ImageProblem,
  presentLayers,
  putImage,
  recordPull,
  requireRepository,
} from './store';
import { DIGEST_RE, REPOSITORY_NAME_PATTERN, TAG_RE } from './validation';

/**
 * The Docker / OCI distribution API (`/v2/...`) on the emulator's port, the
 * endpoint `docker login` and skopeo use with GetAuthorizationToken's
 * proxyEndpoint. It shares tables and blobs with the ECR API. Callers
 * authenticate with HTTP Basic `AWS:<token>`; a token from the readonly key
 * may pull but not push. Blob GETs also accept GetDownloadUrlForLayer's
 * signed URLs.
 */

const MANIFEST_LIMIT = 4 * 1024 * 1024;
const NAME_RE = new RegExp(`^${REPOSITORY_NAME_PATTERN}$`);
const API_VERSION = { 'Docker-Distribution-API-Version': 'registry/2.0' };

/** An error in the registry's own JSON shape: `{"errors":[{code,message,detail}]}`. */
export class RegistryError extends AwsError {
  constructor(
    readonly registryCode: string,
    message: string,
    status: number,
    readonly detail: unknown = null,
    headers: Record<string, string> = {},
  ) {
    super(registryCode, message, status, { headers });
  }
}

export function renderRegistryError(err: RegistryError, requestId: string): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: err.status,
    headers: {
      ...API_VERSION,
      'Content-Type': 'application/json; charset=utf-8',
      'x-amzn-RequestId': requestId,
      ...err.headers,
    },
    body: JSON.stringify({ errors: [{ code: err.registryCode, message: err.message, detail: err.detail }] }),
  };
}

interface Caller {
  principal?: Principal;
  region: string;
  /** Authenticated only by a signed download URL, good for that one blob. */
  signedDownload: boolean;
}

function unauthorized(ctx: RequestContext, message: string): RegistryError {
  const host = typeof ctx.headers.host === 'string' ? ctx.headers.host : 'localhost';
  return new RegistryError('UNAUTHORIZED', message, 401, null, {
    'WWW-Authenticate': `Basic realm="http://${host}/",service="ecr.amazonaws.com"`,
  });
}

function authenticate(ctx: RequestContext, blob?: { repo: string; digest: string }): Caller {
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
    throw unauthorized(
      ctx,
      check.reason === 'expired'
        ? 'Your authorization token has expired. Reauthenticate and try again.'
        : 'Your authorization token is not valid for this registry. Reauthenticate and try again.',
    );
  }
  return { principal: check.principal, region: check.region, signedDownload: false };
}

function requirePush(ctx: RequestContext, caller: Caller, repo: string, action: string): void {
  if (!caller.principal) throw new RegistryError('DENIED', 'a signed download URL only allows reading one blob', 403);
  if (caller.principal.readOnly) {
    throw new RegistryError(
      'DENIED',
      accessDeniedMessage(caller.principal.arn, `ecr:${action}`, repositoryArn(caller.region, ctx.env.accountId, repo)),
      403,
    );
  }
}

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
  | { kind: 'tags'; repo: string }
  | { kind: 'manifest'; repo: string; ref: string }
  | { kind: 'upload-start'; repo: string }
  | { kind: 'upload'; repo: string; id: string }
  | { kind: 'blob'; repo: string; digest: string };

function route(path: string): Route | undefined {
  const rest = path === '/v2' ? '' : path.slice('/v2/'.length);
  if (rest === '') return { kind: 'ping' };
  let m = /^(.+)\/tags\/list$/.exec(rest);
  if (m?.[1]) return { kind: 'tags', repo: decode(m[1]) };
  m = /^(.+)\/manifests\/([^/]+)$/.exec(rest);
  if (m?.[1] && m[2]) return { kind: 'manifest', repo: decode(m[1]), ref: decode(m[2]) };
  m = /^(.+)\/blobs\/uploads\/?$/.exec(rest);
  if (m?.[1]) return { kind: 'upload-start', repo: decode(m[1]) };
  m = /^(.+)\/blobs\/uploads\/([^/]+)$/.exec(rest);
  if (m?.[1] && m[2]) return { kind: 'upload', repo: decode(m[1]), id: decode(m[2]) };
  m = /^(.+)\/blobs\/([^/]+)$/.exec(rest);
  if (m?.[1] && m[2]) return { kind: 'blob', repo: decode(m[1]), digest: decode(m[2]) };
  return undefined;
}

function reply(status: number, headers: Record<string, string> = {}, body?: string | Buffer | Readable): Reply {
  return { status, headers: { ...API_VERSION, ...headers }, body };
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return reply(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(value));
}

function unsupported(method: string, what: string): RegistryError {
  return new RegistryError('UNSUPPORTED', `${method} is not supported on ${what}`, 405);
}

function uploadLocation(repo: string, id: string): string {
  return `/v2/${repo}/blobs/uploads/${id}`;
}

function uploadHeaders(repo: string, id: string, size: number): Record<string, string> {
  return {
    Location: uploadLocation(repo, id),
    'Docker-Upload-UUID': id,
    // The distribution convention: "0-0" also for an empty upload.
    Range: `0-${Math.max(0, size - 1)}`,
    'Content-Length': '0',
  };
}

async function finish(ctx: RequestContext, upload: UploadRow, repo: string, digest: string | null): Promise<Reply> {
  if (digest === null || !DIGEST_RE.test(digest)) {
    throw new RegistryError('DIGEST_INVALID', 'a sha256 digest query parameter is required to finish an upload', 400);
  }
  const r = await finishUpload(ctx.env, upload, digest);
  if (!r.ok) {
    throw new RegistryError(
      'DIGEST_INVALID',
      r.kind === 'empty' ? 'the upload is empty' : `provided digest did not match uploaded content (got ${r.actual ?? '?'})`,
      400,
    );
  }
  return reply(201, { Location: `/v2/${repo}/blobs/${r.digest}`, 'Docker-Content-Digest': r.digest, 'Content-Length': '0' });
}

function checkContentRange(ctx: RequestContext, have: number, repo: string, id: string): void {
  const cr = ctx.headers['content-range'];
  if (typeof cr !== 'string' || cr === '') return;
  const m = /^(?:bytes[ =])?(\d+)-(\d+)/.exec(cr.trim());
  if (!m || Number(m[1]) !== have) {
    throw new RegistryError('BLOB_UPLOAD_INVALID', `Content-Range ${cr} does not continue the upload at byte ${have}`, 416, null, {
      Location: uploadLocation(repo, id),
      Range: `0-${Math.max(0, have - 1)}`,
      'Docker-Upload-UUID': id,
    });
  }
}

function hasBody(ctx: RequestContext): boolean {
  const len = ctx.headers['content-length'];
  if (typeof len === 'string') return Number(len) > 0;
  return ctx.headers['transfer-encoding'] !== undefined;
}

function registryErrorFor(p: ImageProblem): RegistryError {
  switch (p.kind) {
    case 'blobs-missing':
    case 'children-missing':
      return new RegistryError('MANIFEST_BLOB_UNKNOWN', p.message, 400, { digests: p.digests });
    case 'tag-immutable':
    case 'tag-invalid':
      return new RegistryError('TAG_INVALID', p.message, 400);
    case 'digest-mismatch':
      return new RegistryError('DIGEST_INVALID', p.message, 400);
    default:
      return new RegistryError('MANIFEST_INVALID', p.message, 400);
  }
}

async function handleManifest(ctx: RequestContext, caller: Caller, repo: string, ref: string): Promise<Reply> {
  const env = ctx.env;
  const region = caller.region;
  const byDigest = DIGEST_RE.test(ref);
  if (!byDigest && !TAG_RE.test(ref)) throw new RegistryError('MANIFEST_INVALID', `invalid reference '${ref}'`, 400);

  if (ctx.method === 'GET' || ctx.method === 'HEAD') {
    const digest = byDigest ? ref : digestForTag(env.db, region, repo, ref);
    const image = digest === undefined ? undefined : getImage(env.db, region, repo, digest);
    if (!image) {
      throw new RegistryError('MANIFEST_UNKNOWN', `Requested image not found`, 404, { tag: byDigest ? undefined : ref, digest: byDigest ? ref : undefined });
    }
    const body = Buffer.from(image.manifest, 'utf8');
    const headers = {
      'Content-Type': image.media_type,
      'Docker-Content-Digest': image.digest,
      'Content-Length': String(body.length),
      ETag: `"${image.digest}"`,
    };
    if (ctx.method === 'HEAD') return reply(200, headers);
    recordPull(env, region, repo, [image.digest]);
    return reply(200, headers, body);
  }

  if (ctx.method === 'PUT') {
    requirePush(ctx, caller, repo, 'PutImage');
    let raw: Buffer;
    try {
      raw = await readBody(ctx.req, MANIFEST_LIMIT);
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw new RegistryError('SIZE_INVALID', `manifests may be at most ${MANIFEST_LIMIT} bytes`, 413);
      throw err;
    }
    const text = raw.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(raw)) throw new RegistryError('MANIFEST_INVALID', 'the manifest is not valid UTF-8', 400);
    const ct = ctx.headers['content-type'];
    try {
      const r = putImage(env, {
        region,
        repository: repo,
        manifest: text,
        mediaType: typeof ct === 'string' ? ct : undefined,
        tag: byDigest ? undefined : ref,
        digest: byDigest ? ref : undefined,
        idempotent: true,
      });
      return reply(201, { Location: `/v2/${repo}/manifests/${r.digest}`, 'Docker-Content-Digest': r.digest, 'Content-Length': '0' });
    } catch (err) {
      if (err instanceof ImageProblem) throw registryErrorFor(err);
      throw err;
    }
  }

  if (ctx.method === 'DELETE') {
    requirePush(ctx, caller, repo, 'BatchDeleteImage');
    const out = deleteImages(env, region, repo, [byDigest ? { imageDigest: ref } : { imageTag: ref }]);
    const failure = out.failures[0];
    if (failure) {
      if (failure.failureCode === 'ImageReferencedByManifestList') throw new RegistryError('DENIED', failure.failureReason, 409);
      throw new RegistryError('MANIFEST_UNKNOWN', failure.failureReason, 404);
    }
    return reply(202, { 'Content-Length': '0' });
  }
  throw unsupported(ctx.method, 'manifests');
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '' && m[2] !== '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (!Number.isFinite(start) || start > end || start >= size) return undefined;
  return { start, end };
}

function handleBlob(ctx: RequestContext, caller: Caller, repo: string, digest: string): Reply {
  const env = ctx.env;
  if (ctx.method === 'DELETE') throw unsupported('DELETE', 'blobs (ECR removes layers itself)');
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw unsupported(ctx.method, 'blobs');
  if (!DIGEST_RE.test(digest)) throw new RegistryError('DIGEST_INVALID', `invalid digest '${digest}'`, 400);
  const layer = presentLayers(env.db, caller.region, repo, [digest]).get(digest);
  const sha = digest.slice('sha256:'.length);
  const size = layer ? env.blobs.size(sha) : undefined;
  if (!layer || size === undefined) throw new RegistryError('BLOB_UNKNOWN', `blob ${digest} is not in repository ${repo}`, 404, { digest });
  const headers: Record<string, string> = {
    'Content-Type': 'application/octet-stream',
    'Docker-Content-Digest': digest,
    'Accept-Ranges': 'bytes',
    ETag: `"${digest}"`,
    'Cache-Control': 'max-age=31536000',
  };
  const range = ctx.method === 'GET' ? parseRange(typeof ctx.headers.range === 'string' ? ctx.headers.range : undefined, size) : undefined;
  if (range) {
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
    headers['Content-Length'] = String(range.end - range.start + 1);
    return reply(206, headers, env.blobs.createReadStream(sha, range));
  }
  headers['Content-Length'] = String(size);
  if (ctx.method === 'HEAD') return reply(200, headers);
  return reply(200, headers, size === 0 ? Buffer.alloc(0) : env.blobs.createReadStream(sha));
}

async function handleUploadStart(ctx: RequestContext, caller: Caller, repo: string): Promise<Reply> {
  const env = ctx.env;
  if (ctx.method !== 'POST') throw unsupported(ctx.method, 'blob uploads');
  requirePush(ctx, caller, repo, 'InitiateLayerUpload');
  const mount = ctx.query.get('mount');
  const from = ctx.query.get('from');
  if (mount && from && DIGEST_RE.test(mount) && NAME_RE.test(from)) {
    // Cross-repository mount: the blob is already here if the source repository has it.
    const src = presentLayers(env.db, caller.region, from, [mount]).get(mount);
    if (src && env.blobs.has(mount.slice('sha256:'.length))) {
      addLayer(env, caller.region, repo, mount, src.size, src.mediaType);
      return reply(201, { Location: `/v2/${repo}/blobs/${mount}`, 'Docker-Content-Digest': mount, 'Content-Length': '0' });
    }
  }
  const id = startUpload(env, caller.region, repo);
  const digest = ctx.query.get('digest');
  if (digest !== null) {
    // Monolithic upload: the whole blob is in this POST.
    await appendUpload(env, id, ctx.req);
    const upload = findUpload(env, id, caller.region, repo);
    if (!upload) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', 'upload vanished', 404);
    return finish(ctx, upload, repo, digest);
  }
  return reply(202, uploadHeaders(repo, id, 0));
}

async function handleUpload(ctx: RequestContext, caller: Caller, repo: string, id: string): Promise<Reply> {
  const env = ctx.env;
  requirePush(ctx, caller, repo, 'UploadLayerPart');
  const upload = /^[0-9a-f-]{36}$/.test(id) ? findUpload(env, id, caller.region, repo) : undefined;
  if (!upload) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', `blob upload ${id} is unknown to the registry`, 404);
  switch (ctx.method) {
    case 'GET':
      return reply(204, uploadHeaders(repo, id, uploadedBytes(env, id)));
    case 'PATCH': {
      checkContentRange(ctx, uploadedBytes(env, id), repo, id);
      const size = await appendUpload(env, id, ctx.req);
      return reply(202, uploadHeaders(repo, id, size));
    }
    case 'PUT': {
      if (hasBody(ctx)) {
        checkContentRange(ctx, uploadedBytes(env, id), repo, id);
        await appendUpload(env, id, ctx.req);
      } else {
        ctx.req.resume();
      }
      return finish(ctx, upload, repo, ctx.query.get('digest'));
    }
    case 'DELETE':
      await discardUpload(env, id);
      return reply(204, { 'Content-Length': '0' });
    default:
      throw unsupported(ctx.method, 'blob uploads');
  }
}

function handleTags(ctx: RequestContext, caller: Caller, repo: string): Reply {
  if (ctx.method !== 'GET') throw unsupported(ctx.method, 'tags');
  const nRaw = ctx.query.get('n');
  const last = ctx.query.get('last') ?? '';
  const n = nRaw === null || nRaw === '' ? 1000 : Number(nRaw);
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new RegistryError('PAGINATION_NUMBER_INVALID', 'n must be an integer from 0 to 1000', 400);
  const rows = ctx.env.db
    .prepare('SELECT tag FROM ecr_image_tags WHERE region = ? AND repository_name = ? AND tag > ? ORDER BY tag LIMIT ?')
    .all(caller.region, repo, last, n + 1) as { tag: string }[];
  const tags = rows.slice(0, n).map((r) => r.tag);
  const headers: Record<string, string> = {};
  const lastTag = tags.at(-1);
  if (rows.length > n && lastTag !== undefined) {
    headers.Link = `</v2/${repo}/tags/list?n=${n}&last=${encodeURIComponent(lastTag)}>; rel="next"`;
  }
  return json(200, { name: repo, tags }, headers);
}

async function registryHandler(ctx: RequestContext): Promise<Reply> {
  const r = route(ctx.path);
  if (!r) {
    // _catalog and the like: ECR's registry does not offer them.
    authenticate(ctx);
    throw new RegistryError('UNSUPPORTED', `${ctx.method} ${ctx.path} is not supported by this registry`, 404);
  }
  const caller = authenticate(ctx, r.kind === 'blob' ? { repo: r.repo, digest: r.digest } : undefined);
  if (r.kind === 'ping') {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw unsupported(ctx.method, '/v2/');
    return json(200, {});
  }
  if (caller.signedDownload && r.kind !== 'blob') throw new RegistryError('DENIED', 'a signed download URL only allows reading one blob', 403);
  checkRepository(ctx.env, caller.region, r.repo);
  switch (r.kind) {
    case 'tags':
      return handleTags(ctx, caller, r.repo);
    case 'manifest':
      return handleManifest(ctx, caller, r.repo, r.ref);
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
  write: false,
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
