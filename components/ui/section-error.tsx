'use client';

import { Button } from './button';

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
      <Button className="mt-5" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
