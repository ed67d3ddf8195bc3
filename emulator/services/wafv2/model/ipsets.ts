import { randomUUID } from 'node:crypto';
import type { CreateIPSetRequest, IPSet, IPSetSummary, Tag, UpdateIPSetRequest } from '@aws-sdk/client-wafv2';
import { isCidrOf } from './cidr';
import {
  associated,
  checkLockToken,
  duplicate,
  entityArn,
  FORMAT_NOT_VALID,
  invalidParameter,
  limitsExceeded,
  nonexistent,
  page,
  placeOf,
  type Caller,
  type Place,
  type Scope,
} from './common';
import { dropTags, putTags } from './tags';
import { webAclsReferencing } from './references';

/**
 * IP sets: named lists of CIDR blocks that web ACL rules match with an
 * IPSetReferenceStatement.
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateIPSet.html
 */

export interface IpSetRow {
  id: string;
  name: string;
  scope: Scope;
  region: string;
  arn: string;
  lock_token: string;
  description: string | null;
  ip_address_version: 'IPV4' | 'IPV6';
  addresses_json: string;
  created_at_ms: number;
}

/** "Maximum number of IP addresses in CIDR notation per IP set: 10,000" (WAF quotas). */
export const MAX_ADDRESSES_PER_IP_SET = 10_000;

/** Identifies an IP set the way Get/Update/Delete do: name, scope and id. */
export interface IpSetRef {
  Name?: string;
  Scope?: string;
  Id?: string;
}

function checkAddresses(version: 'IPV4' | 'IPV6', addresses: readonly string[]): string[] {
  if (addresses.length > MAX_ADDRESSES_PER_IP_SET) {
    throw limitsExceeded(`an IP set holds at most ${MAX_ADDRESSES_PER_IP_SET} addresses, and ${addresses.length} were given`);
  }
  for (const a of addresses) if (!isCidrOf(version, a)) throw invalidParameter('IP_ADDRESS', a, FORMAT_NOT_VALID);
  return [...addresses];
}

function summary(row: IpSetRow): IPSetSummary {
  return { Name: row.name, Id: row.id, Description: row.description ?? undefined, LockToken: row.lock_token, ARN: row.arn };
}

/** The IP set with this ARN in `place`, for a rule that references it. */
export function ipSetByArn(caller: Caller, place: Place, arn: string): IpSetRow | undefined {
  return caller.db.prepare('SELECT * FROM wafv2_ip_sets WHERE arn = ? AND scope = ? AND region = ?').get(arn, place.scope, place.region) as
    | IpSetRow
    | undefined;
}

function requireIpSet(caller: Caller, ref: IpSetRef): IpSetRow {
  const place = placeOf(caller, ref.Scope);
  const row = caller.db
    .prepare('SELECT * FROM wafv2_ip_sets WHERE id = ? AND name = ? AND scope = ? AND region = ?')
    .get(ref.Id, ref.Name, place.scope, place.region) as IpSetRow | undefined;
  if (!row) throw nonexistent();
  return row;
}

export function createIpSet(caller: Caller, input: CreateIPSetRequest): IPSetSummary {
  const place = placeOf(caller, input.Scope);
  const name = input.Name ?? '';
  const version = input.IPAddressVersion === 'IPV6' ? 'IPV6' : 'IPV4';
  const addresses = checkAddresses(version, input.Addresses ?? []);
  const db = caller.db;
  return db
    .transaction(() => {
      if (db.prepare('SELECT 1 FROM wafv2_ip_sets WHERE scope = ? AND region = ? AND name = ?').get(place.scope, place.region, name)) throw duplicate();
      const id = randomUUID();
      const row: IpSetRow = {
        id,
        name,
        scope: place.scope,
        region: place.region,
        arn: entityArn(caller, place, 'ipset', name, id),
        lock_token: randomUUID(),
        description: input.Description ?? null,
        ip_address_version: version,
        addresses_json: JSON.stringify(addresses),
        created_at_ms: caller.now(),
      };
      db.prepare(
        `INSERT INTO wafv2_ip_sets (id, name, scope, region, arn, lock_token, description, ip_address_version, addresses_json, created_at_ms)
         VALUES (@id, @name, @scope, @region, @arn, @lock_token, @description, @ip_address_version, @addresses_json, @created_at_ms)`,
      ).run(row);
      if (input.Tags?.length) putTags(caller, row.arn, input.Tags as Tag[]);
      return summary(row);
    })
    .immediate();
}

export function getIpSet(caller: Caller, ref: IpSetRef): { IPSet: IPSet; LockToken: string } {
  const row = requireIpSet(caller, ref);
  return {
    IPSet: {
      Name: row.name,
      Id: row.id,
      ARN: row.arn,
      Description: row.description ?? undefined,
      IPAddressVersion: row.ip_address_version,
      Addresses: JSON.parse(row.addresses_json) as string[],
    },
    LockToken: row.lock_token,
  };
}

export function listIpSets(caller: Caller, scope: string | undefined, limit?: number, marker?: string): { IPSets: IPSetSummary[]; NextMarker?: string } {
  const place = placeOf(caller, scope);
  const rows = caller.db.prepare('SELECT * FROM wafv2_ip_sets WHERE scope = ? AND region = ? ORDER BY name').all(place.scope, place.region) as IpSetRow[];
  const { items, next } = page(rows, (r) => r.name, limit, marker);
  return { IPSets: items.map(summary), ...(next ? { NextMarker: next } : {}) };
}

/**
 * Replaces the addresses (and description) wholesale: what the request leaves
 * out is gone. The IP version stays what it was made with.
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_UpdateIPSet.html
 */
export function updateIpSet(caller: Caller, input: UpdateIPSetRequest): string {
  const db = caller.db;
  return db
    .transaction(() => {
      const row = requireIpSet(caller, input);
      checkLockToken(input.LockToken, row.lock_token);
      const addresses = checkAddresses(row.ip_address_version, input.Addresses ?? []);
      const next = randomUUID();
      db.prepare('UPDATE wafv2_ip_sets SET lock_token = ?, description = ?, addresses_json = ? WHERE id = ?').run(
        next,
        input.Description ?? null,
        JSON.stringify(addresses),
        row.id,
      );
      return next;
    })
    .immediate();
}

/** A set that a web ACL rule still references cannot go. */
export function deleteIpSet(caller: Caller, ref: IpSetRef & { LockToken?: string }): void {
  const db = caller.db;
  db.transaction(() => {
    const row = requireIpSet(caller, ref);
    checkLockToken(ref.LockToken, row.lock_token);
    const users = webAclsReferencing(caller, row, row.arn);
    if (users.length > 0) throw associated(`web ACL ${users.join(', ')}`);
    db.prepare('DELETE FROM wafv2_ip_sets WHERE id = ?').run(row.id);
    dropTags(caller, row.arn);
  }).immediate();
}
