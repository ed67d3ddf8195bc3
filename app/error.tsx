'use client';

// The last boundary: an error the console layout itself throws (for instance
// when Berth's database does not answer while it checks the session) has no
// section boundary around it. Kept tiny and free of imports, since every
// route's client code carries it.
export default function RootError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="grid min-h-full place-items-center px-6">
      <div className="max-w-md text-center" role="alert">
        <h1 className="text-2xl font-semibold tracking-tight">Berth could not show this page</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Something Berth depends on did not answer, such as its database. Try again in a moment; if it keeps happening, the server log says what failed.
        </p>
        <button
          type="button"
          onClick={reset}
          className="mt-6 inline-flex h-9 items-center rounded-md border border-zinc-300 bg-white px-4 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
        >
          Try again
        </button>
      </div>
    </main>
  );
}
