import 'server-only';
import { GetPolicyCommand, GetPolicyVersionCommand } from '@aws-sdk/client-iam';
import { endpointFor, iamClient } from '@/lib/aws/clients';
import { describeAwsError, type AwsProblem } from '@/lib/aws/errors';
import { mapLimit, Semaphore } from '@/lib/aws/limit';
import { sharedReads, type ReadSpec } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import type { Authorization, IamGroup, IamRole, IamUser, InlinePolicy, PolicyRef } from './authorization';
import { decodeDocument } from './documents';
import { accessPaths } from './paths';
import { RefusalWindow } from './refusal-window';
import { simulate } from './simulate';
import { statementAt } from './statement-at';
import { describeTrust, trustedBy } from './trust';
import { verdictsFor, type CapabilityVerdict, type SimulatedAction, type StatementRef } from './verdicts';
import { actionNames, type WhoCanTarget } from './who-can-actions';

// "Who can push to this repository?": every IAM user and role of the account
// (from the shared authorization snapshot, lib/iam/authorization.ts) with
// IAM's own policy simulator's verdict for each capability, and the
// statement that decides it.
//
// Cost, and why it stays bounded:
// - the principals come from the snapshot (no call per principal to list them);
// - only the principals on screen (50 a page) are simulated: one
//   SimulatePrincipalPolicy per principal for a repository (every action on
//   its one ARN), two for a bucket (ListBucket on the bucket's ARN; GetObject,
//   PutObject and DeleteObject on its objects'), through lib/iam/simulate.ts,
//   which keeps at most 4 in flight in the whole process and shares answers
//   in the read cache, keyed by principal, actions, resource and a hash of the
//   resource policy. The resource policy is read on every view, so a policy
//   changed anywhere is simulated afresh at once: the key changes with it.
//   A write through Berth also forgets the answers, by the resource's tag:
//   ecr:<region>:policy:<repository> (lib/ecr/policies.ts) and s3:bucket:<name>
//   (every bucket setting, the policy included, lib/s3/buckets.ts changingBucket).
// - naming a statement inside a managed policy needs its document, which the
//   snapshot leaves out: GetPolicy and GetPolicyVersion once per managed
//   policy that decides a verdict on the page (not per row), shared for ten
//   times the read cache's time.

export interface WhoCanPrincipal {
  kind: 'user' | 'role';
  name: string;
  arn: string;
  /** A role only AWS services may assume (trust names services and nothing else). */
  service: boolean;
  /** Who may assume a role, in short ("ECS tasks"); empty for users. */
  trustedBy: string[];
}

/** Every user and role of the snapshot, users first, each list by name. */
export function principalsOf(a: Authorization): WhoCanPrincipal[] {
  return [
    ...a.users.map((u): WhoCanPrincipal => ({ kind: 'user', name: u.name, arn: u.arn, service: false, trustedBy: [] })),
    ...a.roles.map((r): WhoCanPrincipal => ({ kind: 'role', name: r.name, arn: r.arn, service: trustsOnlyServices(r.trust), trustedBy: trustedBy(describeTrust(r.trust)) })),
  ];
}

/**
 * Whether a trust policy lets only AWS services assume the role: every Allow
 * statement names principals of the Service kind alone. A service role is
 * used by ECS, Lambda and the like, not by people, so the panel folds them away.
 */
export function trustsOnlyServices(trust: string): boolean {
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(trust) as { Statement?: unknown };
  } catch {
    return false;
  }
  const list = (Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : []) as { Effect?: string; Principal?: unknown; NotPrincipal?: unknown }[];
  const allows = list.filter((s) => s && s.Effect === 'Allow');
  if (allows.length === 0) return false;
  return allows.every((s) => !s.NotPrincipal && s.Principal && typeof s.Principal === 'object' && Object.keys(s.Principal).length > 0 && Object.keys(s.Principal).every((k) => k === 'Service'));
}

/** A statement named in words: "AdministratorAccess", "AWS managed policy", "statement 1". */
export interface NamedStatement {
  policy: string;
  /** What kind of policy, in words ("AWS managed policy", "inline policy of group devs"); empty for the repository or bucket policy, whose name says it. */
  kind: string;
  sid: string | null;
  /** 1-based; null when the document could not be read. */
  number: number | null;
  effect: 'Allow' | 'Deny' | null;
  /** A page that shows the policy, when Berth has one. */
  href: string | null;
}

export interface WhoCanRow {
  principal: WhoCanPrincipal;
  /** The verdicts, or why this principal could not be simulated. */
  result: { ok: true; verdicts: (CapabilityVerdict & { statements: NamedStatement[] })[]; resourcePolicyWeighed: boolean } | { ok: false; problem: AwsProblem };
}

