import 'server-only';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { s3Client, endpointFor } from '@/lib/aws/clients';
import { attempt, type Attempt, type AwsProblem } from '@/lib/aws/errors';
import { getRepositoryPolicy } from '@/lib/ecr/policies';
import { getAccountPublicAccessBlock } from '@/lib/s3/account-access';
import { bucketRegion } from '@/lib/s3/buckets';
import { readBucketPolicy } from '@/lib/s3/properties';
import { ECR_LOGIN, actionSetFor, serviceOf, type ActionSet } from './action-sets';
import { readAuthorization, type Authorization, type IamRole, type IamUser, type InlinePolicy, type PolicyRef } from './authorization';
import { readPrincipal } from './denial';
import {
  denyingStatements,
  ecrRepositoryOf,
  identityStatements,
  inlinePolicyName,
  mergeStatements,
  policyHash,
  resourceStatement,
  s3BucketOf,
  sidOf,
  type DiffLine,
  type PolicyStatement,
} from './fix';
import { getManagedPolicy } from './policies';
import { sameName } from './paths';
import { simulate, type ActionVerdict, type Decision, type MatchedStatement, type Simulation } from './simulate';

// "Why was this denied?": the principal's policies from the IAM snapshot, the
// resource's policy from its service, AWS's policy simulator's answer for the
// action (and the rest of its action set), each said in words, and the
// smallest grant that would allow it. Every read that Berth's own identity is
// refused becomes a step that names the missing permission.

export type StepStatus = 'ok' | 'deny' | 'info' | 'warn' | 'missing';

export interface Step {
  title: string;
  status: StepStatus;
  /** What the step found, in words. */
  text: string;
  /** Lines under the text (policies, statements). */
  items?: string[];
  /** A statement's JSON, shown as code. */
  code?: string[];
}

export interface PrincipalInfo {
  kind: 'user' | 'role';
  name: string;
  arn: string;
  groups: string[];
}

export type FixTarget =
  | { kind: 'user-inline'; name: string }
  | { kind: 'role-inline'; name: string }
  | { kind: 'group-inline'; name: string }
  | { kind: 'repository-policy'; region: string; repository: string }
  | { kind: 'bucket-policy'; bucket: string };

export interface Fix {
  /** Stable id for the form: the target kind and name. */
  id: string;
  target: FixTarget;
  title: string;
  /** Why this option, and what it does not cover. */
  note: string;
  /** The inline policy's name (inline targets). */
  policyName: string | null;
  /** The actions it grants on the resource (and whether it adds docker login). */
  actions: string[];
  withLogin: boolean;
  diff: DiffLine[];
  changed: boolean;
  /** The hash of the resource policy the diff was made from (resource-policy targets). */
  baseHash: string | null;
}

export interface Explanation {
  principal: PrincipalInfo | null;
  action: string;
  resource: string;
  set: ActionSet | null;
  steps: Step[];
  /** The simulator's decision for the asked action; null when it could not be asked. */
  verdict: Decision | null;
  results: ActionVerdict[];
  fixes: Fix[];
  /** Permissions Berth's identity lacks for this page, e.g. iam:SimulatePrincipalPolicy. */
  missing: string[];
  readAt: number;
}

export interface ExplainInput {
  /** A user or role ARN, or an assumed-role ARN (mapped to its role), or a bare user/role name. */
  principal: string;
  action: string;
  resource: string;
}

/** Finds the user or role in the snapshot (by ARN, by name for an assumed role whose ARN has no path). */
export function findPrincipal(a: Authorization, principal: string): { user?: IamUser; role?: IamRole } {
  const p = principal.trim();
  if (p.startsWith('arn:')) {
    const r = readPrincipal(p);
    // By name only within the same account: a same-named user of another account is someone else.
    const here = <T extends { arn: string; name: string }>(e: T) => readPrincipal(e.arn).account === r.account && sameName(e.name, r.name ?? '');
    if (r.kind === 'user') return { user: a.users.find((u) => u.arn === r.arn) ?? a.users.find(here) };
    if (r.kind === 'role' || r.kind === 'assumed-role') return { role: a.roles.find((x) => x.arn === r.arn) ?? a.roles.find(here) };
    return {};
  }
  const user = a.users.find((u) => sameName(u.name, p));
  if (user) return { user };
  const role = a.roles.find((x) => sameName(x.name, p));
  return role ? { role } : {};
}

