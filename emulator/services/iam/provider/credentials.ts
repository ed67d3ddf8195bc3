import type { IAM } from '@aws-sdk/client-iam';
import type { RequestContext } from '../../../core/types';
import type { Providers } from '../../../core/wire/service';
import {
  createAccessKey,
  deleteAccessKey,
  listAccessKeys,
  requireAccessKey,
  toMetadata,
  updateAccessKey,
} from '../model/access-keys';
import { parseTags } from '../model/common';
import { addClientId, createOidc, deleteOidc, listOidc, removeClientId, requireOidc, tagOidc, untagOidc, updateThumbprints } from '../model/oidc';
import { byIndex, entityResource, iamOf, more, required, userNameOrCaller } from './common';

/** Access keys and OpenID Connect providers. */

const userKeyResource = (input: { UserName?: string }, ctx: RequestContext) =>
  entityResource('user', input.UserName ?? ctx.principal?.userName, ctx);
const oidcResource = (input: { OpenIDConnectProviderArn?: string }) => input.OpenIDConnectProviderArn ?? '*';

export const credentialProviders: Providers<IAM> = {
  // ---------------------------------------------------------------- access keys
  CreateAccessKey: {
    resource: userKeyResource,
    handler(input, ctx) {
      const row = createAccessKey(iamOf(ctx), userNameOrCaller(input.UserName, ctx));
      // The only time IAM ever answers the secret.
      return {
        AccessKey: {
          UserName: row.user_name,
          AccessKeyId: row.access_key_id,
          Status: 'Active',
          SecretAccessKey: row.secret,
          CreateDate: new Date(row.created_ms),
        },
      };
    },
  },

  ListAccessKeys: {
    resource: userKeyResource,
    handler(input, ctx) {
      const page = listAccessKeys(iamOf(ctx), userNameOrCaller(input.UserName, ctx), input);
      return { AccessKeyMetadata: page.items.map(toMetadata), ...more(page) };
    },
  },

  UpdateAccessKey: {
    resource: userKeyResource,
    handler(input, ctx) {
      updateAccessKey(iamOf(ctx), userNameOrCaller(input.UserName, ctx), required(input.AccessKeyId), required(input.Status));
      return {};
    },
  },

  DeleteAccessKey: {
    resource: userKeyResource,
    handler(input, ctx) {
      deleteAccessKey(iamOf(ctx), userNameOrCaller(input.UserName, ctx), required(input.AccessKeyId));
      return {};
    },
  },

  /**
   * When, where and for which service a key was last used; `N/A` for both
   * until it signs a request, as IAM answers for an unused key.
   * https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKeyLastUsed.html
   */
  GetAccessKeyLastUsed(input, ctx) {
    const row = requireAccessKey(iamOf(ctx), required(input.AccessKeyId));
    return {
      UserName: row.user_name,
      AccessKeyLastUsed:
        row.last_used_ms === null
          ? { ServiceName: 'N/A', Region: 'N/A' }
          : { LastUsedDate: new Date(row.last_used_ms), ServiceName: row.last_used_service ?? 'N/A', Region: row.last_used_region ?? 'N/A' },
    };
  },

  // ---------------------------------------------------------------- OpenID Connect providers
  CreateOpenIDConnectProvider(input, ctx) {
    const row = createOidc(iamOf(ctx), { ...input, Url: required(input.Url) });
    const tags = parseTags(row.tags);
    return { OpenIDConnectProviderArn: row.arn, ...(tags.length > 0 ? { Tags: tags } : {}) };
  },

  GetOpenIDConnectProvider: {
    resource: oidcResource,
    handler(input, ctx) {
      const row = requireOidc(iamOf(ctx), required(input.OpenIDConnectProviderArn));
      const tags = parseTags(row.tags);
      return {
        Url: row.url,
        ClientIDList: JSON.parse(row.client_ids) as string[],
        ThumbprintList: JSON.parse(row.thumbprints) as string[],
        CreateDate: new Date(row.created_ms),
        ...(tags.length > 0 ? { Tags: tags } : {}),
      };
    },
  },

  ListOpenIDConnectProviders(_input, ctx) {
    return { OpenIDConnectProviderList: listOidc(iamOf(ctx)).map((r) => ({ Arn: r.arn })) };
  },

  DeleteOpenIDConnectProvider: {
    resource: oidcResource,
    handler(input, ctx) {
      deleteOidc(iamOf(ctx), required(input.OpenIDConnectProviderArn));
      return {};
    },
  },

  AddClientIDToOpenIDConnectProvider: {
    resource: oidcResource,
    handler(input, ctx) {
      addClientId(iamOf(ctx), required(input.OpenIDConnectProviderArn), required(input.ClientID));
      return {};
    },
  },

  RemoveClientIDFromOpenIDConnectProvider: {
    resource: oidcResource,
    handler(input, ctx) {
      removeClientId(iamOf(ctx), required(input.OpenIDConnectProviderArn), required(input.ClientID));
      return {};
    },
  },

  UpdateOpenIDConnectProviderThumbprint: {
    resource: oidcResource,
    handler(input, ctx) {
      updateThumbprints(iamOf(ctx), required(input.OpenIDConnectProviderArn), required(input.ThumbprintList));
      return {};
    },
  },

  TagOpenIDConnectProvider: {
    resource: oidcResource,
    handler(input, ctx) {
      tagOidc(iamOf(ctx), required(input.OpenIDConnectProviderArn), required(input.Tags));
      return {};
    },
  },

  UntagOpenIDConnectProvider: {
    resource: oidcResource,
    handler(input, ctx) {
      untagOidc(iamOf(ctx), required(input.OpenIDConnectProviderArn), required(input.TagKeys));
      return {};
    },
  },

  ListOpenIDConnectProviderTags: {
    resource: oidcResource,
    handler(input, ctx) {
      const page = byIndex(parseTags(requireOidc(iamOf(ctx), required(input.OpenIDConnectProviderArn)).tags), input.Marker, input.MaxItems);
      return { Tags: page.items, ...more(page) };
    },
  },
};