const ctx = (action: string) => ({ service: 'IAM' as const, endpoint: endpointFor('IAM', 'us-east-1'), action });
const refused = (action: string) => (error: unknown) => describeAwsError(error, ctx(action)).title === 'Permission missing';

// A Berth without iam:SimulatePrincipalPolicy is refused for every principal
// alike: one refusal answers for the rest of the page (and the next views, for
// a short window) instead of fifty refused calls.
const simulationRefusals = new RefusalWindow(() => sharedReads().ttlMs, refused('iam:SimulatePrincipalPolicy'));

/** The simulator's answers for one principal on every ARN the target checks, each answer tagged with its ARN. */
async function simulatePrincipal(principal: WhoCanPrincipal, target: WhoCanTarget, resourcePolicy: string | null): Promise<{ actions: SimulatedAction[]; resourcePolicyWeighed: boolean }> {
  // Each ARN with only the actions that act on it, so no call asks a question whose answer is thrown away.
  const byArn = new Map<string, string[]>();
  for (const c of target.capabilities) {
    for (const a of c.actions) {
      const arn = target.arns[a.on];
      if (!arn) continue;
      const list = byArn.get(arn) ?? [];
      if (!list.includes(a.name)) list.push(a.name);
      byArn.set(arn, list);
    }
  }
  const tags = target.kind === 'ecr' ? [readTags.repositoryPolicy(target.region ?? '', target.name)] : [readTags.bucket(target.name)];
  const sims = await Promise.all([...byArn].map(([arn, actions]) => simulationRefusals.run(() => simulate(principal.arn, actions, arn, resourcePolicy, tags))));
  return {
    actions: sims.flatMap((s) => s.results.map((r) => ({ ...r, resource: s.resourceArn }))),
    resourcePolicyWeighed: sims.every((s) => s.resourcePolicyEvaluated),
  };
}

// ------------------------------------------------------------ statements

const policyDocs = new Semaphore(4);

interface ManagedDocument {
  /** The default version's document as IAM holds it (decoded). */
  text: string;
}

function documentSpec(arn: string): ReadSpec<ManagedDocument> {
  const ttl = sharedReads().ttlMs;
  return { key: `iam:policy-document:${arn}`, region: 'global', tags: [readTags.iamAuthorization()], ttlMs: ttl * 10 };
}

/** A managed policy's default document, shared; null when IAM will not say (the statement is then named without its Sid). */
async function managedDocument(arn: string): Promise<string | null> {
  try {
    const f = await sharedReads().read(documentSpec(arn), async () => {
      const client = iamClient();
      const p = await policyDocs.run(() => client.send(new GetPolicyCommand({ PolicyArn: arn })));
      const v = await policyDocs.run(() => client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: p.Policy?.DefaultVersionId ?? 'v1' })));
      return { text: decodeDocument(v.PolicyVersion?.Document) };
    });
    return f.value.text;
  } catch {
    return null;
  }
}

const TYPE_WORDS: Record<string, string> = { 'aws-managed': 'AWS managed policy', 'user-managed': 'customer managed policy' };

interface Holder {
  inline: InlinePolicy[];
  attached: PolicyRef[];
}

/** The policies a principal carries, with whose they are (its own, or a group's). */
function holdersOf(principal: WhoCanPrincipal, a: Authorization): { who: string; kind: 'user' | 'group' | 'role'; holder: Holder }[] {
  if (principal.kind === 'role') {
    const r = a.roles.find((x) => x.arn === principal.arn) as IamRole | undefined;
    return r ? [{ who: r.name, kind: 'role', holder: r }] : [];
  }
  const u = a.users.find((x) => x.arn === principal.arn) as IamUser | undefined;
  if (!u) return [];
  const groups = u.groups.map((g) => a.groups.find((x) => x.name === g)).filter((g): g is IamGroup => Boolean(g));
  return [{ who: u.name, kind: 'user' as const, holder: u as Holder }, ...groups.map((g) => ({ who: g.name, kind: 'group' as const, holder: g as Holder }))];
}

/** IAM's SourcePolicyId for an inline policy is its name (some answers prefix it with the type and entity: "user_alice_ci"). */
const sameInline = (id: string, name: string) => id === name || id.endsWith(`_${name}`);

