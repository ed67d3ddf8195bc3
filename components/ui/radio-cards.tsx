import { cn } from '@/lib/ui/cn';

/** A set of radio buttons drawn as cards with a title and a sentence each. */
export function RadioCards<T extends string>({ name, value, onChange, options, legend }: { name: string; value: T; onChange: (v: T) => void; options: { value: T; title: string; description: string }[]; legend: string }) {
  return (
    <fieldset>
      <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">{legend}</legend>
      <div className="grid grid-cols-2 gap-3">
        {options.map((o) => (
          <label
            key={o.value}
            className={cn(
              'cursor-pointer rounded-lg border px-4 py-3 text-sm transition-colors',
              value === o.value
                ? 'border-brand-500 bg-brand-50/60 ring-1 ring-brand-500 dark:bg-brand-950/40'
                : 'border-zinc-200 hover:border-zinc-300 dark:border-zinc-700 dark:hover:border-zinc-600',
            )}
          >
            <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} className="sr-only" />
            <span className="block font-medium">{o.title}</span>
            <span className="mt-0.5 block text-zinc-500 dark:text-zinc-400">{o.description}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
