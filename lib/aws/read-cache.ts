import 'server-only';
import { createHash } from 'node:crypto';
import { env } from '@/lib/env';
import { stsClient } from './clients';
import { readTags } from './read-cache-tags';

// A short-lived cache of the list reads many viewers share (repositories,
// images, buckets, distributions), for the whole process.
//
// - Keyed by identity and region: an entry holds what one set of credentials
//   saw in one region, so two identities never see each other's answers.
// - Identical reads in flight are one call: the tenth viewer who opens the
//   repository list while the first read is on its way waits for that read.
// - A failed read is never kept; the next viewer asks again.
// - Berth's own writes invalidate the entries they change, by tag, before the
//   person who wrote sees the next page; a change made outside Berth (a docker
//   push) shows once the entry expires, or at once with the page's Refresh.
// - Bounded: at most so many entries and so many listed items in all; the
//   least recently used go first.

export interface Fresh<T> {
  value: T;
  /** When the read that produced `value` started (ms since the epoch): the data is at most this old. */
  readAt: number;
}

export interface ReadSpec<T> {
  /** What is read, with its arguments, e.g. `ecr:images:team/api`. */
  key: string;
  /** The region the call goes to; `global` for a global service. */
  region: string;
  /** What invalidates it. */
  tags: readonly string[];
  /** How long an answer is served as it is; the cache's default when left out. */
  ttlMs?: number | ((value: T) => number);
  /**
   * After `ttlMs`, how long the last answer may still be served while one new
   * read runs in the background (stale-while-revalidate). 0 (the default): an
   * expired answer is never served.
   */
  staleMs?: number;
  /** How much the answer weighs against the cache's bound (e.g. items listed); 1 when left out. */
  weight?: (value: T) => number;
  /** Called when a read's answer is kept (not when it was invalidated while in flight), e.g. to derive another entry from it. */
  onStore?: (value: T, readAt: number) => void;
}

interface Entry {
  value: unknown;
  readAt: number;
  expiresAt: number;
  staleUntil: number;
  tags: readonly string[];
  weight: number;
}

interface Flight {
  tags: readonly string[];
  promise: Promise<Fresh<unknown>>;
}

export interface ReadCacheOptions {
  /** Default time an answer is served, in ms. 0 keeps nothing (identical reads in flight are still one call). */
  ttlMs: number;
  maxEntries: number;
  /** The sum of entries' weights the cache may hold. */
  maxWeight: number;
  /** Who the caller is: answers are never shared across two different answers of this. */
  identity: () => Promise<string>;
  now?: () => number;
}

export class ReadCache {
  private readonly entries = new Map<string, Entry>(); // oldest use first
  private readonly flights = new Map<string, Flight>();
  private weight = 0;
  private readonly now: () => number;

  constructor(private readonly options: ReadCacheOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  /**
   * The answer to `load`, from the cache when it is fresh enough, else read
   * (once, however many ask). `identity` is who `load` calls AWS as, when it is
   * not the cache's own.
   */
  async read<T>(spec: ReadSpec<T>, load: () => Promise<T>, identity = this.options.identity): Promise<Fresh<T>> {
    const k = await this.keyOf(spec, identity);
    const hit = this.entries.get(k);
    const now = this.now();
    if (hit && now < hit.staleUntil) {
      this.touch(k, hit);
      if (now >= hit.expiresAt && !this.flights.has(k)) {
        // Served stale: one read in the background; a failure leaves the old answer in place until it is too old.
        this.fly(k, spec, load).catch(() => undefined);
      }
      return { value: hit.value as T, readAt: hit.readAt };
    }
    if (hit) this.drop(k, hit);
    return this.fly(k, spec, load);
  }

  /** The answer kept for this read, if it is fresh; never reads. */
  async peek<T>(spec: ReadSpec<T>, identity = this.options.identity): Promise<Fresh<T> | undefined> {
    const hit = this.entries.get(await this.keyOf(spec, identity));
    return hit && this.now() < hit.expiresAt ? { value: hit.value as T, readAt: hit.readAt } : undefined;
  }

  /** Keeps an answer learned another way (e.g. an exact count from a full listing), read at `readAt`. */
  async put<T>(spec: ReadSpec<T>, value: T, readAt = this.now(), identity = this.options.identity): Promise<void> {
    const k = await this.keyOf(spec, identity);
    // A read already on its way started earlier, or knows less: its answer must not replace this one.
    this.flights.delete(k);
    this.store(k, spec, value, readAt);
  }

  /** Forgets every answer (and every read in flight) carrying one of these tags, for every identity. */
  invalidate(tags: readonly string[]): void {
    if (tags.length === 0) return;
    const gone = new Set(tags);
    for (const [k, e] of this.entries) if (e.tags.some((t) => gone.has(t))) this.drop(k, e);
    // The callers of a read in flight still get its answer, but it is not kept:
    // it may have been read before the write that invalidated it.
    for (const [k, f] of this.flights) if (f.tags.some((t) => gone.has(t))) this.flights.delete(k);
  }

  /** How many answers are held, and their summed weight (for tests and the bench). */
  size(): { entries: number; weight: number } {
    return { entries: this.entries.size, weight: this.weight };
  }

  clear(): void {
    this.entries.clear();
    this.flights.clear();
    this.weight = 0;
  }

  private async keyOf(spec: Pick<ReadSpec<unknown>, 'key' | 'region'>, identity: () => Promise<string>): Promise<string> {
    const who = await identity();
    return `${who}\u0000${spec.region}\u0000${spec.key}`;
  }

  private fly<T>(k: string, spec: ReadSpec<T>, load: () => Promise<T>): Promise<Fresh<T>> {
    const flying = this.flights.get(k);
    if (flying) return flying.promise as Promise<Fresh<T>>;
    const readAt = this.now();
    const flight: Flight = { tags: spec.tags, promise: undefined as never };
    flight.promise = (async () => {
      try {
        const value = await load();
        if (this.flights.get(k) === flight && this.store(k, spec, value, readAt)) spec.onStore?.(value, readAt);
        return { value, readAt };
      } finally {
        if (this.flights.get(k) === flight) this.flights.delete(k);
      }
    })();
    this.flights.set(k, flight);
    return flight.promise as Promise<Fresh<T>>;
  }

  /** Keeps an answer; false when it is not kept (no time to keep it, or too heavy). */
  private store<T>(k: string, spec: ReadSpec<T>, value: T, readAt: number): boolean {
    const ttl = typeof spec.ttlMs === 'function' ? spec.ttlMs(value) : (spec.ttlMs ?? this.options.ttlMs);
    if (ttl <= 0) return false;
    const old = this.entries.get(k);
    if (old) this.drop(k, old);
    const weight = Math.max(1, spec.weight?.(value) ?? 1);
    if (weight > this.options.maxWeight) return false; // one answer larger than the whole cache is not kept
    const entry: Entry = { value, readAt, expiresAt: readAt + ttl, staleUntil: readAt + ttl + (spec.staleMs ?? 0), tags: spec.tags, weight };
    this.entries.set(k, entry);
    this.weight += weight;
    for (const [oldest, e] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && this.weight <= this.options.maxWeight) break;
      this.drop(oldest, e);
    }
    return true;
  }

