import 'server-only';
import { Refusal } from '@/lib/aws/errors';

// Some AWS documents are one value that many changes share, and their APIs
// offer no conditional write: an S3 bucket policy (PutBucketPolicy has no
// If-Match), an ECR repository or lifecycle policy, a tag set. A change to one
// statement is a read, a merge and a write of the whole document, and two such
// changes at once can each write a document without the other's statement.
//
// Two defences, because neither alone is enough:
// 1. In this process, changes to one document run one after another (a lock
//    per document), so Berth never races itself.
// 2. Across processes (another Berth instance, a script, the AWS console),
//    the change is read back after writing; if it is not there, someone wrote
//    in between, and the merge is done again on what they wrote, a few times
//    with a random pause. Their statement survives because each merge starts
//    from a fresh read. The read-back waits a moment first: a writer that read
//    the document just before this write landed sends its own write at about
//    the same time, and it lands about one request later; checking at once
//    would miss it. That wait (twice this write's round trip, plus a margin)
//    is a bound in practice, not a guarantee: a far slower concurrent write
//    can still land after the check. Only a conditional write would close
//    that, and S3 and ECR offer none for these documents.

const tails = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call with the same key has finished (in this process). */
export function withKeyLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = tails.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  // The map only holds documents with work in flight.
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}

/** A change that was written but did not stay: other writers kept overwriting it. */
export class ChangeNotKept extends Refusal {
  constructor(readonly what: string) {
    super(`Berth wrote the ${what} ${ATTEMPTS} times, and each time another change replaced it before it could be confirmed. Wait a moment and try again.`);
  }
}

const ATTEMPTS = 4;
/** S3 answers OperationAborted to a configuration change that collides with another in flight. */
const RETRYABLE = new Set(['OperationAborted', 'ConflictException']);

export interface MergeOptions<D> {
  /** One key per document, e.g. `s3-policy:my-bucket`. */
  key: string;
  /** For messages: "bucket policy of my-bucket". */
  what: string;
  read: () => Promise<D>;
  /** The merged document, or null when `current` already holds the change (nothing to write). */
  merge: (current: D) => D | null;
  write: (next: D) => Promise<void>;
  /** Whether a document read back holds the change. */
  holds: (current: D) => boolean | Promise<boolean>;
  /** Pause before a retry; a test may shorten it. */
  pauseMs?: () => number;
  /** Wait between writing and reading back, given the write's round trip; a test may shorten it. */
  settleMs?: (writeMs: number) => number;
}

/**
 * Read, merge, write and confirm, serialized per document in this process and
 * retried when another writer's change replaced this one. Returns the document
 * before the change that stuck, and after it.
 */
export function mergeSharedDocument<D>(opts: MergeOptions<D>): Promise<{ before: D; after: D }> {
  return withKeyLock(opts.key, async () => {
    let first: D | undefined;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const current = await opts.read();
      first ??= current;
      const next = opts.merge(current);
      if (next === null) return { before: first, after: current };
      const started = Date.now();
      try {
        await opts.write(next);
      } catch (error) {
        if (!RETRYABLE.has((error as Error).name) || attempt === ATTEMPTS) throw error;
        await pause(opts);
        continue;
      }
      const writeMs = Date.now() - started;
      await sleep(opts.settleMs?.(writeMs) ?? 250 + 2 * writeMs);
      const check = await opts.read();
      if (await opts.holds(check)) return { before: first, after: check };
      if (attempt < ATTEMPTS) await pause(opts);
    }
    throw new ChangeNotKept(opts.what);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function pause(opts: { pauseMs?: () => number }): Promise<void> {
  return sleep(opts.pauseMs?.() ?? 100 + Math.random() * 400);
}

/**
 * The document changed since the person loaded the page: their edit was made
 * to an older version, and saving it would undo someone else's change.
 */
export class ChangedSinceLoaded extends Refusal {
  constructor(readonly what: string) {
    super(`The ${what} changed since this page was loaded (someone or something else saved it). Nothing was saved: reload to see the current version, then make your change again.`);
  }
}

/**
 * Saves a whole document a person edited, only if it is still the one they
 * started from (`basis`); serialized per document in this process. The check
 * and the write are two calls, so a change landing between them can still be
 * lost; it narrows a window of minutes (an open editor) to milliseconds.
 */
export function replaceSharedDocument<D>(opts: {
  key: string;
  what: string;
  read: () => Promise<D>;
  basis: D;
  same: (a: D, b: D) => boolean;
  write: () => Promise<void>;
}): Promise<void> {
  return withKeyLock(opts.key, async () => {
    if (!opts.same(await opts.read(), opts.basis)) throw new ChangedSinceLoaded(opts.what);
    await opts.write();
  });
}

/** Two policy texts mean the same document (formatting aside); empty and absent are the same. */
export function samePolicyText(a: string | null, b: string | null): boolean {
  const norm = (t: string | null) => {
    if (!t?.trim()) return '';
    try {
      return JSON.stringify(JSON.parse(t));
    } catch {
      return t.trim();
    }
  };
  return norm(a) === norm(b);
}

