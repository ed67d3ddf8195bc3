// Next.js calls register() once when a server starts, before it serves:
// https://nextjs.org/docs/app/guides/instrumentation
// Berth brings its database up to date then (migrations, and a users.json
// from before the database moved in), so the log says at once whether the
// database is reachable, and the first request does not wait for it.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { prepareUserStore } = await import('@/lib/auth/users');
  try {
    await prepareUserStore();
  } catch (error) {
    // Not fatal: the database may come up after Berth (compose, a failover);
    // every request that needs it tries again and answers with the reason.
    console.error(`[berth] Berth's database is not ready: ${error instanceof Error ? error.message : String(error)}`);
  }
}
