'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { cn } from '@/lib/ui/cn';

/** A search box that keeps its value in the URL (`?q=`), so a filtered view is a link. */
export function FilterInput({ placeholder, param = 'q', className }: { placeholder: string; param?: string; className?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [value, setValue] = useState(params.get(param) ?? '');
  const [pending, startTransition] = useTransition();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <div className={cn('relative', className)}>
      <svg viewBox="0 0 20 20" className="pointer-events-none absolute top-2 left-2.5 size-4 text-zinc-400" fill="none" stroke="currentColor" strokeWidth="1.7" aria-hidden>
        <circle cx="9" cy="9" r="5.5" />
        <path d="m13 13 3.5 3.5" strokeLinecap="round" />
      </svg>
      <input
        type="search"
        aria-label={placeholder}
        placeholder={placeholder}
        value={value}
        onChange={(e) => {
          const v = e.target.value;
          setValue(v);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => {
            const next = new URLSearchParams(params);
            if (v) next.set(param, v);
            else next.delete(param);
            next.delete('page');
            startTransition(() => router.replace(`${pathname}?${next.toString()}`, { scroll: false }));
          }, 250);
        }}
        className={cn(
          'h-8 w-72 rounded-md border border-zinc-300 bg-white pr-3 pl-8 text-sm shadow-xs placeholder:text-zinc-400 focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900',
          pending && 'opacity-70',
        )}
      />
    </div>
  );
}
