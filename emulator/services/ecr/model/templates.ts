import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { parseLifecyclePolicy } from '../lifecycle';
import { checkEncryption, checkMutability, insertRepository, type ExclusionFilter, type RepositoryRow } from '../repositories';
import { validateRepositoryPolicy } from '../settings';
import { decodePageToken, encodePageToken, invalidParameter, parseTags, type Tag } from '../validation';

/**
 * Repository creation templates: the settings ECR gives repositories it
 * creates on your behalf (through a pull through cache rule, replication, or a
 * push to a repository that does not exist yet), chosen by the longest
 * matching name prefix, with ROOT as the fallback for every name.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 */

export type AppliedFor = 'PULL_THROUGH_CACHE' | 'REPLICATION' | 'CREATE_ON_PUSH';

export interface Template {
  prefix: string;
  description?: string;
  encryptionConfiguration?: { encryptionType: string; kmsKey?: string };
  resourceTags?: Tag[];
  imageTagMutability?: string;
  imageTagMutabilityExclusionFilters?: ExclusionFilter[];
  repositoryPolicy?: string;
  lifecyclePolicy?: string;
  appliedFor: string[];
  customRoleArn?: string;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface TemplateInput {
  prefix?: string;
  description?: string;
  encryptionConfiguration?: { encryptionType?: string; kmsKey?: string };
  resourceTags?: { Key?: string; Value?: string }[];
  imageTagMutability?: string;
  imageTagMutabilityExclusionFilters?: { filterType?: string; filter?: string }[];
  repositoryPolicy?: string;
  lifecyclePolicy?: string;
  appliedFor?: string[];
  customRoleArn?: string;
}

function normalPrefix(prefix: string): string {
  return prefix === 'ROOT' ? prefix : prefix.replace(/\/+$/, '');
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw invalidParameter(field, 'must not be null');
  return value;
}

function notFound(): AwsError {
  return new AwsError(
    'TemplateNotFoundException',
    'The specified repository creation template can\'t be found. Verify the registry ID and prefix and try again.',
  );
}

/** The settings of a template, checked with the same rules as CreateRepository, SetRepositoryPolicy and PutLifecyclePolicy. */
function checkedSettings(a: TemplateInput, mutabilityDefault: string | undefined): Omit<Template, 'prefix' | 'appliedFor' | 'createdAtMs' | 'updatedAtMs'> {
  const mutability = a.imageTagMutability ?? mutabilityDefault;
  const exclusions = checkMutability(mutability, a.imageTagMutabilityExclusionFilters);
  const enc = a.encryptionConfiguration ? checkEncryption(a.encryptionConfiguration) : undefined;
  const tags = a.resourceTags ? parseTags(a.resourceTags) : undefined;
  if (a.repositoryPolicy !== undefined) validateRepositoryPolicy(a.repositoryPolicy);
  if (a.lifecyclePolicy !== undefined) parseLifecyclePolicy(a.lifecyclePolicy);
  return {
    ...(a.description !== undefined ? { description: a.description } : {}),
    ...(enc?.encryptionType ? { encryptionConfiguration: { encryptionType: enc.encryptionType, ...(enc.kmsKey ? { kmsKey: enc.kmsKey } : {}) } } : {}),
    ...(tags ? { resourceTags: tags } : {}),
    ...(mutability !== undefined ? { imageTagMutability: mutability } : {}),
    ...(exclusions ? { imageTagMutabilityExclusionFilters: exclusions } : {}),
    ...(a.repositoryPolicy !== undefined ? { repositoryPolicy: a.repositoryPolicy } : {}),
    ...(a.lifecyclePolicy !== undefined ? { lifecyclePolicy: a.lifecyclePolicy } : {}),
    ...(a.customRoleArn !== undefined ? { customRoleArn: a.customRoleArn } : {}),
  };
}

function checkAppliedFor(list: string[]): string[] {
  if (list.length === 0) throw invalidParameter('appliedFor', 'Member must have length greater than or equal to 1');
  return [...new Set(list)];
}

function save(env: EmulatorEnv, region: string, t: Template, insert: boolean): void {
  const { prefix, createdAtMs, updatedAtMs, ...rest } = t;
  if (insert) {
    env.db
      .prepare('INSERT INTO ecr_creation_templates (region, prefix, template, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?)')
      .run(region, prefix, JSON.stringify(rest), createdAtMs, updatedAtMs);
  } else {
    env.db
      .prepare('UPDATE ecr_creation_templates SET template = ?, updated_at_ms = ? WHERE region = ? AND prefix = ?')
      .run(JSON.stringify(rest), updatedAtMs, region, prefix);
  }
}

interface Row {
  prefix: string;
  template: string;
  created_at_ms: number;
  updated_at_ms: number;
}

function fromRow(r: Row): Template {
  return {
    prefix: r.prefix,
    ...(JSON.parse(r.template) as Omit<Template, 'prefix' | 'createdAtMs' | 'updatedAtMs'>),
    createdAtMs: r.created_at_ms,
    updatedAtMs: r.updated_at_ms,
  };
}

export function getTemplate(env: EmulatorEnv, region: string, rawPrefix: string): Template {
  const r = env.db
    .prepare('SELECT * FROM ecr_creation_templates WHERE region = ? AND prefix = ?')
    .get(region, normalPrefix(rawPrefix)) as Row | undefined;
  if (!r) throw notFound();
  return fromRow(r);
}

/**
 * CreateRepositoryCreationTemplate.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepositoryCreationTemplate.html
 */
export function createTemplate(env: EmulatorEnv, region: string, a: TemplateInput): Template {
  const prefix = normalPrefix(required(a.prefix, 'prefix'));
  const appliedFor = checkAppliedFor(required(a.appliedFor, 'appliedFor'));
  const now = env.now();
  // ECR fills in MUTABLE when a template names no mutability.
  const t: Template = { prefix, ...checkedSettings(a, 'MUTABLE'), appliedFor, createdAtMs: now, updatedAtMs: now };
  const run = env.db.transaction(() => {
    if (env.db.prepare('SELECT 1 FROM ecr_creation_templates WHERE region = ? AND prefix = ?').get(region, prefix)) {
      throw new AwsError('TemplateAlreadyExistsException', 'The repository creation template already exists. Specify a unique prefix and try again.');
    }
    save(env, region, t, true);
  });
  run.immediate();
  return t;
}

/** UpdateRepositoryCreationTemplate: the members given replace the template's; the others stay. */
export function updateTemplate(env: EmulatorEnv, region: string, a: TemplateInput): Template {
  const current = getTemplate(env, region, required(a.prefix, 'prefix'));
  const merged: TemplateInput = {
    ...current,
    ...Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)),
  };
  // A new mutability without exclusions drops the old exclusions.
  if (a.imageTagMutability !== undefined && a.imageTagMutabilityExclusionFilters === undefined) delete merged.imageTagMutabilityExclusionFilters;
  const t: Template = {
    prefix: current.prefix,
    ...checkedSettings(merged, undefined),
    appliedFor: checkAppliedFor(merged.appliedFor ?? current.appliedFor),
    createdAtMs: current.createdAtMs,
    updatedAtMs: env.now(),
  };
  save(env, region, t, false);
  return t;
}

