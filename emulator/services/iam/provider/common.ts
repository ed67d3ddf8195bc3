import type { RequestContext } from '../../../core/types';
import { entityArn, paginate, validationError, type EntityKind, type Iam, type Page } from '../model/common';
import { findGroup } from '../model/groups';
import { findRole } from '../model/roles';
import { findUser } from '../model/users';

/**
 * What the IAM providers share: the model's view of a request, the caller's
 * own user name (for calls that default to it), and the resource ARN named
 * when the `readonly` key is refused.
 */

export function iamOf(ctx: RequestContext): Iam {
  return { db: ctx.env.db, accountId: ctx.env.accountId, now: () => ctx.env.now() };
}

/**
 * A member the model marks required; the wire layer has already refused a
 * request without it, so this only narrows the SDK's `string | undefined`.
 */
export function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a required member reached a provider unset');
  return value;
}

/**
 * GetUser, CreateAccessKey, ListAccessKeys and the other key calls act on
 * the caller's own user when no UserName is given; only an IAM user has one.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html
 */
export function userNameOrCaller(userName: string | undefined, ctx: RequestContext): string {
  if (userName !== undefined) return userName;
  const p = ctx.principal;
  if (!p || !/^arn:aws:iam::\d{12}:user\//.test(p.arn)) throw validationError('Must specify userName when calling with non-User credentials');
  return p.userName;
}

export function callerArn(ctx: RequestContext): string {
  return ctx.principal?.arn ?? 'anonymous';
}

/** The ARN of a named user, group or role, with its real path when it exists. */
export function entityResource(kind: EntityKind, name: string | undefined, ctx: RequestContext): string {
  if (name === undefined) return '*';
  const iam = iamOf(ctx);
  const row = kind === 'user' ? findUser(iam, name) : kind === 'group' ? findGroup(iam, name) : findRole(iam, name);
  return entityArn(ctx.env.accountId, kind, row?.path ?? '/', row?.name ?? name);
}

export const userResource = (input: { UserName?: string }, ctx: RequestContext) => entityResource('user', input.UserName, ctx);
/** GetUser and the other calls that default to the caller's own user. */
export const ownUserResource = (input: { UserName?: string }, ctx: RequestContext) =>
  input.UserName !== undefined ? userResource(input, ctx) : (ctx.principal?.arn ?? '*');
export const groupResource = (input: { GroupName?: string }, ctx: RequestContext) => entityResource('group', input.GroupName, ctx);
export const roleResource = (input: { RoleName?: string }, ctx: RequestContext) => entityResource('role', input.RoleName, ctx);
export const policyResource = (input: { PolicyArn?: string }) => input.PolicyArn ?? '*';

/** Pages a list that keeps its own order (members, attachments, tags). */
export function byIndex<T>(items: T[], marker: string | undefined, maxItems: number | undefined): Page<T> {
  const indexed = items.map((item, i) => ({ item, k: String(i).padStart(6, '0') }));
  const page = paginate(indexed, (x) => x.k, marker, maxItems);
  return { ...page, items: page.items.map((x) => x.item) };
}

/** IsTruncated and, when there is more, the Marker, as every IAM list answers them. */
export const more = (p: Page<unknown>) => ({ IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) });

