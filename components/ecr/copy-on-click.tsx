'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * Copies for every `button[data-copy]` inside it: one client component for a
 * whole table instead of one per row (a row's button is plain server-rendered
 * HTML). The text copied is the button's `data-copy`, or when that is empty
 * the text of the element just before it (the URI the button sits beside, so
 * a row does not carry it twice). The button shows it worked through
 * `data-copied` for a moment, and a screen reader hears it from the one live
 * region here.
 */
export function CopyOnClick({ children }: { children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [said, setSaid] = useState('');
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const onClick = async (event: MouseEvent) => {
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
  }, []);
  return (
    <div ref={ref}>
      {children}
      <span aria-live="polite" className="sr-only">{said}</span>
    </div>
  );
}
