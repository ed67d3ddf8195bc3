'use client';

import { removeUserAction } from '@/app/(console)/settings/users/actions';
import { useFormAction } from '@/components/ui/action-state';

export function RemoveUserButton({ email }: { email: string }) {
  const { state, pending, formProps } = useFormAction(removeUserAction);
  return (
    <form
      action={formProps.action}
      onSubmit={(e) => {
        if (confirm(`Remove ${email}? They will be signed out on their next request.`)) formProps.onSubmit(e);
        else e.preventDefault();
      }}
      className="flex items-center justify-end gap-2"
    >
      <input type="hidden" name="email" value={email} />
      {state && !state.ok ? <span role="alert" className="text-xs text-red-600 dark:text-red-400">{state.message}</span> : null}
      <button type="submit" disabled={pending} className="rounded-md px-2 py-1 text-sm text-red-700 hover:bg-red-50 disabled:opacity-50 dark:text-red-400 dark:hover:bg-red-950/40">
        Remove
      </button>
    </form>
  );
}
