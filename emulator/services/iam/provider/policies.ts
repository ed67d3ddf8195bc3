import type { IAM } from '@aws-sdk/client-iam';
import type { RequestContext } from '../../../core/types';
import type { Providers } from '../../../core/wire/service';
import { encodeDocument, parseTags, type EntityKind } from '../model/common';
import { requireGroup } from '../model/groups';
import { deleteInlinePolicy, getInlinePolicy, listInlineNames, putInlinePolicy } from '../model/inline';
import {
  attachPolicy,
  createPolicy,
  createPolicyVersion,
  deletePolicy,
  deletePolicyVersion,
  detachPolicy,
  entitiesForPolicy,
  listAttached,
  listPolicies,
  requirePolicy,
  requireVersion,
  setDefaultPolicyVersion,
  tagPolicy,
  toPolicy,
  toVersion,
  untagPolicy,
  versionsOf,
} from '../model/policies';
import { requireRole } from '../model/roles';
import { requireUser } from '../model/users';
import { byIndex, callerArn, groupResource, iamOf, more, policyResource, required, roleResource, userResource } from './common';

/** Managed policies and their versions, attachments, and inline policies. */

/** The stored name of an existing user, group or role (IAM names it in NoSuchEntity if missing). */
function entityName(kind: EntityKind, name: string, ctx: RequestContext): string {
  const iam = iamOf(ctx);
  return kind === 'user' ? requireUser(iam, name).name : kind === 'group' ? requireGroup(iam, name).name : requireRole(iam, name).name;
}

