'use client';

import { useActionState } from 'react';
import { signInWithPassword, type SignInState } from '@/app/sign-in/actions';
import { Button } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, formAction, pending] = useActionState<SignInState | undefined, FormData>(signInWithPassword, undefined);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field label="Email" htmlFor="email">
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state?.email}
          className={inputClass}
          aria-invalid={Boolean(state?.error)}
        />
      </Field>
      <Field label="Password" htmlFor="password">
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className={inputClass}
          aria-invalid={Boolean(state?.error)}
        />
      </Field>
      <div aria-live="assertive" className="min-h-5">
        {state?.error ? (
          <p role="alert" data-testid="sign-in-error" className="text-sm font-medium text-red-600 dark:text-red-400">
            {state.error}
          </p>
        ) : null}
      </div>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
