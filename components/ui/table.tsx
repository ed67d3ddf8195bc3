import { cn } from '@/lib/ui/cn';

// Body cells and rows are styled once, here, through descendant selectors, not
// by a class on every cell: a 200-row table would otherwise repeat the same
// hundred characters of classes on each of its 1,400 cells, in the HTML and
// again in the RSC payload that hydrates it.
const BODY =
  '[&_td]:border-b [&_td]:border-zinc-100 [&_td]:px-4 [&_td]:py-3 [&_td]:align-middle [&_td:first-child]:pl-5 [&_td:last-child]:pr-5 dark:[&_td]:border-zinc-800/70 [&_tbody_tr:hover]:bg-zinc-50/70 dark:[&_tbody_tr:hover]:bg-zinc-800/30';

export function Table({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <div className={cn('overflow-x-auto rounded-[inherit]', className)}>
      <table className={`w-full border-collapse text-left text-sm ${BODY}`}>{children}</table>
    </div>
  );
}

export function Th({ children, className, ...rest }: React.ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      {...rest}
      className={cn(
        'border-b border-zinc-200 bg-zinc-50/80 px-4 py-2.5 first:pl-5 last:pr-5 text-xs font-semibold tracking-wide whitespace-nowrap text-zinc-500 uppercase dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400',
        className,
      )}
    >
      {children}
    </th>
  );
}

/** A body cell inside a Table, which gives it its padding and border. */
export function Td({ children, className }: { children?: React.ReactNode; className?: string }) {
  return <td className={className || undefined}>{children}</td>;
}

export function Tr({ children }: { children: React.ReactNode }) {
  return <tr>{children}</tr>;
}
