import 'server-only';

// Changes that take several AWS calls (create a bucket then configure it; make
// an OAC, a distribution and a bucket policy) cannot be atomic. What they can
// do is say exactly how far they got: each step is named, and the first
// failure after some success becomes a PartialChange listing what was done.

/** A multi-step change that stopped part-way: what was done, and the step that failed. */
export class PartialChange extends Error {
  constructor(
    readonly done: string[],
    readonly failedStep: string,
    readonly cause: unknown,
  ) {
    super(`${failedStep} failed after: ${done.join(', ')}`);
  }
}

/** Runs named steps in order; a failure before anything was done is thrown as it is. */
export function stepper() {
  const done: string[] = [];
  return {
    done,
    async step<T>(did: string, doing: string, run: () => Promise<T>): Promise<T> {
      try {
        const out = await run();
        done.push(did);
        return out;
      } catch (error) {
        if (done.length === 0) throw error;
        throw new PartialChange([...done], doing, error);
      }
    },
  };
}