const DECISION_WORDS: Record<Decision, string> = { allowed: 'allowed', explicitDeny: 'denied by an explicit Deny', implicitDeny: 'denied: nothing allows it' };

function whereWords(m: MatchedStatement): string {
  const where = m.start ? ` (line ${m.start.line}${m.end && m.end.line !== m.start.line ? `–${m.end.line}` : ''})` : '';
  const kind = m.policyType === 'resource' ? 'the resource policy' : m.policyType === 'aws-managed' ? 'AWS managed policy' : m.policyType === 'user-managed' ? 'managed policy' : `${m.policyType} inline policy`;
  return m.policyType === 'resource' ? `${kind}${where}` : `${kind} ${m.policyId}${where}`;
}

function policiesOf(a: Authorization, p: { user?: IamUser; role?: IamRole }): { label: string; inline: InlinePolicy[]; attached: PolicyRef[] }[] {
  if (p.role) return [{ label: `role ${p.role.name}`, inline: p.role.inline, attached: p.role.attached }];
  const u = p.user!;
  const out = [{ label: `user ${u.name}`, inline: u.inline, attached: u.attached }];
  for (const g of u.groups) {
    const group = a.groups.find((x) => x.name === g);
    if (group) out.push({ label: `group ${g}`, inline: group.inline, attached: group.attached });
  }
  return out;
}

const problemText = (p: AwsProblem) => p.message;

