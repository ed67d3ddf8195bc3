import type { IncomingMessage } from 'node:http';
import { readBody } from '../../../core/body';
import { authorizeAction } from '../../../core/authorize';
import type { EmulatorEnv, Principal, RawRequestInfo } from '../../../core/types';
import { basicToken } from '../../ecr/auth';
import {
  blobCreated,
  closingDigest,
  declaredMediaType,
  hasBody,
  manifestReference,
  readManifestBody,
  serveBlob,
  serveManifest,
  storingManifest,
  unfinishedUpload,
  uploadHeaders,
} from '../../ecr/registry/distribution';
import { json, pageSizeParam, RegistryError, reply, unsupported, type RegistryReply } from '../../ecr/registry/http';
import { DIGEST_RE } from '../../ecr/validation';
import { issueBearer, verifyBearer, verifyLogin, type Grant } from '../model/auth';
import { deleteImages, digestForTag, getImage, presentLayers, putImage } from '../model/images';
import { appendUpload, discardUpload, finishUpload, hasUpload, startUpload, uploadedBytes } from '../model/layers';
import { registry, repositoryArn } from '../model/registry';
import { getRepository, publicRepositoryContextOf, publicRepositoryPolicyOf } from '../model/repositories';

/**
 * The public registry: the Docker / OCI distribution API for public
 * repositories, at `<public registry host>/v2/<alias>/<repository>/...`,
 * and the token endpoint its challenges point to. It works as
 * public.ecr.aws does: every `/v2/` request needs a bearer token, which the
 * token endpoint hands to anyone for pulls (so `docker pull` and `skopeo
 * inspect` work with no credentials at all), and with push rights to a
 * caller who sends the ECR Public login password (`docker login -u AWS
 * --password-stdin` with `aws ecr-public get-login-password`).
 * https://docs.aws.amazon.com/AmazonECR/latest/public/public-registry-auth.html
 * https://distribution.github.io/distribution/spec/auth/token/
 */

export const TOKEN_PATH = '/_ecr-public/token';
/** ECR Public is global: its API, and its events in CloudTrail, are in us-east-1. */
const ECR_PUBLIC_REGION = 'us-east-1';
const TOKEN_EXPIRED = 'Your authorization token has expired. Reauthenticate and try again.';

export type { RegistryReply };

/** What the public registry reads of a request: the raw request's path and host (the client's, for the challenge's realm), and the request itself. */
type RegistryRequest = Omit<RawRequestInfo, 'requestId'> & { env: EmulatorEnv; headers: IncomingMessage['headers']; req: IncomingMessage };

/** The challenge a request without a fitting token gets: where to fetch one and for what. */
function challenge(r: RegistryRequest, scope?: string, insufficient = false): RegistryError {
  let header = `Bearer realm="http://${r.host}${TOKEN_PATH}",service="${r.host}"`;
  if (scope) header += `,scope="${scope}"`;
  if (insufficient) header += ',error="insufficient_scope"';
  return new RegistryError(
    'UNAUTHORIZED',
    insufficient ? 'authentication required: push needs the password from `aws ecr-public get-login-password`' : 'authentication required',
    401,
    null,
    { 'WWW-Authenticate': header },
  );
}

function bearerOf(r: RegistryRequest): Grant | undefined {
  const h = r.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1] ? verifyBearer(r.env, m[1]) : undefined;
}

// ---------------------------------------------------------------- token endpoint

/** The login a token request carries: Basic `AWS:<password>` (GET), or an OAuth2 password grant (POST). */
function tokenLogin(r: RegistryRequest, form: URLSearchParams | undefined): { user: string; password: string } | undefined {
  if (form?.get('grant_type') === 'password') return { user: form.get('username') ?? '', password: form.get('password') ?? '' };
  const h = r.headers.authorization;
  if (typeof h !== 'string' || h.trim() === '') return undefined;
  return basicToken(h) ?? { user: '', password: '' };
}

