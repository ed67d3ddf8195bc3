import { AwsError } from '../../core/errors';
import type { Reply, RequestContext } from '../../core/types';
import { encodeRoot } from './codec';
import { invalidArgument, readBody } from './common';
import { TagKeysShape, TagsShape } from './shapes';
import { getDistribution, tagsOf, type DistributionRow } from './store';
import type { Tag } from './types';

/** Tags on distributions (TagResource, UntagResource, ListTagsForResource by ARN). */

const MAX_TAGS = 50;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function invalidTagging(message: string): AwsError {
  return new AwsError('InvalidTagging', message, 400);
}

/** CloudFront's tag rules: keys 1–128 and values 0–256 characters of letters, digits, spaces and _.:/=+-@; keys unique; at most 50. */
export function checkTags(tags: Tag[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    const value = t.Value ?? '';
    if (t.Key.length < 1 || t.Key.length > 128 || !TAG_TEXT.test(t.Key)) throw invalidTagging(`The tag key "${t.Key}" is not valid.`);
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidTagging('Tag keys starting with aws: are reserved.');
    if (value.length > 256 || !TAG_TEXT.test(value)) throw invalidTagging(`The value of tag "${t.Key}" is not valid.`);
    if (seen.has(t.Key)) throw invalidTagging(`The tag key "${t.Key}" is given more than once.`);
    seen.add(t.Key);
  }
  if (tags.length > MAX_TAGS) throw invalidTagging(`A resource can have at most ${MAX_TAGS} tags.`);
}

function resourceRow(ctx: RequestContext): DistributionRow {
  const arn = ctx.query.get('Resource') ?? '';
  // Any id this emulator can mint (see cloudfrontIds in core/ids.ts), not only AWS's E… shape.
  const m = /^arn:aws:cloudfront::(\d{12}):distribution\/([A-Za-z0-9._~-]+)$/.exec(arn);
  if (!m) throw invalidArgument(`The resource ARN is not valid: ${arn}`);
  const row = m[1] === ctx.env.accountId ? getDistribution(ctx.env.db, m[2] ?? '') : undefined;
  if (!row) throw new AwsError('NoSuchResource', 'The specified resource does not exist.', 404);
  return row;
}

function saveTags(ctx: RequestContext, id: string, tags: Tag[]): void {
  ctx.env.db.prepare('UPDATE cloudfront_distributions SET tags = ? WHERE id = ?').run(JSON.stringify(tags), id);
}

export function tagResourceHandler(ctx: RequestContext): Reply {
  const db = ctx.env.db;
  db.transaction(() => {
    const row = resourceRow(ctx);
    const incoming = ((readBody(ctx, 'Tags', TagsShape).Items as Tag[] | undefined) ?? []);
    const merged = new Map(tagsOf(row).map((t) => [t.Key, t]));
    for (const t of incoming) merged.set(t.Key, { Key: t.Key, Value: t.Value ?? '' });
    const tags = [...merged.values()];
    checkTags(tags);
    saveTags(ctx, row.id, tags);
  }).immediate();
  return { status: 204 };
}

export function untagResourceHandler(ctx: RequestContext): Reply {
  const db = ctx.env.db;
  db.transaction(() => {
    const row = resourceRow(ctx);
    const keys = new Set((readBody(ctx, 'TagKeys', TagKeysShape).Items as string[] | undefined) ?? []);
    saveTags(ctx, row.id, tagsOf(row).filter((t) => !keys.has(t.Key)));
  }).immediate();
  return { status: 204 };
}

export function listTagsForResourceHandler(ctx: RequestContext): Reply {
  const row = resourceRow(ctx);
  const tags = tagsOf(row).map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
  return { xml: encodeRoot(TagsShape, { Items: tags }) };
}
