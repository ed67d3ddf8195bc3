'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';

/**
 * While something on the page is still changing (a distribution InProgress,
 * an invalidation running), re-renders the server components every few
 * seconds, so the status turns without a reload. Stops once nothing is moving.
 */
export function LiveRefresh({ active, everyMs = 3000 }: { active: boolean; everyMs?: number }) {
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    // The next refresh is scheduled only once the last one has rendered, and a
    // hidden tab waits until it is looked at again.
    if (!active || refreshing) return;
    const t = setTimeout(() => {
      if (document.visibilityState === 'visible') startRefresh(() => router.refresh());
      else setTick((n) => n + 1);
    }, everyMs);
    return () => clearTimeout(t);
  }, [active, refreshing, everyMs, router, tick]);
  return null;
}

/** "for 42 s" since a moment, ticking each second. */
export function Elapsed({ since, prefix = 'for' }: { since: string; prefix?: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const t = setInterval(tick, 1000);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, []);
  if (now === null) return null;
  const s = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  const text = s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return <span className="tabular-nums">{prefix} {text}</span>;
}