/**
 * The token endpoint, `GET /_ecr-public/token?service=…&scope=repository:<alias>/<repo>:pull,push`
 * (Docker's token protocol), or `POST` with an OAuth2 form (`grant_type=password`,
 * `username`, `password`, `scope`), which containerd sends when it has
 * credentials. Pull is granted to everyone on every repository (they are
 * public); push only to a caller with a valid login password, and the
 * registry still refuses it to a key that may not write.
 * https://distribution.github.io/distribution/spec/auth/token/
 * https://distribution.github.io/distribution/spec/auth/oauth/
 */
export async function handleToken(r: RegistryRequest): Promise<RegistryReply> {
  if (r.method !== 'GET' && r.method !== 'POST') throw unsupported(r.method, 'the token endpoint');
  let form: URLSearchParams | undefined;
  if (r.method === 'POST') {
    const ct = r.headers['content-type'];
    if (typeof ct !== 'string' || !ct.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new RegistryError('UNSUPPORTED', 'POST to the token endpoint takes an application/x-www-form-urlencoded OAuth2 request', 400);
    }
    form = new URLSearchParams((await readBody(r.req, 64 * 1024)).toString('utf8'));
    if (form.get('grant_type') !== 'password') {
      // No refresh tokens are handed out, so a password grant is the only one there is.
      throw new RegistryError('UNSUPPORTED', `grant_type '${form.get('grant_type') ?? ''}' is not supported; use password`, 400);
    }
  }
  let accessKeyId: string | undefined;
  const login = tokenLogin(r, form);
  if (login) {
    if (login.user !== 'AWS') throw new RegistryError('UNAUTHORIZED', "log in with the user name 'AWS' and the password from `aws ecr-public get-login-password`", 401);
    const check = verifyLogin(r.env, login.password);
    if (!check.ok) {
      if (check.reason === 'expired') throw new RegistryError('DENIED', TOKEN_EXPIRED, 403);
      throw new RegistryError('UNAUTHORIZED', 'Your authorization token is not valid for this registry. Reauthenticate and try again.', 401);
    }
    accessKeyId = check.principal.accessKeyId;
  }
  const access: Record<string, string[]> = {};
  const scopes = [...r.query.getAll('scope'), ...(form?.getAll('scope') ?? [])];
  for (const scope of scopes.flatMap((s) => s.split(' '))) {
    const m = /^repository:(.+):([a-z*,]+)$/.exec(scope);
    if (!m?.[1] || !m[2]) continue;
    const wanted = m[2].split(',');
    const granted = wanted.filter((a) => a === 'pull' || (accessKeyId !== undefined && (a === 'push' || a === 'delete' || a === '*')));
    if (granted.length) access[m[1]] = [...new Set([...(access[m[1]] ?? []), ...granted])];
  }
  const t = issueBearer(r.env, { accessKeyId, access });
  return json(200, { token: t.token, access_token: t.token, expires_in: t.expiresInSec, issued_at: t.issuedAt });
}

// ---------------------------------------------------------------- /v2/

type Route =
  | { kind: 'ping' }
  | { kind: 'tags'; name: string }
  | { kind: 'manifest'; name: string; ref: string }
  | { kind: 'upload-start'; name: string }
  | { kind: 'upload'; name: string; id: string }
  | { kind: 'blob'; name: string; digest: string };

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new RegistryError('NAME_INVALID', 'the path is not valid percent-encoding', 400);
  }
}

