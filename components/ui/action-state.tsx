'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import type { ActionResult } from '@/lib/auth/action';
import { Alert } from './alert';

type Result<T = unknown> = ActionResult<T> | undefined;

/** useActionState for a form that changes what the page shows: on success the server components re-render. */
export function useRefreshingAction<T>(action: (prev: Result<T>, form: FormData) => Promise<ActionResult<T>>) {
  const router = useRouter();
  const [state, run, pending] = useActionState<Result<T>, FormData>(action, undefined);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  return [state, run, pending] as const;
}

/** The sentence an action answered with, success or refusal, with the problems of one field listed under it. */
export function Outcome({ state, listField }: { state: Result; listField?: string }) {
  const listed = state && !state.ok && listField ? state.fieldErrors?.[listField] : undefined;
  // The live region is always there, so screen readers announce what appears in it.
  return (
    <div aria-live="polite">
      {state ? (
        <Alert tone={state.ok ? 'success' : 'error'}>
          {state.message}
          {listed ? <ul className="mt-1 list-disc pl-5">{listed.map((p) => <li key={p}>{p}</li>)}</ul> : null}
        </Alert>
      ) : null}
    </div>
  );
}
