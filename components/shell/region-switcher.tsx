'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTransition } from 'react';
import { REGIONS } from '@/lib/aws/regions';
import { cn } from '@/lib/ui/cn';

export function RegionSwitcher({ defaultRegion }: { defaultRegion: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const current = params.get('region') ?? defaultRegion;

  return (
    <label className="relative flex items-center">
      <span className="sr-only">Region</span>
      <svg viewBox="0 0 20 20" className="pointer-events-none absolute left-2.5 size-4 text-zinc-400" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
        <path d="M10 17.5s5.5-4.6 5.5-9a5.5 5.5 0 0 0-11 0c0 4.4 5.5 9 5.5 9Z" />
        <circle cx="10" cy="8.5" r="2" />
      </svg>
      <select
        data-testid="region-switcher"
        value={current}
        onChange={(e) => {
          const next = new URLSearchParams(params);
          next.set('region', e.target.value);
          startTransition(() => router.push(`${pathname}?${next.toString()}`));
        }}
        className={cn(
          'h-8 w-52 appearance-none truncate rounded-md 2xl:w-72 border border-zinc-200 bg-white pr-8 pl-8 text-sm text-zinc-800 shadow-xs hover:border-zinc-300 focus:ring-2 focus:ring-brand-500/30 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200',
          pending && 'opacity-60',
        )}
      >
        {REGIONS.map((r) => (
          // One text node: "{code} · {name}" as three would each get a separator comment in the HTML, on every page.
          <option key={r.code} value={r.code}>{`${r.code} · ${r.name}`}</option>
        ))}
        {!REGIONS.some((r) => r.code === current) ? <option value={current}>{current}</option> : null}
      </select>
      <svg viewBox="0 0 20 20" className="pointer-events-none absolute right-2.5 size-4 text-zinc-400" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
        <path d="m6 8 4 4 4-4" />
      </svg>
    </label>
  );
}
