import { buttonClass } from '@/components/ui/button';

export default function NotFound() {
  // A plain link, not next/link: with next/link in these root boundaries, the
  // build pointed every page's server-rendered <Link> at the boundaries' own
  // copy of it, a second 3 KiB download beside the one the console layout has.
  return (
    <main className="grid min-h-full place-items-center px-6">
      <div className="max-w-md text-center">
        <p className="font-mono text-sm text-brand-700 dark:text-brand-300">404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Nothing here</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">The page or resource does not exist, or it was deleted.</p>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a plain link on purpose, see above */}
        <a href="/" className={buttonClass('secondary', 'md', 'mt-6')}>Back to the overview</a>
      </div>
    </main>
  );
}
