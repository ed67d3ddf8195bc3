import 'server-only';
import {
  GetGroupPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { iamClient } from '@/lib/aws/clients';
import { writing } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import { ChangedSinceLoaded, withKeyLock } from '@/lib/aws/shared-document';
import { ActionError } from '@/lib/auth/action';
import { getRepositoryPolicy, setRepositoryPolicy } from '@/lib/ecr/policies';
import { readBucketPolicy, setBucketPolicy } from '@/lib/s3/properties';
import type { ApplyFixInput } from '@/lib/validation/explain';
import { actionSetFor } from './action-sets';
import { readAuthorization } from './authorization';
import { readDocument } from './documents';
import { readPrincipal } from './denial';
import { statementsFor, type FixTarget } from './explain';
import { ecrRepositoryOf, inlinePolicyName, mergeStatements, policyHash, s3BucketOf } from './fix';

// Applies a fix "Why was this denied?" suggested. The statements are rebuilt
// here from the validated input, and may grant only the denied action or the
// rest of its set. An inline policy is read fresh and merged (the same name is
// updated, never created twice); a repository or bucket policy is written only
// if it is still the document the diff was made from.

const notFound = (e: unknown) => (e as Error).name === 'NoSuchEntityException' || (e as { Code?: string }).Code === 'NoSuchEntity';

/** What the fix is named after: the action set, or the one action. */
export const fixSubject = (action: string) => actionSetFor(action)?.id ?? action.replace(':', '-').toLowerCase();

export const CHANGED =
  'The policy changed since you looked: someone saved it after this page read it. Nothing was written; the diff below is made again from the current policy. Check it and apply again.';

export interface Applied {
  what: string;
  changed: boolean;
}

export async function applyFix(input: ApplyFixInput): Promise<Applied> {
  const set = actionSetFor(input.action);
  const offered = new Set([input.action, ...(set?.actions ?? [])].map((a) => a.toLowerCase()));
  const stray = input.grant.filter((g) => !offered.has(g.toLowerCase()));
  if (stray.length) throw new ActionError(`Berth only grants what the explanation offered; ${stray.join(', ')} is not part of it.`);
  if (input.withLogin && !set) throw new ActionError('docker login is only offered with a push or pull.');
  const principal = readPrincipal(input.principal);
  const name = principal.name!;
  const what = fixSubject(input.action);

  let target: FixTarget;
  if (input.target === 'user') target = { kind: 'user-inline', name };
  else if (input.target === 'role') target = { kind: 'role-inline', name };
  else if (input.target === 'group') {
    // The group must be one the user is in, as the snapshot knows it.
    const a = (await readAuthorization()).value;
    const user = a.users.find((u) => u.arn === input.principal);
    if (!user?.groups.includes(input.group!)) throw new ActionError(`${name} is not in group ${input.group}, as far as IAM said when this page was read.`);
    target = { kind: 'group-inline', name: input.group! };
  } else if (input.target === 'repository') {
    const repo = ecrRepositoryOf(input.resource);
    if (!repo) throw new ActionError('The resource is not an ECR repository.');
    target = { kind: 'repository-policy', region: repo.region, repository: repo.repository };
  } else {
    const b = s3BucketOf(input.resource);
    if (!b) throw new ActionError('The resource is not an S3 bucket or object.');
    target = { kind: 'bucket-policy', bucket: b.bucket };
  }
  const statements = statementsFor(target, input.principal, name, what, input.grant, input.resource, input.withLogin && (target.kind.endsWith('-inline')));

  if (target.kind === 'repository-policy' || target.kind === 'bucket-policy') {
    const t = target;
    const read = () => (t.kind === 'repository-policy' ? getRepositoryPolicy(t.region, t.repository) : readBucketPolicy(t.bucket));
    const current = await read();
    if (policyHash(current) !== input.baseHash) throw new ActionError(CHANGED);
    const change = mergeStatements(current, statements);
    const label = t.kind === 'repository-policy' ? `the policy of repository ${t.repository}` : `the policy of bucket ${t.bucket}`;
    if (!change.changed) return { what: label, changed: false };
    try {
      await writing([readTags.iamAuthorization()], () =>
        t.kind === 'repository-policy' ? setRepositoryPolicy(t.region, t.repository, change.after, current) : setBucketPolicy(t.bucket, change.after, current),
      );
    } catch (e) {
      if (e instanceof ChangedSinceLoaded) throw new ActionError(CHANGED);
      throw e;
    }
    return { what: label, changed: true };
  }

  // Inline: read the policy of that name now, merge, write; one at a time per policy in this process.
  const policyName = inlinePolicyName(what, input.resource);
  const c = iamClient();
  const kind = target.kind;
  const entity = target.name;
  return withKeyLock(`iam-inline:${kind}:${entity}:${policyName}`, async () => {
    let existing: string | null = null;
    try {
      const out =
        kind === 'user-inline'
          ? await c.send(new GetUserPolicyCommand({ UserName: entity, PolicyName: policyName }))
          : kind === 'role-inline'
            ? await c.send(new GetRolePolicyCommand({ RoleName: entity, PolicyName: policyName }))
            : await c.send(new GetGroupPolicyCommand({ GroupName: entity, PolicyName: policyName }));
      existing = readDocument(out.PolicyDocument).text;
    } catch (e) {
      if (!notFound(e)) throw e;
    }
    const change = mergeStatements(existing, statements);
    const label = `inline policy ${policyName} on ${kind === 'user-inline' ? 'user' : kind === 'role-inline' ? 'role' : 'group'} ${entity}`;
    if (!change.changed) return { what: label, changed: false };
    await writing([readTags.iamAuthorization()], async () => {
      const PolicyDocument = change.after;
      if (kind === 'user-inline') await c.send(new PutUserPolicyCommand({ UserName: entity, PolicyName: policyName, PolicyDocument }));
      else if (kind === 'role-inline') await c.send(new PutRolePolicyCommand({ RoleName: entity, PolicyName: policyName, PolicyDocument }));
      else await c.send(new PutGroupPolicyCommand({ GroupName: entity, PolicyName: policyName, PolicyDocument }));
    });
    return { what: label, changed: true };
  });
}
