import type { Reply, RequestContext } from '../../../core/types';
import { findReferrers, MEDIA_TYPES } from '../store';
import { DIGEST_RE } from '../validation';
import { requireCatalog, type Caller } from './caller';
import { json, pageSizeParam, RegistryError, unsupported } from './http';

/** The registry's lists: a repository's tags, the catalog of repositories, and referrers of a manifest. */

/** An RFC 8288 `Link` to the next page, as the tags and catalog endpoints use it. */
function nextLink(path: string, n: number, last: string): string {
  return `<${path}?n=${n}&last=${encodeURIComponent(last)}>; rel="next"`;
}

export function handleTags(ctx: RequestContext, caller: Caller, repo: string): Reply {
  if (ctx.method !== 'GET') throw unsupported(ctx.method, 'tags');
  const n = pageSizeParam(ctx.query);
  const last = ctx.query.get('last') ?? '';
  const rows = ctx.env.db
    .prepare('SELECT tag FROM ecr_image_tags WHERE region = ? AND repository_name = ? AND tag > ? ORDER BY tag LIMIT ?')
    .all(caller.region, repo, last, n + 1) as { tag: string }[];
  const tags = rows.slice(0, n).map((r) => r.tag);
  const headers: Record<string, string> = {};
  const lastTag = tags.at(-1);
  if (rows.length > n && lastTag !== undefined) headers.Link = nextLink(`/v2/${repo}/tags/list`, n, lastTag);
  return json(200, { name: repo, tags }, headers);
}

/**
 * `GET /v2/_catalog`, as the Docker Registry HTTP API V2 describes "Listing
 * Repositories": `{"repositories": [...]}` in lexical order, `n` entries at
 * most, starting after `last`, with a `Link: <...>; rel="next"` header while
 * more remain. The caller sees the repositories of the account in the region
 * its token was issued for, the same set DescribeRepositories would list.
 * As for tags, `n=0` is an empty page without a link. ECR answers this path
 * too (clients report its maxResults limit on `n`, see pageSizeParam;
 * https://github.com/google/go-containerregistry/issues/1091 quotes it), and
 * authorizes it as ecr:DescribeRepositories.
 */
export function handleCatalog(ctx: RequestContext, caller: Caller): Reply {
  if (ctx.method !== 'GET') throw unsupported(ctx.method, '/v2/_catalog');
  requireCatalog(ctx, caller);
  const n = pageSizeParam(ctx.query);
  const last = ctx.query.get('last') ?? '';
  // SQLite compares TEXT bytewise, which is the ASCII order repository names need.
  const rows = ctx.env.db
    .prepare('SELECT name FROM ecr_repositories WHERE region = ? AND name > ? ORDER BY name LIMIT ?')
    .all(caller.region, last, n + 1) as { name: string }[];
  const repositories = rows.slice(0, n).map((r) => r.name);
  const headers: Record<string, string> = {};
  const lastName = repositories.at(-1);
  if (rows.length > n && lastName !== undefined) headers.Link = nextLink('/v2/_catalog', n, lastName);
  return json(200, { repositories }, headers);
}

/**
 * `GET /v2/<name>/referrers/<digest>` from the OCI distribution spec 1.1
 * ("Listing Referrers"): an OCI image index of the manifests in the
 * repository whose `subject` is `<digest>`. Each descriptor carries the
 * manifest's artifactType (for an image manifest without one, its config's
 * media type; for an index without one, nothing) and its annotations. An
 * unknown digest is an empty list, never a 404, which clients would take to
 * mean the API is missing. `?artifactType=` filters, and the answer then says
 * so with `OCI-Filters-Applied`.
 */
export function handleReferrers(ctx: RequestContext, caller: Caller, repo: string, digest: string): Reply {
  if (ctx.method !== 'GET') throw unsupported(ctx.method, 'referrers');
  if (!DIGEST_RE.test(digest)) throw new RegistryError('DIGEST_INVALID', `invalid digest '${digest}'`, 400, { digest });
  const wanted = ctx.query.getAll('artifactType').filter((t) => t !== '');
  const manifests: Record<string, unknown>[] = [];
  for (const row of findReferrers(ctx.env.db, caller.region, repo, digest)) {
    const m = JSON.parse(row.manifest) as Record<string, unknown>;
    const config = m.config as Record<string, unknown> | undefined;
    const own = typeof m.artifactType === 'string' && m.artifactType !== '' ? m.artifactType : undefined;
    const artifactType = own ?? (row.media_type === MEDIA_TYPES.ociManifest && typeof config?.mediaType === 'string' ? config.mediaType : undefined);
    if (wanted.length > 0 && (artifactType === undefined || !wanted.includes(artifactType))) continue;
    const d: Record<string, unknown> = { mediaType: row.media_type, digest: row.digest, size: Buffer.byteLength(row.manifest, 'utf8') };
    if (artifactType !== undefined) d.artifactType = artifactType;
    if (m.annotations && typeof m.annotations === 'object' && Object.keys(m.annotations).length > 0) d.annotations = m.annotations;
    manifests.push(d);
  }
  const headers: Record<string, string> = { 'Content-Type': MEDIA_TYPES.ociIndex };
  if (wanted.length > 0) headers['OCI-Filters-Applied'] = 'artifactType';
  return json(200, { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests }, headers);
}
