import { AwsError } from '../../core/errors';
import type { EmulatorEnv } from '../../core/types';
import { allImages, requireRepository, type ImageSummary } from './store';
import {
  decodePageToken,
  encodePageToken,
  invalidParameter,
  memberShapeName,
  modelShape,
  pageSize,
  parseImageIds,
  parseTagStatus,
  PREVIEW_MAX_RESULTS,
  type ImageId,
} from './validation';

/**
 * Lifecycle policies: strict validation of the documented JSON, and a
 * preview that really evaluates the rules. The emulator never applies a
 * policy by itself; nothing expires in the background.
 *
 * Evaluation follows ECR's documented semantics:
 * - rules run in ascending rulePriority;
 * - a rule selects images by tagStatus (tagged with tagPrefixList, where the
 *   image needs, for every prefix, a tag starting with it; or tagPatternList
 *   with `*` wildcards, likewise every pattern; untagged; any);
 * - imageCountMoreThan N keeps the N most recently pushed selected images
 *   and marks the rest; sinceImagePushed N days marks those pushed more than
 *   N days ago;
 * - an image is expired by at most one rule, and an image that a rule's tag
 *   selection matched cannot be expired by a later (lower priority) rule;
 *   later rules still count it when keeping their newest N.
 */

export interface Rule {
  rulePriority: number;
  description?: string;
  selection: {
    tagStatus: 'tagged' | 'untagged' | 'any';
    tagPrefixList?: string[];
    tagPatternList?: string[];
    countType: 'imageCountMoreThan' | 'sinceImagePushed';
    countUnit?: 'days';
    countNumber: number;
  };
  action: { type: 'expire' };
}

function invalid(detail: string): AwsError {
  return new AwsError(
    'InvalidParameterException',
    `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${detail}'`,
  );
}

function onlyKeys(obj: Record<string, unknown>, allowed: string[], where: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw invalid(`object instance has properties which are not allowed by the schema: ["${k}"] at ${where}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.length === 0) throw invalid(`${where} must be a non-empty array of strings`);
  return v.map((s, i) => {
    if (typeof s !== 'string' || s === '') throw invalid(`${where}[${i}] must be a non-empty string`);
    return s;
  });
}

/** Parses and checks a lifecycle policy; returns its rules sorted by priority. */
export function parseLifecyclePolicy(text: string): Rule[] {
  // The text's length is the model's (LifecyclePolicyText); the document's grammar below is ECR's guide's.
  const { min = 0, max = Infinity } = modelShape(memberShapeName('PutLifecyclePolicyRequest', 'lifecyclePolicyText'));
  const length = [...text].length;
  if (length < min || length > max) {
    throw invalidParameter('lifecyclePolicyText', `Member must have length between ${min} and ${max}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid('the policy is not valid JSON');
  }
  if (!isObject(doc)) throw invalid('the policy must be a JSON object');
  onlyKeys(doc, ['rules'], '/');
  if (!Array.isArray(doc.rules) || doc.rules.length === 0) throw invalid('"rules" must be a non-empty array');
  const seen = new Set<number>();
  const rules = doc.rules.map((raw, i): Rule => {
    const where = `/rules/${i}`;
    if (!isObject(raw)) throw invalid(`${where} must be an object`);
    onlyKeys(raw, ['rulePriority', 'description', 'selection', 'action'], where);
    const p = raw.rulePriority;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1) throw invalid(`${where}/rulePriority must be an integer of at least 1`);
    if (seen.has(p)) throw invalid(`rulePriority ${p} is used by more than one rule; priorities must be unique`);
    seen.add(p);
    if (raw.description !== undefined && typeof raw.description !== 'string') throw invalid(`${where}/description must be a string`);
    const sel = raw.selection;
    if (!isObject(sel)) throw invalid(`${where}/selection is required`);
    onlyKeys(sel, ['tagStatus', 'tagPrefixList', 'tagPatternList', 'countType', 'countUnit', 'countNumber'], `${where}/selection`);
    const tagStatus = sel.tagStatus;
    if (tagStatus !== 'tagged' && tagStatus !== 'untagged' && tagStatus !== 'any') {
      throw invalid(`${where}/selection/tagStatus must be one of "tagged", "untagged", "any"`);
    }
    const prefixes = sel.tagPrefixList === undefined ? undefined : stringList(sel.tagPrefixList, `${where}/selection/tagPrefixList`);
    const patterns = sel.tagPatternList === undefined ? undefined : stringList(sel.tagPatternList, `${where}/selection/tagPatternList`);
    if (tagStatus === 'tagged') {
      if (!prefixes && !patterns) throw invalid(`${where}: tagPrefixList or tagPatternList is required when tagStatus is "tagged"`);
      if (prefixes && patterns) throw invalid(`${where}: specify either tagPrefixList or tagPatternList, not both`);
    } else if (prefixes || patterns) {
      throw invalid(`${where}: tagPrefixList and tagPatternList are only allowed when tagStatus is "tagged"`);
    }
    for (const pat of patterns ?? []) {
      if ((pat.match(/\*/g) ?? []).length > 4) throw invalid(`${where}: tag pattern "${pat}" has more than four wildcards`);
    }
    const countType = sel.countType;
    if (countType !== 'imageCountMoreThan' && countType !== 'sinceImagePushed') {
      throw invalid(`${where}/selection/countType must be "imageCountMoreThan" or "sinceImagePushed"`);
    }
    if (countType === 'sinceImagePushed' && sel.countUnit !== 'days') {
      throw invalid(`${where}/selection/countUnit must be "days" when countType is "sinceImagePushed"`);
    }
    if (countType === 'imageCountMoreThan' && sel.countUnit !== undefined) {
      throw invalid(`${where}/selection/countUnit is not allowed when countType is "imageCountMoreThan"`);
    }
    const n = sel.countNumber;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw invalid(`${where}/selection/countNumber must be an integer greater than 0`);
    const action = raw.action;
    if (!isObject(action)) throw invalid(`${where}/action is required`);
    onlyKeys(action, ['type'], `${where}/action`);
    if (action.type !== 'expire') throw invalid(`${where}/action/type must be "expire"`);
    return {
      rulePriority: p,
      ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
      selection: {
        tagStatus,
        ...(prefixes ? { tagPrefixList: prefixes } : {}),
        ...(patterns ? { tagPatternList: patterns } : {}),
        countType,
        ...(countType === 'sinceImagePushed' ? { countUnit: 'days' as const } : {}),
        countNumber: n,
      },
      action: { type: 'expire' },
    };
  });
  rules.sort((a, b) => a.rulePriority - b.rulePriority);
  if (rules.filter((r) => r.selection.tagStatus === 'untagged').length > 1) {
    throw invalid('only one rule may select untagged images');
  }
  const anyIdx = rules.findIndex((r) => r.selection.tagStatus === 'any');
  if (anyIdx >= 0 && anyIdx !== rules.length - 1) {
    throw invalid('a rule with tagStatus "any" must have the highest rulePriority');
  }
  if (rules.filter((r) => r.selection.tagStatus === 'any').length > 1) {
    throw invalid('only one rule may have tagStatus "any"');
  }
  return rules;
}

