import type { Tag } from '@aws-sdk/client-wafv2';
import { ARN_NOT_VALID, invalidParameter, limitsExceeded, nonexistent, page, parseEntityArn, type Caller } from './common';

/**
 * Tags on web ACLs and IP sets, by ARN, up to 50 per resource. Keys are
 * case-sensitive; tagging a key again replaces its value.
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_TagResource.html
 */

/** "You can specify one or more tags to add to each AWS resource, up to 50 tags for a resource." (API_Tag) */
export const MAX_TAGS_PER_RESOURCE = 50;

/** The tables of the entities this emulator keeps, by the kind an ARN names. */
const TABLES: Partial<Record<string, string>> = { webacl: 'wafv2_web_acls', ipset: 'wafv2_ip_sets' };

/**
 * The ARN of an entity the caller can see: well-formed (WAFInvalidParameterException
 * otherwise), and existing in the caller's region, us-east-1 for global ones
 * (WAFNonexistentItemException otherwise).
 */
export function requireTaggable(caller: Caller, arn: string): string {
  const parsed = parseEntityArn(arn);
  if (!parsed) throw invalidParameter('RESOURCE_ARN', arn, ARN_NOT_VALID);
  const table = TABLES[parsed.kind];
  const found = table ? caller.db.prepare(`SELECT 1 FROM ${table} WHERE arn = ? AND region = ?`).get(arn, caller.region) : undefined;
  if (!found) throw nonexistent();
  return arn;
}

/** Adds or replaces tags; the resource may then hold at most 50. Run inside the caller's transaction. */
export function putTags(caller: Caller, arn: string, tags: readonly Tag[]): void {
  const db = caller.db;
  const upsert = db.prepare('INSERT INTO wafv2_tags (arn, key, value) VALUES (?, ?, ?) ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value');
  for (const t of tags) upsert.run(arn, t.Key ?? '', t.Value ?? '');
  const { n } = db.prepare('SELECT COUNT(*) AS n FROM wafv2_tags WHERE arn = ?').get(arn) as { n: number };
  if (n > MAX_TAGS_PER_RESOURCE) throw limitsExceeded(`a resource can have at most ${MAX_TAGS_PER_RESOURCE} tags, and this request would leave ${n}`);
}

export function tagResource(caller: Caller, arn: string, tags: readonly Tag[]): void {
  caller.db
    .transaction(() => {
      putTags(caller, requireTaggable(caller, arn), tags);
    })
    .immediate();
}

/** Removing a key the resource does not have is not an error. */
export function untagResource(caller: Caller, arn: string, keys: readonly string[]): void {
  caller.db
    .transaction(() => {
      requireTaggable(caller, arn);
      const del = caller.db.prepare('DELETE FROM wafv2_tags WHERE arn = ? AND key = ?');
      for (const k of keys) del.run(arn, k);
    })
    .immediate();
}

export function listTags(caller: Caller, arn: string, limit?: number, marker?: string): { tags: Tag[]; next?: string } {
  requireTaggable(caller, arn);
  const rows = caller.db.prepare('SELECT key, value FROM wafv2_tags WHERE arn = ? ORDER BY key').all(arn) as { key: string; value: string }[];
  const { items, next } = page(rows, (r) => r.key, limit, marker);
  return { tags: items.map((r) => ({ Key: r.key, Value: r.value })), next };
}

/** A deleted entity takes its tags with it. */
export function dropTags(caller: Caller, arn: string): void {
  caller.db.prepare('DELETE FROM wafv2_tags WHERE arn = ?').run(arn);
}
