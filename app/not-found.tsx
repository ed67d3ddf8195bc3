import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';

export default function NotFound() {
  return (
    <main className="grid min-h-full place-items-center px-6">
      <div className="max-w-md text-center">
        <p className="font-mono text-sm text-brand-700 dark:text-brand-300">404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Nothing here</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">The page or resource does not exist, or it was deleted.</p>
        <Link href="/" className={buttonClass('secondary', 'md', 'mt-6')}>Back to the overview</Link>
      </div>
    </main>
  );
}
