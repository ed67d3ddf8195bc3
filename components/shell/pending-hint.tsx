'use client';

import { useLinkStatus } from 'next/link';
import { cn } from '@/lib/ui/cn';

/**
 * Shows that a click was taken while the next page is on its way. The console's
 * pages are rendered per request, and there is no route-level loading.tsx (its
 * skeleton made every page wait for React's fallback throttle), so the current
 * page stays in view until the next one arrives; this hint, inside the link,
 * covers that wait. It fades in only after 100 ms, so a quick navigation does
 * not flash it, and it is always rendered at a fixed size, so nothing moves.
 * https://nextjs.org/docs/app/api-reference/functions/use-link-status
 */
export function PendingHint({ className }: { className?: string }) {
  const { pending } = useLinkStatus();
  return (
    <span
      aria-hidden
      data-testid="link-pending"
      data-pending={pending ? 'true' : 'false'}
      className={cn(
        'size-3.5 shrink-0 rounded-full border-2 border-current border-t-transparent transition-opacity',
        pending ? 'animate-spin opacity-70 delay-100 duration-200' : 'opacity-0 delay-0 duration-0',
        className,
      )}
    />
  );
}
