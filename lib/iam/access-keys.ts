import 'server-only';
import { GetAccessKeyLastUsedCommand, paginateListAccessKeys } from '@aws-sdk/client-iam';
import { describeAwsError, type AwsProblem } from '@/lib/aws/errors';
import { Semaphore } from '@/lib/aws/limit';
import { sharedReads, type ReadSpec } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import { endpointFor, iamClient } from '@/lib/aws/clients';
import { judgeKey, type JudgedKey, type LastUse } from './key-flags';
import { isAccessKeyId } from '@/lib/validation/iam-rules';
import { RefusalWindow } from './refusal-window';

// Access keys are the one part of a user the authorization snapshot
// (lib/iam/authorization.ts) does not carry, and IAM has no call that lists
// every user's keys: it is ListAccessKeys per user (a user has at most two
// keys, so one call each), and GetAccessKeyLastUsed per key.
//
// So, as the repositories list does with its image counts (lib/ecr/stats.ts):
// - each user's keys are one entry in the shared read cache, kept for ten
//   times the cache's time (5 minutes by default) and then served at once for
//   up to an hour while one background read refreshes them. Last use moves
//   slowly anyway: IAM itself records it within hours, not seconds.
// - at most 4 of these calls run at a time in the whole process, foreground
//   and background, so a cold account of hundreds of users does not trip
//   IAM's request rate limit.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html

export interface AccessKey {
  id: string;
  status: 'Active' | 'Inactive' | string;
  createdAt: string | null;
  lastUse: LastUse;
}

export interface UserKeys {
  keys: AccessKey[];
  /** Set when a key's last use could not be read (the keys are still listed). */
  lastUseProblem: AwsProblem | null;
}

export type KeysRead = { ok: true; value: UserKeys; readAt: number } | { ok: false; problem: AwsProblem };

const IN_FLIGHT = 4;

const limiter = new Semaphore(IN_FLIGHT);

const ctx = (action: string) => ({ service: 'IAM' as const, endpoint: endpointFor('IAM', 'us-east-1'), action });

// A missing permission refuses every user's call alike: one refusal answers for the rest for a while (refusal-window.ts).
const permissionRefused = (error: unknown) => describeAwsError(error, ctx('iam:ListAccessKeys')).title === 'Permission missing';
const listRefusals = new RefusalWindow(() => sharedReads().ttlMs, permissionRefused);
const lastUseRefusals = new RefusalWindow(() => sharedReads().ttlMs, permissionRefused);

function keysSpec(user: string): ReadSpec<UserKeys> {
  const ttl = sharedReads().ttlMs;
  return {
    key: `iam:keys:${user}`,
    region: 'global',
    tags: [readTags.iamKeys(), readTags.iamAuthorization()],
    // A read that could not learn a key's last use for a passing reason (a
    // throttle) is not kept, so the next view asks again; one refused for
    // want of a permission is kept like any other.
    ttlMs: (v) => (v.lastUseProblem?.retryable ? 0 : ttl * 10),
    staleMs: ttl * 120,
  };
}

/** IAM's answer for a key never used: no date, and "N/A" for service and region. */
function lastUseOf(out: { LastUsedDate?: Date; ServiceName?: string; Region?: string } | undefined): LastUse {
  if (!out?.LastUsedDate) return { state: 'never' };
  const known = (s: string | undefined) => (s && s !== 'N/A' ? s : null);
  return { state: 'used', at: out.LastUsedDate.toISOString(), service: known(out.ServiceName), region: known(out.Region) };
}

async function loadKeys(user: string): Promise<UserKeys> {
  const client = iamClient();
  const listed = [];
  // Each page through the limiter on its own: a slot is never held while waiting for another.
  const pages = paginateListAccessKeys({ client, pageSize: 100 }, { UserName: user });
  for (;;) {
    const next = await limiter.run(() => listRefusals.run(() => pages.next()));
    if (next.done) break;
    listed.push(...(next.value.AccessKeyMetadata ?? []));
  }
  let lastUseProblem: AwsProblem | null = null;
  const keys = await Promise.all(
    listed.map(async (k): Promise<AccessKey> => {
      const id = k.AccessKeyId ?? '';
      let lastUse: LastUse = { state: 'unknown' };
      // An id outside IAM's model (isAccessKeyId) is refused unread, so its last use is simply not known.
      if (!isAccessKeyId(id)) return { id, status: k.Status ?? 'Active', createdAt: k.CreateDate?.toISOString() ?? null, lastUse };
      try {
        const out = await limiter.run(() => lastUseRefusals.run(() => client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }))));
        lastUse = lastUseOf(out.AccessKeyLastUsed);
      } catch (error) {
        lastUseProblem ??= describeAwsError(error, ctx('iam:GetAccessKeyLastUsed'));
      }
      return { id, status: k.Status ?? 'Active', createdAt: k.CreateDate?.toISOString() ?? null, lastUse };
    }),
  );
  keys.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
  return { keys, lastUseProblem };
}

/** One user's access keys with their last use, shared (see above). */
export async function readUserKeys(user: string): Promise<KeysRead> {
  try {
    const f = await sharedReads().read(keysSpec(user), () => loadKeys(user));
    return { ok: true, value: f.value, readAt: f.readAt };
  } catch (error) {
    return { ok: false, problem: describeAwsError(error, ctx('iam:ListAccessKeys')) };
  }
}

/** The keys of each named user; one user's failure does not stop the others. */
export async function readKeysOf(users: readonly string[]): Promise<Map<string, KeysRead>> {
  const reads = await Promise.all(users.map((u) => readUserKeys(u)));
  return new Map(users.map((u, i) => [u, reads[i]!]));
}

/** The first problem among reads, for one alert above a table rather than one per row. */
export function firstProblem(reads: Iterable<KeysRead>): AwsProblem | null {
  for (const r of reads) {
    if (!r.ok) return r.problem;
    if (r.value.lastUseProblem) return r.value.lastUseProblem;
  }
  return null;
}

export interface KeyNeedingAttention extends JudgedKey<AccessKey> {
  user: string;
}

/** The active keys of these users that are flagged, oldest first, judged now. */
export function keysNeedingAttention(reads: Map<string, KeysRead>, now = Date.now()): KeyNeedingAttention[] {
  const out: KeyNeedingAttention[] = [];
  for (const [user, r] of reads) {
    if (!r.ok) continue;
    for (const k of r.value.keys) {
      const j = judgeKey(k, now);
      if (j.flags.length) out.push({ ...j, user });
    }
  }
  return out.sort((a, b) => (b.ageDays ?? 0) - (a.ageDays ?? 0));
}

/** Each key of a user judged now (for tables). */
export function judgeKeys(keys: AccessKey[], now = Date.now()): JudgedKey<AccessKey>[] {
  return keys.map((k) => judgeKey(k, now));
}

/** How many users' keys the overview and the "needs attention" filter read at most. */
export const KEY_SCAN_LIMIT = 1000;

/** The keys of every user (up to KEY_SCAN_LIMIT), for the flags that need them all. */
export async function readKeysOfAll(users: readonly string[]): Promise<{ reads: Map<string, KeysRead>; scanned: number; total: number }> {
  const scanned = users.slice(0, KEY_SCAN_LIMIT);
  return { reads: await readKeysOf(scanned), scanned: scanned.length, total: users.length };
}

/** When the oldest of these reads was made, for the freshness line; null when none succeeded. */
export function oldestRead(reads: Iterable<KeysRead>): number | null {
  let oldest = Infinity;
  for (const r of reads) if (r.ok) oldest = Math.min(oldest, r.readAt);
  return Number.isFinite(oldest) ? oldest : null;
}
