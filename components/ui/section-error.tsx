'use client';

/** What every section's error.tsx renders: no stack, a way to try again. */
export function SectionError({ error, reset, section }: { error: Error & { digest?: string }; reset: () => void; section: string }) {
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-white p-8 text-center dark:border-red-900/60 dark:bg-zinc-900">
      <h2 className="text-base font-semibold">{section} could not be shown</h2>
      <p className="mx-auto mt-1 max-w-lg text-sm text-zinc-600 dark:text-zinc-400">
        Something failed while loading this page. Try again; if it keeps failing, the Berth server log has the details
        {error.digest ? (
          <>
            {' '}
            under reference <code className="font-mono">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      {/* Button's "secondary" look, written out: each section's error.tsx is a chunk of its own, and a
          page loads two of them, so importing Button would put a copy of it in each. */}
      <button
        type="button"
        onClick={reset}
        className="mt-5 inline-flex h-9 items-center rounded-md border border-zinc-300 bg-white px-4 text-sm font-medium text-zinc-800 shadow-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800"
      >
        Try again
      </button>
    </div>
  );
}
