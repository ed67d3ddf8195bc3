import { cn } from '@/lib/ui/cn';

export function Table({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <div className={cn('overflow-x-auto rounded-[inherit]', className)}>
      <table className="w-full border-collapse text-left text-sm">{children}</table>
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

export function Td({ children, className }: { children?: React.ReactNode; className?: string }) {
  return <td className={cn('border-b border-zinc-100 px-4 py-3 align-middle first:pl-5 last:pr-5 dark:border-zinc-800/70', className)}>{children}</td>;
}

export function Tr({ children }: { children: React.ReactNode }) {
  return <tr className="hover:bg-zinc-50/70 dark:hover:bg-zinc-800/30">{children}</tr>;
}