function route(path: string): Route | undefined {
  const rest = path === '/v2' ? '' : path.slice('/v2/'.length);
  if (rest === '') return { kind: 'ping' };
  let m = /^(.+)\/tags\/list$/.exec(rest);
  if (m?.[1]) return { kind: 'tags', name: decode(m[1]) };
  m = /^(.+)\/manifests\/([^/]+)$/.exec(rest);
  if (m?.[1] && m[2]) return { kind: 'manifest', name: decode(m[1]), ref: decode(m[2]) };
  m = /^(.+)\/blobs\/uploads\/?$/.exec(rest);
  if (m?.[1]) return { kind: 'upload-start', name: decode(m[1]) };
  m = /^(.+)\/blobs\/uploads\/([^/]+)$/.exec(rest);
  if (m?.[1] && m[2]) return { kind: 'upload', name: decode(m[1]), id: decode(m[2]) };
  m = /^(.+)\/blobs\/([^/]+)$/.exec(rest);
  if (m?.[1] && m[2]) return { kind: 'blob', name: decode(m[1]), digest: decode(m[2]) };
  return undefined;
}

/** `<alias>/<repository>` → the repository, when the alias is this registry's and the repository exists. */
function repositoryOf(r: RegistryRequest, name: string): string {
  const slash = name.indexOf('/');
  const alias = slash > 0 ? name.slice(0, slash) : '';
  const repo = slash > 0 ? name.slice(slash + 1) : '';
  if (alias === '' || alias !== registry(r.env).alias || !getRepository(r.env, repo)) {
    throw new RegistryError('NAME_UNKNOWN', `The repository with name '${name}' does not exist in the registry`, 404, { name });
  }
  return repo;
}

interface Caller {
  grant: Grant;
  name: string;
  repo: string;
  /** The IAM principal behind a login token (absent for an anonymous pull token). */
  principal?: Principal;
}

function authorize(r: RegistryRequest, name: string, action: 'pull' | 'push'): Caller {
  const grant = bearerOf(r);
  const scope = `repository:${name}:${action === 'push' ? 'pull,push' : 'pull'}`;
  if (!grant) throw challenge(r, scope);
  if (!(grant.access[name] ?? []).some((a) => a === action || a === '*')) throw challenge(r, scope, true);
  const repo = repositoryOf(r, name);
  const principal = grant.accessKeyId ? r.env.resolveCredential(grant.accessKeyId)?.principal : undefined;
  if (action === 'push' && !principal) throw challenge(r, scope, true);
  return { grant, name, repo, principal };
}

/** Whether the caller's token may push to this name: a login token, asked for with push scope. */
function pushes(c: Caller): boolean {
  return c.principal !== undefined && (c.grant.access[c.name] ?? []).some((a) => a === 'push' || a === '*');
}

/**
 * Decides one ECR Public action a push step stands for, as the API would
 * decide the call of the same name: starting an upload is
 * ecr-public:InitiateLayerUpload, sending bytes UploadLayerPart, the closing
 * PUT CompleteLayerUpload, the manifest PutImage, a pusher's HEAD of a layer
 * BatchCheckLayerAvailability, a manifest DELETE BatchDeleteImage (the
 * actions of "Amazon ECR Public" in the Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistrypublic.html,
 * and what AmazonElasticContainerRegistryPublicPowerUser grants for a push).
 * A denial is 403 DENIED with IAM's sentence, which docker prints after
 * "denied: ".
 */
function requirePublicAction(r: RegistryRequest, c: Caller, action: string, parameters: Record<string, unknown> = {}): void {
  if (!c.principal) throw challenge(r, `repository:${c.name}:pull,push`, true);
  const denied = authorizeAction(
    r.env,
    { signingName: 'ecr-public', resourcePolicy: publicRepositoryPolicyOf, resourceContext: publicRepositoryContextOf },
    c.principal,
    { action: `ecr-public:${action}`, resource: repositoryArn(r.env, c.repo) },
    { req: r.req, region: ECR_PUBLIC_REGION },
  );
  // CloudTrail records the step as the ECR Public API action it stands for,
  // refused or not, in us-east-1, where ECR Public's events are logged
  // (https://docs.aws.amazon.com/AmazonECR/latest/public/logging-using-cloudtrail.html).
  r.activity.push({
    eventName: action,
    principal: c.principal,
    region: ECR_PUBLIC_REGION,
    parameters: { registryId: r.env.accountId, repositoryName: c.repo, ...parameters },
    ...(denied !== undefined ? { error: { code: 'AccessDeniedException', message: denied } } : {}),
  });
  if (denied !== undefined) throw new RegistryError('DENIED', denied, 403);
}