function patternRe(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`);
}

function selects(rule: Rule, tags: string[]): boolean {
  const s = rule.selection;
  if (s.tagStatus === 'any') return true;
  if (s.tagStatus === 'untagged') return tags.length === 0;
  if (tags.length === 0) return false;
  if (s.tagPrefixList) return s.tagPrefixList.every((p) => tags.some((t) => t.startsWith(p)));
  const res = (s.tagPatternList ?? []).map(patternRe);
  return res.every((re) => tags.some((t) => re.test(t)));
}

export interface Expiry {
  image: ImageSummary;
  rulePriority: number;
}

/** Which images the rules would expire at `nowMs`, each with the rule that expires it. */
export function evaluateLifecycle(rules: Rule[], images: ImageSummary[], nowMs: number): Expiry[] {
  const newestFirst = [...images].sort((a, b) => b.pushed_at_ms - a.pushed_at_ms || (a.digest < b.digest ? -1 : 1));
  const claimed = new Set<string>();
  const expired = new Map<string, Expiry>();
  for (const rule of [...rules].sort((a, b) => a.rulePriority - b.rulePriority)) {
    const selected = newestFirst.filter((img) => selects(rule, img.tags));
    const { countType, countNumber } = rule.selection;
    const candidates =
      countType === 'imageCountMoreThan'
        ? selected.slice(countNumber)
        : selected.filter((img) => img.pushed_at_ms < nowMs - countNumber * 86_400_000);
    for (const img of candidates) {
      if (claimed.has(img.digest) || expired.has(img.digest)) continue;
      expired.set(img.digest, { image: img, rulePriority: rule.rulePriority });
    }
    // Tag selection binds an image to this rule: lower-priority rules may count it but never expire it.
    if (rule.selection.tagStatus !== 'any') for (const img of selected) claimed.add(img.digest);
  }
  return [...expired.values()].sort((a, b) => a.image.pushed_at_ms - b.image.pushed_at_ms || (a.image.digest < b.image.digest ? -1 : 1));
}

function policyNotFound(env: EmulatorEnv, repo: string): AwsError {
  return new AwsError(
    'LifecyclePolicyNotFoundException',
    `Lifecycle policy does not exist for the repository with name '${repo}' in the registry with id '${env.accountId}'`,
  );
}

export interface StoredPolicy {
  text: string;
  lastEvaluatedAtMs?: number;
}

function policyRow(env: EmulatorEnv, region: string, repo: string): { lifecycle_policy: string | null; lifecycle_evaluated_ms: number | null } {
  requireRepository(env, region, repo);
  return env.db
    .prepare('SELECT lifecycle_policy, lifecycle_evaluated_ms FROM ecr_repositories WHERE region = ? AND name = ?')
    .get(region, repo) as { lifecycle_policy: string | null; lifecycle_evaluated_ms: number | null };
}

export function putLifecyclePolicy(env: EmulatorEnv, region: string, repo: string, text: string | undefined): string {
  if (text === undefined) throw invalidParameter('lifecyclePolicyText', 'must not be null');
  parseLifecyclePolicy(text);
  requireRepository(env, region, repo);
  env.db.prepare('UPDATE ecr_repositories SET lifecycle_policy = ? WHERE region = ? AND name = ?').run(text, region, repo);
  return text;
}

export function getLifecyclePolicy(env: EmulatorEnv, region: string, repo: string): StoredPolicy {
  const row = policyRow(env, region, repo);
  if (row.lifecycle_policy === null) throw policyNotFound(env, repo);
  return { text: row.lifecycle_policy, ...(row.lifecycle_evaluated_ms !== null ? { lastEvaluatedAtMs: row.lifecycle_evaluated_ms } : {}) };
}

export function deleteLifecyclePolicy(env: EmulatorEnv, region: string, repo: string): StoredPolicy {
  const policy = getLifecyclePolicy(env, region, repo);
  env.db.prepare('UPDATE ecr_repositories SET lifecycle_policy = NULL WHERE region = ? AND name = ?').run(region, repo);
  return policy;
}

interface StoredResult {
  d: string;
  t: string[];
  p: number;
  r: number;
}

/**
 * StartLifecyclePolicyPreview: evaluates the given text, or the saved
 * policy, at once and keeps the result for GetLifecyclePolicyPreview. Returns
 * the policy text evaluated.
 */
export function startLifecyclePreview(env: EmulatorEnv, region: string, repo: string, given: string | undefined): string {
  const row = policyRow(env, region, repo);
  const text = given ?? row.lifecycle_policy;
  if (text === null) throw policyNotFound(env, repo);
  const rules = parseLifecyclePolicy(text);
  const expiries = evaluateLifecycle(rules, allImages(env.db, region, repo), env.now());
  const results: StoredResult[] = expiries.map((e) => ({ d: e.image.digest, t: e.image.tags, p: e.image.pushed_at_ms, r: e.rulePriority }));
  env.db
    .prepare(
      `INSERT INTO ecr_lifecycle_previews (region, repository_name, policy, started_at_ms, results) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (region, repository_name) DO UPDATE SET policy = excluded.policy, started_at_ms = excluded.started_at_ms, results = excluded.results`,
    )
    .run(region, repo, text, env.now(), JSON.stringify(results));
  return text;
}

export interface PreviewResult {
  imageTags: string[];
  imageDigest: string;
  imagePushedAtMs: number;
  appliedRulePriority: number;
}

export interface PreviewPage {
  policy: string;
  results: PreviewResult[];
  expiringTotal: number;
  nextToken?: string;
}

/** GetLifecyclePolicyPreview: the stored evaluation, filtered and paged. */
export function lifecyclePreview(
  env: EmulatorEnv,
  region: string,
  repo: string,
  a: { imageIds?: ImageId[]; tagStatus?: string; nextToken?: string; maxResults?: number },
): PreviewPage {
  const ids = parseImageIds(a.imageIds, 'imageIds', false);
  const status = parseTagStatus(a.tagStatus);
  const limit = pageSize(a.maxResults, PREVIEW_MAX_RESULTS, PREVIEW_MAX_RESULTS);
  requireRepository(env, region, repo);
  const row = env.db
    .prepare('SELECT policy, results FROM ecr_lifecycle_previews WHERE region = ? AND repository_name = ?')
    .get(region, repo) as { policy: string; results: string } | undefined;
  if (!row) {
    throw new AwsError(
      'LifecyclePolicyPreviewNotFoundException',
      `There is no dry run for the repository with name '${repo}' in the registry with id '${env.accountId}'`,
    );
  }
  const all = JSON.parse(row.results) as StoredResult[];
  let list = all;
  if (ids) {
    list = list.filter((r) => ids.some((id) => (id.imageDigest === undefined || id.imageDigest === r.d) && (id.imageTag === undefined || r.t.includes(id.imageTag))));
  }
  if (status === 'TAGGED') list = list.filter((r) => r.t.length > 0);
  if (status === 'UNTAGGED') list = list.filter((r) => r.t.length === 0);
  const start = a.nextToken === undefined ? 0 : Number(decodePageToken(a.nextToken).at ?? Number.NaN);
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('nextToken', 'must be a token returned by a previous call');
  const page = list.slice(start, start + limit);
  return {
    policy: row.policy,
    results: page.map((r) => ({ imageTags: r.t, imageDigest: r.d, imagePushedAtMs: r.p, appliedRulePriority: r.r })),
    expiringTotal: all.length,
    ...(start + limit < list.length ? { nextToken: encodePageToken({ at: start + limit }) } : {}),
  };
}
