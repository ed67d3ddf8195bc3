import type { WAFV2 } from '@aws-sdk/client-wafv2';
import type { RequestContext } from '../../core/types';
import type { Providers } from '../../core/wire/service';
import { associateWebAcl, disassociateWebAcl, resourcesForWebAcl, webAclForResource } from './model/associations';
import type { Caller, EntityKind } from './model/common';
import { createIpSet, deleteIpSet, getIpSet, listIpSets, updateIpSet } from './model/ipsets';
import { listTags, tagResource, untagResource } from './model/tags';
import { createWebAcl, deleteWebAcl, getWebAcl, listManagedRuleGroups, listWebAcls, updateWebAcl } from './model/webacls';

/**
 * WAFv2's operations, each a thin step from the SDK's input to the model and
 * back to the SDK's output. The wire layer parses and writes the JSON and
 * checks what the model requires; the rules live in model/.
 */

function callerOf(ctx: RequestContext): Caller {
  return { db: ctx.env.db, accountId: ctx.env.accountId, region: ctx.region, now: () => ctx.env.now() };
}

/** The ARN an access-denied message names, from a Name/Scope/Id request. */
function entityResource(kind: EntityKind) {
  return (input: { Name?: string; Scope?: string; Id?: string }, ctx: RequestContext): string => {
    const { Name: name, Id: id, Scope: scope } = input;
    if (typeof name !== 'string' || (scope !== 'CLOUDFRONT' && scope !== 'REGIONAL')) return '*';
    const region = scope === 'CLOUDFRONT' ? 'us-east-1' : ctx.region;
    return `arn:aws:wafv2:${region}:${ctx.env.accountId}:${scope === 'CLOUDFRONT' ? 'global' : 'regional'}/${kind}/${name}/${id ?? '*'}`;
  };
}

const webAcl = entityResource('webacl');
const ipSet = entityResource('ipset');

export const providers: Providers<WAFV2> = {
  // ---- web ACLs
  CreateWebACL: { resource: webAcl, handler: (input, ctx) => ({ Summary: createWebAcl(callerOf(ctx), input) }) },
  GetWebACL: { resource: (input, ctx) => input.ARN ?? webAcl(input, ctx), handler: (input, ctx) => getWebAcl(callerOf(ctx), input) },
  ListWebACLs: { resource: webAcl, handler: (input, ctx) => listWebAcls(callerOf(ctx), input.Scope, input.Limit, input.NextMarker) },
  UpdateWebACL: { resource: webAcl, handler: (input, ctx) => ({ NextLockToken: updateWebAcl(callerOf(ctx), input) }) },
  DeleteWebACL: {
    resource: webAcl,
    handler(input, ctx) {
      deleteWebAcl(callerOf(ctx), input);
      return {};
    },
  },
  ListAvailableManagedRuleGroups: (input, ctx) => listManagedRuleGroups(callerOf(ctx), input.Scope, input.Limit, input.NextMarker),

  // ---- IP sets
  CreateIPSet: { resource: ipSet, handler: (input, ctx) => ({ Summary: createIpSet(callerOf(ctx), input) }) },
  GetIPSet: { resource: ipSet, handler: (input, ctx) => getIpSet(callerOf(ctx), input) },
  ListIPSets: { resource: ipSet, handler: (input, ctx) => listIpSets(callerOf(ctx), input.Scope, input.Limit, input.NextMarker) },
  UpdateIPSet: { resource: ipSet, handler: (input, ctx) => ({ NextLockToken: updateIpSet(callerOf(ctx), input) }) },
  DeleteIPSet: {
    resource: ipSet,
    handler(input, ctx) {
      deleteIpSet(callerOf(ctx), input);
      return {};
    },
  },

  // ---- associations with protected resources
  AssociateWebACL: {
    resource: (input) => input.ResourceArn ?? '*',
    handler(input, ctx) {
      associateWebAcl(callerOf(ctx), input.WebACLArn ?? '', input.ResourceArn ?? '');
      return {};
    },
  },
  DisassociateWebACL: {
    resource: (input) => input.ResourceArn ?? '*',
    handler(input, ctx) {
      disassociateWebAcl(callerOf(ctx), input.ResourceArn ?? '');
      return {};
    },
  },
  GetWebACLForResource: { resource: (input) => input.ResourceArn ?? '*', handler: (input, ctx) => webAclForResource(callerOf(ctx), input.ResourceArn ?? '') },
  ListResourcesForWebACL: {
    resource: (input) => input.WebACLArn ?? '*',
    handler: (input, ctx) => ({ ResourceArns: resourcesForWebAcl(callerOf(ctx), input.WebACLArn ?? '') }),
  },

  // ---- tags
  TagResource: {
    resource: (input) => input.ResourceARN ?? '*',
    handler(input, ctx) {
      tagResource(callerOf(ctx), input.ResourceARN ?? '', input.Tags ?? []);
      return {};
    },
  },
  UntagResource: {
    resource: (input) => input.ResourceARN ?? '*',
    handler(input, ctx) {
      untagResource(callerOf(ctx), input.ResourceARN ?? '', input.TagKeys ?? []);
      return {};
    },
  },
  ListTagsForResource: {
    resource: (input) => input.ResourceARN ?? '*',
    handler(input, ctx) {
      const arn = input.ResourceARN ?? '';
      const { tags, next } = listTags(callerOf(ctx), arn, input.Limit, input.NextMarker);
      return { TagInfoForResource: { ResourceARN: arn, TagList: tags }, ...(next ? { NextMarker: next } : {}) };
    },
  },
};