  private touch(k: string, e: Entry): void {
    this.entries.delete(k);
    this.entries.set(k, e);
  }

  private drop(k: string, e: Entry): void {
    if (this.entries.get(k) !== e) return;
    this.entries.delete(k);
    this.weight -= e.weight;
  }
}

/**
 * Who Berth is, for cache keys: a hash of the access key id of the credentials
 * the SDK resolves now. Temporary credentials get a new key id with every
 * refresh, so a changed identity (or a refreshed session) never reads another's
 * answers; all clients share one credential chain (lib/aws/clients.ts).
 */
async function credentialsIdentity(): Promise<string> {
  const creds = await stsClient(env().defaultRegion).config.credentials();
  return createHash('sha256').update(creds.accessKeyId).digest('base64url').slice(0, 16);
}

// One cache per process, kept on globalThis so that two copies of this module
// (Next.js may bundle a module into more than one server chunk) still share it.
const KEY = Symbol.for('berth.readCache');
type WithCache = typeof globalThis & { [KEY]?: ReadCache };

/** The shared cache, seen by the callers of this copy of the module: keys use this copy's credentials. */
export interface SharedReads {
  readonly ttlMs: number;
  read<T>(spec: ReadSpec<T>, load: () => Promise<T>): Promise<Fresh<T>>;
  peek<T>(spec: ReadSpec<T>): Promise<Fresh<T> | undefined>;
  put<T>(spec: ReadSpec<T>, value: T, readAt?: number): Promise<void>;
  invalidate(tags: readonly string[]): void;
  /** Forgets everything (tests). */
  clear(): void;
}

/** The process's shared cache of list reads. */
export function sharedReads(): SharedReads {
  const g = globalThis as WithCache;
  const cache = (g[KEY] ??= new ReadCache({
    ttlMs: env().BERTH_READ_CACHE_SECONDS * 1000,
    maxEntries: 2_000,
    // Items listed (images, repositories, buckets, distributions): 50,000
    // ImageSummary objects are some 25 MB.
    maxWeight: 50_000,
    identity: credentialsIdentity,
  }));
  // Keyed by the credentials the caller's clients use, whichever copy of this
  // module made the cache.
  return {
    ttlMs: cache.ttlMs,
    read: (spec, load) => cache.read(spec, load, credentialsIdentity),
    peek: (spec) => cache.peek(spec, credentialsIdentity),
    put: (spec, value, readAt) => cache.put(spec, value, readAt, credentialsIdentity),
    invalidate: (tags) => cache.invalidate(tags),
    clear: () => cache.clear(),
  };
}

/** After a write through Berth: forget what it changed. */
export function invalidateReads(tags: readonly string[]): void {
  // Every write is also a CloudTrail event, so the Activity tabs read again
  // too (CloudTrail itself may take minutes to show it on AWS).
  sharedReads().invalidate(tags.length > 0 ? [...tags, readTags.activity()] : tags);
}

/**
 * Runs a write, then forgets what it changes, however it ends: a write that
 * failed part-way (or timed out) may still have landed. A read that started
 * during the write is not kept either (see invalidate).
 */
export async function writing<T>(tags: readonly string[], write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } finally {
    invalidateReads(tags);
  }
}
