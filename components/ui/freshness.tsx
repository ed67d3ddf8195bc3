import { cn } from '@/lib/ui/cn';
import { RefreshReads } from './freshness-refresh';

/** "12 s", "4 min", "2 h": how long ago, in the largest unit that fits. */
function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h`;
}

function exactly(at: number): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/**
 * How old the data on a page is, and a Refresh that reads it again from AWS.
 * Lists are shared between viewers for a short while (lib/aws/read-cache.ts);
 * a change made outside Berth (a docker push) shows once they expire, or at
 * once with Refresh. `readAt` is when the page's main list was read, `also`
 * other figures on it kept for longer (image counts).
 */
export function Freshness({
  readAt,
  also = [],
  tags,
  className,
}: {
  readAt: number;
  also?: { label: string; readAt: number }[];
  tags: string[];
  className?: string;
}) {
  // A server component renders once per request: the age is as of this render, which is what the reader sees.
  // eslint-disable-next-line react-hooks/purity
  const renderedAt = Date.now();
  return (
    <div className={cn('flex flex-wrap items-center gap-x-2 text-xs text-zinc-500 dark:text-zinc-400', className)} data-testid="freshness">
      <span title={`Read from AWS at ${exactly(readAt)}`}>Read {age(renderedAt - readAt)} ago</span>
      {also.map((a) => (
        <span key={a.label} title={`Read from AWS at ${exactly(a.readAt)}`}>· {a.label} {age(renderedAt - a.readAt)} ago</span>
      ))}
      <RefreshReads tags={tags} />
    </div>
  );
}