export const policyProviders: Providers<IAM> = {
  // ---------------------------------------------------------------- managed policies
  CreatePolicy: {
    resource: (input, ctx) => `arn:aws:iam::${ctx.env.accountId}:policy${input.Path ?? '/'}${input.PolicyName ?? ''}`,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      const row = createPolicy(iam, { ...input, PolicyName: required(input.PolicyName), PolicyDocument: required(input.PolicyDocument) });
      return { Policy: toPolicy(iam, row) };
    },
  },

  GetPolicy: {
    resource: policyResource,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      return { Policy: toPolicy(iam, requirePolicy(iam, required(input.PolicyArn))) };
    },
  },

  ListPolicies(input, ctx) {
    const iam = iamOf(ctx);
    const page = listPolicies(iam, input);
    return { Policies: page.items.map((r) => toPolicy(iam, r, false)), ...more(page) };
  },

  DeletePolicy: {
    resource: policyResource,
    handler(input, ctx) {
      deletePolicy(iamOf(ctx), required(input.PolicyArn), callerArn(ctx));
      return {};
    },
  },

  CreatePolicyVersion: {
    resource: policyResource,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      const arn = required(input.PolicyArn);
      const v = createPolicyVersion(iam, arn, required(input.PolicyDocument), input.SetAsDefault ?? false, callerArn(ctx));
      const version = toVersion(v, requirePolicy(iam, arn).default_version);
      // CreatePolicyVersion answers the version without its document.
      delete version.Document;
      return { PolicyVersion: version };
    },
  },

  GetPolicyVersion: {
    resource: policyResource,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      const arn = required(input.PolicyArn);
      const v = requireVersion(iam, arn, required(input.VersionId));
      return { PolicyVersion: toVersion(v, requirePolicy(iam, arn).default_version) };
    },
  },

  ListPolicyVersions: {
    resource: policyResource,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      const policy = requirePolicy(iam, required(input.PolicyArn));
      const page = byIndex(versionsOf(iam, policy.arn), input.Marker, input.MaxItems);
      // Listed versions carry no document, as in IAM; GetPolicyVersion has it.
      return {
        Versions: page.items.map((v) => {
          const out = toVersion(v, policy.default_version);
          delete out.Document;
          return out;
        }),
        ...more(page),
      };
    },
  },

  DeletePolicyVersion: {
    resource: policyResource,
    handler(input, ctx) {
      deletePolicyVersion(iamOf(ctx), required(input.PolicyArn), required(input.VersionId), callerArn(ctx));
      return {};
    },
  },

  SetDefaultPolicyVersion: {
    resource: policyResource,
    handler(input, ctx) {
      setDefaultPolicyVersion(iamOf(ctx), required(input.PolicyArn), required(input.VersionId), callerArn(ctx));
      return {};
    },
  },

  TagPolicy: {
    resource: policyResource,
    handler(input, ctx) {
      tagPolicy(iamOf(ctx), required(input.PolicyArn), required(input.Tags), callerArn(ctx));
      return {};
    },
  },

  UntagPolicy: {
    resource: policyResource,
    handler(input, ctx) {
      untagPolicy(iamOf(ctx), required(input.PolicyArn), required(input.TagKeys), callerArn(ctx));
      return {};
    },
  },

  ListPolicyTags: {
    resource: policyResource,
    handler(input, ctx) {
      const page = byIndex(parseTags(requirePolicy(iamOf(ctx), required(input.PolicyArn)).tags), input.Marker, input.MaxItems);
      return { Tags: page.items, ...more(page) };
    },
  },

  ListEntitiesForPolicy: {
    resource: policyResource,
    handler(input, ctx) {
      const page = entitiesForPolicy(iamOf(ctx), required(input.PolicyArn), input);
      const pick = (kind: EntityKind) => page.items.filter((e) => e.kind === kind);
      return {
        PolicyGroups: pick('group').map((e) => ({ GroupName: e.name, GroupId: e.id })),
        PolicyUsers: pick('user').map((e) => ({ UserName: e.name, UserId: e.id })),
        PolicyRoles: pick('role').map((e) => ({ RoleName: e.name, RoleId: e.id })),
        ...more(page),
      };
    },
  },

  // ---------------------------------------------------------------- attachments
  AttachUserPolicy: {
    resource: userResource,
    handler(input, ctx) {
      attachPolicy(iamOf(ctx), 'user', entityName('user', required(input.UserName), ctx), required(input.PolicyArn));
      return {};
    },
  },
  AttachGroupPolicy: {
    resource: groupResource,
    handler(input, ctx) {
      attachPolicy(iamOf(ctx), 'group', entityName('group', required(input.GroupName), ctx), required(input.PolicyArn));
      return {};
    },
  },
  AttachRolePolicy: {
    resource: roleResource,
    handler(input, ctx) {
      attachPolicy(iamOf(ctx), 'role', entityName('role', required(input.RoleName), ctx), required(input.PolicyArn));
      return {};
    },
  },
  DetachUserPolicy: {
    resource: userResource,
    handler(input, ctx) {
      detachPolicy(iamOf(ctx), 'user', entityName('user', required(input.UserName), ctx), required(input.PolicyArn));
      return {};
    },
  },
  DetachGroupPolicy: {
    resource: groupResource,
    handler(input, ctx) {
      detachPolicy(iamOf(ctx), 'group', entityName('group', required(input.GroupName), ctx), required(input.PolicyArn));
      return {};
    },
  },
  DetachRolePolicy: {
    resource: roleResource,
    handler(input, ctx) {
      detachPolicy(iamOf(ctx), 'role', entityName('role', required(input.RoleName), ctx), required(input.PolicyArn));
      return {};
    },
  },
  ListAttachedUserPolicies: {
    resource: userResource,
    handler(input, ctx) {
      const page = listAttached(iamOf(ctx), 'user', entityName('user', required(input.UserName), ctx), input);
      return { AttachedPolicies: page.items, ...more(page) };
    },
  },
  ListAttachedGroupPolicies: {
    resource: groupResource,
    handler(input, ctx) {
      const page = listAttached(iamOf(ctx), 'group', entityName('group', required(input.GroupName), ctx), input);
      return { AttachedPolicies: page.items, ...more(page) };
    },
  },
  ListAttachedRolePolicies: {
    resource: roleResource,
    handler(input, ctx) {
      const page = listAttached(iamOf(ctx), 'role', entityName('role', required(input.RoleName), ctx), input);
      return { AttachedPolicies: page.items, ...more(page) };
    },
  },

  // ---------------------------------------------------------------- inline policies
  PutUserPolicy: {
    resource: userResource,
    handler(input, ctx) {
      putInlinePolicy(iamOf(ctx), 'user', entityName('user', required(input.UserName), ctx), required(input.PolicyName), required(input.PolicyDocument));
      return {};
    },
  },
  PutGroupPolicy: {
    resource: groupResource,
    handler(input, ctx) {
      putInlinePolicy(iamOf(ctx), 'group', entityName('group', required(input.GroupName), ctx), required(input.PolicyName), required(input.PolicyDocument));
      return {};
    },
  },
  PutRolePolicy: {
    resource: roleResource,
    handler(input, ctx) {
      putInlinePolicy(iamOf(ctx), 'role', entityName('role', required(input.RoleName), ctx), required(input.PolicyName), required(input.PolicyDocument));
      return {};
    },
  },
  GetUserPolicy: {
    resource: userResource,
    handler(input, ctx) {
      const name = entityName('user', required(input.UserName), ctx);
      const p = getInlinePolicy(iamOf(ctx), 'user', name, required(input.PolicyName));
      return { UserName: name, PolicyName: p.policy_name, PolicyDocument: encodeDocument(p.document) };
    },
  },
  GetGroupPolicy: {
    resource: groupResource,
    handler(input, ctx) {
      const name = entityName('group', required(input.GroupName), ctx);
      const p = getInlinePolicy(iamOf(ctx), 'group', name, required(input.PolicyName));
      return { GroupName: name, PolicyName: p.policy_name, PolicyDocument: encodeDocument(p.document) };
    },
  },
  GetRolePolicy: {
    resource: roleResource,
    handler(input, ctx) {
      const name = entityName('role', required(input.RoleName), ctx);
      const p = getInlinePolicy(iamOf(ctx), 'role', name, required(input.PolicyName));
      return { RoleName: name, PolicyName: p.policy_name, PolicyDocument: encodeDocument(p.document) };
    },
  },
  ListUserPolicies: {
    resource: userResource,
    handler(input, ctx) {
      const page = listInlineNames(iamOf(ctx), 'user', entityName('user', required(input.UserName), ctx), input);
      return { PolicyNames: page.items, ...more(page) };
    },
  },
  ListGroupPolicies: {
    resource: groupResource,
    handler(input, ctx) {
      const page = listInlineNames(iamOf(ctx), 'group', entityName('group', required(input.GroupName), ctx), input);
      return { PolicyNames: page.items, ...more(page) };
    },
  },
  ListRolePolicies: {
    resource: roleResource,
    handler(input, ctx) {
      const page = listInlineNames(iamOf(ctx), 'role', entityName('role', required(input.RoleName), ctx), input);
      return { PolicyNames: page.items, ...more(page) };
    },
  },
  DeleteUserPolicy: {
    resource: userResource,
    handler(input, ctx) {
      deleteInlinePolicy(iamOf(ctx), 'user', entityName('user', required(input.UserName), ctx), required(input.PolicyName));
      return {};
    },
  },
  DeleteGroupPolicy: {
    resource: groupResource,
    handler(input, ctx) {
      deleteInlinePolicy(iamOf(ctx), 'group', entityName('group', required(input.GroupName), ctx), required(input.PolicyName));
      return {};
    },
  },
  DeleteRolePolicy: {
    resource: roleResource,
    handler(input, ctx) {
      deleteInlinePolicy(iamOf(ctx), 'role', entityName('role', required(input.RoleName), ctx), required(input.PolicyName));
      return {};
    },
  },
};