/** The reference as ECR Public's API parameters name it, for the CloudTrail record of a push step. */
const imageId = (ref: string, byDigest: boolean) => (byDigest ? { imageDigest: ref } : { imageTag: ref });

function handleBlob(r: RegistryRequest, c: Caller, digest: string): RegistryReply {
  if (r.method !== 'GET' && r.method !== 'HEAD') throw unsupported(r.method, 'blobs');
  if (!DIGEST_RE.test(digest)) throw new RegistryError('DIGEST_INVALID', `invalid digest '${digest}'`, 400);
  // Pulls are anyone's; a pusher's HEAD is the push's layer check.
  if (r.method === 'HEAD' && pushes(c)) requirePublicAction(r, c, 'BatchCheckLayerAvailability', { layerDigests: [digest] });
  const size = presentLayers(r.env, c.repo, [digest]).has(digest) ? r.env.blobs.size(digest.slice('sha256:'.length)) : undefined;
  if (size === undefined) throw new RegistryError('BLOB_UNKNOWN', `blob ${digest} is not in repository ${c.name}`, 404, { digest });
  return serveBlob(r.env.blobs, r.method, r.headers, digest, size);
}

async function finish(r: RegistryRequest, c: Caller, id: string, digest: string | null): Promise<RegistryReply> {
  const done = await finishUpload(r.env, id, c.repo, closingDigest(digest));
  if (!done.ok) throw unfinishedUpload(done);
  return blobCreated(c.name, done.digest);
}

async function handleUploadStart(r: RegistryRequest, c: Caller): Promise<RegistryReply> {
  if (r.method !== 'POST') throw unsupported(r.method, 'blob uploads');
  requirePublicAction(r, c, 'InitiateLayerUpload');
  const digest = r.query.get('digest');
  // A monolithic upload is the whole push of a layer in one request: its part and its completion too.
  if (digest !== null) {
    requirePublicAction(r, c, 'UploadLayerPart');
    requirePublicAction(r, c, 'CompleteLayerUpload', { layerDigests: [digest] });
  }
  // Cross-repository mounts are not offered: the answer is a plain upload, which the spec allows.
  const id = startUpload(r.env, c.repo);
  if (digest !== null) {
    await appendUpload(r.env, id, r.req);
    return finish(r, c, id, digest);
  }
  return reply(202, uploadHeaders(c.name, id, 0));
}

async function handleUpload(r: RegistryRequest, c: Caller, id: string): Promise<RegistryReply> {
  // Sending bytes is UploadLayerPart; the closing PUT is CompleteLayerUpload (and a part when it carries bytes).
  requirePublicAction(r, c, 'UploadLayerPart', { uploadId: id });
  if (r.method === 'PUT') requirePublicAction(r, c, 'CompleteLayerUpload', { uploadId: id });
  if (!hasUpload(r.env, id, c.repo)) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', `blob upload ${id} is unknown to the registry`, 404);
  switch (r.method) {
    case 'GET':
      return reply(204, uploadHeaders(c.name, id, uploadedBytes(r.env, id)));
    case 'PATCH':
      return reply(202, uploadHeaders(c.name, id, await appendUpload(r.env, id, r.req)));
    case 'PUT':
      if (hasBody(r.headers)) await appendUpload(r.env, id, r.req);
      return finish(r, c, id, r.query.get('digest'));
    case 'DELETE':
      await discardUpload(r.env, id);
      return reply(204, { 'Content-Length': '0' });
    default:
      throw unsupported(r.method, 'blob uploads');
  }
}

