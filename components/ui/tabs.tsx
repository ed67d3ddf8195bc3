import Link from 'next/link';
import { cn } from '@/lib/ui/cn';

/**
 * The two looks one row of links takes. `underline` is a page's sections; `segmented` is a small
 * switch inside a panel (a chart's time range), which names the chosen option rather than a page,
 * hence `aria-current="true"` there and `"page"` for sections.
 */
const VARIANTS = {
  underline: {
    nav: 'mb-5 flex gap-1 border-b border-zinc-200 dark:border-zinc-800',
    link: '-mb-px border-b-2 px-3 py-2 text-sm font-medium',
    on: 'border-brand-600 text-brand-800 dark:border-brand-400 dark:text-brand-200',
    off: 'border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200',
    current: 'page',
  },
  segmented: {
    nav: 'inline-flex rounded-lg border border-zinc-200 p-0.5 text-sm dark:border-zinc-800',
    link: 'rounded-md px-2.5 py-1',
    on: 'bg-zinc-100 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100',
    off: 'text-zinc-500 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200',
    current: 'true',
  },
} as const;

/** Tabs as links: the chosen tab is a search param, so it survives reloads and can be shared. */
export function Tabs({
  tabs,
  current,
  variant = 'underline',
  label = 'Sections',
}: {
  tabs: { id: string; label: string; href: string }[];
  current: string;
  variant?: keyof typeof VARIANTS;
  /** The navigation landmark's accessible name. */
  label?: string;
}) {
  const v = VARIANTS[variant];
  return (
    <nav aria-label={label} className={v.nav}>
      {tabs.map((t) => (
        <Link
          key={t.id}
          href={t.href}
          aria-current={t.id === current ? v.current : undefined}
          className={cn(v.link, t.id === current ? v.on : v.off)}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
