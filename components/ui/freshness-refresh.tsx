'use client';

import { refreshReadsAction } from '@/app/(console)/actions';
import { useFormAction } from './action-state';

/** The Refresh beside a page's "Read … ago": reads the page's lists again from AWS. */
export function RefreshReads({ tags }: { tags: string[] }) {
  const { state, pending, formProps } = useFormAction(refreshReadsAction);
  return (
    <form {...formProps} className="flex items-center gap-2">
      {tags.map((t) => <input key={t} type="hidden" name="tags" value={t} />)}
      <button
        type="submit"
        disabled={pending}
        title="Read again from AWS"
        className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 font-medium text-brand-700 hover:bg-zinc-100 disabled:opacity-60 dark:text-brand-300 dark:hover:bg-zinc-800"
      >
        <svg viewBox="0 0 20 20" className={pending ? 'size-3.5 animate-spin' : 'size-3.5'} fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden>
          <path d="M16 10a6 6 0 1 1-1.8-4.3M16 3.5v3.2h-3.2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {pending ? 'Refreshing…' : 'Refresh'}
      </button>
      <span aria-live="polite">{state && !state.ok ? <span role="alert" className="text-red-600 dark:text-red-400">{state.message}</span> : null}</span>
    </form>
  );
}
