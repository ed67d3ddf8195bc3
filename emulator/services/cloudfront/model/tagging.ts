import type { Tag } from '@aws-sdk/client-cloudfront';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { invalidArgument } from './common';
import { getDistribution, tagsOf } from './store';

/**
 * Tags on distributions and functions, addressed by ARN (TagResource,
 * UntagResource, ListTagsForResource).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/tagging.html
 */

const MAX_TAGS = 50;

function invalidTagging(message: string): AwsError {
  return new AwsError('InvalidTagging', message, 400);
}

/**
 * The tag rules the model does not carry: keys unique, none starting with
 * aws:, at most 50 a resource. (Lengths and characters are TagKey/TagValue
 * constraints, checked by the wire layer from the model.)
 */
export function checkTags(tags: Tag[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    const key = t.Key ?? '';
    if (key.toLowerCase().startsWith('aws:')) throw invalidTagging('Tag keys starting with aws: are reserved.');
    if (seen.has(key)) throw invalidTagging(`The tag key "${key}" is given more than once.`);
    seen.add(key);
  }
  if (tags.length > MAX_TAGS) throw invalidTagging(`A resource can have at most ${MAX_TAGS} tags.`);
}

interface Tagged {
  tags: Tag[];
  save(tags: Tag[]): void;
}

function resource(env: EmulatorEnv, arn: string): Tagged {
  // Any id this emulator can mint (see cloudfrontIds in core/ids.ts), not only AWS's E… shape.
  const m = /^arn:aws:cloudfront::(\d{12}):(distribution|function)\/([A-Za-z0-9._~-]+)$/.exec(arn);
  if (!m) throw invalidArgument(`The resource ARN is not valid: ${arn}`);
  const [, account, kind, id] = m as unknown as [string, string, string, string];
  const db = env.db;
  const missing = () => new AwsError('NoSuchResource', 'The specified resource does not exist.', 404);
  if (account !== env.accountId) throw missing();
  if (kind === 'distribution') {
    const row = getDistribution(db, id);
    if (!row) throw missing();
    return { tags: tagsOf(row), save: (tags) => db.prepare('UPDATE cloudfront_distributions SET tags = ? WHERE id = ?').run(JSON.stringify(tags), id) };
  }
  const row = db.prepare("SELECT tags FROM cloudfront_functions WHERE name = ? AND stage = 'DEVELOPMENT'").get(id) as { tags: string } | undefined;
  if (!row) throw missing();
  return { tags: JSON.parse(row.tags) as Tag[], save: (tags) => db.prepare('UPDATE cloudfront_functions SET tags = ? WHERE name = ?').run(JSON.stringify(tags), id) };
}

export function tagResource(env: EmulatorEnv, arn: string, incoming: Tag[]): void {
  env.db
    .transaction(() => {
      const r = resource(env, arn);
      const merged = new Map(r.tags.map((t) => [t.Key ?? '', t]));
      for (const t of incoming) merged.set(t.Key ?? '', { Key: t.Key, Value: t.Value ?? '' });
      const tags = [...merged.values()];
      checkTags(tags);
      r.save(tags);
    })
    .immediate();
}

export function untagResource(env: EmulatorEnv, arn: string, keys: string[]): void {
  env.db
    .transaction(() => {
      const r = resource(env, arn);
      const drop = new Set(keys);
      r.save(r.tags.filter((t) => !drop.has(t.Key ?? '')));
    })
    .immediate();
}

export function listTags(env: EmulatorEnv, arn: string): Tag[] {
  return resource(env, arn).tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
}