/** Builds the whole explanation; never throws for a refused read (it becomes a step). */
export async function explain(input: ExplainInput): Promise<Explanation> {
  const action = input.action.trim();
  const resource = input.resource.trim() || '*';
  const set = actionSetFor(action);
  const steps: Step[] = [];
  const missing: string[] = [];
  const out: Explanation = { principal: null, action, resource, set, steps, verdict: null, results: [], fixes: [], missing, readAt: Date.now() };

  // 1. Who: the snapshot's user or role, and where its policies come from.
  const snap = await attempt(readAuthorization, { service: 'IAM', endpoint: endpointFor('IAM', 'us-east-1'), action: 'iam:GetAccountAuthorizationDetails' });
  if (!snap.ok) {
    if (snap.problem.missingAction) missing.push(snap.problem.missingAction);
    steps.push({ title: 'Who asked', status: snap.problem.missingAction ? 'missing' : 'warn', text: problemText(snap.problem) });
    return out;
  }
  const a = snap.value.value;
  out.readAt = snap.value.readAt;
  const found = findPrincipal(a, input.principal);
  const parsed = input.principal.startsWith('arn:') ? readPrincipal(input.principal) : null;
  if (!found.user && !found.role) {
    const why =
      parsed?.kind === 'root'
        ? 'The account’s root user is not governed by IAM policies (only by an organization’s policies); there is nothing to explain here.'
        : parsed?.kind === 'federated-user'
          ? 'A federated user’s permissions are the intersection of the IAM user that called GetFederationToken and the policy passed with it; pick that user instead.'
          : `No IAM user or role ${input.principal ? `“${input.principal}” ` : ''}is in this account (as of the snapshot read ${new Date(snap.value.readAt).toISOString().slice(11, 19)} UTC). It may be in another account, or have been deleted.`;
    steps.push({ title: 'Who asked', status: 'warn', text: why });
    return out;
  }
  const entity = (found.user ?? found.role)!;
  out.principal = { kind: found.user ? 'user' : 'role', name: entity.name, arn: entity.arn, groups: found.user?.groups ?? [] };
  const groups = found.user?.groups ?? [];
  steps.push({
    title: 'Who asked',
    status: 'info',
    text: found.user
      ? `IAM user ${entity.name}. Its permissions are its own policies and those of ${groups.length ? `its group${groups.length > 1 ? 's' : ''} ${groups.join(', ')}` : 'its groups (it is in none)'}.`
      : parsed?.kind === 'assumed-role'
        ? `A session (${parsed.session ?? 'unnamed'}) of IAM role ${entity.name}: the role’s policies decide, narrowed by any session policy passed when the role was assumed, which IAM does not keep and Berth cannot see.`
        : `IAM role ${entity.name}: its policies decide for every session of it.`,
  });

  // 2. Its identity policies, from the snapshot.
  const sources = policiesOf(a, found);
  const items: string[] = [];
  for (const s of sources) {
    for (const p of s.inline) items.push(`${s.label}: inline policy ${p.name}`);
    for (const p of s.attached) items.push(`${s.label}: managed policy ${p.name}`);
  }
  const boundary = entity.boundary;
  steps.push({
    title: 'Its identity policies',
    status: items.length ? 'info' : 'warn',
    text: items.length ? `${items.length} polic${items.length === 1 ? 'y applies' : 'ies apply'}.${boundary ? ` A permissions boundary (${boundary}) caps what they can allow.` : ''}` : 'No identity policy at all: only a resource policy naming it can allow anything.',
    items,
  });

  // 3. The resource's own policy.
  const repo = serviceOf(action) === 'ecr' ? ecrRepositoryOf(resource) : null;
  const s3 = serviceOf(action) === 's3' ? s3BucketOf(resource) : null;
  let resourcePolicy: string | null = null;
  let resourcePolicyRead = false;
  // One step for the resource's policy, whichever kind: read (with or without one), or why it could not be.
  const policyStep = (r: Attempt<string | null>, title: string, what: string) => {
    if (r.ok) {
      resourcePolicy = r.value;
      resourcePolicyRead = true;
      steps.push({
        title,
        status: 'info',
        text: r.value ? `${what} has a policy; the simulation includes it.` : `${what} has no policy: only identity policies can allow this.`,
      });
    } else {
      if (r.problem.missingAction) missing.push(r.problem.missingAction);
      steps.push({ title, status: r.problem.missingAction ? 'missing' : 'warn', text: `${problemText(r.problem)} The simulation goes on without it.` });
    }
  };
  if (repo) {
    const r = await attempt(() => getRepositoryPolicy(repo.region, repo.repository), { service: 'ECR', endpoint: endpointFor('ECR', repo.region), action: 'ecr:GetRepositoryPolicy' });
    policyStep(r, 'The repository’s policy', `Repository ${repo.repository}`);
  } else if (s3) {
    const region = await bucketRegion(s3.bucket).catch(() => null);
    const r = await attempt(() => readBucketPolicy(s3.bucket), { service: 'S3', action: 's3:GetBucketPolicy' });
    policyStep(r, 'The bucket’s policy', `Bucket ${s3.bucket}`);
    // Block Public Access only matters to a grant to everyone ("Principal": "*"); say so when the policy has one.
    const publicGrant = resourcePolicy !== null && /"Principal"\s*:\s*(?:"\*"|\{\s*"AWS"\s*:\s*"\*"\s*\})/.test(resourcePolicy);
    if (publicGrant && region) {
      // S3 applies the stricter of the bucket's and the account's setting, so either one's RestrictPublicBuckets counts.
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
      const [bpa, account] = await Promise.all([
        attempt(() => s3Client(region).send(new GetPublicAccessBlockCommand({ Bucket: s3.bucket })), { service: 'S3', action: 's3:GetBucketPublicAccessBlock' }),
        getAccountPublicAccessBlock(),
      ]);
      const bucketAbsent = !bpa.ok && (bpa.problem.code ?? '') === 'NoSuchPublicAccessBlockConfiguration';
      const byBucket = bpa.ok ? Boolean(bpa.value.PublicAccessBlockConfiguration?.RestrictPublicBuckets) : bucketAbsent ? false : undefined;
      const byAccount = account.ok ? Boolean(account.value?.restrictPublicBuckets) : undefined;
      for (const read of [bpa, account]) {
        if (read.ok || (read === bpa && bucketAbsent)) continue;
        if (read.problem.missingAction) missing.push(read.problem.missingAction);
        steps.push({ title: 'Block Public Access', status: 'missing', text: problemText(read.problem) });
      }
      if (byBucket || byAccount) {
        const where = byBucket && byAccount ? 'for the bucket and for the account' : byBucket ? 'for the bucket' : 'for the account';
        steps.push({
          title: 'Block Public Access',
          status: 'warn',
          text: `The bucket policy grants to everyone ("Principal": "*"), and RestrictPublicBuckets is on ${where}: S3 ignores that public grant for anyone outside this account and AWS services. A grant that names the principal is not affected.`,
        });
      } else if (byBucket === false && byAccount === false) {
        steps.push({
          title: 'Block Public Access',
          status: 'info',
          text: 'The bucket policy grants to everyone ("Principal": "*"), and RestrictPublicBuckets is off for the bucket and for the account, so that grant applies as written.',
        });
      }
    }
  }

  // 4. AWS's policy simulator, for the action and the rest of its set.
  const actions = set ? [...new Set([action, ...set.actions])] : [action];
  const sim = await attempt(() => simulate(entity.arn, actions, resource, resourcePolicy), { service: 'IAM', endpoint: endpointFor('IAM', 'us-east-1'), action: 'iam:SimulatePrincipalPolicy' });
  let login: ActionVerdict | null = null;
  if (!sim.ok) {
    if (sim.problem.missingAction) missing.push(sim.problem.missingAction);
    steps.push({ title: 'AWS’s policy simulator', status: sim.problem.missingAction ? 'missing' : 'warn', text: `${problemText(sim.problem)} Without the simulator Berth cannot say what decides.` });
    return out;
  }
  const simulation: Simulation = sim.value;
  out.results = simulation.results;
  const mine = simulation.results.find((r) => r.action.toLowerCase() === action.toLowerCase()) ?? simulation.results[0];
  out.verdict = mine?.decision ?? null;
  if (set && repo) {
    const l = await attempt(() => simulate(entity.arn, [ECR_LOGIN], '*'), { service: 'IAM', action: 'iam:SimulatePrincipalPolicy' });
    if (l.ok) login = l.value.results[0] ?? null;
  }
  if (!simulation.resourcePolicyEvaluated && resourcePolicy) {
    steps.push({
      title: 'The resource policy in the simulation',
      status: 'warn',
      text: 'IAM’s simulator can only match a resource policy’s Principal against an IAM user, so for a role it simulates the identity policies alone. A statement in the resource policy that names this role would still allow it for real.',
    });
  }
  if (mine) {
    const allowed = mine.matched.filter(() => mine.decision === 'allowed').map(whereWords);
    const denied = mine.decision === 'explicitDeny' ? mine.matched.map(whereWords) : [];
    steps.push({
      title: `The simulator on ${mine.action}`,
      status: mine.decision === 'allowed' ? 'ok' : 'deny',
      text:
        mine.decision === 'allowed'
          ? `Allowed${allowed.length ? ` by ${allowed.join('; ')}` : ''}. If the request was still denied, something the simulator does not see decided: a session policy, an organization’s SCP or RCP, a VPC endpoint policy, or a condition on the real request.`
          : mine.decision === 'explicitDeny'
            ? `Denied by an explicit Deny in ${denied.join('; ') || 'a policy the simulator did not name'}. A Deny wins over every Allow, so no grant can fix this: the Deny itself must change.`
            : `Denied implicitly: no policy allows ${mine.action} on ${resource}${mine.boundaryAllows === false ? ', and the permissions boundary does not allow it either' : ''}.`,
      items: [
        ...Object.entries(mine.details).map(([k, v]) => `${k}: ${DECISION_WORDS[v]}`),
        ...(mine.missingContext.length ? [`The policies use condition keys the simulation had no value for: ${mine.missingContext.join(', ')}; a real request may be decided differently.`] : []),
        ...(mine.boundaryAllows === false ? ['The permissions boundary does not allow it: a grant must be added to the boundary as well.'] : []),
        ...(mine.organizationAllows === false ? ['An organization’s service control policy does not allow it: only the organization’s administrators can change that.'] : []),
      ],
    });
    if (mine.decision === 'explicitDeny') steps.push(await denyStep(a, found, mine, resourcePolicy));
  }
  if (set) {
    const others = simulation.results.filter((r) => r.action.toLowerCase() !== action.toLowerCase());
    steps.push({
      title: `The rest of ${set.label}`,
      status: others.every((r) => r.decision === 'allowed') && (!login || login.decision === 'allowed') ? 'ok' : 'deny',
      text: set.why,
      items: [...others.map((r) => `${r.action}: ${DECISION_WORDS[r.decision]}`), ...(login ? [`${ECR_LOGIN} on "*" (docker login): ${DECISION_WORDS[login.decision]}`] : [])],
    });
  }

  // 5. The smallest grant, when a grant can help.
  if (mine && mine.decision === 'implicitDeny' && !simulation.results.some((r) => r.decision === 'explicitDeny' && actions.includes(r.action))) {
    const grant = simulation.results.filter((r) => r.decision === 'implicitDeny').map((r) => r.action);
    const withLogin = Boolean(login && login.decision === 'implicitDeny');
    out.fixes = buildFixes({ a, found, action, resource, set, grant, withLogin, repo, s3, resourcePolicy: resourcePolicyRead ? resourcePolicy : undefined });
  }
  return out;
}

