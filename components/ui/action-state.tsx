'use client';

import { unstable_rethrow, useRouter } from 'next/navigation';
import { startTransition, useActionState, useState, type FormEvent, type MouseEvent } from 'react';
import type { ActionResult } from '@/lib/auth/action';
import { Alert } from './alert';
import { keepOutcome, recallOutcome, type KeepAt } from './kept-outcomes';

export type FormResult<T = undefined> = ActionResult<T> | undefined;
type ServerAction<T> = (prev: FormResult<T>, form: FormData) => Promise<ActionResult<T>>;

/** What a form says when its call never got an answer: the fetch failed, or Berth restarted under it. */
export const NO_ANSWER =
  'Berth did not answer: the network dropped or Berth restarted. It may or may not have done this; check, then submit again. Your entries are kept.';

interface Options<T> {
  /** After a success, re-render the page's server components (for forms that change what the page shows). */
  refresh?: boolean;
  /** After a success, e.g. to clear a field or to start a new intent with a new idempotency key. */
  onSuccess?: (result: Extract<ActionResult<T>, { ok: true }>) => void;
  /**
   * Where to keep this form's answer (useKeepAt): it is then kept while the
   * page stays on its URL, and a new instance of the form starts from it. For
   * forms inside a list that a refresh may render again as a new instance
   * (components/ui/kept-outcomes.tsx says when).
   */
  keep?: KeepAt;
}

/**
 * The one way a Berth form runs its server action.
 *
 * React 19 resets a `<form action={fn}>` once the action settles, and a reset
 * puts every uncontrolled field (and a controlled `<select>`, whose `selected`
 * attribute React does not keep in step) back to its initial value, even when
 * the action answered with a refusal. The person would then resubmit defaults
 * they never chose. React only does that for submissions it runs itself
 * (https://react.dev/reference/react-dom/components/form); so, once the page is
 * hydrated, the form's `onSubmit` takes the submission over and dispatches it in
 * a transition, and nothing is reset. Every field keeps what the person entered,
 * whatever kind it is and however it is written. Before hydration `action`
 * stays, so React replays an early submit.
 *
 * A second submit button in the same form (a "Remove" beside a "Save") takes
 * `buttonProps` of its own hook, which does the same from the button's click.
 *
 * A call that never gets an answer comes back as a refusal saying so instead of
 * throwing the page to its error screen.
 */
export function useFormAction<T = undefined>(action: ServerAction<T>, options: Options<T> = {}) {
  const router = useRouter();
  const [initial] = useState<FormResult<T>>(() => (options.keep ? recallOutcome<ActionResult<T>>(options.keep) : undefined));
  const [state, dispatch, pending] = useActionState<FormResult<T>, FormData>(async (prev, form) => {
    let result: ActionResult<T>;
    try {
      result = await action(prev, form);
    } catch (error) {
      // redirect(), forbidden() and their kin travel as errors and must go on.
      unstable_rethrow(error);
      result = { ok: false, message: NO_ANSWER };
    }
    // Kept before the refresh starts, so an instance the refresh mounts finds it.
    if (options.keep) keepOutcome(options.keep, result);
    if (result.ok) {
      options.onSuccess?.(result);
      if (options.refresh) router.refresh();
    }
    return result;
  }, initial);

  function submit(form: HTMLFormElement, submitter: HTMLElement | null) {
    // With the submitter, so a named button's value is sent as a native submit would.
    const data = new FormData(form, submitter);
    startTransition(() => dispatch(data));
  }

  const formProps = {
    action: dispatch,
    onSubmit(event: FormEvent<HTMLFormElement>) {
      event.preventDefault();
      submit(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    },
  };

  const buttonProps = {
    type: 'submit' as const,
    formAction: dispatch,
    onClick(event: MouseEvent<HTMLButtonElement>) {
      const form = event.currentTarget.form;
      if (!form) return;
      // No submit event then, so neither the form's own handler nor React's reset runs.
      event.preventDefault();
      submit(form, event.currentTarget);
    },
  };

  return { state, pending, formProps, buttonProps };
}

/** The field errors of a refused answer, to show beside their fields. */
export function fieldErrors(state: FormResult<unknown>): Record<string, string[]> | undefined {
  return state && !state.ok ? state.fieldErrors : undefined;
}

/** The sentence an action answered with, success or refusal, with the problems of one field listed under it. */
export function Outcome({ state, listField }: { state: FormResult<unknown>; listField?: string }) {
  const listed = state && !state.ok && listField ? state.fieldErrors?.[listField] : undefined;
  // The live region is always there, so screen readers announce what appears in it.
  return (
    <div aria-live="polite" data-testid="form-outcome">
      {state?.message ? (
        <Alert tone={state.ok ? 'success' : 'error'}>
          {state.message}
          {listed ? <ul className="mt-1 list-disc pl-5">{listed.map((p) => <li key={p}>{p}</li>)}</ul> : null}
        </Alert>
      ) : null}
    </div>
  );
}
