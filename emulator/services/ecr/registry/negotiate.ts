import { MEDIA_TYPES, sha256Digest } from '../store';

/**
 * Manifest content negotiation on GET/HEAD `/v2/<name>/manifests/<ref>`.
 *
 * What ECR documents ("Container image manifest format support in Amazon ECR",
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-manifest-formats.html):
 * pulled by tag, an image comes back in the format it was pushed in when the
 * client understands that format; otherwise ECR translates a Docker schema 2
 * manifest to OCI and an OCI manifest to Docker schema 2. Pulled by digest,
 * nothing is translated and the client must understand the stored format.
 * The table covers single-image manifests only, so manifest lists and OCI
 * indexes are never translated here. Schema 1, the table's third format, is
 * not emulated at all.
 *
 * When nothing fits, the answer is 404 MANIFEST_UNKNOWN: that is what the
 * reference registry (distribution/distribution) sends an OCI manifest or
 * index that the Accept header leaves out, and ECR only says the pull fails.
 *
 * A client that names no manifest media type at all (no Accept header, only
 * the any-type wildcard, `application/json`) gets the manifest as stored:
 * the OCI distribution spec's content-negotiation table gives those clients
 * a schema 1 rewrite for old Docker engines, which the emulator does not do.
 * A wildcard next to named types (containerd sends one) accepts anything.
 */

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

const MANIFEST_TYPES = new Set<string>(Object.values(MEDIA_TYPES));

/** RFC 9110 media ranges with their weights; parameters other than `q` are ignored. */
export function parseAccept(header: string | string[] | undefined): MediaRange[] {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const out: MediaRange[] = [];
  for (const part of text.split(',')) {
    const [range = '', ...params] = part.split(';');
    const full = range.trim().toLowerCase();
    const slash = full.indexOf('/');
    if (slash <= 0 || slash === full.length - 1) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m?.[1] !== undefined) q = Number(m[1]);
    }
    out.push({ type: full.slice(0, slash), subtype: full.slice(slash + 1), q: Number.isFinite(q) ? q : 0 });
  }
  return out;
}

export class Acceptance {
  private readonly ranges: MediaRange[];

  constructor(header: string | string[] | undefined) {
    this.ranges = parseAccept(header);
  }

  /** Whether the client said anything about manifest formats (a manifest media type by name). */
  get namesManifestType(): boolean {
    return this.ranges.some((r) => MANIFEST_TYPES.has(`${r.type}/${r.subtype}`));
  }

  /** The most specific matching range decides, as RFC 9110 §12.5.1 describes; q=0 means "not this". */
  accepts(mediaType: string): boolean {
    const [type, subtype] = mediaType.toLowerCase().split('/');
    let best: { specificity: number; q: number } | undefined;
    for (const r of this.ranges) {
      let specificity: number;
      if (r.type === type && r.subtype === subtype) specificity = 2;
      else if (r.type === type && r.subtype === '*') specificity = 1;
      else if (r.type === '*' && r.subtype === '*') specificity = 0;
      else continue;
      if (!best || specificity > best.specificity) best = { specificity, q: r.q };
    }
    return best !== undefined && best.q > 0;
  }
}

// Descriptor media types with a counterpart in the other format. Anything else
// (zstd layers, artifact configs) has no Docker equivalent and is not translated.
const CONFIG_OCI_TO_DOCKER: Record<string, string> = {
  'application/vnd.oci.image.config.v1+json': 'application/vnd.docker.container.image.v1+json',
};
const LAYER_OCI_TO_DOCKER: Record<string, string> = {
  'application/vnd.oci.image.layer.v1.tar+gzip': 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.oci.image.layer.v1.tar': 'application/vnd.docker.image.rootfs.diff.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip': 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar': 'application/vnd.docker.image.rootfs.foreign.diff.tar',
};

function invert(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [v, k]));
}