async function nameStatement(ref: StatementRef, principal: WhoCanPrincipal, a: Authorization, target: WhoCanTarget, resourcePolicy: string | null): Promise<NamedStatement> {
  const at = (text: string | null) => (text && ref.line !== null && ref.column !== null ? statementAt(text, ref.line, ref.column) : null);
  const named = (policy: string, kind: string, text: string | null, href: string | null): NamedStatement => {
    const s = at(text);
    return { policy, kind, sid: s?.sid ?? null, number: s?.number ?? null, effect: s?.effect ?? null, href };
  };
  if (ref.policyType === 'resource') {
    return named(target.kind === 'ecr' ? 'Repository policy' : 'Bucket policy', '', resourcePolicy, null);
  }
  const holders = holdersOf(principal, a);
  if (ref.policyType === 'aws-managed' || ref.policyType === 'user-managed') {
    const attached = holders.flatMap((h) => h.holder.attached);
    const arn = ref.policyId.startsWith('arn:') ? ref.policyId : attached.find((p) => p.name === ref.policyId)?.arn;
    const name = arn ? (attached.find((p) => p.arn === arn)?.name ?? arn.split('/').pop()!) : ref.policyId;
    return named(name, TYPE_WORDS[ref.policyType]!, arn ? await managedDocument(arn) : null, arn ? accessPaths.policy(arn) : null);
  }
  for (const h of holders) {
    if (h.kind !== ref.policyType) continue;
    const p = h.holder.inline.find((x) => sameInline(ref.policyId, x.name));
    if (p) {
      const page = h.kind === 'user' ? accessPaths.user(h.who) : h.kind === 'group' ? accessPaths.group(h.who) : accessPaths.role(h.who);
      return named(p.name, `inline policy of ${h.kind} ${h.who}`, p.raw ?? p.document, page);
    }
  }
  return { policy: ref.policyId || 'a policy', kind: ref.policyType === 'none' ? 'policy' : `${ref.policyType} policy`, sid: null, number: null, effect: null, href: null };
}

/**
 * The verdicts of each principal shown. lib/iam/simulate.ts keeps at most 4
 * simulations in flight process-wide; the page also takes its principals 4 at
 * a time, so that a refusal (a missing iam:SimulatePrincipalPolicy) is seen
 * before the next principal asks, and answers for it without a call.
 */
export async function whoCanRows(principals: readonly WhoCanPrincipal[], target: WhoCanTarget, a: Authorization, resourcePolicy: string | null): Promise<WhoCanRow[]> {
  return mapLimit(
    principals,
    PER_PAGE_IN_FLIGHT,
    async (principal): Promise<WhoCanRow> => {
      try {
        const sim = await simulatePrincipal(principal, target, resourcePolicy);
        const verdicts = await Promise.all(
          verdictsFor(target, sim.actions).map(async (v) => ({ ...v, statements: await Promise.all(v.deciding.map((r) => nameStatement(r, principal, a, target, resourcePolicy))) })),
        );
        return { principal, result: { ok: true, verdicts, resourcePolicyWeighed: resourcePolicy === null || sim.resourcePolicyWeighed } };
      } catch (error) {
        return { principal, result: { ok: false, problem: describeAwsError(error, ctx('iam:SimulatePrincipalPolicy')) } };
      }
    },
  );
}

const PER_PAGE_IN_FLIGHT = 4;

// ------------------------------------------------------------ the view

export const WHO_CAN_PAGE = 50;

export interface WhoCanQuery {
  /** Part of a principal's name, any case. */
  q: string;
  page: number;
  /** Whether service roles are listed with the others (they are counted either way). */
  services: boolean;
}

export interface WhoCanView {
  /** How many principals the account has (users and roles, service roles included). */
  total: number;
  /** How many match the filter, service roles left out unless asked for. */
  matching: number;
  /** Service roles matching the filter (listed only when asked for). */
  serviceRoles: number;
  page: number;
  pages: number;
  rows: WhoCanRow[];
  /** When the snapshot of principals was read. */
  readAt: number;
}

/** The page of principals asked for, with the verdicts of those shown only. */
export async function whoCanView(snapshot: { value: Authorization; readAt: number }, target: WhoCanTarget, resourcePolicy: string | null, query: WhoCanQuery): Promise<WhoCanView> {
  const all = principalsOf(snapshot.value);
  const q = query.q.trim().toLowerCase();
  const named = q ? all.filter((p) => p.name.toLowerCase().includes(q)) : all;
  const serviceRoles = named.filter((p) => p.service).length;
  const listed = query.services ? named : named.filter((p) => !p.service);
  const pages = Math.max(1, Math.ceil(listed.length / WHO_CAN_PAGE));
  const page = Math.min(Math.max(1, query.page), pages);
  const shown = listed.slice((page - 1) * WHO_CAN_PAGE, page * WHO_CAN_PAGE);
  return {
    total: all.length,
    matching: listed.length,
    serviceRoles,
    page,
    pages,
    rows: await whoCanRows(shown, target, snapshot.value, resourcePolicy),
    readAt: snapshot.readAt,
  };
}

/** Every action the target asks about (for the panel's footnote). */
export { actionNames };
