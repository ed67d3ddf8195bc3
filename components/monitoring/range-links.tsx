import Link from 'next/link';
import { cn } from '@/lib/ui/cn';

const RANGES = [
  { id: '24h', label: '24 hours' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
] as const;

/** The chart range as links (`?range=24h|7d|30d`), so a view can be shared. */
export function RangeLinks({ current, href }: { current: string; href: (range: string) => string }) {
  return (
    <nav aria-label="Time range" className="inline-flex rounded-lg border border-zinc-200 p-0.5 text-sm dark:border-zinc-800">
      {RANGES.map((r) => (
        <Link
          key={r.id}
          href={href(r.id)}
          aria-current={r.id === current ? 'true' : undefined}
          className={cn(
            'rounded-md px-2.5 py-1',
            r.id === current
              ? 'bg-zinc-100 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100'
              : 'text-zinc-500 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200',
          )}
        >
          {r.label}
        </Link>
      ))}
    </nav>
  );
}
