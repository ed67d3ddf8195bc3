import { createHash } from 'node:crypto';
import { lineDiff as diffLines } from '@/lib/ui/diff';
import type { Statement } from '@/lib/validation/policy';

// The smallest policy change that would allow a denied request, as documents
// before and after and a line diff between them. Pure: unit-tested without AWS.
//
// Three places a grant can go (the caller picks what fits the principal):
// - an inline policy on the user or role (PutUserPolicy / PutRolePolicy), or on
//   one of the user's groups (PutGroupPolicy), named berth-allow-<what>: the
//   same request again finds the same policy and updates it, so nothing is
//   created twice;
// - a statement naming the principal in the repository's policy (ECR
//   SetRepositoryPolicy) or the bucket's policy (S3 PutBucketPolicy), merged
//   into what is there.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

/** A policy statement as lib/validation/policy.ts types it for every policy editor. */
export type PolicyStatement = Statement;

export interface PolicyDoc {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

export type DiffLine = { op: ' ' | '+' | '-'; text: string };

export interface DocumentChange {
  before: string | null;
  after: string;
  /** False when the document already holds the statements (nothing to write). */
  changed: boolean;
  diff: DiffLine[];
}

const VERSION = '2012-10-17';

/** A policy's text as Berth writes it: two-space JSON. */
export const printPolicy = (doc: PolicyDoc): string => JSON.stringify(doc, null, 2);

/** A hash of what a policy says (formatting aside; absent and empty are the same), sent with a diff so a write can tell the document moved on. */
export function policyHash(text: string | null | undefined): string {
  let norm = '';
  if (text?.trim()) {
    try {
      norm = JSON.stringify(JSON.parse(text));
    } catch {
      norm = text.trim();
    }
  }
  return createHash('sha256').update(norm).digest('hex').slice(0, 32);
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A policy's text as a document with a Statement array; null when it is not a policy (not JSON, or no statements). */
export function readPolicy(text: string | null | undefined): PolicyDoc | null {
  if (!text?.trim()) return { Version: VERSION, Statement: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  const st = o.Statement;
  const statements = st === undefined ? [] : Array.isArray(st) ? st : [st];
  if (!statements.every((s) => s && typeof s === 'object' && !Array.isArray(s))) return null;
  return { ...(o as object), Statement: statements as PolicyStatement[] } as PolicyDoc;
}

/** A Sid IAM accepts (letters and digits only). */
export function sidOf(...words: string[]): string {
  return words
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')
    .slice(0, 100);
}

const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);

/**
 * The inline policy's name: berth-allow-<what>-<resource>, in IAM's
 * characters ([\w+=,.@-], at most 128), with a hash of the resource when the
 * name had to be shortened or changed, so two resources never share a name.
 */
export function inlinePolicyName(what: string, resourceArn: string): string {
  const tail = resourceArn === '*' ? 'any' : (resourceArn.split(':').slice(5).join(':') || resourceArn).replace(/^repository\//, '');
  const clean = `${what}-${tail}`.replace(/[^\w+=,.@-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  const name = `berth-allow-${clean}`;
  if (name.length <= 64 && clean === `${what}-${tail}`) return name;
  return `${name.slice(0, 55).replace(/-$/, '')}-${shortHash(resourceArn)}`;
}

const sameStatement = (a: PolicyStatement, b: PolicyStatement) => JSON.stringify(canon(a)) === JSON.stringify(canon(b));
function canon(s: PolicyStatement): unknown {
  const sortList = (v: unknown) => (Array.isArray(v) ? [...(v as string[])].sort() : v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(s).sort()) out[k] = k === 'Action' || k === 'Resource' ? sortList(list(s[k as 'Action'])) : s[k as keyof PolicyStatement];
  return out;
}

/**
 * `statements` merged into the document `text` (absent: a new document): a
 * statement with the same Sid is replaced, one already there as it is is left
 * alone, the rest are appended. Everything else in the document is kept.
 * Throws when `text` is not a policy Berth can read.
 */
export function mergeStatements(text: string | null, statements: PolicyStatement[]): DocumentChange {
  const doc = readPolicy(text);
  if (!doc) throw new Error('The current policy is not a JSON policy document Berth can read; change it by hand.');
  const next: PolicyStatement[] = [...doc.Statement];
  for (const s of statements) {
    if (next.some((x) => sameStatement(x, s))) continue;
    const at = s.Sid ? next.findIndex((x) => x.Sid === s.Sid) : -1;
    if (at >= 0) next[at] = s;
    else next.push(s);
  }
  const afterDoc: PolicyDoc = { ...doc, Version: doc.Version ?? VERSION, Statement: next };
  const before = text?.trim() ? prettyOrSame(text) : null;
  const after = printPolicy(afterDoc);
  const changed = before === null || JSON.stringify(JSON.parse(before)) !== JSON.stringify(afterDoc);
  return { before, after, changed, diff: lineDiff(before ?? '', after) };
}

function prettyOrSame(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The statements an identity policy needs to allow `actions` on `resourceArn` (and docker login, when asked). */
export function identityStatements(sid: string, actions: readonly string[], resourceArn: string, withLogin: boolean): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  if (actions.length) out.push({ Sid: sid, Effect: 'Allow', Action: actions.length === 1 ? actions[0]! : [...actions], Resource: resourceArn });
  if (withLogin) out.push({ Sid: 'BerthEcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' });
  return out;
}

/**
 * A resource policy's statement naming the principal. An ECR repository
 * policy's statements name no Resource (the repository is implied); a bucket
 * policy's must.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
 */
export function resourceStatement(kind: 'ecr' | 's3', sid: string, principalArn: string, actions: readonly string[], resourceArn: string): PolicyStatement {
  const s: PolicyStatement = { Sid: sid, Effect: 'Allow', Principal: { AWS: principalArn }, Action: actions.length === 1 ? actions[0]! : [...actions] };
  if (kind === 's3') s.Resource = resourceArn;
  return s;
}

const OP = { same: ' ', remove: '-', add: '+' } as const;

/** The line diff the rest of the console shows (lib/ui/diff.ts), in the explainer's +/- notation. */
export function lineDiff(before: string, after: string): DiffLine[] {
  return diffLines(before, after).map((l) => ({ op: OP[l.kind], text: l.text }));
}

/** IAM's wildcard match (* and ?), case-insensitive as IAM matches action names. */
function wildcard(pattern: string, value: string, caseless: boolean): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseless ? 'i' : '');
  return re.test(value);
}

/**
 * The Deny statements in a policy that name this action on this resource
 * (Action/NotAction, Resource/NotResource; a statement without Resource, as
 * in an ECR repository policy, covers the resource). Conditions are not
 * evaluated: a statement with one is returned, and the caller says it applies
 * when its condition holds.
 */
export function denyingStatements(text: string | null, action: string, resourceArn: string): PolicyStatement[] {
  const doc = readPolicy(text);
  if (!doc) return [];
  return doc.Statement.filter((s) => {
    if (s.Effect !== 'Deny') return false;
    const actionHit = s.Action !== undefined ? list(s.Action).some((p) => wildcard(p, action, true)) : s.NotAction !== undefined ? !list(s.NotAction).some((p) => wildcard(p, action, true)) : false;
    if (!actionHit) return false;
    if (s.Resource !== undefined) return list(s.Resource).some((p) => wildcard(p, resourceArn, false));
    if (s.NotResource !== undefined) return !list(s.NotResource).some((p) => wildcard(p, resourceArn, false));
    return true;
  });
}

/** The parts of an ECR repository ARN, or null. */
export function ecrRepositoryOf(arn: string): { region: string; account: string; repository: string } | null {
  const m = /^arn:[^:]+:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/.exec(arn);
  return m ? { region: m[1]!, account: m[2]!, repository: m[3]! } : null;
}

/** The bucket of an S3 bucket or object ARN, or null. */
export function s3BucketOf(arn: string): { bucket: string; key: string | null } | null {
  const m = /^arn:[^:]+:s3:::([^/]+)(?:\/(.*))?$/.exec(arn);
  return m ? { bucket: m[1]!, key: m[2] ?? null } : null;
}
