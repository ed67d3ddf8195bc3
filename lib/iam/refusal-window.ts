// When IAM refuses a call for want of a permission, it refuses the same call
// for every other user too. Without this, a Berth lacking iam:ListAccessKeys
// would make one refused call per user on every view of the users list (and
// up to a thousand on the overview's), since failed reads are never kept.
// So, for a short window after such a refusal, the calls still waiting fail
// the same way without going to IAM. The window is short (the read cache's
// time, at least 5 s) so a permission added to Berth's identity shows soon.

export class RefusalWindow {
  private until = 0;
  private error: unknown = null;

  constructor(
    private readonly windowMs: () => number,
    private readonly isRefusal: (error: unknown) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `call`, unless a refusal seen within the window answers for it. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.now() < this.until) throw this.error;
    try {
      return await call();
    } catch (error) {
      if (this.isRefusal(error)) {
        this.error = error;
        this.until = this.now() + Math.max(5_000, this.windowMs());
      }
      throw error;
    }
  }
}
