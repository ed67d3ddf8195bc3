import Link from 'next/link';
import { cn } from '@/lib/ui/cn';

/** Tabs as links: the chosen tab is a search param, so it survives reloads and can be shared. */
export function Tabs({ tabs, current }: { tabs: { id: string; label: string; href: string }[]; current: string }) {
  return (
    <nav aria-label="Sections" className="mb-5 flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
      {tabs.map((t) => (
        <Link
          key={t.id}
          href={t.href}
          aria-current={t.id === current ? 'page' : undefined}
          className={cn(
            '-mb-px border-b-2 px-3 py-2 text-sm font-medium',
            t.id === current
              ? 'border-brand-600 text-brand-800 dark:border-brand-400 dark:text-brand-200'
              : 'border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200',
          )}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
