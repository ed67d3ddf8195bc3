import 'server-only';
import { Refusal } from '@/lib/aws/errors';
import { policyMentions, readBucketPolicy } from './bucket-access';
import { listDistributions, type DistributionSummary } from './distributions';
import {
  deleteOriginAccessControl,
  deleteOriginAccessIdentity,
  describeOriginAccessControl,
  describeOriginAccessIdentity,
  oacNameFor,
  oaiCommentFor,
} from './origin-access';
import { deleteWebAcl, describeWebAcl, webAclNameFor } from './waf';

// What a deleted distribution leaves behind, and which of it Berth may offer to
// remove. The distribution's config is gone by the time this page opens, so
// the delete passes on what it referenced (bucket, OAC, OAI, web ACL); each is
// offered only when Berth made it for that bucket, known by what Berth names
// them (the OAC "berth-<bucket>", the OAI's comment "Berth: <bucket>", the web
// ACL "berth-<bucket>-core"), and only while no other distribution uses it.
// Anything else it referenced was made by someone else and stays.

export type PieceState =
  | { state: 'gone' }
  | { state: 'offer'; name: string }
  | { state: 'in-use'; name: string; users: string[] }
  | { state: 'not-berth'; name: string };

export interface Leftovers {
  /** Whether the bucket policy still names the distribution or its OAI. */
  policyMentions: boolean | null;
  oac: PieceState | null;
  oai: PieceState | null;
  webAcl: PieceState | null;
}

export interface CleanupTarget {
  bucket?: string;
  distributionArn?: string;
  oacId?: string;
  oaiId?: string;
  webAclArn?: string;
}

export class CleanupRefused extends Refusal {}

function state(found: { name: string } | null, berths: boolean, users: string[]): PieceState {
  if (!found) return { state: 'gone' };
  if (!berths) return { state: 'not-berth', name: found.name };
  if (users.length) return { state: 'in-use', name: found.name, users };
  return { state: 'offer', name: found.name };
}

const users = (all: DistributionSummary[], uses: (d: DistributionSummary) => boolean) => all.filter(uses).map((d) => d.id);

export async function leftovers(t: CleanupTarget): Promise<Leftovers> {
  const all = await listDistributions();
  const [policy, oac, oai, acl] = await Promise.all([
    t.bucket ? readBucketPolicy(t.bucket) : Promise.resolve(null),
    t.oacId ? describeOriginAccessControl(t.oacId) : Promise.resolve(null),
    t.oaiId ? describeOriginAccessIdentity(t.oaiId) : Promise.resolve(null),
    t.webAclArn ? describeWebAcl(t.webAclArn) : Promise.resolve(null),
  ]);
  const bucket = t.bucket ?? '';
  return {
    policyMentions: policy === null ? null : await policyMentions(policy, { distributionArn: t.distributionArn, oaiId: t.oaiId }),
    oac: t.oacId ? state(oac, Boolean(bucket) && oac?.name === oacNameFor(bucket), users(all, (d) => d.origins.some((o) => o.originAccessControlId === t.oacId))) : null,
    oai: t.oaiId
      ? state(oai ? { name: `${oai.id} (${oai.comment || 'no comment'})` } : null, Boolean(bucket) && oai?.comment === oaiCommentFor(bucket), users(all, (d) => d.origins.some((o) => o.originAccessIdentityId === t.oaiId)))
      : null,
    webAcl: t.webAclArn ? state(acl, Boolean(bucket) && acl?.name === webAclNameFor(bucket), users(all, (d) => d.webAclId === t.webAclArn)) : null,
  };
}

const notBerths = (what: string) => new CleanupRefused(`Berth did not make this ${what} for that bucket, so it does not delete it here.`);
const stillUsed = (what: string, ids: string[]) => new CleanupRefused(`${ids.join(', ')} still use${ids.length === 1 ? 's' : ''} this ${what}, so it stays.`);

/**
 * The deletes the page offers, each checked again on the server: a cleanup
 * link can be crafted, and the page may be stale.
 */
export async function deleteLeftover(kind: 'oac' | 'oai' | 'webAcl', t: CleanupTarget & { bucket: string }): Promise<string> {
  const found = await leftovers(t);
  const piece = found[kind];
  const what = { oac: 'origin access control', oai: 'origin access identity', webAcl: 'web ACL' }[kind];
  if (!piece || piece.state === 'gone') return `The ${what} was already gone.`;
  if (piece.state === 'not-berth') throw notBerths(what);
  if (piece.state === 'in-use') throw stillUsed(what, piece.users);
  if (kind === 'oac') await deleteOriginAccessControl(t.oacId!);
  else if (kind === 'oai') await deleteOriginAccessIdentity(t.oaiId!);
  else await deleteWebAcl(t.webAclArn!);
  return `Deleted the ${what} ${piece.name}.`;
}
