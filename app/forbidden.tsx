import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';

export default function Forbidden() {
  return (
    <main className="grid min-h-full place-items-center px-6">
      <div className="max-w-md text-center">
        <p className="font-mono text-sm text-brand-700 dark:text-brand-300">403</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">You need the admin role for this</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Your Berth account can browse and copy commands. Ask an admin to make the change, or to give you the admin role.
        </p>
        <Link href="/" className={buttonClass('secondary', 'md', 'mt-6')}>Back to the overview</Link>
      </div>
    </main>
  );
}
