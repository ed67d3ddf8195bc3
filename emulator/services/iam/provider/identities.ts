import type { IAM, Tag } from '@aws-sdk/client-iam';
import type { Providers } from '../../../core/wire/service';
import { parseTags } from '../model/common';
import {
  addUserToGroup,
  createGroup,
  deleteGroup,
  groupMembers,
  groupsOfUser,
  listGroups,
  removeUserFromGroup,
  requireGroup,
  toGroup,
  updateGroup,
} from '../model/groups';
import {
  createRole,
  deleteRole,
  listRoles,
  requireRole,
  setRoleBoundary,
  tagRole,
  toRole,
  untagRole,
  updateAssumeRolePolicy,
  updateRole,
} from '../model/roles';
import { createUser, deleteUser, listUsers, requireUser, setUserBoundary, tagUser, toUser, untagUser, updateUser } from '../model/users';
import { byIndex, groupResource, iamOf, more, ownUserResource, required, roleResource, userNameOrCaller, userResource } from './common';

/** Users, groups and roles, with tags and group membership. */

function tagPage(tags: Tag[], input: { Marker?: string; MaxItems?: number }) {
  const page = byIndex(tags, input.Marker, input.MaxItems);
  return { Tags: page.items, ...more(page) };
}

export const identityProviders: Providers<IAM> = {
  // ---------------------------------------------------------------- users
  CreateUser: {
    resource: userResource,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      return { User: toUser(iam, createUser(iam, { ...input, UserName: required(input.UserName) })) };
    },
  },

  GetUser: {
    resource: ownUserResource,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      return { User: toUser(iam, requireUser(iam, userNameOrCaller(input.UserName, ctx))) };
    },
  },

  ListUsers(input, ctx) {
    const iam = iamOf(ctx);
    const page = listUsers(iam, input);
    return { Users: page.items.map((r) => toUser(iam, r, false)), ...more(page) };
  },

  UpdateUser: {
    resource: userResource,
    handler(input, ctx) {
      updateUser(iamOf(ctx), { ...input, UserName: required(input.UserName) });
      return {};
    },
  },

  PutUserPermissionsBoundary: {
    resource: userResource,
    handler(input, ctx) {
      setUserBoundary(iamOf(ctx), required(input.UserName), required(input.PermissionsBoundary));
      return {};
    },
  },

  DeleteUserPermissionsBoundary: {
    resource: userResource,
    handler(input, ctx) {
      setUserBoundary(iamOf(ctx), required(input.UserName), null);
      return {};
    },
  },

  DeleteUser: {
    resource: userResource,
    handler(input, ctx) {
      deleteUser(iamOf(ctx), required(input.UserName));
      return {};
    },
  },

  TagUser: {
    resource: userResource,
    handler(input, ctx) {
      tagUser(iamOf(ctx), required(input.UserName), required(input.Tags));
      return {};
    },
  },

  UntagUser: {
    resource: userResource,
    handler(input, ctx) {
      untagUser(iamOf(ctx), required(input.UserName), required(input.TagKeys));
      return {};
    },
  },

  ListUserTags: {
    resource: userResource,
    handler(input, ctx) {
      return tagPage(parseTags(requireUser(iamOf(ctx), required(input.UserName)).tags), input);
    },
  },

  // ---------------------------------------------------------------- groups
  CreateGroup: {
    resource: groupResource,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      return { Group: toGroup(iam, createGroup(iam, { ...input, GroupName: required(input.GroupName) })) };
    },
  },

  GetGroup: {
    resource: groupResource,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      const group = requireGroup(iam, required(input.GroupName));
      const page = byIndex(groupMembers(iam, group.name), input.Marker, input.MaxItems);
      return { Group: toGroup(iam, group), Users: page.items.map((u) => toUser(iam, u, false)), ...more(page) };
    },
  },

  ListGroups(input, ctx) {
    const iam = iamOf(ctx);
    const page = listGroups(iam, input);
    return { Groups: page.items.map((g) => toGroup(iam, g)), ...more(page) };
  },

  UpdateGroup: {
    resource: groupResource,
    handler(input, ctx) {
      updateGroup(iamOf(ctx), { ...input, GroupName: required(input.GroupName) });
      return {};
    },
  },

  DeleteGroup: {
    resource: groupResource,
    handler(input, ctx) {
      deleteGroup(iamOf(ctx), required(input.GroupName));
      return {};
    },
  },

  AddUserToGroup: {
    resource: groupResource,
    handler(input, ctx) {
      addUserToGroup(iamOf(ctx), required(input.GroupName), required(input.UserName));
      return {};
    },
  },

  RemoveUserFromGroup: {
    resource: groupResource,
    handler(input, ctx) {
      removeUserFromGroup(iamOf(ctx), required(input.GroupName), required(input.UserName));
      return {};
    },
  },

  ListGroupsForUser: {
    resource: userResource,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      const user = requireUser(iam, required(input.UserName));
      const page = byIndex(groupsOfUser(iam, user.name), input.Marker, input.MaxItems);
      return { Groups: page.items.map((g) => toGroup(iam, g)), ...more(page) };
    },
  },

  // ---------------------------------------------------------------- roles
  CreateRole: {
    resource: roleResource,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      const row = createRole(iam, { ...input, RoleName: required(input.RoleName), AssumeRolePolicyDocument: required(input.AssumeRolePolicyDocument) });
      const role = toRole(iam, row);
      // CreateRole answers the role without RoleLastUsed, as IAM does.
      delete role.RoleLastUsed;
      return { Role: role };
    },
  },

  GetRole: {
    resource: roleResource,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      return { Role: toRole(iam, requireRole(iam, required(input.RoleName))) };
    },
  },

  ListRoles(input, ctx) {
    const iam = iamOf(ctx);
    const page = listRoles(iam, input);
    return { Roles: page.items.map((r) => toRole(iam, r, false)), ...more(page) };
  },

  UpdateRole: {
    resource: roleResource,
    handler(input, ctx) {
      updateRole(iamOf(ctx), { ...input, RoleName: required(input.RoleName) });
      return {};
    },
  },

  UpdateRoleDescription: {
    resource: roleResource,
    handler(input, ctx) {
      const iam = iamOf(ctx);
      updateRole(iam, { RoleName: required(input.RoleName), Description: required(input.Description) });
      return { Role: toRole(iam, requireRole(iam, required(input.RoleName))) };
    },
  },

  PutRolePermissionsBoundary: {
    resource: roleResource,
    handler(input, ctx) {
      setRoleBoundary(iamOf(ctx), required(input.RoleName), required(input.PermissionsBoundary));
      return {};
    },
  },

  DeleteRolePermissionsBoundary: {
    resource: roleResource,
    handler(input, ctx) {
      setRoleBoundary(iamOf(ctx), required(input.RoleName), null);
      return {};
    },
  },

  UpdateAssumeRolePolicy: {
    resource: roleResource,
    handler(input, ctx) {
      updateAssumeRolePolicy(iamOf(ctx), required(input.RoleName), required(input.PolicyDocument));
      return {};
    },
  },

  DeleteRole: {
    resource: roleResource,
    handler(input, ctx) {
      deleteRole(iamOf(ctx), required(input.RoleName));
      return {};
    },
  },

  TagRole: {
    resource: roleResource,
    handler(input, ctx) {
      tagRole(iamOf(ctx), required(input.RoleName), required(input.Tags));
      return {};
    },
  },

  UntagRole: {
    resource: roleResource,
    handler(input, ctx) {
      untagRole(iamOf(ctx), required(input.RoleName), required(input.TagKeys));
      return {};
    },
  },

  ListRoleTags: {
    resource: roleResource,
    handler(input, ctx) {
      return tagPage(parseTags(requireRole(iamOf(ctx), required(input.RoleName)).tags), input);
    },
  },
};