const CONFIG_DOCKER_TO_OCI = invert(CONFIG_OCI_TO_DOCKER);
const LAYER_DOCKER_TO_OCI = invert(LAYER_OCI_TO_DOCKER);

/** The one translation target for each translatable stored type. */
const TRANSLATION: Record<string, string> = {
  [MEDIA_TYPES.ociManifest]: MEDIA_TYPES.dockerManifest,
  [MEDIA_TYPES.dockerManifest]: MEDIA_TYPES.ociManifest,
};

function descriptor(v: unknown, map: Record<string, string>, toDocker: boolean): Record<string, unknown> | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const d = v as Record<string, unknown>;
  const mediaType = typeof d.mediaType === 'string' ? map[d.mediaType] : undefined;
  if (mediaType === undefined) return undefined;
  // Both formats describe a blob by type, size and digest (and `urls` for foreign layers);
  // OCI-only members such as annotations have nowhere to go in Docker's format. Members
  // come in the order each format's own tools write them.
  const out: Record<string, unknown> = toDocker
    ? { mediaType, size: d.size, digest: d.digest }
    : { mediaType, digest: d.digest, size: d.size };
  if (Array.isArray(d.urls) && d.urls.length > 0) out.urls = d.urls;
  return out;
}

/**
 * Rewrites a stored single-image manifest into `target` (Docker schema 2 or
 * OCI), pointing at the same config and layer blobs. Undefined when the
 * manifest has no faithful equivalent: an OCI artifact (artifactType, a
 * non-image config), a manifest with a `subject`, or a layer type the other
 * format lacks. The bytes, and so the digest, differ from the stored manifest.
 */
export function translateManifest(stored: string, storedType: string, target: string): string | undefined {
  if (TRANSLATION[storedType] !== target) return undefined;
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(stored) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const toDocker = target === MEDIA_TYPES.dockerManifest;
  if (toDocker && (m.artifactType !== undefined || m.subject !== undefined)) return undefined;
  const config = descriptor(m.config, toDocker ? CONFIG_OCI_TO_DOCKER : CONFIG_DOCKER_TO_OCI, toDocker);
  if (!config) return undefined;
  const layers: Record<string, unknown>[] = [];
  for (const l of Array.isArray(m.layers) ? m.layers : []) {
    const d = descriptor(l, toDocker ? LAYER_OCI_TO_DOCKER : LAYER_DOCKER_TO_OCI, toDocker);
    if (!d) return undefined;
    layers.push(d);
  }
  return JSON.stringify({ schemaVersion: 2, mediaType: target, config, layers });
}

export type Representation =
  | { ok: true; mediaType: string; body: Buffer; digest: string; translated: boolean }
  | { ok: false; message: string };

/** Chooses what to send for a stored manifest, given the request's Accept header and how it was addressed. */
export function negotiateManifest(
  stored: { manifest: string; media_type: string; digest: string },
  acceptHeader: string | string[] | undefined,
  byTag: boolean,
): Representation {
  const accept = new Acceptance(acceptHeader);
  const asStored: Representation = {
    ok: true,
    mediaType: stored.media_type,
    body: Buffer.from(stored.manifest, 'utf8'),
    digest: stored.digest,
    translated: false,
  };
  if (!accept.namesManifestType || accept.accepts(stored.media_type)) return asStored;
  const target = TRANSLATION[stored.media_type];
  if (!byTag) {
    return {
      ok: false,
      message: `The manifest is stored as ${stored.media_type}, which the Accept header does not allow; a manifest requested by digest is only served as stored.`,
    };
  }
  if (target !== undefined && accept.accepts(target)) {
    const text = translateManifest(stored.manifest, stored.media_type, target);
    if (text !== undefined) {
      const body = Buffer.from(text, 'utf8');
      return { ok: true, mediaType: target, body, digest: sha256Digest(body), translated: true };
    }
  }
  return {
    ok: false,
    message: `The manifest is stored as ${stored.media_type}, which the Accept header does not allow, and it cannot be translated to a media type that the header allows.`,
  };
}