export function deleteTemplate(env: EmulatorEnv, region: string, prefix: string | undefined): Template {
  const t = getTemplate(env, region, required(prefix, 'prefix'));
  env.db.prepare('DELETE FROM ecr_creation_templates WHERE region = ? AND prefix = ?').run(region, t.prefix);
  return t;
}

/** DescribeRepositoryCreationTemplates: the named templates (each must exist), or a page in prefix order. */
export function describeTemplates(
  env: EmulatorEnv,
  region: string,
  a: { prefixes?: string[]; nextToken?: string; maxResults?: number },
): { templates: Template[]; nextToken?: string } {
  if (a.prefixes !== undefined) return { templates: a.prefixes.map((p) => getTemplate(env, region, p)) };
  // The model bounds maxResults (the wire layer checks it); ECR's default page is 100.
  const limit = a.maxResults ?? 100;
  const after = a.nextToken === undefined ? '' : decodePageToken(a.nextToken).after;
  if (typeof after !== 'string') throw invalidParameter('nextToken', 'must be a token returned by a previous call');
  const rows = env.db
    .prepare('SELECT * FROM ecr_creation_templates WHERE region = ? AND prefix > ? ORDER BY prefix LIMIT ?')
    .all(region, after, limit + 1) as Row[];
  const page = rows.slice(0, limit).map(fromRow);
  const last = page.at(-1);
  return { templates: page, ...(rows.length > limit && last ? { nextToken: encodePageToken({ after: last.prefix }) } : {}) };
}

/** The template ECR would apply to a repository it creates by `route`: the longest matching prefix, else ROOT. */
export function templateFor(env: EmulatorEnv, region: string, repository: string, route: AppliedFor): Template | undefined {
  const rows = (env.db.prepare('SELECT * FROM ecr_creation_templates WHERE region = ?').all(region) as Row[]).map(fromRow);
  const usable = rows.filter((t) => t.appliedFor.includes(route));
  const byPrefix = usable
    .filter((t) => t.prefix !== 'ROOT' && repository.startsWith(`${t.prefix}/`))
    .sort((x, y) => y.prefix.length - x.prefix.length)[0];
  return byPrefix ?? usable.find((t) => t.prefix === 'ROOT');
}

/**
 * Creates a repository the way ECR does on your behalf: with the matching
 * template's settings, tags and policies, or ECR's defaults when none matches.
 */
export function createFromTemplate(env: EmulatorEnv, region: string, repository: string, route: AppliedFor): RepositoryRow {
  const t = templateFor(env, region, repository, route);
  const row = insertRepository(env, {
    region,
    name: repository,
    tagMutability: t?.imageTagMutability,
    tagMutabilityExclusions: t?.imageTagMutabilityExclusionFilters,
    encryptionType: t?.encryptionConfiguration?.encryptionType,
    kmsKey: t?.encryptionConfiguration?.kmsKey,
    tags: t?.resourceTags,
  });
  if (t?.repositoryPolicy !== undefined || t?.lifecyclePolicy !== undefined) {
    env.db
      .prepare('UPDATE ecr_repositories SET repository_policy = ?, lifecycle_policy = ? WHERE region = ? AND name = ?')
      .run(t.repositoryPolicy ?? null, t.lifecyclePolicy ?? null, region, repository);
  }
  return row;
}