async function denyStep(a: Authorization, found: { user?: IamUser; role?: IamRole }, v: ActionVerdict, resourcePolicy: string | null): Promise<Step> {
  // The statements themselves, from the documents Berth can read: inline ones
  // from the snapshot, managed ones from IAM, the resource policy as read.
  const code: string[] = [];
  for (const m of v.matched) {
    let doc: string | null = null;
    // IAM names an inline policy by its name and a managed one by its name too (or its ARN).
    const sources = policiesOf(a, found);
    if (m.policyType === 'resource') doc = resourcePolicy;
    else if (m.policyType === 'aws-managed' || m.policyType === 'user-managed') {
      const arn = m.policyId.startsWith('arn:') ? m.policyId : sources.flatMap((s) => s.attached).find((p) => p.name === m.policyId)?.arn;
      doc = arn ? ((await getManagedPolicy(arn).catch(() => null))?.document ?? null) : null;
    } else for (const s of sources) doc ??= s.inline.find((p) => p.name === m.policyId)?.document ?? null;
    for (const st of denyingStatements(doc, v.action, v.resource)) code.push(JSON.stringify(st, null, 2));
  }
  return {
    title: 'The Deny that decides',
    status: 'deny',
    text: code.length
      ? `${code.length === 1 ? 'This statement denies' : 'These statements deny'} it. Narrow ${code.length === 1 ? 'its' : 'their'} Action or Resource (or add a Condition) to let this request through; Berth does not remove someone’s Deny for you.`
      : 'The simulator named the policy but Berth could not read the statement in it; open the policy to find the Deny.',
    code,
  };
}

