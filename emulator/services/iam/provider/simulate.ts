import type { IAM } from '@aws-sdk/client-iam';
import { AwsError } from '../../../core/errors';
import { policySourceOf } from '../identity-source';
import {
  contextKeysForPolicies,
  MalformedPolicyError,
  simulatePolicies,
  SimulationInputError,
  type SimulateInput,
  type SimulationPolicy,
} from '../../../core/policy';
import type { RequestContext } from '../../../core/types';
import type { Providers } from '../../../core/wire/service';
import { permissionsBoundary, principalPolicies, type PrincipalPolicy } from '../directory';
import { requireGroup } from '../model/groups';
import { inlinePolicies } from '../model/inline';
import { attachedPolicies, defaultDocument, findPolicy } from '../model/policies';
import { requireRole } from '../model/roles';
import { requireUser } from '../model/users';
import { iamOf } from './common';

/**
 * The policy simulator: SimulatePrincipalPolicy and SimulateCustomPolicy
 * decide with the same engine that authorizes the emulator's requests, and
 * GetContextKeysFor*Policy list the condition keys the policies use.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
 */

/** The engine's errors in IAM's shape: MalformedPolicyDocument, InvalidInput (both HTTP 400). */
function asIamError(err: unknown): never {
  if (err instanceof MalformedPolicyError) throw new AwsError('MalformedPolicyDocument', err.message, 400);
  if (err instanceof SimulationInputError) throw new AwsError('InvalidInput', err.message, 400);
  throw err;
}

function run<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    return asIamError(err);
  }
}

const ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)(\/(?:.*\/)?)?([^/]+)$/;

/** What PolicySourceArn names: a user, group or role of this account, which must exist. */
function entityOf(ctx: RequestContext, arn: string): { kind: 'user' | 'group' | 'role'; name: string; arn: string } {
  const m = ENTITY_ARN.exec(arn);
  // IAM's words for an ARN that is no user, group or role (a role session's, say), as callers quote them
  // (https://github.com/aws-containers/amazon-ecs-exec-checker/pull/10).
  if (!m) throw new AwsError('InvalidInput', `Invalid Entity Arn: ${arn} does not clearly define entity type and name.`, 400);
  if (m[1] !== ctx.env.accountId) throw new AwsError('InvalidInput', `Invalid ARN: ${arn}`, 400);
  const kind = m[2] as 'user' | 'group' | 'role';
  const name = m[4]!;
  const iam = iamOf(ctx);
  if (kind === 'user') requireUser(iam, name);
  else if (kind === 'group') requireGroup(iam, name);
  else requireRole(iam, name);
  return { kind, name, arn };
}

function toSimulation(p: PrincipalPolicy): SimulationPolicy {
  return { document: p.document, source: policySourceOf(p) };
}

/** A group's own policies (inline, then attached), which `principalPolicies` gives only through a user. */
function groupPolicies(ctx: RequestContext, name: string): PrincipalPolicy[] {
  const iam = iamOf(ctx);
  const out: PrincipalPolicy[] = inlinePolicies(iam, 'group', name).map((p) => ({
    document: p.document,
    source: { kind: 'group-inline', name: p.policy_name, groupName: name },
  }));
  for (const a of attachedPolicies(iam, 'group', name)) {
    const row = findPolicy(iam, a.PolicyArn!);
    if (row) out.push({ document: defaultDocument(iam, row), source: { kind: 'group-managed', name: row.name, policyArn: row.arn, groupName: name } });
  }
  return out;
}

function entityPolicies(ctx: RequestContext, entity: ReturnType<typeof entityOf>): { policies: SimulationPolicy[]; boundary?: SimulationPolicy } {
  if (entity.kind === 'group') return { policies: groupPolicies(ctx, entity.name).map(toSimulation) };
  const policies = principalPolicies(ctx.env.db, entity.arn).map(toSimulation);
  const b = permissionsBoundary(ctx.env.db, entity.arn);
  const managed = b?.policyArn.startsWith('arn:aws:iam::aws:policy/') ? 'aws-managed' : 'user-managed';
  return { policies, boundary: b ? { document: b.document, source: { id: b.policyArn, type: managed } } : undefined };
}

type SimulateMembers = Omit<SimulateInput, 'principalPolicies' | 'principalBoundary' | 'resourceTemplate' | 'ActionNames'> & { ActionNames?: string[] };

function simulate(members: SimulateMembers, extra: Pick<SimulateInput, 'principalPolicies' | 'principalBoundary'> = {}) {
  return run(() => simulatePolicies({ ...members, ...extra, ActionNames: members.ActionNames ?? [] }));
}

export const simulateProviders: Providers<IAM> = {
  SimulatePrincipalPolicy: {
    resource: (input, ctx) => input.PolicySourceArn ?? `arn:aws:iam::${ctx.env.accountId}:*`,
    handler(input, ctx) {
      const entity = entityOf(ctx, input.PolicySourceArn ?? '');
      const { policies, boundary } = entityPolicies(ctx, entity);
      return simulate(input as SimulateMembers, { principalPolicies: policies, principalBoundary: boundary });
    },
  },
  SimulateCustomPolicy: {
    handler: (input) => simulate(input as SimulateMembers),
  },
  GetContextKeysForPrincipalPolicy: {
    resource: (input, ctx) => input.PolicySourceArn ?? `arn:aws:iam::${ctx.env.accountId}:*`,
    handler(input, ctx) {
      const entity = entityOf(ctx, input.PolicySourceArn ?? '');
      const documents = [...entityPolicies(ctx, entity).policies.map((p) => p.document), ...(input.PolicyInputList ?? [])];
      return { ContextKeyNames: run(() => contextKeysForPolicies(documents)) };
    },
  },
  GetContextKeysForCustomPolicy: {
    handler: (input) => ({ ContextKeyNames: run(() => contextKeysForPolicies(input.PolicyInputList ?? [])) }),
  },
};
