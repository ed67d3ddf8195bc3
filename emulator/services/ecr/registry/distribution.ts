import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { BlobStore } from '../../../core/blobs';
import { BodyTooLargeError, readBody } from '../../../core/body';
import { ImageProblem } from '../store';
import { DIGEST_RE, TAG_RE } from '../validation';
import { RegistryError, reply, type RegistryReply } from './http';
import { negotiateManifest } from './negotiate';

/**
 * The parts of the OCI distribution API that the private registry (`/v2/` on
 * 127.0.0.1) and ECR Public's registry (`/v2/<alias>/…` on localhost) answer
 * alike: manifest references, reading and serving manifests, blob downloads
 * with ranges, and upload session headers. Each registry keeps its own
 * routing, authorization and storage, and calls these for the wire.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md
 */

/** The largest manifest either registry takes, as ECR documents (4 MiB). */
export const MANIFEST_LIMIT = 4 * 1024 * 1024;

/** A manifest reference: a digest, or a tag that fits ECR's tag rule. */
export function manifestReference(ref: string): { byDigest: boolean; detail: { digest: string } | { tag: string } } {
  const byDigest = DIGEST_RE.test(ref);
  if (!byDigest && !TAG_RE.test(ref)) throw new RegistryError('MANIFEST_INVALID', `invalid reference '${ref}'`, 400);
  return { byDigest, detail: byDigest ? { digest: ref } : { tag: ref } };
}

/** A stored image's refusal in the distribution API's codes. */
export function manifestErrorFor(p: ImageProblem): RegistryError {
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

/** Runs a store call that may refuse the manifest, answering its refusal in the distribution API's codes. */
export function storingManifest<T>(store: () => T): T {
  try {
    return store();
  } catch (err) {
    if (err instanceof ImageProblem) throw manifestErrorFor(err);
    throw err;
  }
}

/**
 * A manifest PUT's body as text: at most MANIFEST_LIMIT bytes (SIZE_INVALID
 * past it), and UTF-8, since the digest is over the bytes and a lossy decode
 * would store a manifest other than the one sent.
 */
export async function readManifestBody(req: IncomingMessage): Promise<string> {
  let raw: Buffer;
  try {
    raw = await readBody(req, MANIFEST_LIMIT);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new RegistryError('SIZE_INVALID', `manifests may be at most ${MANIFEST_LIMIT} bytes`, 413);
    throw err;
  }
  const text = raw.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(raw)) throw new RegistryError('MANIFEST_INVALID', 'the manifest is not valid UTF-8', 400);
  return text;
}

/** The Content-Type a manifest PUT declares, if any (the store falls back on the manifest's own mediaType). */
export function declaredMediaType(headers: IncomingHttpHeaders): string | undefined {
  const ct = headers['content-type'];
  return typeof ct === 'string' ? ct : undefined;
}

/**
 * GET or HEAD of a stored manifest, negotiated against the client's Accept
 * (negotiate.ts); MANIFEST_UNKNOWN when no image answers the reference or no
 * representation suits the client.
 */
export function serveManifest(
  image: { manifest: string; media_type: string; digest: string } | undefined,
  ref: ReturnType<typeof manifestReference>,
  method: string,
  accept: string | string[] | undefined,
): RegistryReply {
  if (!image) throw new RegistryError('MANIFEST_UNKNOWN', 'Requested image not found', 404, ref.detail);
  const chosen = negotiateManifest(image, accept, !ref.byDigest);
  if (!chosen.ok) throw new RegistryError('MANIFEST_UNKNOWN', chosen.message, 404, { ...ref.detail, mediaType: image.media_type });
  const headers = {
    'Content-Type': chosen.mediaType,
    'Docker-Content-Digest': chosen.digest,
    'Content-Length': String(chosen.body.length),
    ETag: `"${chosen.digest}"`,
  };
  return reply(200, headers, method === 'HEAD' ? undefined : chosen.body);
}

/**
 * A `Range: bytes=a-b`, `bytes=a-` or `bytes=-n` request header against a
 * blob of `size` bytes; anything else (several ranges, `bytes=-`, past the
 * end) is no range, and the whole blob is sent.
 * https://www.rfc-editor.org/rfc/rfc9110#name-range
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return Number.isFinite(start) && start <= end && start < size ? { start, end } : undefined;
}

/**
 * GET or HEAD of a blob known to be in the repository: the whole blob, or
 * the range asked for (206). `extra` adds headers one registry sends and the
 * other does not.
 */
export function serveBlob(
  blobs: BlobStore,
  method: string,
  headersIn: IncomingHttpHeaders,
  digest: string,
  size: number,
  extra: Record<string, string> = {},
): RegistryReply {
  const sha = digest.slice('sha256:'.length);
  const headers: Record<string, string> = {
    'Content-Type': 'application/octet-stream',
    'Docker-Content-Digest': digest,
    'Accept-Ranges': 'bytes',
    ETag: `"${digest}"`,
    ...extra,
  };
  const range = method === 'GET' ? parseRange(typeof headersIn.range === 'string' ? headersIn.range : undefined, size) : undefined;
  if (range) {
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
    headers['Content-Length'] = String(range.end - range.start + 1);
    return reply(206, headers, blobs.createReadStream(sha, range));
  }
  headers['Content-Length'] = String(size);
  if (method === 'HEAD') return reply(200, headers);
  return reply(200, headers, size === 0 ? Buffer.alloc(0) : blobs.createReadStream(sha));
}

/** Where an upload session lives and how much of it has arrived. */
export function uploadHeaders(name: string, id: string, size: number): Record<string, string> {
  return {
    Location: `/v2/${name}/blobs/uploads/${id}`,
    'Docker-Upload-UUID': id,
    // The distribution convention: "0-0" also for an empty upload.
    Range: `0-${Math.max(0, size - 1)}`,
    'Content-Length': '0',
  };
}

/** The digest query parameter that closes an upload; DIGEST_INVALID without one. */
export function closingDigest(digest: string | null): string {
  if (digest === null || !DIGEST_RE.test(digest)) {
    throw new RegistryError('DIGEST_INVALID', 'a sha256 digest query parameter is required to finish an upload', 400);
  }
  return digest;
}

/** An upload that could not close: empty, or its bytes do not hash to the digest given. */
export function unfinishedUpload(r: { kind: string; actual?: string }): RegistryError {
  return new RegistryError('DIGEST_INVALID', r.kind === 'empty' ? 'the upload is empty' : `provided digest did not match uploaded content (got ${r.actual ?? '?'})`, 400);
}

/** The answer to a blob that finished uploading. */
export function blobCreated(name: string, digest: string): RegistryReply {
  return reply(201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest, 'Content-Length': '0' });
}

/** Whether a request carries a body (a PUT that closes an upload may or may not). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  const len = headers['content-length'];
  return typeof len === 'string' ? Number(len) > 0 : headers['transfer-encoding'] !== undefined;
}
