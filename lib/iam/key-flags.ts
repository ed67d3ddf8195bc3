// Which access keys need attention, and why. Pure: the users list, a user's
// page and the Access overview share it, and it is unit-tested at the edges.
//
// The two rules, as AWS's own guidance words them: rotate keys that
// are older than 90 days, and remove credentials unused for 90 days or more.
// "Older than" is strict (a key exactly 90 days old is not yet flagged);
// "unused for 90 days" is met at 90 days. A key never used counts as unused
// since it was made. Only active keys are flagged: an inactive key cannot sign
// a request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#rotate-credentials
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html

export const KEY_DAYS = 90;
export const DAY_MS = 86_400_000;
const LIMIT_MS = KEY_DAYS * DAY_MS;

/** What GetAccessKeyLastUsed said: used (when, for what, where), never used, or not known (the read failed). */
export type LastUse =
  | { state: 'used'; at: string; service: string | null; region: string | null }
  | { state: 'never' }
  | { state: 'unknown' };

export interface KeyFacts {
  status: 'Active' | 'Inactive' | string;
  /** ISO time the key was made, or null when IAM did not say. */
  createdAt: string | null;
  lastUse: LastUse;
}

export type KeyFlag = 'old' | 'unused';

/** The flags of one key at `now` (ms since the epoch). */
export function keyFlags(key: KeyFacts, now: number): KeyFlag[] {
  if (key.status !== 'Active') return [];
  const created = key.createdAt ? Date.parse(key.createdAt) : NaN;
  const flags: KeyFlag[] = [];
  if (Number.isFinite(created) && now - created > LIMIT_MS) flags.push('old');
  const lastSign = key.lastUse.state === 'used' ? Date.parse(key.lastUse.at) : key.lastUse.state === 'never' ? created : NaN;
  if (Number.isFinite(lastSign) && now - lastSign >= LIMIT_MS) flags.push('unused');
  return flags;
}

/** The flag as a few words for a badge's title. */
export function flagReason(flag: KeyFlag, key: KeyFacts): string {
  if (flag === 'old') return `Older than ${KEY_DAYS} days: rotate it (make a new key, move its users over, delete this one).`;
  return key.lastUse.state === 'never'
    ? `Never used in the ${KEY_DAYS} days or more since it was made: deactivate or delete it.`
    : `Not used for ${KEY_DAYS} days or more: deactivate or delete it.`;
}

/** Whole days from `iso` to `now`, or null. */
export function daysSince(iso: string | null, now: number): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? Math.max(0, Math.floor((now - t) / DAY_MS)) : null;
}

/** How old a key is: "made today", "1 day old", "412 days old". */
export function formatAge(days: number | null): string {
  if (days === null) return 'age unknown';
  return days === 0 ? 'made today' : `${formatDays(days)} old`;
}

/** "today", "1 day", "412 days". */
export function formatDays(days: number | null): string {
  if (days === null) return '—';
  if (days === 0) return 'today';
  return days === 1 ? '1 day' : `${days.toLocaleString('en-US')} days`;
}

export interface JudgedKey<K extends KeyFacts = KeyFacts> {
  key: K;
  flags: KeyFlag[];
  ageDays: number | null;
  /** Days since the last use; null when never used or not known. */
  idleDays: number | null;
}

/** A key with its flags and ages at `now`. */
export function judgeKey<K extends KeyFacts>(key: K, now: number): JudgedKey<K> {
  return {
    key,
    flags: keyFlags(key, now),
    ageDays: daysSince(key.createdAt, now),
    idleDays: key.lastUse.state === 'used' ? daysSince(key.lastUse.at, now) : null,
  };
}