async function handleManifest(r: RegistryRequest, c: Caller, ref: string): Promise<RegistryReply> {
  const parsed = manifestReference(ref);
  const { byDigest } = parsed;
  if (r.method === 'GET' || r.method === 'HEAD') {
    const digest = byDigest ? ref : digestForTag(r.env, c.repo, ref);
    return serveManifest(digest === undefined ? undefined : getImage(r.env, c.repo, digest), parsed, r.method, r.headers.accept);
  }
  if (r.method === 'PUT') {
    requirePublicAction(r, c, 'PutImage', imageId(ref, byDigest));
    const manifest = await readManifestBody(r.req);
    const out = storingManifest(() =>
      putImage(r.env, {
        repository: c.repo,
        manifest,
        mediaType: declaredMediaType(r.headers),
        tag: byDigest ? undefined : ref,
        digest: byDigest ? ref : undefined,
        idempotent: true,
      }),
    );
    return reply(201, { Location: `/v2/${c.name}/manifests/${out.digest}`, 'Docker-Content-Digest': out.digest, 'Content-Length': '0' });
  }
  if (r.method === 'DELETE') {
    requirePublicAction(r, c, 'BatchDeleteImage', { imageIds: [imageId(ref, byDigest)] });
    const out = deleteImages(r.env, c.repo, undefined, [byDigest ? { imageDigest: ref } : { imageTag: ref }]);
    const failure = out.failures[0];
    if (failure) throw new RegistryError(failure.failureCode === 'ImageNotFound' ? 'MANIFEST_UNKNOWN' : 'DENIED', failure.failureReason, failure.failureCode === 'ImageNotFound' ? 404 : 409);
    return reply(202, { 'Content-Length': '0' });
  }
  throw unsupported(r.method, 'manifests');
}

function handleTags(r: RegistryRequest, c: Caller): RegistryReply {
  if (r.method !== 'GET') throw unsupported(r.method, 'tags');
  const n = pageSizeParam(r.query);
  const last = r.query.get('last') ?? '';
  const rows = r.env.db
    .prepare('SELECT tag FROM ecr_public_image_tags WHERE repository_name = ? AND tag > ? ORDER BY tag LIMIT ?')
    .all(c.repo, last, n + 1) as { tag: string }[];
  const tags = rows.slice(0, n).map((x) => x.tag);
  const headers: Record<string, string> = {};
  const lastTag = tags.at(-1);
  if (rows.length > n && lastTag !== undefined) headers.Link = `</v2/${c.name}/tags/list?n=${n}&last=${encodeURIComponent(lastTag)}>; rel="next"`;
  return json(200, { name: c.name, tags }, headers);
}

/** Answers one `/v2/` request of the public registry. */
export async function handleRegistry(r: RegistryRequest): Promise<RegistryReply> {
  const rt = route(r.path);
  if (!rt) throw new RegistryError('UNSUPPORTED', `${r.method} ${r.path} is not supported by this registry`, 404);
  if (rt.kind === 'ping') {
    if (r.method !== 'GET' && r.method !== 'HEAD') throw unsupported(r.method, '/v2/');
    // As public.ecr.aws: any valid token, even an anonymous one, answers the version check.
    if (!bearerOf(r)) throw challenge(r);
    return json(200, {});
  }
  const writes =
    rt.kind === 'upload-start' || rt.kind === 'upload' || (rt.kind === 'manifest' && (r.method === 'PUT' || r.method === 'DELETE'));
  const c = authorize(r, rt.name, writes ? 'push' : 'pull');
  switch (rt.kind) {
    case 'tags':
      return handleTags(r, c);
    case 'manifest':
      return handleManifest(r, c, rt.ref);
    case 'blob':
      return handleBlob(r, c, rt.digest);
    case 'upload-start':
      return handleUploadStart(r, c);
    case 'upload':
      return handleUpload(r, c, rt.id);
  }
}
