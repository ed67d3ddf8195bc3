'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

/**
 * Copies for every `button[data-copy]` inside it: one client component for a
 * whole table instead of one per row (a row's button is plain server-rendered
 * HTML). The text copied is the button's `data-copy`, or when that is empty
 * the text of the element just before it (the URI the button sits beside, so
 * a row does not carry it twice). The button shows it worked through
 * `data-copied` for a moment, and a screen reader hears it from the one live
 * region here. A link marked `data-nav` inside it opens within the page, as a
 * Link would (rows written as HTML have no Link); a modified click (new tab)
 * is the browser's.
 */
export function CopyOnClick({ children }: { children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [said, setSaid] = useState('');
  const router = useRouter();
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const onClick = async (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest<HTMLAnchorElement>('a[data-nav]');
      if (link && root.contains(link)) {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        router.push(link.getAttribute('href')!);
        return;
      }
      const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-copy]');
      if (!button || !root.contains(button)) return;
      const text = button.dataset.copy || button.previousElementSibling?.textContent || '';
      await navigator.clipboard.writeText(text);
      button.dataset.copied = '';
      setSaid(`Copied ${text}`);
      const t = setTimeout(() => {
        delete button.dataset.copied;
        setSaid('');
        timers.delete(t);
      }, 1500);
      timers.add(t);
    };
    root.addEventListener('click', onClick);
    return () => {
      root.removeEventListener('click', onClick);
      for (const t of timers) clearTimeout(t);
    };
  }, [router]);
  return (
    <div ref={ref}>
      {children}
      <span aria-live="polite" className="sr-only">{said}</span>
    </div>
  );
}