interface FixInput {
  a: Authorization;
  found: { user?: IamUser; role?: IamRole };
  action: string;
  resource: string;
  set: ActionSet | null;
  grant: string[];
  withLogin: boolean;
  repo: ReturnType<typeof ecrRepositoryOf>;
  s3: ReturnType<typeof s3BucketOf>;
  /** The resource policy as read; undefined when it could not be read (no resource-policy option then). */
  resourcePolicy: string | null | undefined;
}

/** The fix options and their diffs, from what is known now (the action re-reads before it writes). */
export function buildFixes(f: FixInput): Fix[] {
  const fixes: Fix[] = [];
  const what = f.set ? f.set.id : f.action.replace(':', '-').toLowerCase();
  const name = inlinePolicyName(what, f.resource);
  const sid = sidOf('berth allow', what);
  const statements = identityStatements(sid, f.grant, f.resource, f.withLogin);
  const setWords = f.set && f.grant.length > 1 ? ` (the ${f.set.label} set: ${f.grant.map((x) => x.split(':')[1]).join(', ')})` : '';
  const inline = (target: FixTarget, current: InlinePolicy | undefined, title: string, note: string): Fix => {
    const change = mergeStatements(current?.document ?? null, statements);
    return { id: `${target.kind}:${'name' in target ? target.name : ''}`, target, title, note, policyName: name, actions: f.grant, withLogin: f.withLogin, diff: change.diff, changed: change.changed, baseHash: null };
  };
  if (f.found.user) {
    const u = f.found.user;
    fixes.push(
      inline({ kind: 'user-inline', name: u.name }, u.inline.find((p) => p.name === name), `Inline policy ${name} on user ${u.name}`, `Allows ${u.name} alone${setWords}. Uses PutUserPolicy; applying it again updates the same policy.`),
    );
    for (const g of u.groups) {
      const group = f.a.groups.find((x) => x.name === g);
      fixes.push(
        inline({ kind: 'group-inline', name: g }, group?.inline.find((p) => p.name === name), `Inline policy ${name} on group ${g}`, `Allows every member of ${g}, not only ${u.name}. Uses PutGroupPolicy.`),
      );
    }
  } else if (f.found.role) {
    const r = f.found.role;
    fixes.push(inline({ kind: 'role-inline', name: r.name }, r.inline.find((p) => p.name === name), `Inline policy ${name} on role ${r.name}`, `Allows every session of ${r.name}${setWords}. Uses PutRolePolicy.`));
  }
  const principalArn = (f.found.user ?? f.found.role)!.arn;
  const principalName = (f.found.user ?? f.found.role)!.name;
  const loginNote = f.withLogin ? ' docker login (ecr:GetAuthorizationToken) cannot be granted by a repository policy; it still needs an identity policy.' : '';
  if (f.resourcePolicy !== undefined && f.grant.length) {
    // A statement naming the principal in the resource's own policy: the same fix for a repository or a bucket.
    const current = f.resourcePolicy;
    const resourceFix = (kind: 'ecr' | 's3', id: string, target: FixTarget, title: string, note: string) => {
      const change = mergeStatements(current, [resourceStatement(kind, sidOf('berth', what, principalName), principalArn, f.grant, f.resource)]);
      fixes.push({ id, target, title, note, policyName: null, actions: f.grant, withLogin: false, diff: change.diff, changed: change.changed, baseHash: policyHash(current) });
    };
    if (f.repo) {
      resourceFix(
        'ecr',
        `repository-policy:${f.repo.repository}`,
        { kind: 'repository-policy', region: f.repo.region, repository: f.repo.repository },
        `A statement in the policy of repository ${f.repo.repository}`,
        `Allows ${principalName} on this repository only, without touching its identity policies. Uses SetRepositoryPolicy; refused if the policy changed since this page read it.${loginNote}`,
      );
    } else if (f.s3) {
      resourceFix(
        's3',
        `bucket-policy:${f.s3.bucket}`,
        { kind: 'bucket-policy', bucket: f.s3.bucket },
        `A statement in the policy of bucket ${f.s3.bucket}`,
        `Allows ${principalName} on ${f.s3.key ? 'this object' : 'this bucket'} only, without touching its identity policies. Uses PutBucketPolicy; refused if the policy changed since this page read it.`,
      );
    }
  }
  return fixes;
}

/** The statements the apply action writes for a target, rebuilt on the server from validated input (never taken from the form). */
export function statementsFor(target: FixTarget, principalArn: string, principalName: string, what: string, actions: string[], resource: string, withLogin: boolean): PolicyStatement[] {
  if (target.kind === 'repository-policy') return [resourceStatement('ecr', sidOf('berth', what, principalName), principalArn, actions, resource)];
  if (target.kind === 'bucket-policy') return [resourceStatement('s3', sidOf('berth', what, principalName), principalArn, actions, resource)];
  return identityStatements(sidOf('berth allow', what), actions, resource, withLogin);
}
