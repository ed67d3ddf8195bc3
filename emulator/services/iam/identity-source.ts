import type Database from 'better-sqlite3';
import type { PolicySource } from '../../core/policy';
import type { IdentitySource, PrincipalIdentity, RequestContext } from '../../core/types';
import { managedPolicyDocument, permissionsBoundary, principalPolicies, principalTags, type PrincipalPolicy } from './directory';

/**
 * What the authorizer reads of a caller (its identity policies, boundary and
 * tags), offered to the core as the IAM service's `identitySource`.
 *
 * Every authorized request needs these, and a burst of calls by one caller
 * would otherwise read the same rows each time. They are cached per
 * principal and dropped whenever IAM changes anything: each IAM operation
 * that is not a read bumps a generation counter kept per database (see
 * `countingWrites`). Nothing else writes IAM's policy, membership or tag
 * tables (STS only reads them; the start-up bootstrap runs before any
 * request).
 */

/** How the engine and the simulator name where an identity policy came from (SourcePolicyType). */
export function policySourceOf(p: PrincipalPolicy): PolicySource {
  const k = p.source.kind;
  if (k.endsWith('-managed')) {
    const aws = p.source.policyArn?.startsWith('arn:aws:iam::aws:policy/');
    return { id: p.source.name, type: aws ? 'aws-managed' : 'user-managed', name: p.source.policyArn };
  }
  return { id: p.source.name, type: k.startsWith('group') ? 'group' : k.startsWith('role') ? 'role' : 'user' };
}

interface Cache {
  generation: number;
  principals: Map<string, { generation: number; identity: PrincipalIdentity }>;
  managed: Map<string, { generation: number; document: string | undefined }>;
}

const caches = new WeakMap<Database.Database, Cache>();
const CACHE_LIMIT = 1000;

function cacheOf(db: Database.Database): Cache {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = { generation: 0, principals: new Map(), managed: new Map() }));
  return c;
}

/** Marks IAM's data as changed: every cached identity is read again on its next use. */
export function bumpIamGeneration(db: Database.Database): void {
  const c = cacheOf(db);
  c.generation++;
  c.principals.clear();
  c.managed.clear();
}

/** The cache's generation, for tests and the benchmark. */
export function iamGeneration(db: Database.Database): number {
  return cacheOf(db).generation;
}

function readIdentity(db: Database.Database, arn: string): PrincipalIdentity {
  const policies = principalPolicies(db, arn).map((p) => ({ document: p.document, source: policySourceOf(p) }));
  const boundary = permissionsBoundary(db, arn);
  return { policies, ...(boundary ? { boundary } : {}), tags: principalTags(db, arn) };
}

export const iamIdentitySource: IdentitySource = {
  principal(env, principalArn) {
    const c = cacheOf(env.db);
    const hit = c.principals.get(principalArn);
    if (hit && hit.generation === c.generation) return hit.identity;
    const identity = readIdentity(env.db, principalArn);
    if (c.principals.size >= CACHE_LIMIT) c.principals.clear();
    c.principals.set(principalArn, { generation: c.generation, identity });
    return identity;
  },
  managedPolicyDocument(env, policyArn) {
    const c = cacheOf(env.db);
    const hit = c.managed.get(policyArn);
    if (hit && hit.generation === c.generation) return hit.document;
    const document = managedPolicyDocument(env.db, policyArn);
    if (c.managed.size >= CACHE_LIMIT) c.managed.clear();
    c.managed.set(policyArn, { generation: c.generation, document });
    return document;
  },
};

/** IAM's reads: everything else may change a policy, a membership, a boundary or a tag. */
const READ_ONLY = /^(Get|List|Simulate)/;

/**
 * Wraps IAM's providers so that each operation that may write bumps the
 * generation, whether it succeeded or not (a refused call changes nothing,
 * and one more re-read costs little).
 */
export function countingWrites<P extends Record<string, unknown>>(providers: P): P {
  const out: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(providers)) {
    if (READ_ONLY.test(name) || entry === undefined) {
      out[name] = entry;
      continue;
    }
    const typed = (typeof entry === 'function' ? { handler: entry } : entry) as { handler: (input: unknown, ctx: RequestContext) => unknown };
    out[name] = {
      ...typed,
      async handler(input: unknown, ctx: RequestContext) {
        try {
          return await typed.handler(input, ctx);
        } finally {
          bumpIamGeneration(ctx.env.db);
        }
      },
    };
  }
  return out as P;
}
