import { cn } from '@/lib/ui/cn';

/** An input's look without its width, for inputs that sit in a row. */
export const inputBase =
  'block h-9 rounded-md border border-zinc-300 bg-white px-3 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-400 focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';

export const inputClass = `${inputBase} w-full`;

export function Field({
  label,
  htmlFor,
  hint,
  errors,
  children,
  className,
}: {
  label: string;
  htmlFor: string;
  hint?: React.ReactNode;
  errors?: string[];
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={cn('space-y-1.5', className)}>
      <label htmlFor={htmlFor} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      {children}
      <div id={`${htmlFor}-errors`} aria-live="polite">
        {errors?.map((e) => (
          <p key={e} className="text-sm text-red-600 dark:text-red-400">
            {e}
          </p>
        ))}
      </div>
      {hint && !errors?.length ? <p className="text-xs text-zinc-500 dark:text-zinc-400">{hint}</p> : null}
    </div>
  );
}
